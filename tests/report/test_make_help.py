"""`make help` in sync with the Makefiles: every target it names exists
(`make -n TARGET` succeeds) and every .PHONY target with a rule is named."""
import os
import re
import subprocess
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Not every variable the environment of a calling make passes down is wanted.
ENV = {k: v for k, v in os.environ.items()
       if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}


def make(*args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=120)


def help_text():
    run = make("help")
    assert run.returncode == 0, run.stderr
    return run.stdout


def help_targets(text):
    """Names in the Targets section: the first column, comma separated."""
    section = text.split("Variables:")[0]
    names = set()
    for line in section.splitlines()[1:]:
        first = re.split(r"\s{2,}", line.strip())[0]
        names.update(n.strip() for n in first.split(","))
    return names


def phony_targets():
    run = make("-pRrq", "-f", "Makefile", "help")     # the database, nothing built
    names = set()
    for line in run.stdout.splitlines():
        if line.startswith(".PHONY:"):
            names.update(line.split(":", 1)[1].split())
    return names


def test_help_lists_targets_and_variables():
    text = help_text()
    targets = help_targets(text)
    for t in ("all", "kernel", "defconfig", "<name>_defconfig", "olddefconfig",
              "savedefconfig", "menuconfig", "iso", "run", "bochs", "debug",
              "list-machines", "check", "host-tests", "runner-tests", "matrix", "images",
              "fuzz", "bench-ready", "report", "clean", "distclean", "help"):
        assert t in targets, f"make help does not list {t}"
    for v in ("ARCH", "MACHINE", "CMDLINE", "BOCHS", "MATRIX_GROUPS", "MATRIX",
              "MATRIX_JOBS", "PYTEST_ARGS", "FUZZ_TIME", "FUZZ_MERGE", "CHECK_FUZZ_TIME",
              "EXTRA_CFLAGS", "PYTHON"):
        assert re.search(rf"^\s+{v}=", text, re.M), f"make help does not list {v}"


def test_every_listed_target_exists():
    for t in sorted(help_targets(help_text())):
        name = "native_defconfig" if t == "<name>_defconfig" else t
        run = make("-n", name)
        assert run.returncode == 0, f"make -n {name}: {run.stderr.strip()}"


def test_every_phony_target_is_listed():
    listed = help_targets(help_text())
    phony = phony_targets()
    assert {"check", "help", "report"} <= phony    # the database was read
    missing, ruleless = [], []
    for t in sorted(phony - listed):
        if t.endswith("_defconfig") and "<name>_defconfig" in listed:
            continue
        run = make("-n", t)
        if f"Nothing to be done for '{t}'" in run.stdout + run.stderr:
            ruleless.append(t)          # declared .PHONY, never defined: nothing to list
        else:
            missing.append(t)
    if ruleless:
        warnings.warn(f".PHONY names without a rule: {', '.join(ruleless)}")
    assert not missing, f"make help does not list: {', '.join(missing)}"
