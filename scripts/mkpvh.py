#!/usr/bin/python3
"""Copy kernel.elf to kernel-pvh.elf with the Multiboot magic zeroed.

QEMU tries Multiboot before PVH, so to exercise its PVH entry the image must
not carry the Multiboot magic in its first 8 KiB. Everything else, including
the PVH note, stays byte-identical.
"""
import struct
import sys

MAGIC = struct.pack("<I", 0x1BADB002)
src, dst = sys.argv[1], sys.argv[2]
data = bytearray(open(src, "rb").read())
for off in range(0, min(len(data), 8192) - 12, 4):
    if data[off:off + 4] == MAGIC:
        flags, check = struct.unpack_from("<II", data, off + 4)
        if (0x1BADB002 + flags + check) & 0xFFFFFFFF == 0:
            data[off:off + 4] = b"\0\0\0\0"
            break
else:
    sys.exit("mkpvh: no Multiboot header in the first 8 KiB of " + src)
open(dst, "wb").write(data)
