#!/usr/bin/env python3
"""bench.py - boot the benchmark entry under qemu -icount and tabulate it.

Why: DESIGN.md §10. With `-icount shift=0,sleep=off` the guest's TSC counts
instructions, so the figures nbench.exe prints are exact and repeatable,
whatever the host is doing. This boots the ISO's `bench` GRUB entry (smss
runs the [Bench] programs, then powers off), collects every
"bench <name> <value> <unit>" line from the serial log, prints them, and
writes build/bench/results.md with the targets and historical anchors beside
them. Benchmarks are reported, never asserted.
"""
import argparse
import datetime
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_harness import HarnessError, Machine  # noqa: E402

LINE = re.compile(r"^\[(?:nbench|gdibench)\.exe\] bench (\S+) ([0-9.]+) (.+)$", re.M)
TIMEOUT = 900

# What each headline figure is compared with (DESIGN.md §10, issue 3).
TARGETS = {
    "null_syscall": ("<= 120 instructions", 120.0,
                     "L4Re: 147 instructions per null system call"),
    "eventpair_switch": ("reported", None,
                         "L4Re: 613 instructions per one-way IPC between address spaces; "
                         "NT 3.51: about 1,000 instructions per quick-LPC call"),
    "null_lpc_round_trip": ("<= 1,200 instructions", 1200.0,
                            "L4Re: 613 instructions per one-way IPC (1,226 round trip)"),
    "null_qlpc_round_trip": ("<= 600 instructions", 600.0,
                             "NT 3.51: about 1,000 instructions per quick-LPC call"),
    "view_4k_transfer": ("reported", None, "one LPC round trip plus 4 KiB copied in and summed"),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--firmware", default="bios")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    log = os.path.join(args.out, "bench-%s.serial.log" % args.firmware)
    print("bench: booting %s under qemu -icount shift=0,sleep=off (this takes a minute or two)" % args.iso,
          flush=True)
    try:
        with Machine(args.iso, firmware=args.firmware, entry="bench", log_path=log, icount=True) as m:
            m.wait_for(r"^\[nbench\.exe\] bench done (\d+) failures$", TIMEOUT)
            m.wait_for(r"^\[gdibench\.exe\] bench done (\d+) failures$", TIMEOUT)
            serial = m.serial_text()
    except HarnessError as e:
        print("bench: %s (serial log: %s)" % (e, log))
        return 1
    results = LINE.findall(serial)
    if not results:
        print("bench: no results in %s" % log)
        return 1
    for name, value, unit in results:
        print("bench %s %s %s" % (name, value, unit))
    write_markdown(os.path.join(args.out, "results.md"), results, args)
    print("bench: wrote %s" % os.path.join(args.out, "results.md"))
    return 0


def write_markdown(path, results, args):
    rows = ["| measurement | value | unit | target | anchor |", "|---|---|---|---|---|"]
    for name, value, unit in results:
        target, limit, anchor = TARGETS.get(name, ("", None, ""))
        if limit is not None:
            target += " (met)" if float(value) <= limit else " (missed)"
        rows.append("| %s | %s | %s | %s | %s |" % (name, value, unit, target, anchor))
    with open(path, "w") as f:
        f.write("# Daytona benchmark results\n\n")
        f.write("Measured by `make bench` on %s: the ISO's `bench` entry booted under\n"
                "`qemu -icount shift=0,sleep=off` (%s firmware), so every figure is a count of guest\n"
                "instructions, identical from run to run. See docs/benchmarks.md for the method.\n\n"
                % (datetime.date.today().isoformat(), args.firmware))
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    sys.exit(main())
