"""`make debug`'s recipe, non-interactively: QEMU halted under its gdb stub
(tests/boot/matrix.py debug), gdb with scripts/gdb/kernel.gdb, breakpoints at
start_kernel_early and ktest_run_all, backtraces with source lines; both arches
(x86_64: the 64-bit code after the long-mode switch, from the ELF64 kernel.sym)."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MATRIX = ROOT / "tests" / "boot" / "matrix.py"


def debug(arch, *gdb_cmds, name="pc-smp2"):
    for tool in ("gdb", "qemu-system-x86_64", "qemu-system-i386", "objdump"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} not installed")
    sym = ROOT / "build" / arch / "kernel.sym"
    if not sym.is_file():
        pytest.skip(f"{sym} not built (make images)")
    cmd = ["/usr/bin/python3", str(MATRIX), "debug", name, "--arch", arch, "--batch"]
    for c in gdb_cmds:
        cmd += ["--ex", c]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)
    return run.stdout + run.stderr


@pytest.mark.parametrize("arch", ["x86_64", "i386"])
def test_breakpoints_and_backtraces(arch):
    out = debug(arch, "hbreak ktest_run_all", "continue", "bt", "info registers")
    assert "Remote 'g' packet reply is too long" not in out, out
    # the script's own stop, then ours; each with a backtrace naming source lines
    assert re.search(r"breakpoint 1, start_kernel_early \(.*\) at kernel/main\.c:\d+", out), out
    assert re.search(r"#0\s+start_kernel_early \(.*\) at kernel/main\.c:\d+", out), out
    assert re.search(r"Breakpoint 2, ktest_run_all \(.*\) at kernel/ktest\.c:\d+", out), out
    assert re.search(r"#0\s+ktest_run_all \(.*\) at kernel/ktest\.c:\d+", out), out
    assert re.search(r"#1\s+0x[0-9a-f]+ in start_kernel_early \(.*\) at kernel/main\.c:\d+",
                     out), out
    pc = "rip" if arch == "x86_64" else "eip"
    assert re.search(rf"^{pc}\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <ktest_run_all", out, re.M), out
    # the entry code's frame is found through the DWARF of the .S file too
    assert re.search(r"in \w+ \(\) at arch/x86/boot/entry\.S:\d+", out), out


def test_dis32_decodes_the_32bit_entry():
    """In the x86_64 kernel's 32-bit stretch gdb decodes as 64-bit code; dis32
    decodes it as the CPU runs it. common32's far jump is the difference: an
    ljmp in 32-bit code, an invalid opcode ("(bad)") in 64-bit code."""
    out = debug("x86_64", "dis32 common32 2", "x/2i common32")
    assert re.search(r"^\s*[0-9a-f]+:\s+lgdtl\s", out, re.M), out
    assert re.search(r"^\s*[0-9a-f]+:\s+ljmp\s+\$0x8,", out, re.M), out
    assert "(bad)" in out, "gdb itself now decodes 32-bit code: dis32 may be obsolete"


def test_bochs_is_refused_with_a_reason():
    if not (ROOT / "build" / "x86_64" / "kernel.sym").is_file():
        pytest.skip("kernel not built (make images)")
    run = subprocess.run(["/usr/bin/python3", str(MATRIX), "debug", "bochs-i440fx-2",
                          "--arch", "x86_64", "--batch"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 2 and "needs a QEMU configuration" in run.stderr
