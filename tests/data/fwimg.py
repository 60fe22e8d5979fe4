#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Firmware memory images (.fwimg): pack a raw RAM dump, show what one holds.

  fwimg.py pack RAW OUT    keep only what the firmware readers need from RAW
                           (a dump of guest-physical memory from address 0)
  fwimg.py info FILE...    summary of the ACPI, MP and SMBIOS tables in FILE

The format is described in tests/data/fw/README.md. This is an independent,
deliberately simple reader used to cut captures and to cross-check the C
readers; it trusts the tables (they come from our own emulators).
"""
import struct
import sys

MAGIC = b"FWIMAGE1"
PAGE = 0x1000


def u8(d, o):
    return d[o]


def u16(d, o):
    return struct.unpack_from("<H", d, o)[0]


def u32(d, o):
    return struct.unpack_from("<I", d, o)[0]


def u64(d, o):
    return struct.unpack_from("<Q", d, o)[0]


def csum(b):
    return sum(b) & 0xFF


class Mem:
    """Physical memory as a list of (base, bytes) chunks."""

    def __init__(self, chunks):
        self.chunks = sorted(chunks)

    def read(self, pa, n):
        for base, data in self.chunks:
            if base <= pa and pa + n <= base + len(data):
                return data[pa - base:pa - base + n]
        return None


def scan(mem, start, end, sig, step=16):
    for pa in range(start, end, step):
        b = mem.read(pa, len(sig))
        if b == sig:
            yield pa


def find_rsdp(mem):
    starts = []
    bda = mem.read(0x40E, 2)
    if bda:
        ebda = u16(bda, 0) << 4
        if 0x80000 <= ebda < 0xA0000:
            starts.append((ebda, ebda + 1024))
    starts.append((0xE0000, 0x100000))
    for s, e in starts:
        for pa in scan(mem, s, e, b"RSD PTR "):
            b = mem.read(pa, 36) or mem.read(pa, 20)
            if b and csum(b[:20]) == 0:
                return pa, b
    return None, None


def acpi_tables(mem):
    """[(sig, pa, length)] of every table reachable from the RSDP."""
    pa, r = find_rsdp(mem)
    if pa is None:
        return None, []
    out = [("RSD PTR", pa, 36 if r[15] >= 2 else 20)]
    roots = []
    if r[15] >= 2 and len(r) >= 36 and u64(r, 24):
        roots.append((u64(r, 24), 8))
    if u32(r, 16):
        roots.append((u32(r, 16), 4))
    seen = set()

    def table(a):
        h = mem.read(a, 36)
        if not h or a in seen:
            return None
        seen.add(a)
        n = u32(h, 4)
        out.append((h[0:4].decode("latin1"), a, n))
        return mem.read(a, n)

    for root, esz in roots:
        t = table(root)
        if not t:
            continue
        for o in range(36, len(t) - esz + 1, esz):
            e = u64(t, o) if esz == 8 else u32(t, o)
            tt = table(e)
            if tt and tt[0:4] == b"FACP":
                for off, sz in ((36, 4), (40, 4), (132, 8), (140, 8)):
                    if off + sz <= len(tt):
                        a = u64(tt, off) if sz == 8 else u32(tt, off)
                        if a and mem.read(a, 8) and a not in seen:
                            f = mem.read(a, 8)
                            seen.add(a)
                            out.append((f[0:4].decode("latin1"), a, u32(f, 4)))
    return pa, out


def find_mp(mem):
    ranges = []
    bda = mem.read(0x40E, 2)
    if bda and 0x80000 <= u16(bda, 0) << 4 < 0xA0000:
        ranges.append((u16(bda, 0) << 4, (u16(bda, 0) << 4) + 1024))
    kib = mem.read(0x413, 2)
    top = u16(kib, 0) * 1024 if kib else 0
    if not 0x40000 <= top <= 0xA0000:
        top = 0xA0000
    ranges += [(top - 1024, top), (0xF0000, 0x100000)]
    for s, e in ranges:
        for pa in scan(mem, s, e, b"_MP_"):
            fp = mem.read(pa, 16)
            if fp[8] and csum(mem.read(pa, fp[8] * 16) or b"\1") == 0:
                return pa, fp
    return None, None


def find_smbios(mem):
    for pa in scan(mem, 0xF0000, 0x100000, b"_SM"):
        e = mem.read(pa, 32)
        if e[:5] == b"_SM3_" and csum(e[: e[6]]) == 0:
            return pa, e, u64(e, 16), u32(e, 12)
        if e[:4] == b"_SM_" and csum(e[: e[5]]) == 0:
            return pa, e, u32(e, 0x18), u16(e, 0x16)
    return None, None, 0, 0


def needed_ranges(mem):
    """The byte ranges the readers (and tests) look at, rounded to pages."""
    r = [(0, PAGE), (0x9F000, 0xA0000), (0xE0000, 0x100000)]
    bda = mem.read(0x40E, 2)
    if bda and 0x80000 <= u16(bda, 0) << 4 < 0xA0000:
        r.append((u16(bda, 0) << 4, (u16(bda, 0) << 4) + 1024))
    kib = mem.read(0x413, 2)
    if kib and 0x40000 <= u16(kib, 0) * 1024 <= 0xA0000:
        r.append((u16(kib, 0) * 1024 - 1024, u16(kib, 0) * 1024))
    _, tabs = acpi_tables(mem)
    r += [(pa, pa + n) for _, pa, n in tabs]
    pa, fp = find_mp(mem)
    if pa is not None and u32(fp, 4):
        c = u32(fp, 4)
        h = mem.read(c, 44)
        if h:
            r.append((c, c + u16(h, 4) + u16(h, 40)))
    pa, e, t, n = find_smbios(mem)
    if pa is not None:
        r += [(pa, pa + 32), (t, t + n)]
    r = sorted((s & ~(PAGE - 1), (e + PAGE - 1) & ~(PAGE - 1)) for s, e in r)
    merged = []
    for s, e in r:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def load(path):
    d = open(path, "rb").read()
    if d[:8] != MAGIC:
        sys.exit(f"{path}: not a fwimg")
    n = u32(d, 8)
    off = 16 + 16 * n
    chunks = []
    for i in range(n):
        base, size = struct.unpack_from("<QQ", d, 16 + 16 * i)
        chunks.append((base, d[off:off + size]))
        off += size
    return Mem(chunks)


def pack(raw, out):
    d = open(raw, "rb").read()
    mem = Mem([(0, d)])
    ranges = [(s, min(e, len(d))) for s, e in needed_ranges(mem) if s < len(d)]
    hdr = MAGIC + struct.pack("<II", len(ranges), 0)
    for s, e in ranges:
        hdr += struct.pack("<QQ", s, e - s)
    with open(out, "wb") as f:
        f.write(hdr)
        for s, e in ranges:
            f.write(d[s:e])


def info(path):
    mem = load(path)
    print(f"== {path}")
    print("  chunks: " + ", ".join(f"{b:#x}+{len(c):#x}" for b, c in mem.chunks))
    rsdp, tabs = acpi_tables(mem)
    if rsdp is None:
        print("  ACPI: none")
    else:
        r = mem.read(rsdp, 20)
        print(f"  RSDP {rsdp:#x} rev {r[15]} oem {r[9:15]!r}")
        for sig, pa, n in tabs[1:]:
            h = mem.read(pa, 36)
            oem = f" oem {h[10:16]!r} {h[16:24]!r} rev {h[8]}" if h else ""
            print(f"    {sig!r:8} {pa:#010x} len {n:#x}{oem}")
            t = mem.read(pa, n)
            if sig == "APIC" and t:
                print(f"      lapic {u32(t, 36):#x} flags {u32(t, 40):#x}")
                o = 44
                while o + 2 <= n and t[o + 1]:
                    ty, ln = t[o], t[o + 1]
                    e = t[o:o + ln]
                    if ty == 0:
                        print(f"      LAPIC uid {e[2]} id {e[3]} flags {u32(e, 4):#x}")
                    elif ty == 1:
                        print(f"      IOAPIC id {e[2]} addr {u32(e, 4):#x} gsi {u32(e, 8)}")
                    elif ty == 2:
                        print(f"      ISO bus {e[2]} irq {e[3]} gsi {u32(e, 4)} flags {u16(e, 8):#x}")
                    elif ty == 4:
                        print(f"      LNMI uid {e[2]:#x} flags {u16(e, 3):#x} lint {e[5]}")
                    else:
                        print(f"      type {ty} len {ln}")
                    o += ln
            if sig == "FACP" and t:
                print(f"      flags {u32(t, 112):#x} sci {u16(t, 46)} smi {u32(t, 48):#x} "
                      f"pm1a_cnt {u32(t, 64):#x} pm_tmr {u32(t, 76):#x} "
                      f"century {t[108] if n > 108 else '-'} "
                      f"boot_arch {u16(t, 109) if n > 110 else '-'}")
            if sig == "DSDT" and t:
                i = t.find(b"_S5_")
                print(f"      _S5_ at {i:#x}: {t[i - 2:i + 12].hex() if i > 0 else '-'}")
            if sig == "HPET" and t:
                print(f"      id {u32(t, 36):#x} base {u64(t, 44):#x} num {t[52]} "
                      f"min_tick {u16(t, 53)}")
    pa, fp = find_mp(mem)
    if pa is None:
        print("  MP: none")
    else:
        c = u32(fp, 4)
        print(f"  MP floating {pa:#x} config {c:#x} rev {fp[9]} feat1 {fp[11]} "
              f"feat2 {fp[12]:#x}")
        h = mem.read(c, 44) if c else None
        if h:
            n = u16(h, 4)
            print(f"    PCMP len {n} rev {h[6]} oem {h[8:16]!r} product {h[16:28]!r} "
                  f"count {u16(h, 34)} lapic {u32(h, 36):#x}")
            t = mem.read(c, n)
            o = 44
            while o < n:
                ty = t[o]
                if ty == 0:
                    print(f"      CPU id {t[o + 1]} ver {t[o + 2]:#x} flags {t[o + 3]}")
                    o += 20
                    continue
                if ty == 1:
                    print(f"      BUS {t[o + 1]} {t[o + 2:o + 8]!r}")
                elif ty == 2:
                    print(f"      IOAPIC id {t[o + 1]} ver {t[o + 2]:#x} flags {t[o + 3]} "
                          f"addr {u32(t, o + 4):#x}")
                elif ty in (3, 4):
                    print(f"      {'IOINT' if ty == 3 else 'LINT'} type {t[o + 1]} "
                          f"flags {u16(t, o + 2):#x} bus {t[o + 4]} irq {t[o + 5]} "
                          f"dst {t[o + 6]:#x} pin {t[o + 7]}")
                else:
                    print(f"      unknown type {ty}")
                    break
                o += 8
    pa, e, t, n = find_smbios(mem)
    if pa is None:
        print("  SMBIOS: none")
    else:
        print(f"  SMBIOS {e[:5]!r} at {pa:#x} table {t:#x} len {n}")
        d = mem.read(t, n)
        o = 0
        while d and o + 4 <= len(d):
            ty, ln = d[o], d[o + 1]
            end = d.find(b"\0\0", o + ln)
            strs = d[o + ln:end].split(b"\0") if end > o + ln else []
            if ty in (0, 1):
                print(f"    type {ty}: {strs}")
            if ty == 127 or end < 0:
                break
            o = end + 2


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "pack":
        pack(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "info":
        for p in sys.argv[2:]:
            info(p)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
