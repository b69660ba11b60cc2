#!/usr/bin/env python3
"""boot_test.py - boot the ISO under SeaBIOS and OVMF and check what it shows.

Why: the kernel's own self-test can only say what the kernel believes. This
suite looks from outside, as a person at the screen would: the self-test
entry must report `N passed, 0 failed` and power QEMU off, the boot screen
must really be on the display (the banner's pixels are compared with the
same font rendered here from xfonts-base), and the deliberate-fault entry
must end on a STOP screen that stays put (no reboot, no triple fault).
"""
import argparse
import os
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import pcf2c  # noqa: E402
from qemu_harness import HarnessError, Machine  # noqa: E402

BOOT_FONT = "/usr/share/fonts/X11/misc/8x16.pcf.gz"
NT_BLUE = (0x00, 0x00, 0xAA)
WHITE = (0xFF, 0xFF, 0xFF)
TEXT_ORIGIN = (16, 16)  # bootvid's text margin
BOOT_TIMEOUT = 300
USER_TEST_TIMEOUT = 600


class Suite:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("PASS %s" % name, flush=True)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, ": " + detail if detail else ""), flush=True)


def smss_test_programs():
    """The base names of the [Test] programs in iso/smss.ini: each must report."""
    names, section = [], None
    with open(os.path.join(ROOT, "iso", "smss.ini")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(";"):
                continue
            if line.startswith("["):
                section = line
            elif section == "[Test]":
                image = line.split()[0]
                names.append(re.split(r"[\\/]", image)[-1].rsplit(".", 1)[0].lower())
    return names


def load_font():
    with open(BOOT_FONT, "rb") as f:
        return pcf2c.parse_pcf(f.read())


def text_matches(image, font, text, origin, fg, bg):
    """Fraction of the text's cell pixels whose colour is what the font says."""
    ox, oy = origin
    good = total = 0
    for i, ch in enumerate(text):
        cell = pcf2c.render_cell(font, ord(ch), 8, 16)
        for row in range(16):
            for col in range(8):
                want = fg if cell[row] >> (7 - col) & 1 else bg
                total += 1
                good += image.pixel(ox + 8 * i + col, oy + row) == want
    return good / total


# The two layouts on the ISO (iso/grub.cfg): NT 3.51's with GDI in csrss,
# NT 4.0's with GDI in the kernel. Entry ids of the second end in -k; its
# names in the results end in "-nt4".
LAYOUTS = [("", ""), ("-k", "-nt4")]


def selftest_run(suite, args, font, fw, layout=LAYOUTS[0]):
    entry_suffix, name_suffix = layout
    fw_label = fw + name_suffix
    log = os.path.join(args.out, "%s-selftest.serial.log" % fw_label)
    try:
        with Machine(args.iso, firmware=fw, entry="selftest" + entry_suffix, log_path=log) as m:
            result = m.wait_for(r"^(\d+) passed, (\d+) failed$", BOOT_TIMEOUT)
            passed, failed = int(result.group(1)), int(result.group(2))
            suite.check("%s: kernel self-test reports no failures" % fw_label, failed == 0 and passed > 0,
                        "%d passed, %d failed (see %s)" % (passed, failed, log))
            if args.suite_logs:
                # The kernel's own PASS/FAIL lines and count become a suite of
                # their own in make test's summary.
                lines = [l for l in m.serial_text().splitlines()
                         if l.startswith("[test]") or l.startswith("  check failed")]
                with open(os.path.join(args.suite_logs, "kernel-%s.log" % fw_label), "w") as f:
                    f.write("\n".join(lines + [result.group(0)]) + "\n")
            m.wait_for(r"waiting up to \d+ s for the host", 30)
            shot = m.screendump(os.path.join(args.out, "%s-bootscreen.png" % fw_label))
            blue = shot.count(NT_BLUE) / (shot.width * shot.height)
            banner = "Daytona (R) NT Kernel Version"
            match = text_matches(shot, font, banner, TEXT_ORIGIN, WHITE, NT_BLUE)
            suite.check("%s: boot screen is 1024x768 and NT blue" % fw_label,
                        (shot.width, shot.height) == (1024, 768) and blue > 0.85,
                        "%dx%d, %.1f%% blue" % (shot.width, shot.height, 100 * blue))
            suite.check("%s: boot banner pixels match the xfonts-base glyphs" % fw_label, match > 0.99,
                        "%.1f%% of banner pixels as expected" % (100 * match))
            m.send_serial(b"\n")
            # smss takes over: it runs the [Test] programs of smss.ini, then powers off.
            done = m.wait_for(r"^\[smss\.exe\] smss: test programs: (\d+) passed, (\d+) failed$", USER_TEST_TIMEOUT)
            serial = m.serial_text()
            programs = sorted(set(re.findall(r"^\[(\w+)\.exe\] \1: \d+ passed, \d+ failed$", serial, re.M)))
            expected = smss_test_programs()
            missing = [p for p in expected if p not in programs]
            suite.check("%s: smss ran every test program to success" % fw_label,
                        int(done.group(2)) == 0 and int(done.group(1)) == len(expected) and not missing,
                        "%s passed, %s failed, no result line from %s (see %s)"
                        % (done.group(1), done.group(2), missing or "-", log))
            for prog in programs:
                result = re.findall(r"^\[%s\.exe\] %s: (\d+) passed, (\d+) failed$" % (prog, prog), serial, re.M)[-1]
                upassed, ufailed = int(result[0]), int(result[1])
                suite.check("%s: %s.exe reports no failures" % (fw_label, prog), ufailed == 0 and upassed > 0,
                            "%d passed, %d failed (see %s)" % (upassed, ufailed, log))
                if args.suite_logs:
                    prefix = "[%s.exe] %s:" % (prog, prog)
                    lines = [l for l in serial.splitlines() if l.startswith(prefix)]
                    with open(os.path.join(args.suite_logs, "user-%s-%s.log" % (prog, fw_label)), "w") as f:
                        f.write("\n".join(lines + ["%d passed, %d failed" % (upassed, ufailed)]) + "\n")
            status = m.wait_exit(120)
            suite.check("%s: powers off through isa-debug-exit with status 0" % fw_label, status == 1,
                        "QEMU exit status %d (1 means the kernel wrote 0)" % status)
    except HarnessError as e:
        suite.check("%s: self-test boot" % fw_label, False, "%s (serial log: %s)" % (e, log))


# Deliberate crashes: GRUB entry, the STOP line's start, its name, and a
# register-dump fragment that must appear on the serial log.
CRASHES = [
    ("pagefault", "crash>pagefault", "*** STOP: 0x00000050 (0xDEAD0000,0x00000001,",
     "PAGE_FAULT_IN_NONPAGED_AREA", "CR2=DEAD0000"),
    ("stack overflow", "crash>stack", "*** STOP: 0x0000007F (0x00000008,",
     "UNEXPECTED_KERNEL_MODE_TRAP", "Trap 0x08"),
    ("critical process exit", "crash>critical", "*** STOP: 0xC000021A (0x00000003,",
     "STATUS_SYSTEM_PROCESS_TERMINATED", "smss: critical process"),
    ("csrss killed", "crash>csrss", "*** STOP: 0xC000021A (0xC0000001,",
     "STATUS_SYSTEM_PROCESS_TERMINATED", "smss: critical process \\SystemRoot\\System32\\csrss.exe exited"),
]


def crash_run(suite, args, font, fw, crash):
    label, entry, stop_line, name, dump = crash
    log = os.path.join(args.out, "%s-%s.serial.log" % (fw, entry.split(">")[-1]))
    what = "%s: %s" % (fw, label)
    try:
        with Machine(args.iso, firmware=fw, entry=entry, log_path=log) as m:
            m.wait_for(r"^\*\*\* System halted\.$", BOOT_TIMEOUT)
            serial = m.serial_text()
            suite.check("%s stops with %s" % (what, name),
                        stop_line in serial and "\n%s\n" % name in serial and dump in serial,
                        "STOP line, name or register dump missing from %s" % log)
            shot = m.screendump(os.path.join(args.out, "%s-%s.png" % (fw, entry.split(">")[-1])))
            blue = shot.count(NT_BLUE) / (shot.width * shot.height)
            match = text_matches(shot, font, stop_line, TEXT_ORIGIN, WHITE, NT_BLUE)
            suite.check("%s: STOP screen is drawn on the display" % what, blue > 0.7 and match > 0.99,
                        "%.1f%% blue, %.1f%% of STOP-line pixels as expected" % (100 * blue, 100 * match))
            time.sleep(3)
            restarted = m.serial_text().count("[ke] Daytona NT kernel") != 1
            suite.check("%s: machine stays halted (no reboot or triple fault)" % what,
                        m.running() and not restarted, "QEMU exited or the kernel started again")
    except HarnessError as e:
        suite.check("%s: boot" % what, False, "%s (serial log: %s)" % (e, log))


def autorun_run(suite, args):
    """The stock-mingw hello.exe, put on an ISO with EXTRA and started by
    AUTORUN on the default entry: its output and exit code reach serial."""
    log = os.path.join(args.out, "bios-autorun.serial.log")
    try:
        with Machine(args.autorun_iso, firmware="bios", entry="normal", log_path=log) as m:
            done = m.wait_for(r"^\[smss\.exe\] smss: autorun (.*) exited with code (-?\d+)", BOOT_TIMEOUT)
            serial = m.serial_text()
            suite.check("autorun: hello.exe runs and exits with code 0", done.group(2) == "0",
                        "exit code %s (serial log: %s)" % (done.group(2), log))
            want = ["[hello.exe] Hello from Daytona! argc=3", '[hello.exe] argv[1] = "two words"',
                    '[hello.exe] argv[2] = "3"']
            missing = [w for w in want if w not in serial]
            suite.check("autorun: hello.exe's printf output is on serial, argv parsed", not missing,
                        "missing %s (serial log: %s)" % (missing, log))
    except HarnessError as e:
        suite.check("autorun: boot", False, "%s (serial log: %s)" % (e, log))


def gdi_autorun_run(suite, args, layout=LAYOUTS[0]):
    """A stock-mingw GDI program (tests/autorun/gdipaint.c) started by
    AUTORUN paints on GetDC(NULL); the screen is read back with screendump."""
    entry_suffix, name_suffix = layout
    log = os.path.join(args.out, "bios%s-gdipaint.serial.log" % name_suffix)
    try:
        with Machine(args.gdi_iso, firmware="bios", entry="normal" + entry_suffix, log_path=log) as m:
            done = m.wait_for(r"^\[smss\.exe\] smss: autorun (.*) exited with code (-?\d+)", BOOT_TIMEOUT)
            suite.check("gdipaint%s (AUTORUN): every GDI call succeeded" % name_suffix, done.group(2) == "0",
                        "exit code %s (serial log: %s)" % (done.group(2), log))
            shot = m.screendump(os.path.join(args.out, "bios%s-gdipaint.png" % name_suffix))
            navy, red, white, black = (0, 0, 128), (255, 0, 0), (255, 255, 255), (0, 0, 0)
            expect = [((50, 50), navy, "the background FillRect"),
                      ((100, 100), red, "FillRect's top-left pixel"), ((199, 149), red, "FillRect's last pixel"),
                      ((200, 149), navy, "nothing at FillRect's right edge"),
                      ((150, 150), navy, "nothing at FillRect's bottom edge"),
                      ((350, 150), black, "the ellipse's brush"), ((300, 150), white, "the ellipse's pen at its left"),
                      ((500, 100), white, "LineTo's first pixel"), ((599, 100), white, "LineTo's last drawn pixel"),
                      ((600, 100), navy, "not LineTo's end point")]
            for (x, y), color, what in expect:
                got = shot.pixel(x, y)
                suite.check("gdipaint%s on the screen: %s at (%d,%d)" % (name_suffix, what, x, y), got == color,
                            "got %s, expected %s" % (got, color))
            yellow = shot.count((255, 255, 0), (100, 290, 500, 330))
            suite.check("gdipaint%s on the screen: the text is there" % name_suffix, yellow > 150,
                        "%d yellow pixels" % yellow)
    except HarnessError as e:
        suite.check("gdipaint%s: boot" % name_suffix, False, "%s (serial log: %s)" % (e, log))


def demo_run(suite, args, layout=LAYOUTS[0]):
    """The normal entries show the GDI demo; its screenshot is kept."""
    entry_suffix, name_suffix = layout
    log = os.path.join(args.out, "bios%s-demo.serial.log" % name_suffix)
    try:
        with Machine(args.demo_iso, firmware="bios", entry="normal" + entry_suffix, log_path=log) as m:
            m.wait_for(r"gdidemo: drew the demo", BOOT_TIMEOUT)
            time.sleep(1)
            shot = m.screendump(os.path.join(args.out, "bios%s-gdidemo.png" % name_suffix))
            teal = shot.count((0, 128, 128)) / (shot.width * shot.height)
            suite.check("the normal%s entry shows the GDI demo" % entry_suffix,
                        teal > 0.4 and shot.pixel(70, 110) == (220, 0, 0),
                        "%.0f%% teal background, (70,110) is %s" % (100 * teal, shot.pixel(70, 110)))
            # gdi32's GdiDaytonaHost names the transport it was built with:
            # the demo must have drawn through this layout's.
            host = re.search(r"gdidemo: drawing through (.*)", m.serial_text())
            want = "GDI in the kernel" if entry_suffix else "GDI inside CSRSS"
            suite.check("the normal%s entry's demo drew through %s" % (entry_suffix, want),
                        host is not None and host.group(1).startswith(want),
                        host.group(1) if host else "no 'drawing through' line")
    except HarnessError as e:
        suite.check("demo%s: boot" % name_suffix, False, "%s (serial log: %s)" % (e, log))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iso", required=True)
    ap.add_argument("--out", required=True, help="folder for serial logs and screenshots")
    ap.add_argument("--firmware", nargs="*", default=["bios", "uefi"])
    ap.add_argument("--suite-logs", help="folder where each firmware's in-kernel results are saved")
    ap.add_argument("--gdi-iso", help="an ISO made with EXTRA=gdipaint.exe AUTORUN=gdipaint.exe")
    ap.add_argument("--demo-iso", help="the default ISO, whose normal entry shows the GDI demo")
    ap.add_argument("--autorun-iso", help="an ISO made with EXTRA=hello.exe AUTORUN='hello.exe \"two words\" 3'")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    font = load_font()
    suite = Suite()
    for fw in args.firmware:
        print("boot: %s self-test entry" % fw, flush=True)
        selftest_run(suite, args, font, fw)
        print("boot: %s self-test entry, NT 4.0 layout (GDI in the kernel)" % fw, flush=True)
        selftest_run(suite, args, font, fw, LAYOUTS[1])
        for crash in CRASHES:
            print("boot: %s deliberate STOP, %s" % (fw, crash[0]), flush=True)
            crash_run(suite, args, font, fw, crash)
    if args.autorun_iso:
        print("boot: bios AUTORUN of the stock-mingw hello.exe", flush=True)
        autorun_run(suite, args)
    for layout, what in zip(LAYOUTS, ["GDI in csrss", "GDI in the kernel"]):
        if args.gdi_iso:
            print("boot: bios AUTORUN of a stock-mingw GDI program (%s), checked by screendump" % what, flush=True)
            gdi_autorun_run(suite, args, layout)
        if args.demo_iso:
            print("boot: bios normal entry (%s): the GDI demo" % what, flush=True)
            demo_run(suite, args, layout)
    print("%d passed, %d failed" % (suite.passed, suite.failed))
    return 0 if suite.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
