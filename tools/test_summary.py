#!/usr/bin/env python3
"""test_summary.py - add up every suite's `N passed, N failed` line.

Why: `make test` runs several suites (host unit tests, boots under each
firmware); CI and people want one verdict. Each log in the folder must end
its run with a `N passed, N failed` line; a log without one counts as a
failed suite (it crashed or never finished), so a suite cannot vanish
silently. Prints one line per suite, then the combined line, and exits 1 if
anything failed.
"""
import os
import re
import sys

RESULT = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed\s*$", re.M)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "build/test"
    logs = sorted(f for f in os.listdir(folder) if f.endswith(".log"))
    total_passed = total_failed = 0
    if not logs:
        print("test_summary: no suite logs in %s" % folder)
        print("0 passed, 1 failed")
        return 1
    print("---- summary")
    for name in logs:
        with open(os.path.join(folder, name), errors="replace") as f:
            text = f.read()
        results = RESULT.findall(text)
        if not results:
            print("%-40s no result line: the suite did not finish" % name)
            total_failed += 1
            continue
        passed, failed = (int(v) for v in results[-1])
        if " exited " in text.splitlines()[-1] and failed == 0:
            failed = 1  # the binary crashed after printing
        print("%-40s %d passed, %d failed" % (name, passed, failed))
        total_passed += passed
        total_failed += failed
    print("%d passed, %d failed" % (total_passed, total_failed))
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())
