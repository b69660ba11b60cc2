#!/usr/bin/env python3
"""check_bench.py - tools/bench.py reads the benchmark lines and does its sums right.

Why: `make bench` boots two layouts and is not part of `make test`, so the
arithmetic its results.md rests on is proved here on serial logs written by
hand: "tsc" called instructions under icount, a program's "bench done" line
not taken for a figure, counter lines parsed, the boundary's share (layout
minus floor) and the csrss/kernel ratio per workload, per-call rows only
for the macro workloads, the floor compared between the two boots, and each
target marked met or missed at its limit. Each check is one test; the last
line is `N passed, N failed`.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import bench  # noqa: E402
from checkrun import run_tests  # noqa: E402


def serial(prog, lines):
    return "".join("[%s.exe] %s\n" % (prog, l) for l in lines)


CSRSS = serial("nbench", ["bench null_qlpc_round_trip 577.00 instructions", "bench done 0 failures"]) + serial(
    "gdibench", [
        "bench begin gdi_setpixel_b10 400",
        "bench gdi_setpixel_b10 1100.00 tsc",
        "counters gdi_setpixel_b10 syscalls=0.20 qlpc=0.10 batches=0.10 records=1.00 records_per_batch=10.00",
        "bench gdi_null_getmapmode_b10 1150.00 tsc",
        "bench gdi_drag200_b10 300000.00 tsc",
        "bench gdi_drag200_b10.per_call 500.00 tsc",
        "bench done 0 failures",
    ]) + serial("gdibfloor", [
        "bench gdi_setpixel_b10 1000.00 tsc",
        "bench gdi_null_getmapmode_b10 500.00 tsc",
        "bench gdi_drag200_b10 200000.00 tsc",
        "bench gdi_drag200_b10.per_call 400.00 tsc",
        "counters gdi_setpixel_b10 batches=0.10 records=1.00",
    ])
KERNEL = serial("gdibench", [
    "bench gdi_setpixel_b10 500.00 tsc",
    "bench gdi_null_getmapmode_b10 700.00 tsc",
    "bench gdi_drag200_b10 250000.00 tsc",
    "bench gdi_drag200_b10.per_call 300.00 tsc",
]) + serial("gdibfloor", [
    "bench gdi_setpixel_b10 1000.00 tsc",
    "bench gdi_null_getmapmode_b10 500.00 tsc",
    "bench gdi_drag200_b10 200100.00 tsc",
])


def runs():
    return {"csrss": bench.parse_serial(CSRSS), "kernel": bench.parse_serial(KERNEL)}


def test_tsc_is_instructions_under_icount():
    r = bench.parse_serial(CSRSS)
    if r["gdibench"]["gdi_setpixel_b10"] != (1100.0, "instructions"):
        return "got %r" % (r["gdibench"]["gdi_setpixel_b10"],)
    if bench.parse_serial(CSRSS, icount=False)["gdibench"]["gdi_setpixel_b10"][1] != "TSC cycles":
        return "without icount the unit must be TSC cycles"
    return None


def test_done_line_is_not_a_figure():
    r = bench.parse_serial(CSRSS)
    if "done" in r["nbench"] or "done" in r["gdibench"]:
        return "a 'bench done' line was taken for a figure"
    return None


def test_counters_parsed():
    c = bench.parse_serial(CSRSS)["counters"]["gdibench"]["gdi_setpixel_b10"]
    want = {"syscalls": 0.2, "qlpc": 0.1, "batches": 0.1, "records": 1.0, "records_per_batch": 10.0}
    return None if c == want else "got %r" % c


def test_boundary_share_and_ratio():
    rows = {(r[0], r[1]): r for r in bench.gdi_table(runs())}
    w, l, c, k, f, co, ko, ratio = rows[("setpixel", 10)]
    if (c, k, f, co, ko) != (1100.0, 500.0, 1000.0, 100.0, -500.0):
        return "got %r" % (rows[("setpixel", 10)],)
    if abs(ratio - 2.2) > 1e-9:
        return "ratio %r, want 2.2" % ratio
    return None


def test_per_call_rows_only_for_macro_workloads():
    rows = bench.gdi_table(runs(), per_call=True)
    if [(r[0], r[2], r[3], r[4]) for r in rows] != [("drag200", 500.0, 300.0, 400.0)]:
        return "got %r" % rows
    return None


def test_floor_agreement():
    same, worst, n = bench.floor_agreement(runs())
    if same or n != 3 or abs(worst - 100.0 / 200100.0) > 1e-12:
        return "got %r" % ((same, worst, n),)
    r = runs()
    r["kernel"]["gdibfloor"] = dict(r["csrss"]["gdibfloor"])
    same, worst, n = bench.floor_agreement(r)
    return None if same and worst == 0.0 and n == 4 else "identical floors not seen as such: %r" % ((same, worst, n),)


def test_targets():
    t = {what.split(" ")[0]: (fig, met) for what, fig, limit, met in bench.targets(runs())}
    if t["setpixel"] != (2.2, False):
        return "setpixel: %r (2.2x is over 1.5x)" % (t["setpixel"],)
    if t["drag200"] != (1.2, True):
        return "drag200: %r (1.2x is within 1.2x)" % (t["drag200"],)
    if t["unbatched"] != (650.0, False):
        return "quick-LPC overhead: %r (1,150 - 500 is over 600)" % (t["unbatched"],)
    if t["patblt8x8"] != (None, None):
        return "a workload that did not run must be n/a: %r" % (t["patblt8x8"],)
    return None


def test_markdown_written(tmp=os.path.join(ROOT, "build", "unit", "check_bench.md")):
    os.makedirs(os.path.dirname(tmp), exist_ok=True)
    bench.write_markdown(tmp, runs(), "2000-01-01", "bios", chart=False)
    text = open(tmp).read()
    for want in ("| setpixel | 10 | 1,100 | 500 | 1,000 | 100 | -500 | 2.200 |", "**missed**", "**met**",
                 "| null_qlpc_round_trip | 577.00 | - |", "147"):
        if want not in text:
            return "results.md lacks %r" % want
    return None


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
