"""The Debian packages: .ci/run installs every one make may install (so CI never
skips what it could have installed), and scripts/need-pkgs installs, refuses or
names them as it says. No package is installed: need-pkgs' test hooks stand in."""
import os
import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NEED_PKGS = ROOT / "scripts" / "need-pkgs"
ENV = {k: v for k, v in os.environ.items()
       if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
                    "NEED_PKGS_INSTALL", "NEED_PKGS_UID")}


def ci_run_packages():
    """The packages of .ci/run's apt-get install command."""
    text = (ROOT / ".ci" / "run").read_text().replace("\\\n", " ")
    (line,) = [ln for ln in text.splitlines() if re.search(r"apt-get install\b", ln)]
    words = shlex.split(line.split("apt-get install", 1)[1])
    return {w for w in words if not w.startswith("-")}


def test_ci_installs_every_package_make_may_install():
    run = subprocess.run(["make", "-s", "--no-print-directory", "list-pkgs"], cwd=ROOT,
                         env=ENV, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    make_pkgs = set(run.stdout.split())
    assert {"kconfig-frontends-nox", "qemu-system-x86", "xen-hypervisor-4.17-amd64",
            "bochs"} <= make_pkgs
    missing = make_pkgs - ci_run_packages()
    assert not missing, f".ci/run does not install: {' '.join(sorted(missing))}"


def need_pkgs(tmp_path, *pairs, **env):
    return subprocess.run(["sh", str(NEED_PKGS), *pairs], env=dict(ENV, **env), cwd=tmp_path,
                          capture_output=True, text=True, timeout=30)


def test_need_pkgs_as_a_user_prints_one_apt_get_line(tmp_path):
    run = need_pkgs(tmp_path, "sh:dash", f"{tmp_path}/a:pkg-a", "no-such-tool-xyz:pkg-b",
                    f"{tmp_path}/c:pkg-a", NEED_PKGS_UID="1000")
    assert run.returncode == 1
    assert run.stdout == ""                 # stderr: make runs it inside $(shell)
    assert "run: sudo apt-get update && sudo apt-get install -y pkg-a pkg-b\n" in run.stderr


def test_need_pkgs_installs_and_checks_again(tmp_path):
    log = tmp_path / "installed"
    # An install that provides the file: passes.
    fake = tmp_path / "fake-install"
    fake.write_text(f'#!/bin/sh\necho "$*" >> {log}\ntouch {tmp_path}/a\n')
    fake.chmod(0o755)
    fake = str(fake)
    run = need_pkgs(tmp_path, f"{tmp_path}/a:pkg-a", NEED_PKGS_INSTALL=fake)
    assert run.returncode == 0, run.stderr
    assert log.read_text() == "pkg-a\n"
    # Present now: nothing installed.
    assert need_pkgs(tmp_path, f"{tmp_path}/a:pkg-a", NEED_PKGS_INSTALL=fake).returncode == 0
    assert log.read_text() == "pkg-a\n"
    # An install that does not provide it: fails, naming what is still missing.
    run = need_pkgs(tmp_path, f"{tmp_path}/b:pkg-b", NEED_PKGS_INSTALL="true")
    assert run.returncode == 1
    assert "installed pkg-b, but still missing: pkg-b" in run.stderr
    # A failing install fails.
    assert need_pkgs(tmp_path, f"{tmp_path}/b:pkg-b", NEED_PKGS_INSTALL="false").returncode == 1
