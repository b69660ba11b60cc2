"""checkrun.py - the runner the host checks written in Python share.

Why: each check_*.py proves one tool with functions named test_*, each
returning None when it holds or a sentence saying what is wrong; the
runner calls them in name order, prints `ok` or `FAIL` a line each and the
`N passed, N failed` line every suite ends with (DESIGN.md, tests), and
gives the exit status make sees.
"""


def run_tests(namespace):
    """Runs every test_* function of a module's globals(); 0 when all held."""
    tests = [(name, fn) for name, fn in sorted(namespace.items()) if name.startswith("test_")]
    passed = failed = 0
    for name, fn in tests:
        try:
            problem = fn()
        except Exception as e:  # a crash is a failure of that test, not of the suite
            problem = "raised %r" % e
        if problem:
            failed += 1
            print("FAIL %s: %s" % (name, problem))
        else:
            passed += 1
            print("ok   %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0
