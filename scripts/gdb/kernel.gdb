# gdb script for a kernel halted in QEMU (-S, gdb stub): docs/debugging.md.
#
# `make debug` (tests/boot/matrix.py debug) sets the environment:
#   KERNEL_SYM         the ELF with DWARF, in the arch's own class
#                      (build/<arch>/kernel.sym; never the x86_64 kernel.elf,
#                      which is ELF32 for QEMU's Multiboot loader)
#   KERNEL_GDB_REMOTE  host:port of QEMU's gdb stub (default 127.0.0.1:1234)
# then this script stops at start_kernel_early and prints the backtrace.
#
# Breakpoints before start_kernel_early are hardware ones: at -S the kernel is
# not in memory yet (QEMU's Multiboot option ROM copies it there after the
# BIOS), so under KVM a software breakpoint's int3 would be overwritten.

set pagination off
set confirm off
set print pretty on
set disassemble-next-line auto

python
import os
import subprocess

sym = os.environ.get("KERNEL_SYM") or "build/%s/kernel.sym" % os.environ.get("KERNEL_ARCH", "x86_64")
remote = os.environ.get("KERNEL_GDB_REMOTE", "127.0.0.1:1234")
gdb.execute("file " + sym)
gdb.execute("target remote " + remote)


class Dis32(gdb.Command):
    """dis32 [ADDR [COUNT]]: disassemble 32-bit code (default: $pc, 16 insns).

    qemu-system-x86_64's stub reports an x86-64 target in every CPU mode, so
    gdb decodes the x86_64 kernel's 32-bit entry code (_start up to entry64)
    as 64-bit code, and `set architecture i386` is refused while connected.
    objdump -M i386 on the symbol file decodes it as the CPU runs it."""

    def __init__(self):
        super().__init__("dis32", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        where = gdb.parse_and_eval(argv[0] if argv else "$pc")
        try:
            addr = int(where)
        except gdb.error:       # a label without debug info: use its address
            addr = int(where.address)
        addr &= 0xFFFFFFFF
        count = int(argv[1]) if len(argv) > 1 else 16
        out = subprocess.run(
            ["objdump", "-d", "-M", "i386", "--no-show-raw-insn",
             "--start-address=%#x" % addr, "--stop-address=%#x" % (addr + 15 * count),
             gdb.current_progspace().filename],
            capture_output=True, text=True).stdout
        insns = [l for l in out.splitlines() if l[:1] == " " and ":\t" in l]
        for line in insns[:count]:
            gdb.write(line + "\n")


Dis32()
end

thbreak start_kernel_early
continue
backtrace
