#!/usr/bin/env python3
"""check_services.py - services.h and ntapi.h must agree.

Why: the kernel copies, and ntdll's stub pops, exactly the argument bytes
that services.h states; the C prototype in ntapi.h decides how many bytes
the caller pushes. If the two disagree, the user stack is corrupted on every
call. Each service is one test: it must have a prototype, and 4 bytes per
parameter (every parameter is 32-bit on i386: pointers, handles, ULONG,
BOOLEAN promoted) must equal its ArgumentBytes.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    services = open(os.path.join(ROOT, "libs/include/nt/services.h")).read()
    api = open(os.path.join(ROOT, "libs/include/nt/ntapi.h")).read()
    table = re.findall(r"SERVICE\((\w+),\s*(\d+)\)", services)
    protos = {}
    for name, params in re.findall(r"NTSTATUS\s+NTAPI\s+(\w+)\s*\(([^)]*)\)\s*;", api, re.S):
        params = " ".join(params.split())
        protos[name] = 0 if params in ("", "VOID", "void") else params.count(",") + 1
    passed = failed = 0
    seen = set()
    for name, nbytes in table:
        problem = None
        if name in seen:
            problem = "listed twice"
        elif name not in protos:
            problem = "no prototype in ntapi.h"
        elif protos[name] * 4 != int(nbytes):
            problem = "services.h says %s bytes, the prototype has %d parameters" % (nbytes, protos[name])
        seen.add(name)
        if problem:
            failed += 1
            print("FAIL %s: %s" % (name, problem))
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
