"""Profiles of UPS units on the UPS-Link ``smart`` protocol (DB9 port, 940-0024 cable).

The units come from the 940-0024 cable's compatibility list (Back-UPS Pro, Smart-UPS 3G,
3.6G and 4.0G serial, Smart-UPS SC, Matrix). ``smart_profiles(make)`` returns them as
``{name: profile}``; ``profiles.py`` merges them into ``PROFILES`` (``make`` is its
``_profile`` builder, so the shared card fields the device core expects exist too).

Every value here is a plausible, documented guess (README.md, "smart dialect"): model
strings, serial numbers, firmware strings, command sets and readings are invented in the
style of real units; the ``^Z`` values and locale letters follow the public protocol notes.
"""

import copy

# Locale-specific EEPROM values (letter -> locale -> allowed values, factory value first).
LOCALE_VALUES = {
    "u": {"D": ["127", "130", "133", "136"], "M": ["229", "234", "239", "224"],
          "A": ["108", "110", "112", "114"], "J": ["108", "110", "112", "114"],
          "I": ["253", "257", "261", "265"]},
    "l": {"D": ["106", "103", "100", "097"], "M": ["177", "172", "168", "182"],
          "A": ["092", "090", "088", "086"], "J": ["092", "090", "088", "086"],
          "I": ["208", "204", "200", "196"]},
    "o": {"D": ["115"], "M": ["208"], "A": ["100"], "J": ["100"],
          "I": ["230", "240", "220", "225"]},
}
# Settings valid in every locale (group locale "4").
ALL_LOCALE_VALUES = {
    "e": ["00", "15", "50", "90"],
    "s": ["H", "M", "L", "L"],          # as units print it: L twice
    "q": ["02", "05", "07", "10"],
    "p": ["020", "180", "300", "600"],
    "k": ["0", "T", "L", "N"],
    "r": ["000", "060", "180", "300"],
    "E": ["336", "168", "ON ", "OFF"],
}
# Order of the groups in a ^Z reply.
TABLE_ORDER = ("u", "l", "e", "o", "s", "q", "p", "k", "r", "E")
ENUM_LETTERS = TABLE_ORDER
TEXT_LETTERS = ("c", "x")

# Nominal figures per locale: input/output volts and line frequency.
LOCALE_LINE = {"D": (120.0, 60.0), "A": (100.0, 50.0), "J": (100.0, 50.0), "I": (230.0, 50.0),
               "M": (208.0, 60.0)}

DEL = "\x7f"
CTRL_A = "\x01"
CTRL_N = "\x0e"
CTRL_Z = "\x1a"


def table_groups(locales, letters):
    """The groups of a firmware family's ``^Z`` table: ``[(letter, locale, [values])]``.

    ``locales``: the locale letters the family's table lists for the locale-specific
    settings (``u``, ``l``, ``o``); ``letters``: which settings the table has at all.
    """
    groups = []
    for letter in TABLE_ORDER:
        if letter not in letters:
            continue
        if letter in LOCALE_VALUES:
            for loc in locales:
                values = LOCALE_VALUES[letter].get(loc)
                if values:
                    groups.append((letter, loc, list(values)))
        else:
            groups.append((letter, "4", list(ALL_LOCALE_VALUES[letter])))
    return groups


def commands(text, *extra):
    """A command set (the third field of ``a``): printable letters plus control chars,
    sorted by byte value as units list them."""
    return "".join(sorted(set(text) | set("".join(extra))))


# Command sets (what ``a`` lists after the alert characters).
_CMD_3G = commands("'+-789@ABCDEFGKLMNOPQRSUVWXYZabcefgjklmnopqrsuxyz~", CTRL_A, CTRL_N, CTRL_Z,
                   DEL)
_CMD_3G_XL = commands(_CMD_3G, "<>")
_CMD_36G = commands("'+-89@ABCDEFGKLMNOPQRSUWXYZabcefgjklmnopqrsuxyz~", CTRL_A, CTRL_N, CTRL_Z,
                    DEL)
_CMD_40G = commands(_CMD_36G, "<>")
_CMD_SC = commands("+-9@ABCDEFGKLMNOPQRSUWXYZabcefgjklnopqsuxyz", CTRL_A, CTRL_Z, DEL)
_CMD_BP = commands("-9@ABFGKLMNOPQRSUWXYZabcefgjklmnpqsuxyz", CTRL_A, DEL)
_CMD_MX = commands("'+-789<>@ABCDEFGKLMNOPQRSUVWXYZacefgjklmnopqrsuxyz~", CTRL_N, CTRL_Z, DEL)

_FAMILY_3G = table_groups("DMAI", TABLE_ORDER)
_FAMILY_SUA = table_groups("DMAJI", TABLE_ORDER)
_FAMILY_SC = table_groups("DAI", ("u", "l", "e", "o", "s", "q", "p", "k", "E"))
_FAMILY_BP = table_groups("D", ("u", "l", "e", "s", "q", "p", "k"))
_FAMILY_MX = table_groups("MI", TABLE_ORDER)


def _unit(**kw):
    """Defaults of a smart unit, overridden by ``kw``."""
    unit = {
        "locale": "D",
        "model": None,              # ^A reply; None: NA (the unit lacks ^A)
        "firmware": None,           # b reply (SKU.firmware.locale); None: NA
        "old_firmware": None,       # V reply; None: NA
        "serial": "",
        "mfg_date": "",
        "battery_date": "",         # factory x value (8 characters)
        "ups_id": "UPS_IDEN",       # factory c value (8 characters)
        "copyright": "(C) APCC",
        "protocol_version": "3",
        "alerts": "!$%+?=#|",
        "commands": _CMD_3G,
        "table": _FAMILY_3G,
        "matrix": False,            # ^Z with ## in front of every group
        "locked": [],               # EEPROM letters that answer NO to - (set by jumpers)
        "eeprom_notify_delay": None,  # seconds until | after an EEPROM change; None: never
        "kk_reply": "OK",           # what K K answers (older units: *)
        "nominal_battery_v": 24,
        "load_pct": 23.5,
        "temperature_c": 36.0,
        "runtime_min": 27,          # at full charge and this load
        "packs": 0,                 # > (external packs)
        "bad_packs": 0,             # <
        "dip": 0x00,                # 7
        "registers": [0x00, 0x00, 0x00],   # ~ ' 8
        "self_test_seconds": 1.0,   # W: how long until X has the result
        "sim_pf_seconds": 1.0,      # U: how long the simulated power failure lasts
        "onbatt_alert_period": 30.0,  # ! repeats while on battery
        "replace_battery_period": 5 * 3600.0,  # # repeats while the battery needs replacing
    }
    unit.update(kw)
    volts, hz = LOCALE_LINE[unit["locale"]]
    unit.setdefault("input_voltage", volts)
    unit.setdefault("frequency", hz)
    return unit


SMART_UNITS = {
    "BP650S": ("Back-UPS Pro 650 (BP650S), 120 V (locale D): ^A but no ^Z table, no V, "
               "no temperature", _unit(
                   locale="D", model="Back-UPS Pro 650", firmware="12.4.D",
                   serial="QB9912345678", mfg_date="03/15/99", battery_date="03/15/99",
                   commands=_CMD_BP, table=_FAMILY_BP, alerts="!$%+?=#",
                   nominal_battery_v=12, load_pct=31.2, runtime_min=11)),
    "SU1000NET": ("Smart-UPS 1000 3G (SU1000NET), 120 V (locale D)", _unit(
        locale="D", model="SMART-UPS 1000", firmware="60.9.D", old_firmware="IWD",
        serial="WS9948012345", mfg_date="11/29/99", battery_date="11/29/99",
        alerts="!$%+?=#")),
    "SU1000NET-I": ("Smart-UPS 1000 3G (SU1000NETI), 230 V (locale I)", _unit(
        locale="I", model="SMART-UPS 1000", firmware="60.9.I", old_firmware="IWI",
        serial="WS0012054321", mfg_date="03/21/00", battery_date="03/21/00",
        alerts="!$%+?=#")),
    "SU2200RM3U-M": ("Smart-UPS 2200 RM 3U 3G (SU2200RM3U), 208 V (locale M), 48 V battery",
                     _unit(
                         locale="M", model="SMART-UPS 2200 RM", firmware="70.11.M",
                         old_firmware="MWM", serial="NS0105003210", mfg_date="01/30/01",
                         battery_date="01/30/01", commands=_CMD_3G_XL, alerts="!$%+?=#",
                         nominal_battery_v=48, load_pct=41.0, temperature_c=33.8,
                         runtime_min=19)),
    "SUA1500-J": ("Smart-UPS 1500 3.6G serial (SUA1500J), 100 V (locale J)", _unit(
        locale="J", model="Smart-UPS 1500", firmware="601.3.J", serial="JS0610012345",
        mfg_date="03/08/06", battery_date="03/08/06", commands=_CMD_36G, table=_FAMILY_SUA,
        eeprom_notify_delay=5.0, load_pct=18.0, temperature_c=29.3, runtime_min=46)),
    "SUA3000RM2U": ("Smart-UPS 3000 RM 2U 4.0G serial (SUA3000RM2U), 120 V (locale D), 48 V",
                    _unit(
                        locale="D", model="Smart-UPS 3000 RM", firmware="666.6.D",
                        serial="AS0712123456", mfg_date="03/22/07", battery_date="03/22/07",
                        commands=_CMD_40G, table=_FAMILY_SUA, eeprom_notify_delay=5.0,
                        nominal_battery_v=48, load_pct=27.4, temperature_c=31.5,
                        runtime_min=34, packs=0)),
    "SC620": ("Smart-UPS SC 620 (SC620I), 230 V (locale I): reduced set, output voltage "
              "locked (o answers NO)", _unit(
                  locale="I", model="Smart-UPS SC620", firmware="735.a.I",
                  serial="5S0425A01234", mfg_date="06/17/04", battery_date="06/17/04",
                  commands=_CMD_SC, table=_FAMILY_SC, locked=["o"],
                  eeprom_notify_delay=5.0, nominal_battery_v=12, load_pct=35.5,
                  temperature_c=30.0, runtime_min=9)),
    "MX5000": ("Matrix-UPS 5000 (MX5000), 230 V (locale I): no ^A and no b (V only), ^Z with "
               "## groups, K K answers *", _unit(
                   locale="I", model=None, firmware=None, old_firmware="5WI",
                   serial="MX9730004567", mfg_date="07/24/97", battery_date="07/24/97",
                   commands=_CMD_MX, table=_FAMILY_MX, matrix=True, alerts="!$%+?=#&",
                   locked=["o"], kk_reply="*", nominal_battery_v=48, load_pct=38.0,
                   temperature_c=34.5, runtime_min=25, packs=1)),
}


def smart_profiles(make):
    """``{name: profile}`` for the smart units; ``make(**kw)`` builds a full profile."""
    out = {}
    for name, (description, unit) in SMART_UNITS.items():
        unit = copy.deepcopy(unit)
        version = unit["firmware"] or unit["old_firmware"]
        volts = unit["input_voltage"]
        out[name] = make(
            name=name,
            description=description,
            dialect="smart",
            kind="ups",
            card="smart",
            model_number=name,
            serial=unit["serial"],
            mac="00 C0 B7 00 00 00",      # unused: a serial-only unit has no card
            hw_rev="",
            mfg_date=unit["mfg_date"],
            aos_version=version,
            app_name="smart",
            app_title="UPS-Link",
            app_version=version,
            baud=2400,
            boot_seconds=2.0,             # ctl reboot = the UPS power-cycled
            reset_window=False,
            first_login_change=False,
            ups={
                "model": unit["model"] or "Matrix-UPS",
                "serial": unit["serial"],
                "firmware": version,
                "mfg_date": unit["mfg_date"],
                "nominal_runtime_min": unit["runtime_min"],
                "output_voltage": volts,
                "input_voltage": volts,
                "frequency": unit["frequency"],
                "battery_voltage": unit["nominal_battery_v"] * 1.1375,
                "temperature_c": unit["temperature_c"],
            },
            smart=unit,
        )
    return out


def allowed_values(unit, letter):
    """The values ``letter`` cycles through on ``unit`` (its locale's groups and the
    all-locale groups), duplicates dropped, table order kept."""
    out = []
    for grp_letter, loc, values in unit["table"]:
        if grp_letter != letter or loc not in (unit["locale"], "4"):
            continue
        for v in values:
            if v not in out:
                out.append(v)
    return out


def eeprom_table(unit):
    """The ``^Z`` reply (without CR LF): ``#`` then groups; Matrix units put ``##`` in
    front of every group instead."""
    parts = []
    for letter, loc, values in unit["table"]:
        width = len(values[0])
        if not 1 <= len(values) <= 9 or not 1 <= width <= 9 or any(len(v) != width
                                                                   for v in values):
            raise ValueError("malformed ^Z group %r" % ((letter, loc, values),))
        parts.append("%s%s%d%d%s" % (letter, loc, len(values), width, "".join(values)))
    if unit["matrix"]:
        return "".join("##" + p for p in parts)
    return "#" + "".join(parts)


def factory_eeprom(unit):
    """Factory EEPROM values: the first allowed value of every setting the unit has,
    plus the two free-text fields."""
    ee = {}
    for letter in ENUM_LETTERS:
        if letter in unit["commands"]:
            values = allowed_values(unit, letter)
            if values:
                ee[letter] = values[0]
    ee["c"] = unit["ups_id"]
    ee["x"] = unit["battery_date"]
    return ee
