#!/usr/bin/python3
"""Seed corpora for the fuzz targets added with the hostile-firmware work
(tests/fuzz/Makefile.frag): writes tests/fuzz/corpus/<target>/seed-*.

  tests/fuzz/mkseeds_more.py [BUILD_DIR]   (BUILD_DIR: the VMI ROMs, default build)

acpi:     the hostile_fw.py table sets laid out as memory from 0xE0000
          (fuzz_acpi's BASE), pointers resolved, checksums as the case says
topology: each case's MADT, after fuzz_topology's three control bytes
bootinfo: Multiboot and PVH info blocks at 0x10000 (fuzz_bootinfo's BASE)
vmi:      every ROM make vmi-rom builds, both arches
es7000:   tests/data/es7000/*.bin
cmdline:  the matrix's command lines and ktest patterns
json:     small writer programs
"""
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "boot"))
import hostile_fw  # noqa: E402


def write(target, name, data):
    d = HERE / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data)


def acpi_image(case, base=0xE0000):
    """RSDP at base, the tables at base + 64, as SeaBIOS would lay them out."""
    files = hostile_fw.build(case)
    rsdp, tables, loader = (bytearray(files["rsdp"]), bytearray(files["tables"]),
                            files["table-loader"])
    addr = {hostile_fw.RSDP_FILE: (rsdp, base), hostile_fw.TABLES_FILE: (tables, base + 64)}
    for i in range(0, len(loader), 128):
        cmd = struct.unpack_from("<I", loader, i)[0]
        if cmd == hostile_fw.ADD_POINTER:
            dest = loader[i + 4:i + 60].rstrip(b"\0").decode()
            src = loader[i + 60:i + 116].rstrip(b"\0").decode()
            off, size = struct.unpack_from("<IB", loader, i + 116)
            buf = addr[dest][0]
            v = int.from_bytes(buf[off:off + size], "little") + addr[src][1]
            buf[off:off + size] = v.to_bytes(size, "little")
        elif cmd == hostile_fw.ADD_CHECKSUM:
            f = loader[i + 4:i + 60].rstrip(b"\0").decode()
            off, start, length = struct.unpack_from("<III", loader, i + 60)
            buf = addr[f][0]
            buf[off] = (buf[off] - sum(buf[start:start + length])) & 0xff
    return bytes(rsdp.ljust(64, b"\0") + tables)


def madt_table(case):
    body = hostile_fw.CASES[case].get("madt", hostile_fw.madt_body())
    length = 36 + len(body)
    hdr = struct.pack("<4sIBB6s8sI4sI", b"APIC", length, 3, 0, b"HOSTIL", b"HOSTILE ", 1,
                      b"HSTL", 1)
    t = bytearray(hdr + body)
    t[9] = (-sum(t)) & 0xff
    return bytes(t)


def multiboot(cmdline=b"ktest=core maxcpus=2", mmap=((0, 0x9fc00, 1), (0x100000, 0x7f00000, 1),
                                                      (0xfffc0000, 0x40000, 2))):
    base = 0x10000
    info = bytearray(128)
    blob = bytearray()
    cmd_at = base + 128
    blob += cmdline + b"\0"
    loader_at = base + 128 + len(blob)
    blob += b"qemu\0"
    while len(blob) % 8:
        blob.append(0)
    mmap_at = base + 128 + len(blob)
    for b, length, t in mmap:
        blob += struct.pack("<IQQI", 20, b, length, t)
    struct.pack_into("<IIII", info, 0, (1 << 0) | (1 << 2) | (1 << 6) | (1 << 9), 639, 130048, 0)
    struct.pack_into("<I", info, 16, cmd_at)
    struct.pack_into("<II", info, 44, 24 * len(mmap), mmap_at)
    struct.pack_into("<I", info, 64, loader_at)
    return bytes(info + blob)


def pvh(cmdline=b"ktest=core"):
    base = 0x10000
    info = bytearray(64)
    cmd_at = base + 64
    mm_at = cmd_at + 64
    struct.pack_into("<IIII", info, 0, 0x336ec578, 1, 0, 0)
    struct.pack_into("<QQQQI", info, 16, 0, cmd_at, 0xf59e0, mm_at, 2)
    mm = struct.pack("<QQII", 0, 0x9fc00, 1, 0) + struct.pack("<QQII", 0x100000, 0x7f00000, 1, 0)
    return bytes(info + cmdline.ljust(64, b"\0") + mm)


def main(argv):
    build = Path(argv[1]) if len(argv) > 1 else ROOT / "build"
    for case in hostile_fw.CASES:
        write("acpi", f"hostile-{case}", acpi_image(case))
        write("topology", f"hostile-{case}-xapic", b"\x00\x05\x00" + madt_table(case))
        write("topology", f"hostile-{case}-cluster", b"\x00\x05\x14" + madt_table(case))
        write("topology", f"hostile-{case}-x2apic", b"\x01\x17\x85" + madt_table(case))
    write("bootinfo", "multiboot", multiboot())
    write("bootinfo", "multiboot-long", multiboot(b"x" * 600))
    write("bootinfo", "multiboot-quoted", multiboot(b'ktest="a b,c" ' + b"y " * 300))
    write("bootinfo", "pvh", pvh())
    write("bootinfo", "pvh-long", pvh(b"loglevel=6 " * 6))
    for arch in ("i386", "x86_64"):
        for rom in sorted((build / arch).glob("vmi*.rom")):
            write("vmi", f"{arch}-{rom.stem}", rom.read_bytes())
    for f in sorted((ROOT / "tests" / "data" / "es7000").glob("*.bin")):
        write("es7000", f.stem, f.read_bytes())
    lines = [b"core heap ktest=core.h*", b"smp ipi ktest=*.*i*", b"a b ktest=*a*b*c*",
             b"conformance timer ktest=conformance.timer*",
             b"x y machine=pc-acpi nopv nosmp maxcpus=12 apic=x2apic-cluster clock=hpet "
             b"ktest=x.? nmi_watchdog=1 pvpatch=nop bench loglevel=7 smp_phantom=256",
             b'q r ktest="q.*" bogus=1 maxcpus=99999 apic=nonsense']
    for i, line in enumerate(lines):
        write("cmdline", f"{i}", line)
    progs = [b"\x01\x00" + b"\x00hello\x00\x02\x00\x03\x00\x00x\x00\x04\x00\x04\x00",
             b"\x00\x40" + b"\x80key\x01\x00\x05\x00\x06\x00\x07\x00" * 8,
             b"\x0f\xff" + b"\x02\x00" * 25 + b"\x00" + bytes(range(1, 200)) + b"\x00"]
    for i, p in enumerate(progs):
        write("json", f"{i}", p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
