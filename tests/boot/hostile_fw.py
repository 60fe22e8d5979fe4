#!/usr/bin/python3
"""Hostile firmware: ACPI tables written from here, handed to SeaBIOS by QEMU.

QEMU `-M pc,acpi=off` builds no ACPI tables of its own; with
    -fw_cfg name=etc/acpi/rsdp,file=DIR/rsdp
    -fw_cfg name=etc/acpi/tables,file=DIR/tables
    -fw_cfg name=etc/table-loader,file=DIR/table-loader
SeaBIOS runs our table-loader script instead (SeaBIOS src/fw/romfile_loader.c,
QEMU hw/acpi/bios-linker-loader.c): 128-byte commands, ALLOCATE (a fw_cfg file
into the F segment or high memory), ADD_POINTER (add a file's address to a
pointer in another file), ADD_CHECKSUM (make a byte range sum to 0). So the
RSDP, RSDT/XSDT, MADT, FADT, DSDT, FACS and HPET table are exactly what a case
says, bad checksums included. SeaBIOS still writes its MP table (the fallback
when our ACPI is unusable) and SMBIOS.

    hostile_fw.py OUTDIR            write OUTDIR/<case>/{rsdp,tables,table-loader}
    hostile_fw.py --list            the cases, one line each
    hostile_fw.py --opts CASE DIR   the QEMU options for one case

Each case is one configuration of tests/boot/matrix.cfg (group `hostile`),
whose expect_log names the line the kernel must print about it.
"""
import struct
import sys
from pathlib import Path

ALLOCATE, ADD_POINTER, ADD_CHECKSUM = 1, 2, 3
ZONE_HIGH, ZONE_FSEG = 1, 2
RSDP_FILE, TABLES_FILE = "etc/acpi/rsdp", "etc/acpi/tables"

OEM_ID, OEM_TABLE = b"HOSTIL", b"HOSTILE "


def checksum8(data):
    return (-sum(data)) & 0xff


class Loader:
    """The table-loader script: a list of 128-byte commands."""

    def __init__(self):
        self.cmds = []

    def _cmd(self, command, body):
        assert len(body) <= 124
        self.cmds.append(struct.pack("<I", command) + body.ljust(124, b"\0"))

    @staticmethod
    def _name(s):
        b = s.encode()
        assert len(b) < 56
        return b.ljust(56, b"\0")

    def allocate(self, file, align, zone):
        self._cmd(ALLOCATE, self._name(file) + struct.pack("<IB", align, zone))

    def add_pointer(self, dest_file, src_file, offset, size):
        self._cmd(ADD_POINTER, self._name(dest_file) + self._name(src_file) +
                  struct.pack("<IB", offset, size))

    def add_checksum(self, file, offset, start, length):
        self._cmd(ADD_CHECKSUM, self._name(file) + struct.pack("<III", offset, start, length))

    def bytes(self):
        return b"".join(self.cmds)


class Tables:
    """etc/acpi/tables: the tables back to back, with the pointers and checksums
    the loader must patch."""

    def __init__(self, loader):
        self.blob = bytearray()
        self.loader = loader
        self.pointers = []      # (offset in tables, size): pointer into tables
        self.sums = []          # (checksum offset, start, length)

    def add(self, sig, revision, body, checksum="good", align=16):
        while len(self.blob) % align:
            self.blob.append(0)
        at = len(self.blob)
        length = 36 + len(body)
        hdr = struct.pack("<4sIBB6s8sI4sI", sig, length, revision, 0, OEM_ID, OEM_TABLE, 1,
                          b"HSTL", 1)
        self.blob += hdr + body
        if checksum == "good":
            self.sums.append((at + 9, at, length))
        elif checksum == "bad":
            # Sum all but the first byte: the whole table then sums to the
            # signature's first letter, never 0, whatever the pointers became.
            self.sums.append((at + 9, at + 1, length - 1))
        return at

    def add_raw(self, data, align=64):
        while len(self.blob) % align:
            self.blob.append(0)
        at = len(self.blob)
        self.blob += data
        return at

    def pointer(self, at, size):
        """The size-byte field at `at` holds an offset into the tables; the
        loader turns it into an address."""
        self.pointers.append((at, size))

    def set32(self, at, value):
        self.blob[at:at + 4] = struct.pack("<I", value)

    def set64(self, at, value):
        self.blob[at:at + 8] = struct.pack("<Q", value)


# ---- table bodies --------------------------------------------------------

def madt_lapic(uid, apic_id, flags=1):
    return struct.pack("<BBBBI", 0, 8, uid, apic_id, flags)


def madt_x2apic(apic_id, uid, flags=1):
    return struct.pack("<BBHIII", 9, 16, 0, apic_id, flags, uid)


def madt_ioapic(ioapic_id, address, gsi_base):
    return struct.pack("<BBBBII", 1, 12, ioapic_id, 0, address, gsi_base)


def madt_override(irq, gsi, flags=0):
    return struct.pack("<BBBBIH", 2, 10, 0, irq, gsi, flags)


def madt_lapic_nmi(uid=0xff, lint=1, flags=0):
    return struct.pack("<BBBHB", 4, 6, uid, flags, lint)


def madt_lapic_addr(address):
    return struct.pack("<BBHQ", 5, 12, 0, address)


# What QEMU pc writes (EMULATORS.md): IRQ0 -> GSI2, 5/9/10/11 level, active high.
QEMU_OVERRIDES = [(0, 2, 0), (5, 5, 0xd), (9, 9, 0xd), (10, 10, 0xd), (11, 11, 0xd)]


def madt_body(cpus=((0, 0), (1, 1)), ioapics=((0, 0xfec00000, 0),), overrides=None,
              lapic_addr=0xfee00000, extra=b"", nmis=True):
    """cpus: (uid, apic id[, flags]) as type 0 entries, apic id >= 255 as type 9."""
    body = struct.pack("<II", lapic_addr, 1)    # flags: PCAT_COMPAT
    for c in cpus:
        uid, apic = c[0], c[1]
        flags = c[2] if len(c) > 2 else 1
        body += madt_x2apic(apic, uid, flags) if apic > 254 else madt_lapic(uid, apic, flags)
    for io in ioapics:
        body += madt_ioapic(*io)
    for o in (QEMU_OVERRIDES if overrides is None else overrides):
        body += madt_override(*o)
    if nmis:
        body += madt_lapic_nmi()
    return body + extra


def hpet_body(address=0xfed00000):
    # event timer block id (8086:a201, 3 comparators), base GAS, number, min tick, prot.
    return struct.pack("<IBBBBQBHB", 0x8086a201, 0, 64, 0, 0, address, 0, 0x80, 0)


def aml_s5(a, b):
    """Name(\\_S5, Package(){a, b}) in AML."""
    pkg = bytes([2, 0x0a, a, 0x0a, b])
    return b"\x08\\_S5_\x12" + bytes([len(pkg) + 1]) + pkg


def fadt_body():
    """An ACPI 1.0 FADT (116 bytes): DSDT and FACS pointers patched by the loader.
    PM1a control at 0x604 (SeaBIOS' PIIX4 base; with acpi=off nothing answers
    there, which does not matter: the kernel exits through isa-debug-exit first),
    no PM timer (there is none without QEMU's ACPI device)."""
    b = bytearray(116 - 36)
    struct.pack_into("<II", b, 0, 0, 0)                 # FIRMWARE_CTRL, DSDT (patched)
    struct.pack_into("<H", b, 46 - 36, 9)               # SCI_INT
    struct.pack_into("<I", b, 64 - 36, 0x600)           # PM1a_EVT_BLK
    struct.pack_into("<I", b, 72 - 36, 0x604)           # PM1a_CNT_BLK
    b[88 - 36] = 4                                      # PM1_EVT_LEN
    b[89 - 36] = 2                                      # PM1_CNT_LEN
    struct.pack_into("<I", b, 112 - 36, 1 << 4)         # flags: PROC_C1
    return bytes(b)


# ---- one machine's tables --------------------------------------------------

def build(case):
    """The three fw_cfg files for a case: dict of name -> bytes."""
    loader = Loader()
    t = Tables(loader)
    c = dict(CASES[case])
    madt = c.get("madt", madt_body())
    facs = t.add_raw(b"FACS" + struct.pack("<I", 64) + bytes(56), align=64)
    dsdt = t.add(b"DSDT", 1, aml_s5(0, 0), checksum=c.get("dsdt_sum", "good"))
    fadt = t.add(b"FACP", 1, fadt_body(), checksum=c.get("fadt_sum", "good"))
    t.set32(fadt + 36, facs)
    t.pointer(fadt + 36, 4)
    t.set32(fadt + 40, dsdt)
    t.pointer(fadt + 40, 4)
    entries = [fadt]
    entries.append(t.add(b"APIC", 1, madt, checksum=c.get("madt_sum", "good")))
    if c.get("hpet", True):
        entries.append(t.add(b"HPET", 1, hpet_body(c.get("hpet_addr", 0xfed00000))))
    if "second_dsdt" in c:
        # Listed in the RSDT before anything else, with a different \_S5.
        entries.insert(0, t.add(b"DSDT", 1, aml_s5(*c["second_dsdt"])))
    rsdt = t.add(b"RSDT", 1, b"".join(struct.pack("<I", e) for e in entries),
                 checksum=c.get("rsdt_sum", "good"))
    for i in range(len(entries)):
        t.pointer(rsdt + 36 + 4 * i, 4)

    rsdp = bytes(struct.pack("<8sB6sBI", b"RSD PTR ", 0, OEM_ID, 0, rsdt))

    loader.allocate(RSDP_FILE, 16, ZONE_FSEG)
    loader.allocate(TABLES_FILE, 64, ZONE_HIGH)
    for at, size in t.pointers:
        loader.add_pointer(TABLES_FILE, TABLES_FILE, at, size)
    for off, start, length in t.sums:
        loader.add_checksum(TABLES_FILE, off, start, length)
    loader.add_pointer(RSDP_FILE, TABLES_FILE, 16, 4)
    if c.get("rsdp_sum", "good") == "good":
        loader.add_checksum(RSDP_FILE, 8, 0, 20)
    else:
        loader.add_checksum(RSDP_FILE, 8, 1, 19)    # sums to 'R', as above
    return {"rsdp": bytes(rsdp), "tables": bytes(t.blob), "table-loader": loader.bytes()}


def many_cpus():
    """300 CPUs, most of them with ids no xAPIC can name."""
    cpus = [(0, 0), (1, 1)] + [(i, 254 + i) for i in range(2, 300)]
    return madt_body(cpus=cpus)


CASES = {
    # A well-formed machine: the control case.
    "baseline": {},
    # CPUs firmware lists that xAPIC cannot address: 255 is the broadcast id,
    # 256 truncates to 0 (the boot CPU) in an 8-bit destination field.
    "apic-id-255": {"madt": madt_body(cpus=((0, 0), (1, 255)))},
    "x2apic-id-256": {"madt": madt_body(cpus=((0, 0), (1, 1), (2, 256)))},
    "many-cpus": {"madt": many_cpus()},
    # 64 listed CPUs (62 of them absent): too many for xAPIC cluster mode.
    "cpus-64": {"madt": madt_body(cpus=[(i, i) for i in range(64)])},
    # The MADT forgets the boot CPU, or lists it disabled.
    "no-boot-cpu": {"madt": madt_body(cpus=((1, 1),))},
    "boot-cpu-disabled": {"madt": madt_body(cpus=((0, 0, 0), (1, 1)))},
    # IO-APIC registers where no device can be: inside the kernel image
    # (loaded at 1 MiB), page 0 (the real-mode IVT), RAM, nothing at all;
    # listed twice; a GSI base that wraps. The only IO-APIC refused: the
    # 8259 carries device IRQs (virtual wire through LINT0).
    "ioapic-in-kernel": {"madt": madt_body(ioapics=((0, 0x00101000, 0),))},
    "ioapic-page0": {"madt": madt_body(ioapics=((0, 0x00000010, 0),))},
    "ioapic-in-ram": {"madt": madt_body(ioapics=((0, 0x00400000, 0),))},
    "ioapic-unbacked": {"madt": madt_body(ioapics=((0, 0xfe000000, 0),))},
    "ioapic-duplicate": {"madt": madt_body(ioapics=((0, 0xfec00000, 0),
                                                    (1, 0xfec00000, 24)))},
    "ioapic-gsi-wrap": {"madt": madt_body(ioapics=((0, 0xfec00000, 0xfffffff0),),
                                          overrides=())},
    # Overrides: to a GSI no IO-APIC serves, from an IRQ that is not ISA, and
    # level/active-low on IRQ0 (the PIT is edge, active high: a storm).
    "override-gsi-unserved": {"madt": madt_body(overrides=QEMU_OVERRIDES + [(4, 200, 0)])},
    "override-bad-irq": {"madt": madt_body(overrides=QEMU_OVERRIDES + [(200, 20, 0)])},
    "irq0-level-low": {"madt": madt_body(overrides=[(0, 2, 0xf)] + QEMU_OVERRIDES[1:])},
    # The local APIC address: in RAM, where nothing answers, and moved by a
    # type 5 entry; IA32_APIC_BASE is the truth.
    "lapic-addr-ram": {"madt": madt_body(lapic_addr=0x00200000)},
    "lapic-addr-unbacked": {"madt": madt_body(lapic_addr=0xfd000000)},
    "lapic-addr-override": {"madt": madt_body(extra=madt_lapic_addr(0x1000))},
    # A local APIC NMI on LINT7 (there are two pins).
    "lapic-nmi-bad-lint": {"madt": madt_body(nmis=False, extra=madt_lapic_nmi(lint=7))},
    # HPET: registers in RAM, or nothing there.
    "hpet-in-ram": {"hpet_addr": 0x00800000},
    "hpet-unbacked": {"hpet_addr": 0xfe800000},
    # A second table called DSDT in the RSDT, ahead of the FADT's DSDT.
    "second-dsdt": {"second_dsdt": (7, 7)},
    # Bad checksums: the table is refused and the next source is used.
    "madt-bad-checksum": {"madt_sum": "bad"},
    "rsdt-bad-checksum": {"rsdt_sum": "bad"},
    "rsdp-bad-checksum": {"rsdp_sum": "bad"},
}


def qemu_opts(case, base):
    d = Path(base) / case
    return " ".join(f"-fw_cfg name={n},file={d / f}" for n, f in
                    (("etc/acpi/rsdp", "rsdp"), ("etc/acpi/tables", "tables"),
                     ("etc/table-loader", "table-loader")))


def main(argv):
    if argv[1:2] == ["--list"]:
        print("\n".join(CASES))
        return 0
    if argv[1:2] == ["--opts"] and len(argv) == 4:
        print(qemu_opts(argv[2], argv[3]))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[1])
    for case in CASES:
        d = out / case
        d.mkdir(parents=True, exist_ok=True)
        for name, data in build(case).items():
            p = d / name
            if not p.exists() or p.read_bytes() != data:
                p.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
