"""Device profiles: the per-model facts the simulator needs, as plain data.

Every profile names its console ``dialect``; only ``cli`` exists today (``menu`` and
``smart`` come later and will be other console programs, see ``device.DIALECTS``).

Values taken from the public AP9630 serial captures are marked "capture"; everything
else is a plausible, documented guess (see README.md).
"""

import copy

from .menu_profiles import menu_profiles
from .smart_profiles import smart_profiles

# Defaults shared by all cli profiles; each profile overrides what differs.
_CLI_BASE = {
    "dialect": "cli",
    "baud": 9600,
    "idle_timeout": 180,          # seconds; per-user -st rules unless --idle-timeout
    "boot_seconds": 60.0,         # how long the card takes to come back after a reboot
    "reset_window_seconds": 30.0,  # the reset-button apc/apc window
    "reset_window": True,         # NMC2 / AP79xxB class cards have the window
    "first_login_change": True,   # AOS 6.9.6+ and NMC3
    "bad_login_attempts": 0,      # userdflt -bl default (capture: 0 = lockout off)
    "lockout_seconds": 0,         # 0: a locked account stays locked until re-enabled
    "prompt_trailing_space": False,
    "device_ready_delay": 0.0,    # device commands answer E101 this long after a boot
    "banner_style": "696",        # "696": with service/user blocks; "68": without
    "copyright_year": 2020,
    "bootmon": {"version": "v1.0.9", "date": "Mar 27 2019", "time": "16:23:06"},
    "aos_build": {"date": "Nov  5 2020", "time": "08:31:17"},
    "app_build": {"date": "Nov  6 2020", "time": "11:08:39"},
    "defaults": {
        "snmp_v1": False,
        "snmp_v3": False,
        "http": False,
        "https": True,
        "telnet": False,
        "ssh": True,
        "ftp": False,
        "ipv6": True,
    },
    # What a DHCP server on the simulated network hands out (boot mode dhcp).
    "dhcp_lease": {
        "ip": "192.168.254.32",
        "mask": "255.255.255.0",
        "gateway": "192.168.254.1",
        "dns1": "192.168.254.1",
        "dns2": "0.0.0.0",
        "ntp1": "0.0.0.0",
        "ntp2": "0.0.0.0",
        "domain": "",
    },
    "outlets": 0,
    "phases": 0,
    "ups": None,
}


def _profile(**kw):
    p = copy.deepcopy(_CLI_BASE)
    for k, v in kw.items():
        if isinstance(v, dict) and isinstance(p.get(k), dict):
            p[k].update(v)
        else:
            p[k] = v
    return p


PROFILES = {
    "AP8941": _profile(
        name="AP8941",
        description="Switched Rack PDU 2G, ZeroU, 32A 230V, 24 outlets, 1 phase (AOS 6.8.0)",
        kind="pdu",
        card="rpdu2g",
        model_number="AP8941",
        serial="5A1347E01234",
        mac="00 C0 B7 A1 B2 C3",
        hw_rev="v1.3",
        mfg_date="11/20/2013",
        aos_version="v6.8.0",
        app_name="rpdu2g",
        app_title="RPDU 2g APP",
        app_version="v6.8.0",
        copyright_year=2019,
        aos_build={"date": "Jan 18 2019", "time": "10:12:41"},
        app_build={"date": "Jan 18 2019", "time": "11:02:17"},
        bootmon={"version": "v1.0.8", "date": "Jan 18 2019", "time": "09:14:05"},
        first_login_change=False,
        banner_style="68",
        defaults={"snmp_v1": True, "http": True, "https": False, "telnet": True,
                  "ssh": False, "ftp": True},
        outlets=24,
        phases=1,
        max_current=32,
        voltage=230,
        product="Switched Rack PDU",
    ),
    "AP7920B": _profile(
        name="AP7920B",
        description="Switched Rack PDU 2G, 1U, 10A 230V, 8 outlets, 1 phase (AOS 6.9.6)",
        kind="pdu",
        card="rpdu2g",
        model_number="AP7920B",
        serial="5A2035E04567",
        mac="28 29 86 12 34 56",
        hw_rev="v1.0",
        mfg_date="08/27/2020",
        aos_version="v6.9.6",
        app_name="rpdu2g",
        app_title="RPDU 2g APP",
        app_version="v6.9.6",
        outlets=8,
        phases=1,
        max_current=10,
        voltage=230,
        product="Switched Rack PDU",
    ),
    "SUA1500-AP9631": _profile(
        name="SUA1500-AP9631",
        description=("Smart-UPS 1500 (SUA1500I) with an AP9631 NMC2 (AOS 6.9.6, sumx) - "
                     "the capture's unit"),
        kind="ups",
        card="nmc2",
        model_number="AP9631",
        serial="ZA1246002369",            # capture
        mac="00 C0 B7 99 43 CD",          # capture
        hw_rev="05",                       # capture
        mfg_date="11/05/2012",            # capture
        aos_version="v6.9.6",
        app_name="sumx",
        app_title="Smart-UPS & Matrix-UPS APP",
        app_version="v6.9.6",
        ups={
            "model": "Smart-UPS 1500",    # capture
            "serial": "AS0508120261",     # capture
            "firmware": "601.3.I",        # capture
            "mfg_date": "02/14/05",       # capture
            "nominal_runtime_min": 215,   # 3 hr 35 min at this load (capture)
            "output_voltage": 230.4,
            "input_voltage": 231.8,
            "frequency": 50.0,
            "battery_voltage": 27.8,
            "temperature_c": 24.3,
        },
    ),
    "SMT1500-AP9641": _profile(
        name="SMT1500-AP9641",
        description="Smart-UPS SMT1500I with an AP9641 NMC3 (v2.5.0.8): no reset-button window",
        kind="ups",
        card="nmc3",
        model_number="AP9641",
        serial="5A2212T12345",
        mac="28 29 86 AB CD EF",
        hw_rev="A1",
        mfg_date="03/22/2022",
        aos_version="v2.5.0.8",
        app_name="sumx",
        app_title="Smart-UPS & Matrix-UPS APP",
        app_version="v2.5.0.8",
        copyright_year=2023,
        aos_build={"date": "Mar 14 2023", "time": "14:02:11"},
        app_build={"date": "Mar 14 2023", "time": "14:40:52"},
        bootmon={"version": "v1.1.0.6", "date": "Jun 10 2021", "time": "09:00:00"},
        reset_window=False,
        ups={
            "model": "Smart-UPS 1500",
            "serial": "AS2213151234",
            "firmware": "UPS 15.5 (ID18)",
            "mfg_date": "03/29/2022",
            "nominal_runtime_min": 72,
            "output_voltage": 230.0,
            "input_voltage": 229.5,
            "frequency": 50.0,
            "battery_voltage": 27.3,
            "temperature_c": 26.1,
        },
    ),
    "SUA1500-AP9630-AOS5": _profile(
        name="SUA1500-AP9630-AOS5",
        description=("Smart-UPS 1500 (SUA1500I) with an AP9630 NMC2 on AOS 5.1.7 (sumx): "
                     "the capture's unit before its 6.9.6 upgrade, 5.x command line"),
        kind="ups",
        card="nmc2",
        model_number="AP9630",            # capture
        serial="ZA1246002369",            # capture
        mac="00 C0 B7 99 43 CD",          # capture
        hw_rev="05",                       # capture
        mfg_date="11/05/2012",            # capture
        aos_version="v5.1.7",             # capture
        app_name="sumx",                   # capture
        app_title="Smart-UPS & Matrix-UPS APP",
        app_version="v5.1.7",             # capture
        copyright_year=2011,
        aos_build={"date": "Nov 22 2011", "time": "10:31:52"},     # build stamps: guesses
        app_build={"date": "Nov 22 2011", "time": "11:06:28"},
        bootmon={"version": "v1.0.2", "date": "Jan 21 2009", "time": "13:35:58"},
        first_login_change=False,         # AOS 5.x never forces it
        banner_style="68",                # no service/user blocks
        # 5.x services: one web protocol (capture: Service: http), telnet/ssh exclusive
        # (capture: Service: disabled); FTP and SNMPv1 on as the factory shipped them (guess)
        defaults={"snmp_v1": True, "http": True, "https": False, "telnet": False,
                  "ssh": False, "ftp": True},
        ups={
            "model": "Smart-UPS 1500",    # capture
            "serial": "AS0508120261",     # capture
            "firmware": "601.3.I",        # capture
            "mfg_date": "02/14/05",       # capture
            "nominal_runtime_min": 215,   # capture
            "output_voltage": 230.4,
            "input_voltage": 231.8,
            "frequency": 50.0,
            "battery_voltage": 27.8,
            "temperature_c": 24.3,
        },
    ),
}

# UPS units on the UPS-Link smart protocol (serial port, no card): smart_profiles.py
PROFILES.update(smart_profiles(_profile))
# First-generation Rack PDUs and NMC1 cards with the menu console: menu_profiles.py
PROFILES.update(menu_profiles(_profile))


def get_profile(name):
    """Return a deep copy of the profile called ``name`` (case-insensitive)."""
    for key, prof in PROFILES.items():
        if key.lower() == str(name).lower():
            return copy.deepcopy(prof)
    raise KeyError("unknown model %r (known: %s)" % (name, ", ".join(PROFILES)))


def mac_suffix(profile):
    """Last 6 hex digits of the MAC, as the card appends them to a name of ``apc``."""
    return "".join(profile["mac"].split())[-6:].upper()


def default_system_name(profile):
    return "apc" + mac_suffix(profile)
