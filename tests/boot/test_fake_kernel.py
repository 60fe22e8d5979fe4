"""The runner against real QEMU and Bochs, booting the fake kernel (fake/fake_kernel.c).

Proves the launchers' command lines and every way a boot can end, without the real
kernel: matrix.cfg's configurations must all pass against the fake, and the extra
configurations below must be classified as they end. Skips without gcc, QEMU or
Bochs (and GRUB's grub-mkrescue, which the Bochs runs need).

  /usr/bin/python3 -m pytest tests/boot/test_fake_kernel.py -q
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import configs
import matrix
from configs import HERE
from launch import in_ci, needs_verdict

EXTRA = """\
[DEFAULT]
arch = x86_64
qemu_opts = -M pc -smp 1
timeout = 10

[acpi-poweroff]
append = fake=acpi

[triple-fault]
append = fake=triple
expect_outcome = crash

[hang]
append = fake=hang
timeout = 1.5
expect_outcome = timeout

[cut-short]
qemu_opts = -M q35
append = fake=cutshort
expect_outcome = fail

[kvm]
accel = kvm
qemu_opts = -M q35 -cpu host,-arch-capabilities
expect = entry=multiboot cpus=1

[bochs]
emulator = bochs
qemu_opts =
bochs_cpus = 2
expect = entry=multiboot cpus=1

[bochs-fail]
emulator = bochs
qemu_opts =
append = ktest=selftest.fail
expect_outcome = fail
expect_ktap = selftest.fail=not-ok

[bochs-panic]
emulator = bochs
qemu_opts =
append = ktest=selftest.panic
expect_outcome = panic
expect_log = ^PANIC:

[bochs-triple-fault]
emulator = bochs
qemu_opts =
append = fake=triple
expect_outcome = crash

[bochs-shutdown-port]
emulator = bochs
qemu_opts =
append = fake=shutdown
expect_outcome = crash

[bochs-hang]
emulator = bochs
qemu_opts =
append = fake=hang
timeout = 2.5
expect_outcome = timeout
"""


@pytest.fixture(scope="module")
def fake_build(tmp_path_factory):
    if not shutil.which("gcc"):
        (pytest.fail if in_ci() else pytest.skip)("gcc not found: cannot build the fake kernel")
    out = tmp_path_factory.mktemp("fake-build")
    build = subprocess.run([sys.executable, str(HERE / "fake" / "build.py"), str(out)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    return out


@pytest.fixture
def boot(fake_build, monkeypatch):
    monkeypatch.setenv("BUILD_DIR", str(fake_build))
    monkeypatch.setenv("MATRIX_OUT", str(fake_build / "matrix"))

    def run(cfg):
        kind, why = needs_verdict(cfg)
        if kind == "fail":
            pytest.fail(why, pytrace=False)
        if kind:
            pytest.skip(why)
        return matrix.run_config(cfg)
    return run


# The real matrix.cfg expects what the real kernel reports (machine entries,
# CPU counts): it is run by `make matrix`, not against this stand-in.


def _extra(name):
    return next(c for c in configs.parse(EXTRA) if c.section == name)


def test_acpi_poweroff_trusts_the_exit_line(boot):
    result = boot(_extra("acpi-poweroff"))
    assert (result["rc"], result["outcome"], result["passed"]) == (0, "pass", True)


def test_triple_fault_is_a_crash(boot):
    result = boot(_extra("triple-fault"))
    assert (result["rc"], result["outcome"], result["passed"]) == (0, "crash", True)
    assert result["log_tail"] == ["fake kernel: noise before the contract lines"]


def test_hang_is_a_timeout(boot):
    result = boot(_extra("hang"))
    assert (result["outcome"], result["passed"]) == ("timeout", True)
    assert 1.5 <= result["wall_s"] < 6


def test_cut_short_plan_fails_the_configuration(boot):
    result = boot(_extra("cut-short"))
    assert (result["rc"], result["outcome"], result["passed"]) == (3, "fail", False)
    assert ("boot.#2", "not run", "run cut short") in result["ktap"]
    assert "KTAP: boot: planned 3, 1 finished: run cut short" in result["reasons"]


def test_kvm(boot):
    result = boot(_extra("kvm"))
    assert result["passed"], matrix.describe(result)


# --- Bochs: the magic break, and every other way a Bochs run ends -------------------

def test_bochs_pass_through_grub_and_the_magic_break(boot):
    result = boot(_extra("bochs"))
    assert (result["rc"], result["outcome"], result["passed"]) == (0, "pass", True), \
        matrix.describe(result)
    assert result["detail"] == "magic break on CPU 0, EAX=0 = pass"
    log_dir = Path(result["log_dir"])
    # Port 0xE9 is not the console: the fake writes only COM1, so stdout.log has
    # the debugger's output only; the register dump is there.
    assert "Magic breakpoint" in (log_dir / "stdout.log").read_text()
    assert "count=2" in (log_dir / "bochsrc").read_text()


@pytest.mark.parametrize("name, outcome, detail", [
    ("bochs-fail", "fail", "EAX=1 = fail"),
    ("bochs-panic", "panic", "EAX=2 = panic"),
])
def test_bochs_exit_status_in_eax(boot, name, outcome, detail):
    result = boot(_extra(name))
    assert (result["outcome"], result["passed"]) == (outcome, True), matrix.describe(result)
    assert detail in result["detail"]


def test_bochs_command_line_reaches_the_kernel(boot):
    # The fake looks for ktest=selftest.fail on its command line: GRUB passed it on.
    result = boot(_extra("bochs-fail"))
    assert result["ktap"] == [("selftest.fail", "not ok",
                               "fail: EXPECTATION FAILED at fake_kernel.c:1")]


def test_bochs_triple_fault_is_a_crash_with_bochs_reason(boot):
    result = boot(_extra("bochs-triple-fault"))
    assert (result["rc"], result["outcome"], result["passed"]) == (1, "crash", True), \
        matrix.describe(result)
    assert "without the magic break" in result["detail"]
    assert "Bochs says:" in result["detail"]
    assert "noise before the contract lines" in result["detail"]   # last console line


def test_bochs_shutdown_port_is_a_crash(boot):
    result = boot(_extra("bochs-shutdown-port"))
    assert (result["rc"], result["outcome"], result["passed"]) == (1, "crash", True), \
        matrix.describe(result)
    assert "after printing KERNEL-EXIT: pass" in result["detail"]
    assert "hutdown" in result["detail"]


def test_bochs_hang_is_a_timeout(boot):
    result = boot(_extra("bochs-hang"))
    assert (result["outcome"], result["passed"]) == ("timeout", True), matrix.describe(result)
    assert 2.5 <= result["wall_s"] < 8
    assert result["log_tail"] == ["fake kernel: noise before the contract lines"]
