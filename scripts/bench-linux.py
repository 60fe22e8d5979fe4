#!/usr/bin/python3
"""Boot to ready side by side with Debian's Linux 6.1, same machine, same batch.

    scripts/bench-linux.py [--runs 5] [--cache build/cache/linux] [--kernel K] [--max-ratio R]

Boots our x86_64 kernel (`ktest=off`) and Linux 6.1 (no initrd, `console=ttyS0
panic=-1`) on `-M q35 -smp 4 -m 256M -cpu max` under plain TCG (multi-threaded,
real time), alternating, RUNS times each, and compares the medians: our
BOOT-REPORT ready_ns against the timestamp of Linux's "smp: Brought up" line (both
count from the kernel's own start; Linux's run is stopped at that line). Plain TCG
times are the host's time: on a loaded machine they move from run to run, which is
why the two kernels are booted in turns and only their ratio is reported. Under
-icount Linux 6.1 stalls at AP bring-up (../shared/EMULATORS.md), so this is the
one comparison that cannot be made exact.

The Linux image comes from scripts/fetch-linux.sh (apt-get download into the
cache); if it cannot be had the comparison is skipped with the reason (exit 0).
--max-ratio makes a ratio above R an error (exit 1).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MACHINE = ["-M", "q35", "-smp", "4", "-m", "256M", "-cpu", "max"]
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
LINUX_UP = re.compile(rb"^\[\s*(\d+)\.(\d+)\] smp: Brought up")
READY = re.compile(rb'"ready_ns":(\d+)')


def boot(kernel, append, pattern, timeout):
    """Run QEMU until a console line matches pattern; return the match or None."""
    cmd = [QEMU, "-display", "none", "-no-reboot", "-nodefaults", "-monitor", "none",
           "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-accel", "tcg"] + MACHINE + ["-kernel", kernel, "-append", append]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    found = None
    deadline = time.monotonic() + timeout
    try:
        for line in p.stdout:
            m = pattern.search(line)
            if m:
                found = m
                break
            if time.monotonic() > deadline:
                break
    finally:
        try:
            os.killpg(p.pid, 9)
        except ProcessLookupError:
            pass
        p.wait()
    return found


def ours_ns(kernel):
    m = boot(kernel, "ktest=off", READY, 60)
    return int(m.group(1)) if m else None


def linux_ns(vmlinuz):
    m = boot(vmlinuz, "console=ttyS0 panic=-1", LINUX_UP, 180)
    return int(m.group(1)) * 1000000000 + int(m.group(2).ljust(9, b"0")) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", default=os.path.join(ROOT, "build/cache/linux"))
    ap.add_argument("--kernel", default=os.path.join(ROOT, "build/x86_64/kernel.elf"))
    ap.add_argument("--max-ratio", type=float, default=None)
    a = ap.parse_args()

    f = subprocess.run(["sh", os.path.join(ROOT, "scripts/fetch-linux.sh"), a.cache],
                       capture_output=True, text=True)
    if f.returncode:
        print("Linux comparison skipped: " + (f.stderr.strip() or "fetch-linux.sh failed"))
        return 0
    vmlinuz = f.stdout.strip().splitlines()[-1]
    pkg_file = os.path.join(os.path.dirname(vmlinuz), "package")
    pkg = open(pkg_file).read().strip() if os.path.exists(pkg_file) else "Linux"
    if not os.path.exists(a.kernel):
        print(f"Linux comparison skipped: no {a.kernel} (make ARCH=x86_64)")
        return 0

    ours, linux = [], []
    for _ in range(a.runs):
        ours.append(ours_ns(a.kernel))
        linux.append(linux_ns(vmlinuz))
    failed = [n for n, v in (("ours", ours), ("linux", linux)) if None in v]
    ours = [x for x in ours if x is not None]
    linux = [x for x in linux if x is not None]
    if not ours or not linux:
        print("Linux comparison failed: no figure from " + " and ".join(failed))
        return 1
    mo, ml = statistics.median(ours), statistics.median(linux)
    ratio = mo / ml
    print(f"Side by side, {' '.join(MACHINE)}, plain TCG, {a.runs} boots each, alternating:")
    print()
    print("| kernel | what | median ms | all runs ms |")
    print("|---|---|---|---|")
    print("| this kernel (x86_64) | BOOT-REPORT ready_ns | %.1f | %s |"
          % (mo / 1e6, " ".join("%.1f" % (x / 1e6) for x in ours)))
    print("| %s | \"smp: Brought up\" | %.1f | %s |"
          % (pkg, ml / 1e6, " ".join("%.1f" % (x / 1e6) for x in linux)))
    print()
    print("ratio ours/Linux (medians): %.4f" % ratio)
    if failed:
        print("note: some runs gave no figure: " + ", ".join(failed))
    if a.max_ratio is not None and ratio > a.max_ratio:
        print("ratio above %.3f" % a.max_ratio)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
