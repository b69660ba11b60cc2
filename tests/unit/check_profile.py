#!/usr/bin/env python3
"""check_profile.py - tools/profile.py reads QEMU's trace and symbols right.

Why: `make profile` takes minutes and is not part of `make test`, so its
parser and symbolizer are proved here on a small synthetic trace written in
QEMU 7.2's `-d nochain,in_asm,exec` format and on nm/objdump output written
by hand: TB executions counted per window between the markers, an entry
stopped before its first instruction taken back, a host pointer reused by a
new translation, the continuation line of a long instruction not counted as
an instruction, a TB spanning two functions charged instruction by
instruction, callers found through an import thunk, NASM local labels folded
into their function, two programs' markers and loops told apart, the
engine in the kernel as a component of its own. Each check is one test; the last line is
`N passed, N failed`.
"""
import importlib.util
import os
import sys

from checkrun import run_tests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Loaded by path: the standard library has a module named "profile" too.
_spec = importlib.util.spec_from_file_location("daytona_profile", os.path.join(ROOT, "tools", "profile.py"))
prof = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(prof)

KERNEL_NM = """\
80100000 T __kernel_start
80100010 T kfoo\t/src/kernel/ke/foo.c:3
80100020 t KiEntry\t/src/kernel/ke//kernel/ke/entry.asm:5
80100024 t KiEntry.loop\t/src/kernel/ke//kernel/ke/entry.asm:9
80100030 t helper.part.0\t/src/libs/rtl/string.c:1
80100040 T LpcpThing\t/src/kernel/lpc/message.c:7
80100050 T __udivdi3
80100100 B __kernel_end
c0000005 a STATUS_ACCESS_VIOLATION
"""

NTDLL_NM = """\
77f00000 A __image_base__
77f01000 t .text
77f01000 T _f1@4
77f01000 T _f1
77f01004 t _f2
77f02000 D _data
"""

NBENCH_NM = """\
01000000 A __image_base__
01001000 t _loop
01001410 T _BenchBegin
01001420 T _BenchEnd
01002828 T _NtTestAlert@0
010080e4 I __imp__NtTestAlert@0
"""

CSRSS_NM = """\
00400000 A __image_base__
00401000 T _CsrThing@8
"""

GDIBENCH_NM = """\
01400000 A __image_base__
01401000 T _BenchBegin
01401010 T _BenchEnd
01401020 t _op_setpixel
"""


def objdump(base, size):
    return "Magic\t\t010b\t(PE32)\nImageBase\t\t%08x\nSectionAlignment\t00001000\nSizeOfImage\t\t%08x\n" % (
        base, size)


def symbolizer():
    functions, low, high = prof.parse_elf_nm(KERNEL_NM)
    images = [prof.Image("ntoskrnl", low, high, functions)]
    for name, text, base, size in (("ntdll", NTDLL_NM, 0x77F00000, 0x10000),
                                   ("nbench", NBENCH_NM, 0x01000000, 0xA000),
                                   ("gdibench", GDIBENCH_NM, 0x01400000, 0x4000),
                                   ("csrss", CSRSS_NM, 0x00400000, 0x8000)):
        b, s = prof.parse_pe_header(objdump(base, size))
        images.append(prof.Image(name, b, b + s, prof.parse_pe_nm(text, name)))
    return prof.Symbolizer(images)


def block(pc, *lines):
    """An in_asm block: the separator, IN:, its lines, a blank line."""
    return "----------------\nIN: \n" + "".join(lines) + "\n"


def insn(address, text, raw="90"):
    return "0x%08x:  %-24s %s\n" % (address, raw, text)


def trace_line(pointer, pc, flags="000000b0"):
    return "Trace 0: %s [00000000/%08x/%s/ff020200] \n" % (pointer, pc, flags)


BEGIN, END = 0x01001410, 0x01001420
P_A, P_B, P_C, P_BEGIN, P_END, P_THUNK, P_CSR = ("0x7f0000001000", "0x7f0000002000", "0x7f0000003000",
                                                  "0x7f0000004000", "0x7f0000005000", "0x7f0000006000",
                                                  "0x7f0000007000")

SYNTHETIC = "".join([
    # before any window: translations that later windows reuse
    block(0x80100010, insn(0x80100010, "movl     %esp, %ebp"),
          insn(0x80100012, "movl     $0, 0x80200000", "c7 05 00 00 20 80 00 00"),
          "0x8010001a:  00 00\n"),
    trace_line(P_A, 0x80100010),
    block(BEGIN, insn(BEGIN, "nop"), insn(BEGIN + 1, "retl")),
    trace_line(P_BEGIN, BEGIN),
    # window 1
    trace_line(P_A, 0x80100010),
    trace_line(P_A, 0x80100010),
    block(0x77F01000, insn(0x77F01000, "pushl    %ebp"), insn(0x77F01002, "movl     %esp, %ebp"),
          insn(0x77F01004, "calll    0x1002828")),
    trace_line(P_B, 0x77F01000),
    block(0x01002828, insn(0x01002828, "jmpl     *0x10080e4")),
    trace_line(P_THUNK, 0x01002828),
    block(0x00401000, insn(0x00401000, "retl")),
    trace_line(P_CSR, 0x00401000),
    trace_line(P_A, 0x80100010),
    "Stopped execution of TB chain before %s [80100010] \n" % P_A,
    # QEMU flushed its cache: the same host pointer now holds another block
    block(0x80100024, insn(0x80100024, "decl     %ecx"), insn(0x80100025, "jne      0x80100024")),
    trace_line(P_A, 0x80100024),
    block(END, insn(END, "nop"), insn(END + 1, "nop"), insn(END + 2, "retl")),
    trace_line(P_END, END),
    # outside: not counted
    trace_line(P_A, 0x80100024),
    trace_line(P_B, 0x77F01000),
    # window 2: an entry of BenchBegin stopped and entered again
    trace_line(P_BEGIN, BEGIN),
    "Stopped execution of TB chain before %s [%08x] \n" % (P_BEGIN, BEGIN),
    trace_line(P_BEGIN, BEGIN),
    trace_line(P_B, 0x77F01000),
    trace_line(P_END, END),
])

SERIAL = """\
[nbench.exe] bench tsc_frequency 999931 kHz
[nbench.exe] bench begin first_loop 2
[nbench.exe] bench end first_loop
[nbench.exe] bench first_loop 4.50 instructions
[nbench.exe] bench first_loop.system_calls_per_op 1.00 calls
[nbench.exe] bench begin second_loop 1
[nbench.exe] bench second_loop 3.00 instructions
"""


def parsed():
    return prof.parse_trace(iter(SYNTHETIC.encode().splitlines(True)), {BEGIN}, {END})


# Two programs one after the other, each with markers of its own: nbench's
# loop, then gdibench's, whose OPS counts GDI calls (a macro workload's
# figure is its .per_call line).
G_BEGIN, G_END, G_OP = 0x01401000, 0x01401010, 0x01401020
P_GB, P_GE, P_GOP = "0x7f0000008000", "0x7f0000009000", "0x7f000000a000"
TWO_PROGRAMS = "".join([
    block(BEGIN, insn(BEGIN, "nop"), insn(BEGIN + 1, "retl")),
    trace_line(P_BEGIN, BEGIN),
    block(0x80100010, insn(0x80100010, "nop")),
    trace_line(P_A, 0x80100010),
    block(END, insn(END, "retl")),
    trace_line(P_END, END),
    block(G_BEGIN, insn(G_BEGIN, "retl")),
    trace_line(P_GB, G_BEGIN),
    block(G_OP, insn(G_OP, "nop"), insn(G_OP + 1, "nop"), insn(G_OP + 2, "retl")),
    trace_line(P_GOP, G_OP),
    trace_line(P_GOP, G_OP),
    block(G_END, insn(G_END, "retl")),
    trace_line(P_GE, G_END),
])
SERIAL_TWO = """\
[nbench.exe] bench begin null 1
[nbench.exe] bench null 1.00 instructions
[nbench.exe] bench done 0 failures
[gdibench.exe] bench begin gdi_text_b10 2
[gdibench.exe] bench gdi_text_b10 6.00 tsc
[gdibench.exe] bench gdi_text_b10.per_call 3.00 tsc
[gdibench.exe] counters gdi_text_b10 batches=0.50 records=1.00
"""


# ---- the tests: each returns None, or what is wrong ---------------------------

def test_kernel_symbols_and_components():
    s = symbolizer()
    want = {0x80100010: ("kfoo", "kernel/ke"), 0x8010001f: ("kfoo", "kernel/ke"),
            0x80100026: ("KiEntry", "kernel/ke"), 0x80100031: ("helper.part.0", "libs/rtl (kernel)"),
            0x80100044: ("LpcpThing", "kernel/lpc"), 0x80100060: ("__udivdi3", "libgcc (kernel)")}
    for address, expected in want.items():
        if s.lookup(address) != expected:
            return "0x%08x: %s, expected %s" % (address, s.lookup(address), expected)


def test_kernel_range_from_start_and_end_symbols():
    _, low, high = prof.parse_elf_nm(KERNEL_NM)
    if (low, high) != (0x80100000, 0x80100100):
        return "range 0x%x..0x%x" % (low, high)
    try:
        prof.parse_elf_nm("80100010 T kfoo\n")
    except prof.ProfileError:
        return None
    return "no error without __kernel_start/__kernel_end"


def test_pe_names_undecorated_and_thunks_marked():
    s = symbolizer()
    want = {0x77F01000: ("f1", "ntdll"), 0x77F01006: ("f2", "ntdll"),
            0x01002828: ("NtTestAlert [import]", "nbench"), 0x00401003: ("CsrThing", "csrss")}
    for address, expected in want.items():
        if s.lookup(address) != expected:
            return "0x%08x: %s, expected %s" % (address, s.lookup(address), expected)


def test_addresses_outside_images_are_unknown():
    s = symbolizer()
    got = [s.lookup(a)[1] for a in (0x000FE05B, 0x07E90000, 0x80100100, 0x77F10000)]
    if got != ["unknown"] * 4:
        return "got %s" % got


def test_marker_addresses_and_dfilter():
    s = symbolizer()
    if (s.address_of("BenchBegin"), s.address_of("BenchEnd")) != (BEGIN, END):
        return "markers at 0x%x, 0x%x" % (s.address_of("BenchBegin"), s.address_of("BenchEnd"))
    if s.markers(("nbench", "gdibench")) != ({BEGIN, G_BEGIN}, {END, G_END}):
        return "markers of two programs %s" % (s.markers(("nbench", "gdibench")),)
    want = ("0x400000..0x407fff,0x1000000..0x1009fff,0x1400000..0x1403fff,0x77f00000..0x77f0ffff,"
            "0x80100000..0x801000ff")
    if s.dfilter() != want:
        return "dfilter %s" % s.dfilter()


def test_continuation_line_is_not_an_instruction():
    if not prof.is_byte_run(b"  00 00\n") or prof.is_byte_run(b"  90                       nop\n"):
        return "is_byte_run is wrong"
    t = parsed()
    if t.blocks[0] != (0x80100010, 0x80100012):
        return "first block %s" % [hex(a) for a in t.blocks[0]]


def test_windows_count_executions():
    t = parsed()
    if len(t.windows) != 2:
        return "%d windows" % len(t.windows)
    total, functions, components = prof.attribute(t.windows[0], t.blocks, symbolizer())
    # A twice (2 each; the third entry was stopped), B 3, the thunk 1, csrss 1, D (A's pointer reused) 2
    if total != 4 + 3 + 1 + 1 + 2:
        return "window 1 has %d instructions" % total
    want = {("kfoo", "kernel/ke"): 4, ("f1", "ntdll"): 2, ("f2", "ntdll"): 1,
            ("NtTestAlert [import]", "nbench"): 1, ("CsrThing", "csrss"): 1, ("KiEntry", "kernel/ke"): 2}
    if dict(functions) != want:
        return "functions %s" % dict(functions)
    if dict(components) != {"kernel/ke": 6, "ntdll": 3, "nbench": 1, "csrss": 1}:
        return "components %s" % dict(components)
    if t.stopped != 1 or t.unknown != 0:
        return "stopped %d, unknown %d" % (t.stopped, t.unknown)


def test_stopped_marker_entry_opens_one_window():
    t = parsed()
    total, _, _ = prof.attribute(t.windows[1], t.blocks, symbolizer())
    if total != 3:
        return "window 2 has %d instructions, expected 3 (B once)" % total


def test_callers_through_an_import_thunk():
    t = parsed()
    found = prof.callers(t.entries[0], t.blocks, symbolizer())
    want = {("NtTestAlert [import]", "nbench"): {("f2", "ntdll"): 1},
            ("CsrThing", "csrss"): {("f2", "ntdll"): 1}}
    got = {k: dict(v) for k, v in found.items()}
    if got != want:
        return "callers %s" % got


def test_block_exits():
    cases = [(b"0x1:  e8 00 00 00 00  calll    0x10\n", 2, prof.ENDS_CALL),
             (b"0x1:  ff 25 e4 80 00 01  jmpl     *0x10080e4\n", 1, prof.THUNK),
             (b"0x1:  eb 02  jmp      0x5\n", 3, prof.ENDS_JMP),
             (b"0x1:  c3  retl     \n", 3, prof.ENDS_OTHER)]
    for line, count, want in cases:
        if prof.block_exit(line, count) != want:
            return "%r: %d" % (line, prof.block_exit(line, count))


def test_nested_or_open_windows_are_errors():
    bad = [trace_line(P_BEGIN, BEGIN) * 2, trace_line(P_BEGIN, BEGIN), trace_line(P_END, END)]
    for text in bad:
        try:
            prof.parse_trace(iter(text.encode().splitlines(True)), {BEGIN}, {END})
        except prof.ProfileError:
            continue
        return "no error for %r" % text


def test_serial_names_and_figures():
    loops, figures = prof.parse_serial(SERIAL)
    if loops != [("nbench:first_loop", 2), ("nbench:second_loop", 1)]:
        return "loops %s" % loops
    if figures != {"nbench:first_loop": 4.5, "nbench:second_loop": 3.0}:
        return "figures %s" % figures


def test_report_agrees_and_splits():
    t = parsed()
    loops, figures = prof.parse_serial(SERIAL)
    results = prof.analyse(t, loops, figures, symbolizer())
    first = results[0]
    if first.per_op(first.total) != 5.5:
        return "per op %s" % first.per_op(first.total)
    if "(+22.22%)" not in first.agreement():
        return first.agreement()
    text = "\n".join(prof.render(results, "note"))
    for needed in ("## nbench:first_loop", "| kernel/ke | 3.0 | 54.5% |", "| `kfoo` (kernel/ke) | 2.0 | 36.4% |",
                   "| `CsrThing` (csrss) | 0.5 | `f2` 0.5 |", "## nbench:second_loop"):
        if needed not in text:
            return "report lacks %r:\n%s" % (needed, text)
    try:
        prof.analyse(t, loops[:1], figures, symbolizer())
    except prof.ProfileError:
        return None
    return "no error when the serial log names fewer loops than the trace has"


def test_two_programs_with_markers_of_their_own():
    s = symbolizer()
    begins, ends = s.markers(("nbench", "gdibench"))
    t = prof.parse_trace(iter(TWO_PROGRAMS.encode().splitlines(True)), begins, ends)
    loops, figures = prof.parse_serial(SERIAL_TWO)
    if loops != [("nbench:null", 1), ("gdibench:gdi_text_b10", 2)]:
        return "loops %s" % loops
    if figures != {"nbench:null": 1.0, "gdibench:gdi_text_b10": 3.0}:
        return "figures %s (a macro workload's figure is its per-call line)" % figures
    results = prof.analyse(t, loops, figures, s)
    got = [(r.name, r.per_op(r.total), dict(r.components)) for r in results]
    want = [("nbench:null", 1.0, {"kernel/ke": 1}), ("gdibench:gdi_text_b10", 3.0, {"gdibench": 6})]
    if got != want:
        return "results %s" % got
    if "(+0.00%)" not in results[1].agreement() or "gdibench's rdtsc" not in results[1].agreement():
        return results[1].agreement()


def test_engine_in_the_kernel_is_its_own_component():
    got = [prof.kernel_component(p) for p in ("/src/subsys/gdi/gdiline.c:12", "/src/kernel/win32k/ntgdi.c:40",
                                              "/src/libs/rtl/heap.c:3")]
    if got != ["subsys/gdi (kernel)", "kernel/win32k", "libs/rtl (kernel)"]:
        return "components %s" % got


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
