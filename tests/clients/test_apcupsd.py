"""Acceptance test of the simulator's smart dialect with apcupsd (Debian's 3.14.14):
``apcupsd -b`` on the simulator's pty with its network information server on 127.0.0.1,
``apcaccess`` as the client. Run as root through ``tests/clients/run`` (it installs apcupsd
and removes it again); skipped when apcupsd is absent.

apcupsd's event scripts, power-fail flag and nologin file all go to the test's temp dir;
its ``apccontrol`` there only records the events, so nothing is ever shut down.
"""

import os
import shutil
import subprocess

import pytest

from conftest import free_port, run_rackops, sim_state, sim_unit, wait_until

APCUPSD = shutil.which("apcupsd") or "/sbin/apcupsd"
APCACCESS = shutil.which("apcaccess") or "/sbin/apcaccess"
MODEL = "SU1000NET-I"

pytestmark = [
    pytest.mark.skipif(not all(os.access(p, os.X_OK) for p in (APCUPSD, APCACCESS)),
                       reason="apcupsd is not installed (apt-get install apcupsd; "
                              "tests/clients/run does it)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="apcupsd is run as root"),
]

SENSE = {"H": "High", "M": "Medium", "L": "Low", "A": "Auto Adjust"}


def apcupsd_setup(workdir, link, port):
    script = os.path.join(workdir, "apccontrol")
    with open(script, "w", encoding="utf-8") as fh:
        fh.write("#!/bin/sh\n# harmless: record the event, never shut anything down\n"
                 "echo \"$*\" >> '%s'\nexit 0\n" % os.path.join(workdir, "events.log"))
    os.chmod(script, 0o755)
    conf = os.path.join(workdir, "apcupsd.conf")
    with open(conf, "w", encoding="utf-8") as fh:
        fh.write("\n".join([
            "## apcupsd.conf v1.1 ##",
            "UPSNAME simups",
            "UPSCABLE smart",
            "UPSTYPE apcsmart",
            "DEVICE %s" % link,
            "LOCKFILE %s" % workdir,
            "SCRIPTDIR %s" % workdir,
            "PWRFAILDIR %s" % workdir,
            "NOLOGINDIR %s" % workdir,
            "ONBATTERYDELAY 1",
            "BATTERYLEVEL 5",
            "MINUTES 3",
            "TIMEOUT 0",
            "ANNOY 0",
            "NETSERVER on",
            "NISIP 127.0.0.1",
            "NISPORT %d" % port,
            "EVENTSFILE %s" % os.path.join(workdir, "apcupsd.events"),
            "STATTIME 0",
            "LOGSTATS off",
            "UPSCLASS standalone",
            "UPSMODE disable",
            "",
        ]))
    return conf


def apcaccess(port):
    r = subprocess.run([APCACCESS, "status", "127.0.0.1:%d" % port], capture_output=True,
                       text=True, timeout=15, check=False)
    if r.returncode != 0:
        return {}
    out = {}
    for line in r.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def events(workdir):
    path = os.path.join(workdir, "events.log")
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def number(text):
    return float(text.split()[0])


def test_apcupsd_reads_status_and_power_events(workdir, daemons, smart_sim):
    sim = smart_sim(MODEL, onbatt_alert_period=2)
    link = sim.dev["pty"]
    port = free_port()
    conf = apcupsd_setup(workdir, link, port)
    proc = daemons.start("apcupsd", [APCUPSD, "-b", "-f", conf, "-P",
                                     os.path.join(workdir, "apcupsd.pid")])
    vals = wait_until(lambda: apcaccess(port).get("SERIALNO") and apcaccess(port), timeout=60,
                      what="apcaccess status on 127.0.0.1:%d" % port)
    assert proc.poll() is None, daemons.log("apcupsd")

    unit = sim_unit(MODEL)
    ee = sim_state(sim)["smart"]["eeprom"]
    assert vals["MODEL"] == unit["model"]
    assert vals["SERIALNO"] == unit["serial"]
    assert vals["FIRMWARE"] == unit["firmware"]
    assert vals["MANDATE"] == unit["mfg_date"]
    assert vals["BATTDATE"] == ee["x"]
    assert vals["STATUS"] == "ONLINE"
    assert number(vals["BCHARGE"]) == 100.0
    assert number(vals["LINEV"]) == unit["input_voltage"]
    assert number(vals["OUTPUTV"]) == unit["input_voltage"]
    assert number(vals["LINEFREQ"]) == unit["frequency"]
    assert number(vals["LOADPCT"]) == unit["load_pct"]
    assert number(vals["ITEMP"]) == unit["temperature_c"]
    assert number(vals["TIMELEFT"]) == unit["runtime_min"]
    assert number(vals["NOMBATTV"]) == unit["nominal_battery_v"]
    assert number(vals["HITRANS"]) == int(ee["u"])
    assert number(vals["LOTRANS"]) == int(ee["l"])
    assert number(vals["NOMOUTV"]) == int(ee["o"])
    assert number(vals["RETPCT"]) == int(ee["e"])
    assert number(vals["DSHUTD"]) == int(ee["p"])
    assert number(vals["DWAKE"]) == int(ee["r"])
    assert number(vals["DLOWBATT"]) == int(ee["q"])
    assert vals["SENSE"] == SENSE[ee["s"]]
    assert vals["STESTI"] == ee["E"].strip()
    assert vals["SELFTEST"] == "NO"
    assert vals["LASTXFER"] == "No transfers since turnon"
    assert int(vals["STATFLAG"], 16) & 0xFF == 0x08

    assert sim.ctl("power-fail")["ok"]
    # apcupsd reacts to the '!' alert at once (STATUS) and reads the line voltage at its next
    # poll: wait for the snapshot that has both
    vals = wait_until(lambda: (apcaccess(port).get("STATUS") == "ONBATT"
                               and number(apcaccess(port).get("LINEV", "-1")) == 0.0
                               and apcaccess(port)),
                      timeout=30, what="STATUS ONBATT with LINEV 0")
    assert number(vals["LINEV"]) == 0.0
    assert vals["LASTXFER"] == "Low line voltage"
    assert int(vals["STATFLAG"], 16) & 0xFF == 0x10
    wait_until(lambda: "onbattery" in events(workdir), timeout=20, what="apccontrol onbattery")
    assert sim.ctl("power-restore")["ok"]
    vals = wait_until(lambda: apcaccess(port).get("STATUS") == "ONLINE" and apcaccess(port),
                      timeout=30, what="STATUS ONLINE")
    assert vals["NUMXFERS"] == "1"
    wait_until(lambda: "offbattery" in events(workdir), timeout=20, what="apccontrol offbattery")
    assert sim_state(sim)["smart"]["control_log"] == []
    assert proc.poll() is None, daemons.log("apcupsd")


def test_apcupsd_reads_what_rackops_reports_and_sets(workdir, daemons, smart_sim):
    """rackops.apc.ups_settings changes the UPS; apcupsd then reads the new values, and what
    rackops.apc.facts reported agrees with what apcupsd reports."""
    sim = smart_sim(MODEL)
    link = sim.dev["pty"]
    results = run_rackops(workdir, link, [
        {"name": "settings", "rackops.apc.ups_settings": {
            "upper_transfer_voltage": 257, "sensitivity": "medium", "return_charge": 50}},
        {"name": "facts", "rackops.apc.facts": {}},
    ])
    assert results["settings"]["changed"] is True
    facts = results["facts"]["ansible_facts"]["apc"]
    port = free_port()
    conf = apcupsd_setup(workdir, link, port)
    daemons.start("apcupsd", [APCUPSD, "-b", "-f", conf, "-P", os.path.join(workdir, "apcupsd.pid")])
    vals = wait_until(lambda: apcaccess(port).get("SERIALNO") and apcaccess(port), timeout=60,
                      what="apcaccess status on 127.0.0.1:%d" % port)
    assert number(vals["HITRANS"]) == 257
    assert vals["SENSE"] == "Medium"
    assert number(vals["RETPCT"]) == 50
    assert vals["MODEL"] == facts["identity"]["model"]
    assert vals["SERIALNO"] == facts["identity"]["serial_number"]
    assert vals["FIRMWARE"] == facts["identity"]["firmware"]
    readings = facts["readings"]
    assert number(vals["BCHARGE"]) == readings["battery_charge"]
    assert number(vals["LINEV"]) == readings["input_voltage"]
    assert number(vals["LOADPCT"]) == readings["load"]
