"""The runner against real QEMU, booting the fake kernel (fake/fake_kernel.c).

Proves the launcher's command line and every way a boot can end, without the real
kernel: matrix.cfg's configurations must all pass against the fake, and the extra
configurations below must be classified as they end. Skips without gcc or QEMU.

  /usr/bin/python3 -m pytest tests/boot/test_fake_kernel.py -q
"""
import shutil
import subprocess
import sys

import pytest

import configs
import matrix
from configs import HERE
from launch import unmet_needs

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
"""


@pytest.fixture(scope="module")
def fake_build(tmp_path_factory):
    if not shutil.which("gcc"):
        pytest.skip("gcc not found: cannot build the fake kernel")
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
        why = unmet_needs(cfg)
        if why:
            pytest.skip(why)
        return matrix.run_config(cfg)
    return run


@pytest.mark.parametrize("cfg", configs.load(HERE / "matrix.cfg"), ids=lambda c: c.name)
def test_matrix_cfg_against_the_fake(boot, cfg):
    if cfg.emulator != "qemu":
        pytest.skip("the fake kernel is for the QEMU launcher")
    result = boot(cfg)
    assert result["passed"], matrix.describe(result)


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
