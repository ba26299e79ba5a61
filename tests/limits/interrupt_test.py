#!/usr/bin/env python3
"""Stops real runs of a rule set that never ends: by Ctrl-C (SIGINT) and by --timeout.

Each check starts `demarche run` on rules that assert ever-new facts, so only a limit or
the signal can end the run, and checks that it ends promptly with exit status 1, a line
naming what stopped it, and the facts derived so far.

Usage: interrupt_test.py --demarche BIN
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENDLESS = """\
template tick { n: int }

facts { tick(n: 0) }

rule next
when
  tick(n: ?n)
then
  assert tick(n: ?n + 1)
end
"""

# Far more than any of these runs needs; a run still going then is a failure.
DEADLINE_SECONDS = 20


def start(demarche, folder, *args):
    env = dict(os.environ, NO_COLOR="1", LC_ALL="C.UTF-8")
    return subprocess.Popen([demarche, "run", "endless.rules", *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc):
    try:
        out, err = proc.communicate(timeout=DEADLINE_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"the run did not stop within {DEADLINE_SECONDS} s")
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def expect(condition, what, out="", err=""):
    if not condition:
        raise AssertionError(f"{what}\n--- stdout (first 2000 characters)\n{out[:2000]}\n--- stderr\n{err}")


def catches_sigint(pid):
    # Linux lists the signals a process has a handler for in /proc/PID/status (SigCgt,
    # a hex mask; SIGINT is bit 2).
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("SigCgt:"):
                    return int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)) != 0
    except FileNotFoundError:
        pass
    return False


def wait_until_running(proc):
    # The signal must arrive during the run, after the handler is installed. A sanitizer
    # build on a loaded machine has taken more than half a second to get there (and was
    # killed by the signal), so wait for the handler; the rules then load in
    # milliseconds, and the run goes on until stopped.
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not catches_sigint(proc.pid):
        expect(proc.poll() is None, "the endless run ended before the signal was sent")
        expect(time.monotonic() < deadline, f"no SIGINT handler after {DEADLINE_SECONDS} s")
        time.sleep(0.02)
    time.sleep(0.5)
    expect(proc.poll() is None, "the endless run ended before the signal was sent")


def sigint_text(demarche, folder):
    proc = start(demarche, folder)
    wait_until_running(proc)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    status, out, err = finish(proc)
    took = time.monotonic() - sent
    expect(status == 1, f"exit status {status}, expected 1", out, err)
    lines = out.splitlines()
    expect(lines and lines[-1].startswith("Fired ") and
           lines[-1].endswith("; incomplete: stopped by an interrupt (Ctrl-C)."),
           "the last line does not say that Ctrl-C stopped the run", out, err)
    expect("Derived facts:" in out and "f-2 tick(n: 1)" in out, "the facts so far are not printed", out, err)
    expect(err == "", "unexpected stderr", out, err)
    return f"SIGINT, text: stopped {took:.2f} s after the signal, {len(lines)} lines"


def sigint_json(demarche, folder):
    proc = start(demarche, folder, "--format", "json")
    wait_until_running(proc)
    proc.send_signal(signal.SIGINT)
    status, out, err = finish(proc)
    expect(status == 1, f"exit status {status}, expected 1", out, err)
    result = json.loads(out)
    expect(result["complete"] is False and result["stop_reason"] == "interrupted",
           "the JSON does not say that the run was interrupted", out, err)
    expect(result["fired"] > 0 and len(result["facts"]) == result["fired"] + 1,
           "the JSON does not hold the facts so far", out, err)
    return f"SIGINT, JSON: {result['fired']} firings reported"


def timeout(demarche, folder):
    began = time.monotonic()
    proc = start(demarche, folder, "--timeout", "0.3", "--quiet")
    status, out, err = finish(proc)
    took = time.monotonic() - began
    expect(status == 1, f"exit status {status}, expected 1", out, err)
    expect("; incomplete: stopped by the timeout of 0.3 s; " in out,
           "the summary does not name the timeout", out, err)
    expect(took >= 0.3, f"the run ended after {took:.2f} s, before its timeout", out, err)
    return f"--timeout 0.3: ended after {took:.2f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demarche", required=True)
    demarche = str(Path(parser.parse_args().demarche).resolve())
    failed = 0
    with tempfile.TemporaryDirectory(prefix="demarche-limits-") as folder:
        (Path(folder) / "endless.rules").write_text(ENDLESS, encoding="utf-8")
        for check in (sigint_text, sigint_json, timeout):
            try:
                print(f"ok   {check(demarche, folder)}")
            except AssertionError as e:
                failed += 1
                print(f"FAIL {check.__name__}: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
