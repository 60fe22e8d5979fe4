#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write the ES7000 OEM tables for QEMU's -acpitable file=... (format in
include/firmware/es7000.h):

  oem.bin      valid: 4 clusters (16 CPUs), 1 partition
  oem-bad.bin  format version 2: the kernel must refuse the identity

QEMU's -acpitable file= takes the whole table but recomputes its checksum,
so a bad checksum cannot reach the kernel that way: oem-bad.bin is bad in a
field instead, and the checksum cases are host tests (tests/host/test_es7000.c).
Usage: mk-oemtable.py [OUTDIR] (default: this script's directory).
"""
import os
import struct
import sys


def table(version=1, partitions=1, per_cluster=4, clusters=4):
    body = b"ES7000\0\0" + struct.pack("<HBBB3x", version, partitions, per_cluster, clusters)
    length = 36 + len(body)
    t = bytearray(b"OEM1" + struct.pack("<IBB", length, 1, 0) + b"UNISYS" + b"ES7000  "
                  + struct.pack("<I", 1) + b"MKOT" + struct.pack("<I", 1) + body)
    t[9] = -sum(t) & 0xFF
    return bytes(t)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, data in (("oem.bin", table()), ("oem-bad.bin", table(version=2))):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
