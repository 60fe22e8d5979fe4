#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Make a PC option ROM of a flat VMI ROM image (docs/vmi.md).

mkrom.py IN.bin OUT.rom [--variants DIR]

Pads the image to whole 512-byte blocks (one byte kept for the checksum),
writes the size byte (offset 2) and the VMI header's image_size, and sets the
last byte so that all bytes sum to 0 mod 256. With --variants, also writes the
broken ROMs the boot matrix loads to see the kernel refuse them:
  vmi-badsum.rom     checksum off by one
  vmi-major2.rom     API major 2 (valid checksum)
  vmi-truncated.rom  size byte claims more blocks than the image has
"""
import struct
import sys
from pathlib import Path

BLOCK = 512
HEADER = 0x20           # VMI_HEADER_OFFSET
SIGNATURE = 0x52494d56  # VMI_SIGNATURE, "VMIR"
OFF_MAJOR = HEADER + 4
OFF_IMAGE_SIZE = HEADER + 24


def fix_checksum(rom):
    rom[-1] = 0
    rom[-1] = (-sum(rom)) & 0xff


def make(image):
    if image[:2] != b"\x55\xaa":
        raise SystemExit("mkrom: the image does not start with 0x55 0xAA")
    if struct.unpack_from("<I", image, HEADER)[0] != SIGNATURE:
        raise SystemExit("mkrom: no VMI header at 0x20")
    blocks = (len(image) + 1 + BLOCK - 1) // BLOCK
    if blocks > 255:
        raise SystemExit(f"mkrom: {len(image)} bytes do not fit an option ROM")
    rom = bytearray(image) + bytes(blocks * BLOCK - len(image))
    rom[2] = blocks
    struct.pack_into("<I", rom, OFF_IMAGE_SIZE, blocks * BLOCK)
    fix_checksum(rom)
    return rom


def variants(rom):
    bad = bytearray(rom)
    bad[-1] = (bad[-1] + 1) & 0xff
    major = bytearray(rom)
    struct.pack_into("<H", major, OFF_MAJOR, 2)
    fix_checksum(major)
    # The size byte claims 4 more blocks than the image holds; the checksum is
    # made right over the claimed size as if the missing bytes were zero, so
    # only the header's own image_size can tell.
    trunc = bytearray(rom)
    trunc[2] += 4
    fix_checksum(trunc)
    return {"vmi-badsum.rom": bad, "vmi-major2.rom": major, "vmi-truncated.rom": trunc}


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--variants"):
        raise SystemExit(__doc__)
    rom = make(Path(argv[1]).read_bytes())
    Path(argv[2]).write_bytes(rom)
    if len(argv) == 5:
        for name, data in variants(rom).items():
            Path(argv[4], name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
