#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Make fuzz seed corpora from the captured firmware images.

  mkseeds.py [FWDIR [CORPUSDIR]]   (defaults: tests/data/fw, tests/fuzz/corpus)

Each seed is a small memory image in the layout its fuzz target maps: the
captured tables copied next to each other from the target's BASE, with
every pointer between them rewritten and every checksum fixed.
  acpi/    BASE 0xE0000: RSDP, then the root, its entries, DSDT, FACS
  mptable/ BASE 0xF0000: floating pointer, then the PCMP table
  smbios/  BASE 0xF0000: entry point, then the structure table
Seeds are named seed-<image>; existing seeds are overwritten.
"""
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in tests/data
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../data"))
import fwimg  # noqa: E402


def fix_sum(b, off, length, start=0):
    b[start + off] = 0
    b[start + off] = (-sum(b[start:start + length])) & 0xFF


class Image:
    def __init__(self, base):
        self.base = base
        self.data = bytearray()

    def put(self, blob, align=16):
        while len(self.data) % align:
            self.data.append(0)
        pa = self.base + len(self.data)
        self.data += blob
        return pa

    def at(self, pa):
        return pa - self.base


def acpi_seed(mem):
    rsdp_pa, tabs = fwimg.acpi_tables(mem)
    if rsdp_pa is None:
        return None
    img = Image(0xE0000)
    r = bytearray(mem.read(rsdp_pa, 36) or mem.read(rsdp_pa, 20))
    img.put(r)
    new = {}
    for sig, pa, n in tabs[1:]:
        new[pa] = img.put(mem.read(pa, n))
    d = img.data

    def reloc(off, size):
        old = struct.unpack_from("<Q" if size == 8 else "<I", d, off)[0]
        if old in new:
            struct.pack_into("<Q" if size == 8 else "<I", d, off, new[old])

    roots = {struct.unpack_from("<I", r, 16)[0]: 4}
    if r[15] >= 2:
        roots[struct.unpack_from("<Q", r, 24)[0]] = 8
        reloc(24, 8)
    reloc(16, 4)
    for sig, pa, n in tabs[1:]:
        o = img.at(new[pa])
        if pa in roots:
            es = roots[pa]
            for e in range(o + 36, o + n - es + 1, es):
                reloc(e, es)
        if sig == "FACP":
            for off, size in ((36, 4), (40, 4), (132, 8), (140, 8)):
                if off + size <= n:
                    reloc(o + off, size)
    for sig, pa, n in tabs[1:]:
        if sig != "FACS":
            fix_sum(d, 9, n, img.at(new[pa]))
    fix_sum(d, 8, 20)
    if r[15] >= 2:
        fix_sum(d, 32, struct.unpack_from("<I", d, 20)[0])
    return bytes(d)


def mp_seed(mem):
    pa, fp = fwimg.find_mp(mem)
    if pa is None or not struct.unpack_from("<I", fp, 4)[0]:
        return None
    cfg = struct.unpack_from("<I", fp, 4)[0]
    hdr = mem.read(cfg, 44)
    img = Image(0xF0000)
    img.put(fp)
    new = img.put(mem.read(cfg, struct.unpack_from("<H", hdr, 4)[0]))
    struct.pack_into("<I", img.data, 4, new)
    fix_sum(img.data, 10, 16)
    return bytes(img.data)


def smbios_seed(mem):
    pa, e, table, n = fwimg.find_smbios(mem)
    if pa is None:
        return None
    img = Image(0xF0000)
    v3 = e[:5] == b"_SM3_"
    ep = bytearray(e[:e[6]] if v3 else e[:0x1F])
    img.put(ep, 1)
    new = img.put(mem.read(table, n))
    d = img.data
    if v3:
        struct.pack_into("<Q", d, 16, new)
        fix_sum(d, 5, d[6])
    else:
        struct.pack_into("<I", d, 0x18, new)
        fix_sum(d, 5, 15, 0x10)
        fix_sum(d, 4, d[5])
    return bytes(d)


def sdt(sig, body, rev=1):
    t = bytearray(sig + struct.pack("<IBB", 36 + len(body), rev, 0) + b"FUZZ  SYNTHTBL"
                  + struct.pack("<III", 1, 0, 0) + body)
    fix_sum(t, 9, len(t))
    return t


def madt_body(entries):
    return struct.pack("<II", 0xFEE00000, 1) + b"".join(entries)


def synthetic_acpi():
    """Shapes no captured firmware has: Xen's dom0 tables, every MADT entry type."""
    x2apic = lambda i, uid: struct.pack("<BBHIII", 9, 16, 0, i, 1, uid)
    ioapic = struct.pack("<BBBBII", 1, 12, 0, 0, 0xFEC00000, 0)
    iso = lambda irq, gsi, fl: struct.pack("<BBBBIH", 2, 10, 0, irq, gsi, fl)
    seeds = {}

    # Xen 4.17 PVH dom0: RSDP 2, no RSDT, an XSDT whose signature is junk,
    # x2APIC entries only; plus a hardware-reduced FADT 6 and a DSDT.
    img = Image(0xE0000)
    img.put(bytearray(36))
    madt = img.put(sdt(b"APIC", madt_body([x2apic(0, 0), x2apic(2, 1), ioapic, iso(0, 2, 0)]
                                           + [iso(i, i, 0xD) for i in (5, 9, 10, 11)])))
    dsdt = img.put(sdt(b"DSDT", b"\x10\x10\x5c\x00\x08\x5c_S5_\x12\x06\x02\x0b\x05\x00\x00", 2))
    fadt = bytearray(276 - 36)
    struct.pack_into("<I", fadt, 112 - 36, 1 << 20 | 1 << 8)
    struct.pack_into("<Q", fadt, 140 - 36, dsdt)
    struct.pack_into("<BBBBQ", fadt, 208 - 36, 1, 32, 0, 3, 0x608)
    struct.pack_into("<BBBBQ", fadt, 244 - 36, 0, 8, 0, 1, 0xFEA00200)
    struct.pack_into("<BBBBQ", fadt, 256 - 36, 0, 8, 0, 1, 0xFEA00201)
    fadt = img.put(sdt(b"FACP", bytes(fadt), 6))
    xsdt = img.put(sdt(b"XSDT", struct.pack("<QQ", madt, fadt)))
    img.data[xsdt - img.base:xsdt - img.base + 4] = b"\x53\xff\x00\xf0"
    fix_sum(img.data, 9, 52, xsdt - img.base)
    img.data[0:36] = b"RSD PTR \0XEN   \x02" + struct.pack("<IIQ", 0, 36, xsdt) + bytes(4)
    fix_sum(img.data, 8, 20)
    fix_sum(img.data, 32, 36)
    seeds["synth-xen-dom0"] = bytes(img.data)

    img = Image(0xE0000)
    img.put(bytearray(20))
    entries = [struct.pack("<BBBBI", 0, 8, 0, 0, 1), struct.pack("<BBBBI", 0, 8, 1, 1, 2),
               x2apic(300, 2), ioapic, iso(0, 2, 0), struct.pack("<BBHI", 3, 8, 0xD, 22),
               struct.pack("<BBBHB", 4, 6, 0xFF, 5, 1), struct.pack("<BBHQ", 5, 12, 0, 0xFEE00000),
               struct.pack("<BBHIB3x", 10, 12, 5, 300, 1), struct.pack("<BB18x", 0x7F, 20)]
    madt = img.put(sdt(b"APIC", madt_body(entries)))
    hpet = img.put(sdt(b"HPET", struct.pack("<IBBBBQBHB", 0x8086A201, 0, 64, 0, 0,
                                            0xFED00000, 0, 128, 0)))
    rsdt = img.put(sdt(b"RSDT", struct.pack("<II", madt, hpet)))
    img.data[0:20] = b"RSD PTR \0FUZZ  \0" + struct.pack("<I", rsdt)
    fix_sum(img.data, 8, 20)
    seeds["synth-madt-types"] = bytes(img.data)
    return seeds


def main():
    fwdir = sys.argv[1] if len(sys.argv) > 1 else "tests/data/fw"
    out = sys.argv[2] if len(sys.argv) > 2 else "tests/fuzz/corpus"
    makers = {"acpi": acpi_seed, "mptable": mp_seed, "smbios": smbios_seed}
    for name in sorted(os.listdir(fwdir)):
        if not name.endswith(".fwimg"):
            continue
        mem = fwimg.load(os.path.join(fwdir, name))
        for target, make in makers.items():
            seed = make(mem)
            if seed is None:
                continue
            os.makedirs(os.path.join(out, target), exist_ok=True)
            path = os.path.join(out, target, "seed-" + name[:-len(".fwimg")])
            with open(path, "wb") as f:
                f.write(seed)
            print(f"{path}: {len(seed)} bytes")
    for name, seed in synthetic_acpi().items():
        path = os.path.join(out, "acpi", "seed-" + name)
        with open(path, "wb") as f:
            f.write(seed)
        print(f"{path}: {len(seed)} bytes")


if __name__ == "__main__":
    main()
