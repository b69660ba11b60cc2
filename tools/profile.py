#!/usr/bin/env python3
"""profile.py - where the instructions of each benchmark go.

Why: `make bench` says how many guest instructions an operation takes
(DESIGN.md §10); this says which functions execute them. It boots the ISO's
`bench-profile` GRUB entry, or with `--layout kernel` the NT 4.0 layout's
`bench-profile-k` (kernel command line `bench profile`: smss runs each
[Bench] program, nbench.exe, gdibench.exe and gdibfloor.exe, with the word
`profile`, and they measure a tenth of the rounds) under
`qemu -icount shift=0,sleep=off` with QEMU's own logging:

    -d nochain,in_asm,exec   every translation block (TB) QEMU translates is
                             logged once with its guest instructions ("IN:"),
                             and, with chaining off, every execution of a TB
                             is logged as a "Trace" line naming the TB's host
                             code pointer and guest address;
    -dfilter RANGES          only the images that matter (the kernel, ntdll,
                             kernel32, msvcrt, gdi32, csrss.exe and the three
                             benchmarks), so the firmware and GRUB, most of a
                             plain boot's instructions, are left out.

No TCG plugin is needed. The trace is read once, as a stream, line by line:

  * an "IN:" block gives the instruction addresses of the next TB; the first
    "Trace" line after it with the same guest address names the TB's host
    pointer, which later Trace lines repeat (a pointer reused after QEMU
    flushes its code cache is simply bound to the newer block);
  * "Stopped execution of TB chain before P" means TB P was entered but
    left before its first instruction (an interrupt or the icount budget),
    so that execution is taken back;
  * each benchmark calls BenchBegin just before and BenchEnd just after each
    measured loop (outside its rdtsc pair). Their addresses come from each
    program's symbols; every TB executed between a BenchBegin execution
    and the next BenchEnd execution belongs to that loop, whichever process
    or thread runs it, as it does for the loop's rdtsc figure. The k-th
    window is the k-th "bench begin NAME OPS" line on the serial log (the
    programs run one after the other).

Each instruction of an executed TB is charged to the function that holds
its address: kernel symbols and source files from `nm -n -l build/ntoskrnl`
(the component is the source folder: kernel/ke, kernel/lpc, ...), user
symbols from `i686-w64-mingw32-nm` on each PE image at its image base.
In the NT 4.0 layout the engine is in the kernel, and its functions are
charged to subsys/gdi (kernel) and kernel/win32k. The trace shows linear
addresses without the address space; csrss.exe and smss.exe share the base
0x00400000, and the benchmarks are linked at 0x01000000, 0x01400000 and
0x01800000 (Makefile, NBENCH_BASE, GDIBENCH_BASE, GDIBFLOOR_BASE) so that
they are told apart from csrss. smss.exe sits in NtWaitForSingleObject on
each benchmark for the whole run, so 0x004xxxxx is charged to csrss.exe.

Writes build/profile/profile.md (profile-nt4.md for the kernel layout)
and prints the same tables. The trace
(hundreds of megabytes) is deleted unless --keep; --trace and --serial
analyse a kept one again without booting.
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_harness import HarnessError, Machine  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 3600       # seconds for the whole benchmark run under the trace
EXIT_TIMEOUT = 120   # for the power-off after it
TOP_FUNCTIONS = 25
TOP_CALLED = 12  # of those, how many get a line on their callers
MIN_SHOWN = 0.01  # callers making fewer calls per operation are left out (interrupts, stray paths)
BENCH_BEGIN = "BenchBegin"
BENCH_END = "BenchEnd"

# The images a measured loop runs in: (component, file under build/).
# The kernel is an ELF file; the rest are PE images at their image bases.
USER_IMAGES = [("ntdll", "system32/ntdll.dll"), ("kernel32", "system32/kernel32.dll"),
               ("msvcrt", "system32/msvcrt.dll"), ("gdi32", "system32/gdi32.dll"),
               ("csrss", "system32/csrss.exe"), ("nbench", "system32/nbench.exe"),
               ("gdibench", "system32/gdibench.exe"), ("gdibfloor", "system32/gdibfloor.exe")]
# The benchmarks: the images that hold the BenchBegin/BenchEnd markers, in
# the order smss.ini's [Bench] runs them.
PROGRAMS = ("nbench", "gdibench", "gdibfloor")

# The two layouts: the GRUB entry, and the files the NT 4.0 layout builds
# apart (Makefile, KLAYOUT): its kernel holds win32k and the engine, and
# its csrss.exe and gdi32.dll are built for it.
LAYOUTS = {
    "csrss": {"entry": "bench-profile", "report": "profile.md", "files": {}},
    "kernel": {"entry": "bench-profile-k", "report": "profile-nt4.md",
               "files": {"ntoskrnl": "gdi-kernel/ntoskrnl", "system32/csrss.exe": "gdi-kernel/system32/csrss.exe",
                         "system32/gdi32.dll": "gdi-kernel/system32/gdi32.dll"}},
}

# A loop is named "program:NAME", so the floor's loops stay apart from
# gdibench's own (they have the same names).
BEGIN_LINE = re.compile(r"^\[(\w+)\.exe\] bench begin (\S+) (\d+)\s*$", re.M)
FIGURE_LINE = re.compile(r"^\[(\w+)\.exe\] bench (\S+) ([0-9.]+) (?:instructions|tsc)\s*$", re.M)
DONE_LINE = r"^\[gdibfloor\.exe\] bench done (\d+) failures$"  # the last benchmark
# GCC's clones of a function are functions of their own; any other
# "name.suffix" is a NASM local label inside the function "name".
GCC_CLONE = re.compile(r"\.(part|constprop|isra|cold|clone|lto_priv|localalias)(\.\d+)?")


class ProfileError(Exception):
    pass


# ---- symbols -----------------------------------------------------------------

class Image:
    """One executable image: its address range and its functions, sorted.
    lookup(address) -> (function, component)."""

    def __init__(self, name, low, high, functions):
        self.name = name
        self.low, self.high = low, high
        functions = sorted(functions)
        self.starts = [f[0] for f in functions]
        self.entry_points = set(self.starts)
        self.functions = functions

    def lookup(self, address):
        i = bisect.bisect_right(self.starts, address) - 1
        if i < 0:
            return ("%s+0x%x" % (self.name, address - self.low), self.name)
        _, function, component = self.functions[i]
        return function, component


def kernel_component(path):
    """The component of a kernel function from its source file: the folder
    below the tree's root (kernel/ke, kernel/lpc, boot), "libs/rtl (kernel)"
    for the run-time library the kernel shares with ntdll (and "subsys/gdi
    (kernel)" for the engine win32k hosts), "libgcc (kernel)"
    when nm names no file (the compiler's helpers)."""
    if not path:
        return "libgcc (kernel)"
    parts = os.path.normpath(path.rsplit(":", 1)[0]).split(os.sep)
    for top in ("kernel", "boot", "libs", "subsys", "tests"):
        if top in parts:
            i = len(parts) - 1 - parts[::-1].index(top)  # the last one: nasm repeats the folder
            folder = "/".join(parts[i:-1])
            return folder + " (kernel)" if top in ("libs", "subsys") else folder
    return "kernel"


def parse_elf_nm(text):
    """Functions from `nm -n -l` output of the kernel: [(address, name,
    component)], NASM local labels ("KiSystemServiceEntry.copy") folded into
    their function. Also returns the image's [low, high) from __kernel_start
    and __kernel_end."""
    functions, names, low, high = [], set(), None, None
    for line in text.splitlines():
        fields = line.split("\t")
        head = fields[0].split()
        if len(head) != 3:
            continue
        address, kind, name = int(head[0], 16), head[1], head[2]
        if name == "__kernel_start":
            low = address
        elif name == "__kernel_end":
            high = address
        if kind not in "TtWw":
            continue
        base = name.split(".", 1)[0]
        if "." in name and not GCC_CLONE.search(name) and base in names:
            continue
        names.add(name)
        functions.append((address, name, kernel_component(fields[1] if len(fields) > 1 else "")))
    if low is None or high is None:
        raise ProfileError("the kernel's nm output has no __kernel_start/__kernel_end")
    return functions, low, high


def undecorate(name):
    """_NtClose@4 -> NtClose, __snprintf -> _snprintf (mingw's i386 names)."""
    if name.startswith("_"):
        name = name[1:]
    return re.sub(r"@\d+$", "", name)


def parse_pe_nm(text, component):
    """Functions from `i686-w64-mingw32-nm -n` output of a PE image:
    [(address, name, component)], names undecorated, one name per address;
    a thunk `jmp [__imp_X]` of an import is named "X [import]"."""
    imports = set()
    entries = []
    for line in text.splitlines():
        head = line.split()
        if len(head) != 3:
            continue
        address, kind, name = int(head[0], 16), head[1], head[2]
        if name.startswith("__imp_"):
            imports.add(name[len("__imp_"):])
        elif kind in "Tt" and not name.startswith("."):
            entries.append((address, name))
    functions, seen = [], set()
    for address, name in entries:
        if address in seen:
            continue
        seen.add(address)
        shown = undecorate(name) + (" [import]" if name in imports else "")
        functions.append((address, shown, component))
    return functions


def parse_pe_header(text):
    """(ImageBase, SizeOfImage) from `objdump -p` output."""
    base = re.search(r"^ImageBase\s+([0-9a-fA-F]+)$", text, re.M)
    size = re.search(r"^SizeOfImage\s+([0-9a-fA-F]+)$", text, re.M)
    if not base or not size:
        raise ProfileError("objdump -p shows no ImageBase/SizeOfImage")
    return int(base.group(1), 16), int(size.group(1), 16)


def run(argv):
    try:
        return subprocess.run(argv, check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise ProfileError("%s: %s" % (" ".join(argv), e))


def load_images(build, layout="csrss"):
    """The kernel and the user images of USER_IMAGES, from the build folder,
    with the files the layout builds apart."""
    files = LAYOUTS[layout]["files"]
    kernel = os.path.join(build, files.get("ntoskrnl", "ntoskrnl"))
    functions, low, high = parse_elf_nm(run(["nm", "-n", "-l", kernel]))
    images = [Image("ntoskrnl", low, high, functions)]
    for component, rel in USER_IMAGES:
        path = os.path.join(build, files.get(rel, rel))
        base, size = parse_pe_header(run(["i686-w64-mingw32-objdump", "-p", path]))
        images.append(Image(component, base, base + size,
                            parse_pe_nm(run(["i686-w64-mingw32-nm", "-n", path]), component)))
    return images


class Symbolizer:
    """Maps a guest linear address to (function, component), with a cache:
    a trace repeats a few thousand addresses millions of times."""

    def __init__(self, images):
        self.images = sorted(images, key=lambda i: i.low)
        self.cache = {}

    def lookup(self, address):
        hit = self.cache.get(address)
        if hit is None:
            hit = ("?0x%08x" % address, "unknown")
            for image in self.images:
                if image.low <= address < image.high:
                    hit = image.lookup(address)
                    break
            self.cache[address] = hit
        return hit

    def is_entry(self, address):
        """TRUE when a function starts at the address."""
        return any(i.low <= address < i.high and address in i.entry_points for i in self.images)

    def address_of(self, name, image_name=None):
        """The address of a function, in the named image or the first that has it."""
        for image in self.images:
            if image_name is not None and image.name != image_name:
                continue
            for address, function, _ in image.functions:
                if function == name:
                    return address
        raise ProfileError("no symbol %s%s" % (name, " in " + image_name if image_name else ""))

    def markers(self, programs):
        """({BenchBegin addresses}, {BenchEnd addresses}) of the programs."""
        return ({self.address_of(BENCH_BEGIN, p) for p in programs},
                {self.address_of(BENCH_END, p) for p in programs})

    def dfilter(self):
        """QEMU's -dfilter argument: every image's range."""
        return ",".join("0x%x..0x%x" % (i.low, i.high - 1) for i in self.images)


# ---- the trace -----------------------------------------------------------------

# How a translation block ends, for finding calls (Trace.exits).
ENDS_OTHER, ENDS_CALL, ENDS_JMP, THUNK = 0, 1, 2, 3


def block_exit(last_line, instructions):
    """How a block whose last in_asm line is last_line leaves: by a call, by
    a jmp (a tail call, or a jump inside a function), or as a one-jmp thunk
    (an import's `jmp *__imp_X`), which passes a call through."""
    op = next((w for w in last_line.split() if w.startswith((b"call", b"jmp"))), b"")
    if op.startswith(b"call"):
        return ENDS_CALL
    if op.startswith(b"jmp"):
        return THUNK if instructions == 1 else ENDS_JMP
    return ENDS_OTHER


class Trace:
    """What parse_trace found: blocks[i] is translation i's tuple of
    instruction addresses and exits[i] how it ends (ENDS_*); windows[k] is a
    Counter, translation -> times executed, for the k-th measured loop, and
    entries[k] a Counter, (call site, translation entered) -> times, where
    the call site is a block ending in a call or jmp (a thunk passes its
    caller's site on); and the parse's own statistics."""

    def __init__(self):
        self.blocks = []
        self.exits = []
        self.windows = []
        self.entries = []
        self.lines = 0
        self.executions = 0
        self.unknown = 0
        self.stopped = 0


HEX_BYTE = re.compile(rb"^(\s*[0-9a-f]{2})+\s*$")


def is_byte_run(text):
    """TRUE for the rest of an in_asm line that holds instruction bytes
    only: the continuation of an instruction longer than 8 bytes."""
    return HEX_BYTE.match(text) is not None


def parse_trace(stream, begin_pcs, end_pcs):
    """Reads a QEMU `-d nochain,in_asm,exec` log (an iterable of byte
    lines) once and returns a Trace; begin_pcs and end_pcs are the sets of
    the markers' addresses. Raises ProfileError when the markers nest or a
    window never ends."""
    trace = Trace()
    blocks = trace.blocks
    by_pointer = {}    # host code pointer (bytes) -> translation
    by_pc = {}         # guest address -> the last translation there (for pointers never seen)
    pending = None     # the last "IN:" block's addresses, until its first execution
    pending_last = b""  # its last instruction line
    collecting = False
    window = None
    entries = None
    site = None        # the call site whose target runs next, in a window
    for line in stream:
        trace.lines += 1
        first = line[:1]
        if first == b"T" and line.startswith(b"Trace "):
            # Trace 0: 0x7f74d0823c40 [00000000/801195b2/000000b0/ff020200] symbol
            open_ = line.index(b"[")
            pointer = line[line.index(b" ", 6) + 1:open_ - 1]
            pc = int(line[open_ + 1:line.index(b"]", open_)].split(b"/")[1], 16)
            if pending is not None and pending[0] == pc:
                tb = len(blocks)
                blocks.append(tuple(pending))
                trace.exits.append(block_exit(pending_last, len(pending)))
                by_pointer[pointer] = tb
                by_pc[pc] = tb
                pending = None
            else:
                tb = by_pointer.get(pointer)
                if tb is None:
                    tb = by_pc.get(pc)
            if pc in begin_pcs:
                if window is not None:
                    raise ProfileError("BenchBegin at line %d inside a measured loop" % trace.lines)
                window, entries, site = collections.Counter(), collections.Counter(), None
                continue
            if pc in end_pcs:
                if window is None:
                    raise ProfileError("BenchEnd at line %d outside a measured loop" % trace.lines)
                trace.windows.append(window)
                trace.entries.append(entries)
                window = None
                continue
            if window is not None:
                trace.executions += 1
                if tb is None:
                    trace.unknown += 1
                else:
                    window[tb] += 1
                    if site is not None:
                        entries[(site, tb)] += 1
                    how = trace.exits[tb]
                    if how == THUNK:
                        site = tb if site is None else site
                    else:
                        site = tb if how != ENDS_OTHER else None
        elif first == b"I" and line.startswith(b"IN:"):
            pending = []
            pending_last = b""
            collecting = True
        elif collecting and first == b"0":
            # 0x801195b2:  83 c0 04                 addl     $4, %eax
            # An instruction longer than 8 bytes goes on with a line of
            # bytes alone, which is not an instruction of its own.
            colon = line.index(b":")
            if not is_byte_run(line[colon + 1:]):
                pending.append(int(line[:colon], 16))
                pending_last = line
        elif first == b"S" and line.startswith(b"Stopped execution of TB chain before "):
            # Stopped execution of TB chain before 0x7f74d057eb00 [801195b0] symbol
            fields = line.split(b" ")
            pointer, pc = fields[6], int(fields[7].strip(b"[]\n"), 16)
            tb = by_pointer.get(pointer)
            if pc in begin_pcs and window is not None and not window:
                window = None  # BenchBegin was entered but not run; it runs again
            elif pc in end_pcs and window is None and trace.windows:
                window, entries = trace.windows.pop(), trace.entries.pop()  # the same for BenchEnd
            elif window is not None and tb is not None and window[tb] > 0:
                window[tb] -= 1
                trace.executions -= 1
                trace.stopped += 1
        else:
            collecting = False
    if window is not None:
        raise ProfileError("the trace ends inside a measured loop (BenchEnd never ran)")
    return trace


def attribute(window, blocks, symbolizer):
    """(total instructions, Counter function -> instructions, Counter
    component -> instructions) for one window; a function is keyed
    (name, component)."""
    functions = collections.Counter()
    components = collections.Counter()
    total = 0
    for tb, times in window.items():
        if times <= 0:
            continue
        for address in blocks[tb]:
            function, component = symbolizer.lookup(address)
            functions[(function, component)] += times
            components[component] += times
        total += times * len(blocks[tb])
    return total, functions, components


def callers(entries, blocks, symbolizer):
    """{called function: Counter calling function -> calls} for one window:
    a call is a translation ending in a call instruction followed by one
    that starts a function."""
    found = collections.defaultdict(collections.Counter)
    for (caller, callee), times in entries.items():
        start = blocks[callee][0]
        if symbolizer.is_entry(start):
            called, calling = symbolizer.lookup(start), symbolizer.lookup(blocks[caller][-1])
            if called != calling:  # a jump to its own start is a loop, not a call
                found[called][calling] += times
    return found


# ---- the serial log and the report -------------------------------------------

def parse_serial(text):
    """([(name, ops)] in the order the benchmarks measured them, {name:
    figure per op}); a name is "program:loop". gdibench's OPS counts GDI
    calls, so a macro workload's figure is its ".per_call" line."""
    loops = [("%s:%s" % (program, name), int(ops)) for program, name, ops in BEGIN_LINE.findall(text)]
    figures = {}
    for program, name, value in FIGURE_LINE.findall(text):
        figures["%s:%s" % (program, name)] = float(value)
    for key in list(figures):
        if key.endswith(".per_call"):
            figures[key[:-len(".per_call")]] = figures.pop(key)
    return loops, figures


class Result:
    def __init__(self, name, ops, total, functions, components, figure, called_from=None):
        self.name, self.ops, self.total = name, ops, total
        self.functions, self.components, self.figure = functions, components, figure
        self.called_from = called_from or {}

    def per_op(self, count):
        return count / self.ops

    def agreement(self):
        """The trace's figure against the benchmark's own, as text."""
        program = self.name.split(":")[0]
        if self.figure is None:
            return "%s printed no figure" % program
        mine = self.per_op(self.total)
        diff = (mine - self.figure) / self.figure * 100 if self.figure else 0.0
        return "%s's rdtsc says %.2f; the trace %.2f (%+.2f%%)" % (program, self.figure, mine, diff)


def analyse(trace, loops, figures, symbolizer):
    if len(trace.windows) != len(loops):
        raise ProfileError("%d measured loops in the trace but %d 'bench begin' lines on serial" %
                           (len(trace.windows), len(loops)))
    results = []
    for (name, ops), window in zip(loops, trace.windows):
        total, functions, components = attribute(window, trace.blocks, symbolizer)
        called_from = callers(trace.entries[len(results)], trace.blocks, symbolizer)
        results.append(Result(name, ops, total, functions, components, figures.get(name), called_from))
    return results


def table(rows, total, ops, heading):
    out = ["| %s | instructions per op | share |" % heading, "|---|---:|---:|"]
    for label, count in rows:
        out.append("| %s | %.1f | %.1f%% |" % (label, count / ops, 100.0 * count / total if total else 0.0))
    return out


def render(results, note):
    """The report, as markdown lines."""
    out = ["# Where the benchmarks' instructions go", "", note, ""]
    for r in results:
        out.append("## %s" % r.name)
        out.append("")
        out.append("%d operations, %.2f instructions per operation: %s." %
                   (r.ops, r.per_op(r.total), r.agreement()))
        out.append("")
        comps = r.components.most_common()
        out += table(comps, r.total, r.ops, "component")
        out.append("")
        top = r.functions.most_common(TOP_FUNCTIONS)
        rows = [("`%s` (%s)" % (f, c), n) for (f, c), n in top]
        rest = r.total - sum(n for _, n in top)
        if rest > 0:
            rows.append(("(%d other functions)" % (len(r.functions) - len(top)), rest))
        out += table(rows, r.total, r.ops, "function")
        out.append("")
        out += caller_table(r, top[:TOP_CALLED])
        out.append("")
    return out


def caller_table(result, top):
    """Who calls the heaviest functions, so a shared routine (memset, a
    copy) is charged to the path that uses it."""
    out = ["| function | calls per op | called from (calls per op) |", "|---|---:|---|"]
    for key, _ in top:
        froms = result.called_from.get(key)
        if not froms:
            continue
        calls = sum(froms.values())
        shown = [(f, n) for (f, _c), n in froms.most_common() if n / result.ops >= MIN_SHOWN]
        text = ", ".join("`%s` %s" % (f, fmt(n / result.ops)) for f, n in shown[:4])
        if len(shown) > 4:
            text += ", ..."
        out.append("| `%s` (%s) | %s | %s |" % (key[0], key[1], fmt(calls / result.ops), text))
    return out if len(out) > 2 else []


def fmt(value):
    """1 -> "1", 0.5 -> "0.5", 2.333 -> "2.33"."""
    return ("%.2f" % value).rstrip("0").rstrip(".")


# ---- the run -----------------------------------------------------------------

def boot(iso, entry, symbolizer, trace_path, serial_path):
    """Boots the profile entry with QEMU's trace on; returns the serial log."""
    args = ["-d", "nochain,in_asm,exec", "-D", trace_path, "-dfilter", symbolizer.dfilter()]
    print("profile: booting %s (%s) under qemu -icount with -d nochain,in_asm,exec; "
          "a few minutes, and a trace of a few GB for a while" % (iso, entry), flush=True)
    try:
        with Machine(iso, entry=entry, log_path=serial_path, icount=True, extra_args=args) as m:
            m.wait_for(DONE_LINE, TIMEOUT)
            m.wait_exit(EXIT_TIMEOUT)  # smss powers off; QEMU's exit flushes the log
            return m.serial_text()
    except HarnessError as e:
        raise ProfileError("%s (serial log: %s)" % (e, serial_path))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iso", help="the ISO to boot (not needed with --trace)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "profile"))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="where ntoskrnl and system32/ are")
    ap.add_argument("--layout", choices=sorted(LAYOUTS), default="csrss",
                    help="csrss: NT 3.51's, GDI in csrss (bench-profile); kernel: NT 4.0's (bench-profile-k)")
    ap.add_argument("--keep", action="store_true", help="keep the trace file")
    ap.add_argument("--trace", help="analyse this kept trace instead of booting (with --serial)")
    ap.add_argument("--serial", help="the serial log of the run that wrote --trace")
    args = ap.parse_args()
    if not args.trace and not args.iso:
        ap.error("give --iso, or --trace and --serial")
    if args.trace and not args.serial:
        ap.error("--trace needs --serial")
    os.makedirs(args.out, exist_ok=True)
    try:
        layout = LAYOUTS[args.layout]
        symbolizer = Symbolizer(load_images(args.build, args.layout))
        begin_pcs, end_pcs = symbolizer.markers(PROGRAMS)
        if args.trace:
            trace_path = args.trace
            with open(args.serial, errors="replace") as f:
                serial = f.read()
        else:
            trace_path = os.path.join(args.out, "trace.log")
            serial = boot(args.iso, layout["entry"], symbolizer, trace_path,
                          os.path.join(args.out, "serial-%s.log" % args.layout))
        size = os.path.getsize(trace_path)
        print("profile: reading the %.0f MB trace" % (size / 1e6), flush=True)
        with open(trace_path, "rb", buffering=1 << 20) as f:
            trace = parse_trace(f, begin_pcs, end_pcs)
        if not args.trace and not args.keep:
            os.unlink(trace_path)
        loops, figures = parse_serial(serial)
        results = analyse(trace, loops, figures, symbolizer)
    except ProfileError as e:
        print("profile: %s" % e)
        return 1
    note = ("Made by `make profile%s` (tools/profile.py --layout %s): the `%s` entry under "
            "`qemu -icount shift=0,sleep=off`, QEMU's execution trace of the kernel, ntdll, kernel32, msvcrt, "
            "gdi32, csrss.exe and the benchmarks (%.0f MB, %d lines, %d translation blocks; in the measured loops "
            "%d block executions, %d of unknown blocks, %d more entered but stopped before their first "
            "instruction and not counted), each instruction charged to the function holding it. The benchmarks "
            "measured a tenth of their usual rounds (gdibench: no rects1000 or drag200). A loop is named "
            "program:loop. See docs/benchmarks.md, \"Profiling\"." %
            (" GDI=kernel" if args.layout == "kernel" else "", args.layout, layout["entry"], size / 1e6,
             trace.lines, len(trace.blocks), trace.executions, trace.unknown, trace.stopped))
    lines = render(results, note)
    path = os.path.join(args.out, layout["report"])
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print("profile: wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
