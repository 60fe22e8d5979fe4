"""One pytest test per boot-matrix configuration (ids = configuration names).

  /usr/bin/python3 -m pytest -n 2 tests/boot/test_matrix.py
  MATRIX_GROUPS=quick,smp ...   MATRIX=pc-multiboot,q35-pvh-i386 ...   -k q35
A configuration that cannot run here (needs) is a visible skip with the reason;
under CI=true it fails unless only /dev/kvm is missing (launch.needs_verdict).
"""
import pytest

import matrix
from configs import selected
from launch import needs_verdict

CONFIGS = selected()


@pytest.mark.parametrize("cfg", CONFIGS, ids=[c.name for c in CONFIGS])
def test_boot(cfg, record_property):
    record_property("matrix_config", cfg.name)
    kind, why = needs_verdict(cfg)
    if kind:
        matrix.skip_result(cfg, why, failed=kind == "fail")
        if kind == "fail":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    result = matrix.run_config(cfg)
    if not result["passed"]:
        pytest.fail(matrix.describe(result), pytrace=False)
