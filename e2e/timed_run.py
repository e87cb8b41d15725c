"""Runs browser test modules as unittest does, and prints each test's time,
so that a CI log shows where the minutes go.
Usage: timed_run.py PATTERN … (file names in e2e/; a pattern after "!" leaves
those files out: `timed_run.py 'test_*.py' '!test_axe.py'`)."""

import fnmatch
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class TimedResult(unittest.TextTestResult):
    def startTest(self, test):
        self.started = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.stream.writeln(f"timing: {test.id()} took {time.monotonic() - self.started:.0f} s")


def modules(patterns):
    wanted = [p for p in patterns if not p.startswith("!")] or ["test_*.py"]
    unwanted = [p[1:] for p in patterns if p.startswith("!")]
    for name in sorted(os.listdir(HERE)):
        if any(fnmatch.fnmatch(name, p) for p in wanted) and not any(fnmatch.fnmatch(name, p) for p in unwanted):
            yield name[:-3]


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    names = list(modules(sys.argv[1:]))
    if not names:
        sys.exit(f"no test module matches {sys.argv[1:]}")
    suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    result = unittest.TextTestRunner(verbosity=2, resultclass=TimedResult).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
