"""Profiles of the ``menu`` dialect ("Control Console"): first-generation Switched Rack
PDUs (AP79xx without the B suffix) and an NMC1 card (AP9617) in a Smart-UPS.

``menu_profiles(make)`` returns them as ``{name: profile}``; ``profiles.py`` merges them
into ``PROFILES`` (``make`` is its ``_profile`` builder, so the card fields the device
core expects exist too). ``MENU_LAYOUTS`` holds the item order of every menu per firmware
family: the numbers a user types differ between families, which is the point (a client
must find items by their label). Which layout a unit uses follows its AOS version
(``layout_for``), so ``--firmware v2.6.4`` on an AP7920 gives the 2.6 screens.

Everything here is a documented guess (README.md, "menu dialect") except what
menu-console.md and the seed documents state: the main menu, the AOS 3.x Device Manager /
Outlet Management items, the outlet screens, the Network -> Web/SSL/TLS position (6) and
its Accept Changes item (6), 9600 8N1 on the PDUs, 2400 8N1 and 3-5 CRs on the NMC1 behind
a UPS port, apc/apc, the reset-button window, three failed logins -> 2 minutes on 3.x.
"""

# Item order of each menu, per firmware family. Keys are internal item ids; the dialect
# maps them to labels and actions.
MENU_LAYOUTS = {
    # AOS 3.x (3.3.4 ... 3.7.3), Rack PDU and NMC1 alike
    "aos3": {
        "main": ["device", "network", "system", "logout"],
        "device_pdu": ["phase", "outlet_mgmt", "power_supply"],
        "outlet_mgmt": ["outlet_control", "outlet_restriction"],
        "device_ups": ["ups_status", "ups_control", "ups_config", "ups_about"],
        "network": ["tcpip", "dns", "ping", "ftp", "telnet_ssh", "web", "email", "snmp",
                    "syslog"],
        "system": ["users", "identification", "datetime", "tools", "about"],
        "users": ["admin", "device_user", "readonly_user"],
        # the TCP/IP screen changes with the (pending) boot mode
        "tcpip_manual": ["ip", "mask", "gateway", "boot_mode"],
        "tcpip_auto": ["boot_mode"],
        "boot_modes": ["manual", "bootp", "dhcp", "dhcpbootp"],
        "dns": ["primary", "secondary", "domain"],
        "web": ["access", "ssl", "http_port", "https_port", "certificate"],
        "telnet_ssh": ["access", "protocol", "telnet_port", "ssh_port"],
        "snmp": ["access", "ac1", "ac2", "ac3", "ac4"],
        "snmp_ac": ["community", "nms", "access_type"],
        "identification": ["name", "contact", "location"],
        "datetime": ["date", "time", "format"],
        "account_admin": ["name", "password"],
        "account_other": ["access", "name", "password"],
        "outlet_config": ["name", "on_delay", "off_delay", "reboot_time"],
        "tools": ["reboot", "file_transfer"],
    },
    # AOS 2.x (2.6.4 / Rack PDU APP 2.6.5, 2005-2006): Outlet Control straight from Device
    # Manager (menu-console.md), everything else in an older order (guess)
    "aos26": {
        "main": ["device", "network", "system", "logout"],
        "device_pdu": ["phase", "outlet_restriction", "outlet_control", "power_supply"],
        "device_ups": ["ups_status", "ups_control", "ups_config", "ups_about"],
        "network": ["tcpip", "dns", "ftp", "telnet_ssh", "web", "snmp", "email", "syslog"],
        "system": ["identification", "datetime", "users", "tools", "about"],
        "users": ["admin", "device_user", "readonly_user"],
        "tcpip_manual": ["boot_mode", "ip", "mask", "gateway"],
        "tcpip_auto": ["boot_mode", "ip", "mask", "gateway"],
        "boot_modes": ["dhcpbootp", "dhcp", "bootp", "manual"],
        "dns": ["primary", "secondary", "domain"],
        "web": ["access", "http_port", "ssl", "https_port"],
        "telnet_ssh": ["access", "telnet_port", "protocol", "ssh_port"],
        "snmp": ["ac1", "ac2", "ac3", "ac4", "access"],
        "snmp_ac": ["community", "access_type", "nms"],
        "identification": ["name", "location", "contact"],
        "datetime": ["format", "date", "time"],
        "account_admin": ["name", "password"],
        "account_other": ["name", "password"],
        "outlet_config": ["name", "on_delay", "off_delay", "reboot_time"],
        "tools": ["reboot", "file_transfer"],
    },
}


def layout_for(profile):
    """``aos26`` for AOS 2.x, ``aos3`` otherwise (``menu_layout`` in a profile wins)."""
    if profile.get("menu_layout"):
        return profile["menu_layout"]
    head = str(profile.get("aos_version", "")).lstrip("vV").split(".", maxsplit=1)[0]
    return "aos26" if head.isdigit() and int(head) < 3 else "aos3"


# Card fields shared by every menu profile (the rest comes from profiles._CLI_BASE).
_MENU_BASE = {
    "dialect": "menu",
    "first_login_change": False,      # no forced change before AOS 6.9.6
    "banner_style": "menu",
    "reset_window": True,             # AP79xx and NMC1: the 30 s apc/apc window
    "copyright_year": 2009,
    # consecutive failed logins (any user name) that lock the console login, and for how
    # long (AOS 3.x: 3 -> 2 minutes). --bad-login-attempts / --lockout-seconds override.
    "bad_login_attempts": 3,
    "lockout_seconds": 120.0,
    "wake_crs": 1,                    # CRs the sleeping console needs before User Name :
    "outlet_name_max": 23,
    "ident_max": 255,                 # System Name / Contact / Location
    "user_name_max": 10,
    "password_max": 10,
    # SSL/SSH set-up possible from the console? "web-only": the crypto licence and key
    # generation can only be completed in the web interface (AOS 2.6.x, seed document)
    "crypto_setup": "console",
    "defaults": {"snmp_v1": True, "http": True, "https": False, "telnet": True,
                 "ssh": False, "ftp": True, "ipv6": False},
    "dhcp_lease": {"ip": "192.168.254.41"},
}

_PDU = {
    "kind": "pdu",
    "card": "rpdu1g",
    "app_name": "rpdu",
    "app_title": "Rack PDU APP",
    "aos_version": "v3.7.3",
    "app_version": "v3.7.3",
    "outlets": 8,
    "phases": 1,
    "product": "Switched Rack PDU",
    "status_line": "Switched Rack PDU: Communication Established",
}

# the same unit on AOS 2.6.4 / Rack PDU APP 2.6.5 (seed document: "B2/265/264")
_PDU_26 = dict(_PDU)
_PDU_26.update({"aos_version": "v2.6.4", "app_version": "v2.6.5"})


def menu_profiles(make):
    """The menu-dialect profiles, built with ``make`` (profiles._profile)."""
    def prof(**kw):
        merged = dict(_MENU_BASE)
        merged.update(kw)
        return make(**merged)

    return {
        "AP7920": prof(
            name="AP7920",
            description="Switched Rack PDU 1U, 10A 230V, 8 outlets, menu console (AOS v3.7.3)",
            model_number="AP7920", serial="ZA0751012345", mac="00 C0 B7 5A 79 20",
            hw_rev="B5", mfg_date="12/18/2007", max_current=10, voltage=230, **_PDU),
        "AP7921": prof(
            name="AP7921",
            description="Switched Rack PDU 2U, 16A 230V, 8 outlets, menu console (AOS v3.7.3)",
            model_number="AP7921", serial="ZA0802023456", mac="00 C0 B7 5A 79 21",
            hw_rev="B5", mfg_date="01/09/2008", max_current=16, voltage=230, **_PDU),
        "AP7900": prof(
            name="AP7900",
            description="Switched Rack PDU 1U, 15A 100/120V, 8 outlets, menu console "
                        "(AOS v3.7.3)",
            model_number="AP7900", serial="ZA0805034567", mac="00 C0 B7 5A 79 00",
            hw_rev="B5", mfg_date="02/01/2008", max_current=15, voltage=120, **_PDU),
        "AP7920-B2": prof(
            name="AP7920-B2",
            description="Switched Rack PDU AP7920 hardware B2 on AOS v2.6.4 / Rack PDU APP "
                        "v2.6.5 (2005-2006): SSL/SSH set-up only in the web interface",
            model_number="AP7920", serial="ZA0547001234", mac="00 C0 B7 2B 26 05",
            hw_rev="B2", mfg_date="11/21/2005", max_current=10, voltage=230,
            copyright_year=2005,
            bad_login_attempts=0,       # the 3-tries lockout is an AOS 3.x rule
            outlet_name_max=20, ident_max=63, crypto_setup="web-only",
            **_PDU_26),
        "SU1400-AP9617": prof(
            name="SU1400-AP9617",
            description="Smart-UPS 1400 with an AP9617 NMC1 (AOS v3.7.3, menu console) on "
                        "the UPS serial port: 2400 8N1, answers after 3 CRs, apc/apc",
            kind="ups", card="nmc1", model_number="AP9617", serial="JA0612345678",
            mac="00 C0 B7 96 17 AA", hw_rev="A10", mfg_date="03/20/2006",
            aos_version="v3.7.3", app_name="sumx", app_title="Smart-UPS & Matrix-UPS APP",
            app_version="v3.7.3", baud=2400, wake_crs=3,
            status_line="{ups_model} named {ups_name} : {ups_status}",
            ups={
                "model": "Smart-UPS 1400",
                "serial": "WS0533012345",
                "firmware": "70.9.D",
                "mfg_date": "08/15/05",
                "nominal_runtime_min": 38,
                "output_voltage": 120.0,
                "input_voltage": 119.6,
                "frequency": 60.0,
                "battery_voltage": 27.6,
                "temperature_c": 31.5,
                "load_pct": 23.4,
            }),
    }
