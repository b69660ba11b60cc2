#!/usr/bin/env python3
"""bench.py - boot both layouts' benchmark entries under qemu -icount and tabulate them.

Why: DESIGN.md §10 and issue 6. With `-icount shift=0,sleep=off` the guest's
TSC counts instructions, so what the benchmark programs print is exact and
repeatable whatever the host is doing. This boots the ISO's `bench` entry
(NT 3.51's layout, GDI in csrss) and then its `bench-k` entry (NT 4.0's, GDI
in the kernel), one QEMU at a time; in each, smss runs the [Bench] programs
(nbench.exe, gdibench.exe, gdibfloor.exe) and powers off. It collects every
"bench <name> <value> <unit>" and "counters <name> k=v..." line, prints the
tables, and writes build/bench/results.md: GDI per operation in each layout
and in the floor (the engine linked into the program), the boundary's share
(layout minus floor), the csrss/kernel ratio, the counters, nbench's figures,
the targets (reported, never asserted) and the historical anchors; and
build/bench/gdi.png, a bar chart drawn by gnuplot.

The programs print rdtsc deltas with the unit "tsc": this script booted
them under icount, so it calls them instructions. Booted anywhere else the
same entry's figures are TSC cycles.
"""
import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_harness import HarnessError, Machine  # noqa: E402

# (layout, GRUB entry, description), booted in this order.
LAYOUTS = [
    ("csrss", "bench", "NT 3.51 layout: GDI in csrss, reached by quick LPC"),
    ("kernel", "bench-k", "NT 4.0 layout: GDI in the kernel, reached by system calls"),
]
PROGRAMS = ("nbench", "gdibench", "gdibfloor")
LAST_PROGRAM = "gdibfloor"
RESULT = re.compile(r"^\[(nbench|gdibench|gdibfloor)\.exe\] bench (\S+) ([0-9.]+) (\S+)$", re.M)
COUNTERS = re.compile(r"^\[(gdibench|gdibfloor)\.exe\] counters (\S+)((?: \w+=[0-9.]+)*)\s*$", re.M)
DONE = r"^\[%s\.exe\] bench done (\d+) failures$"
TIMEOUT = 900
GDI_NAME = re.compile(r"^gdi_(\w+?)_b(\d+)(\.per_call)?$")

# nbench's headline figures (issues 3 and 4) and what each is held against.
NBENCH = [
    ("null_syscall", "<= 120", 120.0, "L4Re: 147 per null system call"),
    ("eventpair_switch", "reported", None, "L4Re: 613 per one-way IPC between address spaces"),
    ("null_lpc_round_trip", "<= 1,200", 1200.0, "L4Re: 613 per one-way IPC (1,226 a round trip)"),
    ("null_qlpc_round_trip", "<= 600", 600.0, "NT 3.51: about 1,000 per quick-LPC call"),
    ("view_4k_transfer", "reported", None, "an LPC round trip plus 4 KiB copied in and summed"),
]

# Issue 6's targets. Small drawing calls: the batchable micro workloads.
SMALL_CALLS = ("setpixel", "moveto_lineto", "patblt8x8", "rectangle", "textout12", "bitblt64")
MACRO = ("text80x25", "rects1000", "drag200")
SMALL_RATIO = 1.5
MACRO_RATIO = 1.2
QLPC_OVERHEAD = 600.0
NULL_WORKLOAD = "null_getmapmode"

ANCHORS = [
    "NT 3.51: **>= 70 µs** per GDI call through CSRSS, against NT 4.0's **4-5 µs** in kernel mode, "
    "on a Pentium 90 (NT 4.0 Resource Kit) - a ratio of about 15.",
    "NT 3.51's quick LPC: \"**about a thousand** instructions\" per call (*Optimizing Windows NT*).",
    "L4Re: **147** instructions per null system call, **613** per one-way IPC between address spaces.",
]

COUNTER_KEYS = ("syscalls", "lpc", "qlpc", "cs", "as", "bytes", "batches", "records", "records_per_batch")


# ---- parsing ------------------------------------------------------------------


def parse_serial(text, icount=True):
    """One boot's figures: {program: {name: (value, unit)}} plus
    {"counters": {program: {name: {key: value}}}}. "tsc" becomes
    "instructions" under icount, "TSC cycles" otherwise."""
    out = {p: {} for p in PROGRAMS}
    out["counters"] = {"gdibench": {}, "gdibfloor": {}}
    for prog, name, value, unit in RESULT.findall(text):
        if name == "done":  # "bench done N failures": the end of a program, not a figure
            continue
        if unit == "tsc":
            unit = "instructions" if icount else "TSC cycles"
        out[prog][name] = (float(value), unit)
    for prog, name, fields in COUNTERS.findall(text):
        out["counters"][prog][name] = {k: float(v) for k, v in (f.split("=") for f in fields.split())}
    return out


def gdi_workloads(figures):
    """The GDI workloads in the order they ran: [(workload, limit, name)],
    per-call lines left out."""
    rows = []
    for name in figures:
        m = GDI_NAME.match(name)
        if m and not m.group(3):
            rows.append((m.group(1), int(m.group(2)), name))
    return rows


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def value(runs, layout, prog, name):
    v = runs.get(layout, {}).get(prog, {}).get(name)
    return v[0] if v else None


def gdi_table(runs, per_call=False):
    """Rows of the main table: (workload, limit, csrss, kernel, floor,
    csrss - floor, kernel - floor, csrss / kernel). Per call for the macro
    workloads when per_call; the floor is the csrss boot's."""
    figures = runs.get("csrss", {}).get("gdibench", {}) or runs.get("kernel", {}).get("gdibench", {})
    rows = []
    for workload, limit, name in gdi_workloads(figures):
        key = name + ".per_call" if per_call else name
        if per_call and key not in figures:
            continue
        c = value(runs, "csrss", "gdibench", key)
        k = value(runs, "kernel", "gdibench", key)
        f = value(runs, "csrss", "gdibfloor", key)
        if f is None:
            f = value(runs, "kernel", "gdibfloor", key)
        rows.append((workload, limit, c, k, f, None if c is None or f is None else c - f,
                     None if k is None or f is None else k - f, ratio(c, k)))
    return rows


def floor_agreement(runs):
    """How the floor measured in the two boots compares: (identical,
    largest relative difference, names compared)."""
    a = runs.get("csrss", {}).get("gdibfloor", {})
    b = runs.get("kernel", {}).get("gdibfloor", {})
    common = sorted(set(a) & set(b))
    worst = 0.0
    for n in common:
        if a[n][0] != b[n][0]:
            worst = max(worst, abs(a[n][0] - b[n][0]) / max(a[n][0], b[n][0]))
    return all(a[n][0] == b[n][0] for n in common), worst, len(common)


def targets(runs):
    """Issue 6's targets: [(what, figure, limit text, met or None)]."""
    out = []
    for w in SMALL_CALLS:
        name = "gdi_%s_b10" % w
        r = ratio(value(runs, "csrss", "gdibench", name), value(runs, "kernel", "gdibench", name))
        out.append(("%s at limit 10, csrss / kernel" % w, r, "<= %.1fx" % SMALL_RATIO,
                    None if r is None else r <= SMALL_RATIO))
    for w in MACRO:
        name = "gdi_%s_b10" % w
        r = ratio(value(runs, "csrss", "gdibench", name), value(runs, "kernel", "gdibench", name))
        out.append(("%s (macro), csrss / kernel" % w, r, "<= %.1fx" % MACRO_RATIO,
                    None if r is None else r <= MACRO_RATIO))
    name = "gdi_%s_b10" % NULL_WORKLOAD
    c = value(runs, "csrss", "gdibench", name)
    f = value(runs, "csrss", "gdibfloor", name)
    o = None if c is None or f is None else c - f
    out.append(("unbatched quick-LPC GDI call's overhead (GetMapMode, csrss - floor)", o,
                "<= %d instructions" % QLPC_OVERHEAD, None if o is None else o <= QLPC_OVERHEAD))
    return out


# ---- formatting ---------------------------------------------------------------


def num(v, digits=0):
    if v is None:
        return "-"
    return "{:,.{}f}".format(v, digits)


def verdict(met):
    return "n/a" if met is None else ("**met**" if met else "**missed**")


def markdown_table(header, rows, align=None):
    """A markdown table; align is one of "l"/"r" per column (default: the
    first column left, the figures right)."""
    align = align or "l" + "r" * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if a == "l" else "---:" for a in align) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def gdi_markdown(rows, unit_note):
    header = ["workload", "limit", "csrss", "kernel", "floor", "csrss - floor", "kernel - floor", "csrss / kernel"]
    body = [[w, str(l), num(c), num(k), num(f), num(co), num(ko), num(r, 3)] for w, l, c, k, f, co, ko, r in rows]
    return unit_note + "\n\n" + markdown_table(header, body)


def counters_markdown(runs):
    header = ["workload", "host"] + list(COUNTER_KEYS)
    body = []
    for layout, prog in (("csrss", "gdibench"), ("kernel", "gdibench"), ("csrss", "gdibfloor")):
        for name, c in runs.get(layout, {}).get("counters", {}).get(prog, {}).items():
            host = "floor" if prog == "gdibfloor" else layout
            body.append([name, host] + [num(c.get(k), 2) if k in c else "-" for k in COUNTER_KEYS])
    body.sort(key=lambda r: (r[0], ["csrss", "kernel", "floor"].index(r[1])))
    return markdown_table(header, body, align="ll" + "r" * len(COUNTER_KEYS))


def nbench_markdown(runs):
    header = ["measurement", "csrss layout", "kernel layout", "target", "anchor"]
    body = []
    for name, target, limit, anchor in NBENCH:
        c = value(runs, "csrss", "nbench", name)
        k = value(runs, "kernel", "nbench", name)
        t = target
        if limit is not None:
            t += " (csrss %s, kernel %s)" % (verdict(c is not None and c <= limit) if c is not None else "n/a",
                                             verdict(k is not None and k <= limit) if k is not None else "n/a")
        body.append([name, num(c, 2), num(k, 2), t, anchor])
    return markdown_table(header, body, align="lrrll")


def targets_markdown(runs):
    header = ["target", "measured", "limit", "verdict"]
    body = []
    for what, fig, limit, met in targets(runs):
        body.append([what, num(fig, 3 if limit.endswith("x") else 2), limit, verdict(met)])
    return markdown_table(header, body, align="lrll")


def write_markdown(path, runs, date, firmware, chart):
    micro = [r for r in gdi_table(runs) if r[0] not in MACRO]
    macro = [r for r in gdi_table(runs) if r[0] in MACRO]
    macro_call = gdi_table(runs, per_call=True)
    same, worst, n = floor_agreement(runs)
    agree = ("the csrss boot's; the two boots measured it identically (%d figures)" % n if same else
             "the csrss boot's; the two boots agree within %.4f %% (%d figures; the other kernel's timer "
             "interrupts land elsewhere in the loops)" % (100 * worst, n))
    with open(path, "w") as f:
        f.write("# Daytona benchmark results\n\n")
        f.write("Measured by `make bench` on %s: the ISO's `bench` (NT 3.51 layout) and `bench-k`\n"
                "(NT 4.0 layout) entries booted one after the other under `qemu -icount shift=0,sleep=off`\n"
                "(%s firmware), so every figure is a count of guest instructions, identical from run to run.\n"
                "See docs/benchmarks.md for the method and the caveats.\n\n" % (date, firmware))
        f.write("## GDI per call (instructions)\n\n")
        f.write(gdi_markdown(micro, "Each figure is per operation (MoveToEx + LineTo is one), averaged over the loop and including its final "
                             "`GdiFlush`. *floor*: gdibfloor.exe, the engine linked into the program (no boundary); "
                             "the floor is %s. *csrss - floor* and *kernel - floor* are the boundary's share. "
                             "GetPixel, CombineRgn and GetMapMode return a value: never batched." % agree))
        f.write("\n\n## Macro workloads at batch limit 10 (instructions per iteration)\n\n")
        f.write(gdi_markdown(macro, "text80x25: 25 TextOut lines of 80 characters, opaque, fixed pitch; "
                             "rects1000: 1,000 LCG rectangles, each a SelectObject of one of 16 fixed brushes "
                             "and a Rectangle; drag200: 200 steps of a 300x200 screen-to-screen BitBlt and two "
                             "PatBlt strips."))
        f.write("\n\nThe same per GDI call:\n\n")
        f.write(gdi_markdown(macro_call, "(25, 2,000 and 600 calls per iteration.)"))
        f.write("\n\n## Targets (reported, never asserted)\n\n")
        f.write(targets_markdown(runs))
        f.write("\n\n## Event counters per GDI call\n\n")
        f.write("syscalls, lpc (LPC messages), qlpc (quick-LPC calls), cs (context switches), as "
                "(address-space switches), bytes (bytes copied by the kernel): the kernel's System block "
                "(every thread) as deltas per call; `-` where the kernel does not offer the counters "
                "(`NtQuerySystemInformation` class 0x81). batches, records: gdi32's own counts "
                "(`GdiDaytonaBatchCount`, `GdiDaytonaRecordCount`); records_per_batch: records / batches.\n\n")
        f.write(counters_markdown(runs))
        f.write("\n\n## nbench (instructions per operation)\n\n")
        f.write(nbench_markdown(runs))
        f.write("\n\n## Historical anchors\n\n")
        f.write("".join("- %s\n" % a for a in ANCHORS))
        if chart:
            f.write("\n![GDI per call: csrss, kernel and floor](gdi.png)\n")


def print_tables(runs):
    for layout, _, desc in LAYOUTS:
        print("---- %s (%s)" % (layout, desc))
        for prog in PROGRAMS:
            for name, (v, unit) in runs.get(layout, {}).get(prog, {}).items():
                print("%s %s %s %.2f %s" % (layout, prog, name, v, unit))
    print("---- GDI per call: csrss, kernel, floor, csrss-floor, kernel-floor, csrss/kernel")
    for w, l, c, k, f, co, ko, r in gdi_table(runs) + gdi_table(runs, per_call=True):
        print("%-22s b%-4d %14s %14s %14s %10s %10s %7s" % (w, l, num(c), num(k), num(f), num(co), num(ko), num(r, 3)))
    print("---- targets")
    for what, fig, limit, met in targets(runs):
        print("%-70s %12s %-22s %s" % (what, num(fig, 3), limit, verdict(met).strip("*")))


# ---- the chart ------------------------------------------------------------------


def write_chart(out, runs):
    """build/bench/gdi.png with gnuplot: csrss, kernel and floor per GDI
    call for every workload and limit, log scale. False without gnuplot."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("bench: gnuplot not found (tools/deps.sh installs gnuplot-nox); no chart")
        return False
    dat = os.path.join(out, "gdi.dat")
    with open(dat, "w") as f:
        f.write("# workload csrss kernel floor (instructions per GDI call)\n")
        rows = [r for r in gdi_table(runs) if r[0] not in MACRO] + gdi_table(runs, per_call=True)
        for w, l, c, k, fl, *_ in rows:
            f.write('"%s b%d" %s %s %s\n' % (w, l, c or 0, k or 0, fl or 0))
    script = os.path.join(out, "gdi.gp")
    with open(script, "w") as f:
        f.write("set terminal pngcairo size 1600,700 font 'sans,10'\n"
                "set output '%s'\n"
                "set title 'GDI per call in guest instructions (qemu -icount): csrss, kernel, floor'\n"
                "set logscale y\nset yrange [100:*]\nset ylabel 'instructions per call (log scale)'\n"
                "set style data histograms\nset style histogram clustered gap 1\n"
                "set style fill solid 0.8 border -1\nset boxwidth 0.9\n"
                "set xtics rotate by -60 nomirror\nset grid ytics\nset key top left\n"
                "plot '%s' using 2:xtic(1) title 'csrss (NT 3.51)', '' using 3 title 'kernel (NT 4.0)', "
                "'' using 4 title 'floor (in-process)'\n" % (os.path.join(out, "gdi.png"), dat))
    r = subprocess.run([gnuplot, script], capture_output=True, text=True)
    if r.returncode != 0:
        print("bench: gnuplot failed: %s" % r.stderr.strip())
        return False
    return True


# ---- booting ------------------------------------------------------------------


def boot(iso, entry, firmware, log):
    """Boots one entry; its serial log once the last [Bench] program is done."""
    with Machine(iso, firmware=firmware, entry=entry, log_path=log, icount=True) as m:
        for prog in PROGRAMS:
            m.wait_for(DONE % prog, TIMEOUT)
        return m.serial_text()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--firmware", default="bios")
    ap.add_argument("--reuse", action="store_true", help="tabulate the serial logs of the last run, no boot")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    runs = {}
    for i, (layout, entry, desc) in enumerate(LAYOUTS):
        log = os.path.join(args.out, "bench-%s-%s.serial.log" % (args.firmware, layout))
        if args.reuse:
            with open(log, encoding="latin-1") as f:
                serial = f.read().replace("\r", "")
        else:
            print("bench: [%d/%d] booting the `%s` entry (%s) under qemu -icount shift=0,sleep=off"
                  % (i + 1, len(LAYOUTS), entry, desc), flush=True)
            try:
                serial = boot(args.iso, entry, args.firmware, log)
            except HarnessError as e:
                print("bench: %s (serial log: %s)" % (e, log))
                return 1
        runs[layout] = parse_serial(serial, icount=True)
        if not runs[layout]["gdibench"]:
            print("bench: no GDI results in %s" % log)
            return 1
    print_tables(runs)
    chart = write_chart(args.out, runs)
    path = os.path.join(args.out, "results.md")
    write_markdown(path, runs, datetime.date.today().isoformat(), args.firmware, chart)
    print("bench: wrote %s%s" % (path, " and gdi.png" if chart else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
