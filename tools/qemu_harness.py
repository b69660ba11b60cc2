#!/usr/bin/env python3
"""qemu_harness.py - boot a Daytona ISO headless and watch it.

Why: every system test (boot, GDI, window manager, benchmarks) needs the same
things: start QEMU on SeaBIOS or OVMF with a chosen GRUB entry, read the
serial log as it arrives, wait for a line, take a screenshot through QMP,
answer the kernel over COM1, and never hang when the guest does. This module
does only that, with the Python standard library, so later suites reuse it.

A GRUB entry is chosen without key presses: the SMBIOS system family
"daytona-boot:ID" makes iso/grub.cfg boot the entry with --id ID at once.

    with Machine(iso, firmware="uefi", entry="selftest") as m:
        m.wait_for(r"(\\d+) passed, (\\d+) failed", timeout=300)
        m.screendump("shot.png")
        m.send_serial(b"\\n")
        m.wait_exit(60)
"""
import json
import os
import re
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib

OVMF_PATHS = ["/usr/share/ovmf/OVMF.fd", "/usr/share/OVMF/OVMF.fd"]
ANSI_ESCAPE = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]")


class HarnessError(Exception):
    pass


def ovmf_path():
    for p in OVMF_PATHS:
        if os.path.exists(p):
            return p
    raise HarnessError("OVMF firmware not found (install the ovmf package)")


class Machine:
    """One QEMU run. Use as a context manager so QEMU is always reaped."""

    def __init__(self, iso, firmware="bios", entry=None, memory_mb=128, log_path=None,
                 extra_args=(), icount=False):
        self.iso = iso
        self.firmware = firmware
        self.entry = entry
        self.memory_mb = memory_mb
        self.log_path = log_path
        self.extra_args = list(extra_args)
        self.icount = icount
        self.proc = None
        self._serial = bytearray()
        self._lock = threading.Lock()
        self._reader = None
        self._tmp = tempfile.mkdtemp(prefix="daytona-qemu-")
        self.qmp_path = os.path.join(self._tmp, "qmp.sock")
        self._qmp = None

    # -- life cycle ---------------------------------------------------------

    def command_line(self):
        if self.firmware == "bios":
            argv = ["qemu-system-i386"]
        elif self.firmware == "uefi":
            argv = ["qemu-system-x86_64", "-bios", ovmf_path()]
        else:
            raise HarnessError("firmware must be 'bios' or 'uefi'")
        argv += ["-M", "pc", "-m", "%dM" % self.memory_mb, "-cdrom", self.iso, "-boot", "d",
                 "-display", "none", "-serial", "stdio", "-monitor", "none",
                 "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
                 "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot"]
        if self.entry:
            argv += ["-smbios", "type=1,family=daytona-boot:%s" % self.entry]
        if self.icount:
            argv += ["-icount", "shift=0,sleep=off"]
        return argv + self.extra_args

    def start(self):
        self.proc = subprocess.Popen(self.command_line(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._reader = threading.Thread(target=self._read_serial, daemon=True)
        self._reader.start()
        return self

    def _read_serial(self):
        log = open(self.log_path, "wb") if self.log_path else None
        try:
            while True:
                chunk = self.proc.stdout.read1(4096)
                if not chunk:
                    break
                with self._lock:
                    self._serial += chunk
                if log:
                    log.write(chunk)
                    log.flush()
        finally:
            if log:
                log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()

    def kill(self):
        if self._qmp:
            try:
                self._qmp.close()
            except OSError:
                pass
            self._qmp = None
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if self.proc:
            self.proc.wait()
            if self._reader:
                self._reader.join(timeout=5)
        try:
            if os.path.exists(self.qmp_path):
                os.unlink(self.qmp_path)
            os.rmdir(self._tmp)
        except OSError:
            pass

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    # -- serial ---------------------------------------------------------------

    def serial_text(self):
        """The serial log so far, with terminal escapes and CRs removed."""
        with self._lock:
            raw = bytes(self._serial)
        return ANSI_ESCAPE.sub(b"", raw).replace(b"\r", b"").decode("latin-1")

    def wait_for(self, pattern, timeout):
        """Waits for a regex on the serial log; returns the match. Raises
        HarnessError on timeout or if QEMU exits first."""
        rx = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.serial_text())
            if m:
                return m
            if not self.running():
                raise HarnessError("QEMU exited (status %s) before /%s/ appeared" %
                                   (self.proc.returncode, pattern))
            if time.monotonic() > deadline:
                raise HarnessError("timed out after %ds waiting for /%s/" % (timeout, pattern))
            time.sleep(0.1)

    def send_serial(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_exit(self, timeout):
        """QEMU's exit status; isa-debug-exit makes it (value << 1) | 1."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise HarnessError("QEMU still running after %ds" % timeout)

    # -- QMP ----------------------------------------------------------------

    def _qmp_connect(self, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.qmp_path)
                break
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise HarnessError("cannot connect to QMP at %s" % self.qmp_path)
                time.sleep(0.1)
        s.settimeout(30)
        self._qmp = s
        self._qmp_buf = b""
        self._qmp_recv()  # greeting
        self.qmp("qmp_capabilities")

    def _qmp_recv(self):
        while b"\n" not in self._qmp_buf:
            chunk = self._qmp.recv(65536)
            if not chunk:
                raise HarnessError("QMP connection closed")
            self._qmp_buf += chunk
        line, self._qmp_buf = self._qmp_buf.split(b"\n", 1)
        return json.loads(line)

    def qmp(self, command, **arguments):
        """Runs a QMP command and returns its "return" value."""
        if self._qmp is None:
            self._qmp_connect()
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self._qmp.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self._qmp_recv()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise HarnessError("QMP %s failed: %s" % (command, reply["error"]))
            # asynchronous events are skipped

    def screendump(self, path):
        """Writes the guest screen to path as PNG and returns read_png(path)."""
        path = os.path.abspath(path)
        self.qmp("screendump", filename=path, format="png")
        return read_png(path)

    def send_keys(self, *keys):
        """Presses QEMU key names (e.g. "ret", "a", "ctrl") one after another."""
        for k in keys:
            self.qmp("send-key", keys=[{"type": "qcode", "data": k}])


class Image:
    """An RGB picture: pixel(x, y) -> (r, g, b)."""

    def __init__(self, width, height, rows):
        self.width, self.height, self.rows = width, height, rows

    def pixel(self, x, y):
        row = self.rows[y]
        return tuple(row[3 * x:3 * x + 3])

    def count(self, color, box=None):
        x0, y0, x1, y1 = box or (0, 0, self.width, self.height)
        want = bytes(color)
        n = 0
        for y in range(y0, y1):
            row = self.rows[y]
            for x in range(x0, x1):
                if row[3 * x:3 * x + 3] == want:
                    n += 1
        return n


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    """Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what QEMU writes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise HarnessError("%s is not a PNG" % path)
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        raise HarnessError("%s has no IHDR" % path)
    width, height, depth, ctype, _comp, _filt, interlace = header
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise HarnessError("unsupported PNG format (depth %d, colour type %d)" % (depth, ctype))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        ftype = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif ftype == 4:
                line[i] = (line[i] + _paeth(a, b, c)) & 0xFF
        prev = line
        if bpp == 4:
            rgb = bytearray()
            for i in range(0, stride, 4):
                rgb += line[i:i + 3]
            rows.append(bytes(rgb))
        else:
            rows.append(bytes(line))
    return Image(width, height, rows)
