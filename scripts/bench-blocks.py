#!/usr/bin/python3
"""Code that QEMU translates before the kernel is ready: blocks, instructions, and who runs them.

    scripts/bench-blocks.py [--kernel build/x86_64/kernel.elf] [--objdir DIR] [--top 15]
                            [--qemu qemu-system-x86_64] [--smp 4] [--append ktest=off]

Under plain TCG (no -icount) QEMU translates each guest block the first time it
runs, and on these hosts that costs several microseconds a block: it is most of
our ready_ns there (docs/benchmarks.md, "Where our plain-TCG boot time goes").
Host time moves with the load; the count of blocks does not. This boots the
kernel once on `-M q35 -smp 4 -m 256M -cpu max` (the Linux comparison's
machine) with QEMU's `-d in_asm` log and counts, up to the first block of
boot_ready_ns (kernel/main.c: the moment ready_ns is taken):

- blocks translated from the kernel image (firmware blocks are counted apart),
- the guest instructions in them,
- blocks translated more than once (the same address again: code written to,
  or translated under other CPU flags),
- blocks per object file (the symbols of DIR/**/*.o, default the kernel's obj/).

Exit 1 when the boot does not reach boot_ready_ns or QEMU cannot run.
"""
import argparse
import bisect
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDR = re.compile(r"^0x([0-9a-f]+):")


def symbols(elf):
    """Sorted (address, name) of the image's functions and its start and end."""
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    funcs, marks = [], {}
    for line in out.splitlines():
        p = line.split()
        if len(p) != 3:
            continue
        a = int(p[0], 16)
        if p[2] in ("_kernel_start", "_kernel_end"):
            marks[p[2]] = a
        if p[1] in "tTwW":
            funcs.append((a, p[2]))
    if "_kernel_start" not in marks or "_kernel_end" not in marks:
        sys.exit(f"bench-blocks: {elf} has no _kernel_start/_kernel_end")
    return funcs, marks["_kernel_start"], marks["_kernel_end"]


def object_of(objdir):
    """Function name -> object file (relative to objdir), from the objects' symbols."""
    owner = {}
    for o in sorted(glob.glob(os.path.join(objdir, "**", "*.o"), recursive=True)):
        out = subprocess.run(["nm", o], capture_output=True, text=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "tT":
                owner.setdefault(p[2], os.path.relpath(o, objdir))
    return owner


def blocks(log):
    """Each translated block: (first address, instruction count), in order."""
    out, cur = [], None
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                if cur:
                    out.append(cur)
                cur = [None, 0]
                continue
            m = ADDR.match(line)
            if m and cur is not None:
                if cur[0] is None:
                    cur[0] = int(m.group(1), 16)
                cur[1] += 1
    if cur and cur[0] is not None:
        out.append(cur)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=os.path.join(ROOT, "build/x86_64/kernel.elf"))
    ap.add_argument("--objdir", default=None)
    ap.add_argument("--qemu", default=None)
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--append", default="ktest=off")
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args()

    with open(a.kernel, "rb") as f:
        is64 = f.read(5)[4] == 2
    qemu = a.qemu or ("qemu-system-x86_64" if is64 else "qemu-system-i386")
    objdir = a.objdir or os.path.join(os.path.dirname(os.path.abspath(a.kernel)), "obj")
    funcs, lo, hi = symbols(a.kernel)
    addrs = [f[0] for f in funcs]
    ready = dict((n, ad) for ad, n in funcs).get("boot_ready_ns")
    if ready is None:
        sys.exit(f"bench-blocks: {a.kernel} has no boot_ready_ns")

    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "in_asm.log")
        cmd = [qemu, "-display", "none", "-no-reboot", "-nodefaults", "-monitor", "none",
               "-serial", "null", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
               "-accel", "tcg", "-M", "q35", "-smp", str(a.smp), "-m", "256M", "-cpu", "max",
               "-kernel", a.kernel, "-append", a.append, "-d", "in_asm", "-D", log]
        try:
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
        except FileNotFoundError:
            sys.exit(f"bench-blocks: {qemu} not found")
        except subprocess.TimeoutExpired:
            sys.exit("bench-blocks: QEMU did not exit within 180 s")
        tbs = blocks(log)

    kernel, firmware, insns = [], 0, 0
    seen = collections.Counter()
    reached = False
    for pc, n in tbs:
        if pc == ready:
            reached = True
            break
        if lo <= pc < hi:
            kernel.append(pc)
            insns += n
            seen[pc] += 1
        else:
            firmware += 1
    if not reached:
        sys.exit("bench-blocks: the boot never ran boot_ready_ns (see the kernel's log)")

    owner = object_of(objdir) if os.path.isdir(objdir) else {}
    by_file = collections.Counter()
    for pc in kernel:
        name = funcs[bisect.bisect_right(addrs, pc) - 1][1]
        by_file[owner.get(name, owner.get(name.split(".")[0], "?"))] += 1

    again = sum(c - 1 for c in seen.values())
    print(f"Blocks QEMU translated before ready, {os.path.relpath(a.kernel, ROOT)} on "
          f"-M q35 -smp {a.smp} -cpu max (plain TCG, {os.path.basename(qemu)}):\n")
    print(f"| kernel blocks | their instructions | translated again | firmware blocks |")
    print(f"|---:|---:|---:|---:|")
    print(f"| {len(kernel)} | {insns} | {again} | {firmware} |\n")
    if by_file:
        print("| object | blocks |")
        print("|---|---:|")
        for f, c in by_file.most_common(a.top):
            print(f"| {f} | {c} |")
        rest = len(kernel) - sum(c for _, c in by_file.most_common(a.top))
        print(f"| {len(by_file) - min(a.top, len(by_file))} others | {rest} |")


if __name__ == "__main__":
    main()
