#!/usr/bin/env python3
"""check_imports.py - every name a built image imports exists in the DLL
that Daytona builds for it.

Why: a program built with the stock mingw-w64 toolchain imports whatever
its start-up code and libmingwex need from msvcrt.dll and KERNEL32.dll, and
ntdll's loader refuses to start it if one name is missing - a failure that
otherwise shows up only when the system boots. This reads the import and
export tables of the PE files themselves (no objdump needed) and, for each
image in build/system32 (and each given on the command line) and each DLL it
imports that is also in build/system32, checks that every imported name (or
ordinal) is exported. Each (image, DLL) pair is one test. A DLL that is not
built yet (kernel32.dll while it is being written, user32.dll, ...) is
skipped with a note, not failed.

Two images break the rule on purpose: the loader tests' missexp.exe imports
an ntdll name that does not exist, and missdll.exe a DLL that does not
exist. For them the check is inverted - the name or DLL must stay missing,
or the loader test they serve would stop testing anything.
"""
import glob
import os
import struct
import sys

# image -> (DLL, the name that must not be exported, or None: the DLL must not exist)
DELIBERATELY_MISSING = {
    "missexp.exe": ("ntdll.dll", "NoSuchNtdllExport@0"),
    "missdll.exe": ("nosuch.dll", None),
}

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SYSTEM32 = os.path.join(ROOT, "build", "system32")


class PeImage:
    """The import and export tables of one PE32 or PE32+ file."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:2] != b"MZ":
            raise ValueError("no MZ header")
        pe = struct.unpack_from("<I", d, 0x3C)[0]
        if d[pe:pe + 4] != b"PE\0\0":
            raise ValueError("no PE signature")
        sections, optional_size = struct.unpack_from("<H12xH", d, pe + 6)
        optional = pe + 24
        magic = struct.unpack_from("<H", d, optional)[0]
        if magic not in (0x10B, 0x20B):
            raise ValueError("unknown optional header magic %#x" % magic)
        self.wide = magic == 0x20B
        directories = optional + (112 if self.wide else 96)
        count = struct.unpack_from("<I", d, directories - 4)[0]
        self.directory = [struct.unpack_from("<II", d, directories + 8 * i) for i in range(min(count, 16))]
        self.sections = []
        table = optional + optional_size
        for i in range(sections):
            vsize, va, rawsize, raw = struct.unpack_from("<IIII", d, table + 40 * i + 8)
            self.sections.append((va, max(vsize, rawsize), raw, rawsize))

    def offset(self, rva):
        for va, size, raw, rawsize in self.sections:
            if va <= rva < va + size:
                if rva - va >= rawsize:
                    raise ValueError("RVA %#x is in uninitialised data" % rva)
                return raw + rva - va
        raise ValueError("RVA %#x is outside every section" % rva)

    def string(self, rva):
        start = self.offset(rva)
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode("ascii", "replace")

    def exports(self):
        """(set of names, lowest ordinal, highest ordinal)."""
        rva, size = self.directory[0] if self.directory else (0, 0)
        if rva == 0:
            return set(), 0, -1
        base = self.offset(rva)
        ordinal_base, functions, names, _, name_table = struct.unpack_from("<IIIII", self.data, base + 16)
        result = set()
        for i in range(names):
            result.add(self.string(struct.unpack_from("<I", self.data, self.offset(name_table) + 4 * i)[0]))
        return result, ordinal_base, ordinal_base + functions - 1

    def imports(self):
        """{dll name as written: [name or ordinal number, ...]}."""
        rva, size = self.directory[1] if len(self.directory) > 1 else (0, 0)
        result = {}
        if rva == 0:
            return result
        at = self.offset(rva)
        entry = 8 if self.wide else 4
        flag = 1 << (63 if self.wide else 31)
        while True:
            lookup, _, _, name, thunk = struct.unpack_from("<IIIII", self.data, at)
            if name == 0:
                break
            dll = self.string(name)
            wanted = result.setdefault(dll, [])
            t = self.offset(lookup or thunk)
            while True:
                value = struct.unpack_from("<Q" if self.wide else "<I", self.data, t)[0]
                if value == 0:
                    break
                if value & flag:
                    wanted.append(value & 0xFFFF)
                else:
                    wanted.append(self.string((value & 0x7FFFFFFF) + 2))
                t += entry
            at += 20
        return result


def main():
    images = sorted(glob.glob(os.path.join(SYSTEM32, "*.exe")) + glob.glob(os.path.join(SYSTEM32, "*.dll")))
    images += sys.argv[1:]
    built = {os.path.basename(p).lower(): p for p in glob.glob(os.path.join(SYSTEM32, "*.dll"))}
    export_cache = {}
    passed = failed = 0
    skipped = set()
    for path in images:
        name = os.path.relpath(path, ROOT) if path.startswith(ROOT) else path
        try:
            imports = PeImage(path).imports()
        except (OSError, ValueError, struct.error) as e:
            failed += 1
            print("FAIL %s: cannot read its import table: %s" % (name, e))
            continue
        deliberate = DELIBERATELY_MISSING.get(os.path.basename(path).lower())
        for dll, wanted in sorted(imports.items()):
            key = dll.lower()
            if deliberate and deliberate[0] == key:
                if deliberate[1] is None:
                    ok = key not in built
                else:
                    ok = key in built and deliberate[1] in wanted and \
                        deliberate[1] not in PeImage(built[key]).exports()[0]
                    wanted = [w for w in wanted if w != deliberate[1]]
                what = "%s -> %s: %s stays missing, as the loader test needs" % (name, dll, deliberate[1] or dll)
                print("%s %s" % ("PASS" if ok else "FAIL", what))
                passed, failed = passed + ok, failed + (not ok)
                if deliberate[1] is None:
                    continue
            if key not in built:
                if key not in skipped:
                    print("SKIP %s: not built yet (imported by %s and maybe others)" % (dll, name))
                skipped.add(key)
                continue
            if key not in export_cache:
                try:
                    export_cache[key] = PeImage(built[key]).exports()
                except (OSError, ValueError, struct.error) as e:
                    export_cache[key] = None
                    print("FAIL %s: cannot read its export table: %s" % (dll, e))
            exports = export_cache[key]
            if exports is None:
                failed += 1
                continue
            names, low, high = exports
            missing = [str(w) if isinstance(w, str) else "#%d" % w for w in wanted
                       if (w not in names if isinstance(w, str) else not low <= w <= high)]
            if missing:
                failed += 1
                print("FAIL %s -> %s: not exported: %s" % (name, dll, " ".join(missing)))
            else:
                passed += 1
                print("PASS %s -> %s (%d names)" % (name, dll, len(wanted)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
