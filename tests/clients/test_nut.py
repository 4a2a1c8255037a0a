"""Acceptance test of the simulator's smart dialect with Network UPS Tools (Debian's
nut-server 2.8.0): the ``apcsmart`` driver on the simulator's pty, ``upsd`` on 127.0.0.1,
``upsc``/``upsrw`` as the client. Run as root through ``tests/clients/run`` (it installs
nut-server and removes it again); skipped when the NUT binaries are absent.
"""

import os
import shutil
import subprocess

import pytest

from conftest import free_port, run_rackops, sim_state, sim_unit, wait_until

DRIVER = "/lib/nut/apcsmart"
UPSD = "/lib/nut/upsd"
UPSC = shutil.which("upsc") or "/bin/upsc"
UPSRW = shutil.which("upsrw") or "/bin/upsrw"
NAME = "simups"
MODEL = "SUA3000RM2U"

pytestmark = [
    pytest.mark.skipif(not all(os.access(p, os.X_OK) for p in (DRIVER, UPSD, UPSC, UPSRW)),
                       reason="NUT is not installed (apt-get install nut-server; "
                              "tests/clients/run does it)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the NUT driver and upsd are run with -u root"),
]


def nut_setup(workdir, link, port):
    with open(os.path.join(workdir, "ups.conf"), "w", encoding="utf-8") as fh:
        fh.write("[%s]\n  driver = apcsmart\n  port = %s\n  desc = \"apcsim %s\"\n"
                 % (NAME, link, MODEL))
    with open(os.path.join(workdir, "upsd.conf"), "w", encoding="utf-8") as fh:
        fh.write("LISTEN 127.0.0.1 %d\n" % port)
    users = os.path.join(workdir, "upsd.users")
    with open(users, "w", encoding="utf-8") as fh:
        fh.write("[admin]\n  password = apcsim\n  actions = SET\n  instcmds = ALL\n")
    os.chmod(users, 0o600)
    with open(os.path.join(workdir, "nut.conf"), "w", encoding="utf-8") as fh:
        fh.write("MODE=standalone\n")
    env = dict(os.environ, NUT_STATEPATH=workdir, NUT_CONFPATH=workdir)
    return env


def upsc(target, env):
    r = subprocess.run([UPSC, target], env=env, capture_output=True, text=True, timeout=15,
                       check=False)
    if r.returncode != 0:
        return {}
    out = {}
    for line in r.stdout.splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            out[key] = value
    return out


def upsrw_set(target, env, var, value):
    r = subprocess.run([UPSRW, "-s", "%s=%s" % (var, value), "-u", "admin", "-p", "apcsim", "-w",
                        target], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0 and "SUCCESS" in r.stdout + r.stderr, (r.stdout, r.stderr)


def test_nut_apcsmart_reads_and_sets(workdir, daemons, smart_sim):
    sim = smart_sim(MODEL, eeprom_notify_delay=0.5)
    link = sim.dev["pty"]
    port = free_port()
    env = nut_setup(workdir, link, port)
    target = "%s@127.0.0.1:%d" % (NAME, port)
    driver = daemons.start("apcsmart", [DRIVER, "-s", NAME, "-x", "port=%s" % link, "-u", "root",
                                        "-D"], env=env)
    wait_until(lambda: os.path.exists(os.path.join(workdir, "apcsmart-%s" % NAME))
               or driver.poll() is not None, timeout=60, what="the apcsmart driver socket")
    assert driver.poll() is None, daemons.log("apcsmart")
    upsd = daemons.start("upsd", [UPSD, "-u", "root", "-D"], env=env)
    vals = wait_until(lambda: upsc(target, env).get("ups.status") and upsc(target, env),
                      timeout=30, what="upsc %s" % target)
    assert upsd.poll() is None, daemons.log("upsd")

    unit = sim_unit(MODEL)
    ee = sim_state(sim)["smart"]["eeprom"]
    assert vals["ups.model"] == unit["model"]
    assert vals["ups.serial"] == unit["serial"]
    assert vals["ups.firmware"] == unit["firmware"]
    assert vals["ups.mfr.date"] == unit["mfg_date"]
    assert float(vals["battery.charge"]) == 100.0
    assert float(vals["input.voltage"]) == unit["input_voltage"]
    assert float(vals["output.voltage"]) == unit["input_voltage"]
    assert float(vals["input.frequency"]) == unit["frequency"]
    assert float(vals["ups.load"]) == unit["load_pct"]
    assert float(vals["ups.temperature"]) == unit["temperature_c"]
    assert int(vals["battery.runtime"]) == unit["runtime_min"] * 60
    assert vals["battery.voltage.nominal"] == "%03d" % unit["nominal_battery_v"]
    assert vals["input.transfer.high"] == ee["u"]
    assert vals["input.transfer.low"] == ee["l"]
    assert vals["input.sensitivity"] == ee["s"]
    assert vals["ups.delay.shutdown"] == ee["p"]
    assert vals["ups.id"] == ee["c"]
    assert vals["battery.date"] == ee["x"]
    assert vals["ups.status"] == "OL"
    assert vals["input.transfer.reason"] == "no transfers yet since turnon"

    # enumerated settings: upsrw cycles them with '-' (the driver reads the ^Z table)
    upsrw_set(target, env, "input.transfer.high", "133")
    upsrw_set(target, env, "input.transfer.low", "100")
    upsrw_set(target, env, "battery.runtime.low", "300")      # q: 05 minutes
    # free text: '-' then 8 characters (the driver pads with CR, kept as blanks)
    upsrw_set(target, env, "ups.id", "RACK7")
    upsrw_set(target, env, "battery.date", "01/02/26")
    ee = sim_state(sim)["smart"]["eeprom"]
    assert (ee["u"], ee["l"], ee["q"]) == ("133", "100", "05")
    assert ee["c"] == "RACK7   " and ee["x"] == "01/02/26"
    wait_until(lambda: upsc(target, env).get("input.transfer.high") == "133", timeout=15,
               what="input.transfer.high = 133 in upsc")

    # power failure: ! alert and Q status on battery
    assert sim.ctl("power-fail")["ok"]
    # the driver may report OB from the '!' alert before its next poll reads the line voltage
    vals = wait_until(lambda: (upsc(target, env).get("ups.status") == "OB"
                               and float(upsc(target, env).get("input.voltage", "-1")) == 0.0
                               and upsc(target, env)), timeout=20, what="ups.status OB, input 0 V")
    assert float(vals["input.voltage"]) == 0.0
    assert vals["input.quality"] == "00"
    # low battery: runtime below q (5 min)
    assert sim.ctl("battery-charge", "10")["ok"]
    vals = wait_until(lambda: (upsc(target, env).get("ups.status") == "OB LB"
                               and upsc(target, env)), timeout=20, what="ups.status OB LB")
    assert int(vals["battery.runtime"]) == int(unit["runtime_min"] * 0.10) * 60
    assert sim.ctl("power-restore")["ok"]
    wait_until(lambda: upsc(target, env).get("ups.status") == "OL", timeout=20,
               what="ups.status OL")
    vals = upsc(target, env)
    assert vals["input.transfer.reason"] == "low utility voltage"
    assert float(vals["battery.charge"]) == 100.0

    # nothing load-affecting was sent by the driver
    assert sim_state(sim)["smart"]["control_log"] == []
    assert driver.poll() is None, daemons.log("apcsmart")


def test_nut_reads_what_rackops_reports_and_sets(workdir, daemons, smart_sim):
    """rackops.apc.ups_settings changes the UPS; NUT then reads the new values, and what
    rackops.apc.facts reported agrees with what NUT reports."""
    sim = smart_sim(MODEL, eeprom_notify_delay=0.5)
    link = sim.dev["pty"]
    results = run_rackops(workdir, link, [
        {"name": "settings", "rackops.apc.ups_settings": {
            "upper_transfer_voltage": 130, "ups_id": "ANSIBLE1", "low_battery_warning": 7}},
        {"name": "facts", "rackops.apc.facts": {}},
    ])
    assert results["settings"]["changed"] is True
    facts = results["facts"]["ansible_facts"]["apc"]
    # the port is free again (the play ended): NUT's driver takes it
    port = free_port()
    env = nut_setup(workdir, link, port)
    target = "%s@127.0.0.1:%d" % (NAME, port)
    daemons.start("apcsmart", [DRIVER, "-s", NAME, "-x", "port=%s" % link, "-u", "root", "-D"],
                  env=env)
    wait_until(lambda: os.path.exists(os.path.join(workdir, "apcsmart-%s" % NAME)), timeout=60,
               what="the apcsmart driver socket")
    daemons.start("upsd", [UPSD, "-u", "root", "-D"], env=env)
    vals = wait_until(lambda: upsc(target, env).get("ups.status") and upsc(target, env),
                      timeout=30, what="upsc %s" % target)
    assert vals["input.transfer.high"] == "130"
    assert vals["ups.id"].rstrip() == "ANSIBLE1"
    assert vals["battery.runtime.low"] == str(7 * 60)
    assert vals["ups.model"] == facts["identity"]["model"]
    assert vals["ups.serial"] == facts["identity"]["serial_number"]
    assert vals["ups.firmware"] == facts["identity"]["firmware"]
    readings = facts["readings"]
    assert float(vals["battery.charge"]) == readings["battery_charge"]
    assert float(vals["input.voltage"]) == readings["input_voltage"]
    assert float(vals["ups.load"]) == readings["load"]
