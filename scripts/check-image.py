#!/usr/bin/python3
"""check-image.py KERNEL [--xen-pv]: verify what the loaders will see in a kernel image.

- a Multiboot v1 header in the first 8 KiB, 4-byte aligned, checksum right;
- with the a.out kludge (flag bit 16, the x86_64 image): the file range the
  kludge names [header offset - (header_addr - load_addr), + load_end - load_addr)
  holds exactly the bytes of every PT_LOAD segment at its address (QEMU and
  GRUB copy that range and nothing else), bss_end_addr >= load_end_addr, and
  entry_addr inside it;
- the Xen notes a loader needs: PHYS32_ENTRY always; with --xen-pv (an
  x86_64 kernel with CONFIG_MACHINE_XEN_PV) also the classic PV set (ENTRY, HYPERCALL_PAGE, LOADER "generic", XEN_VERSION,
  VIRT_BASE 0, PADDR_OFFSET 0, SUPPORTED_FEATURES with XENFEAT_dom0), each
  address-valued note pointing into a loaded segment.
Exits non-zero with one line per problem.
"""
import struct
import sys

MB_MAGIC = 0x1BADB002
AOUT_KLUDGE = 1 << 16


def segments(data):
    """(is64, [(vaddr, offset, filesz, memsz)], [(type, desc)]) of an ELF file."""
    if data[:4] != b"\x7fELF":
        raise ValueError("not an ELF file")
    is64 = data[4] == 2
    if is64:
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    else:
        phoff, = struct.unpack_from("<I", data, 0x1C)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x2A)
    loads, notes = [], []
    for i in range(phnum):
        o = phoff + i * phentsize
        if is64:
            ptype, _, off, vaddr, _, filesz, memsz = struct.unpack_from("<IIQQQQQ", data, o)
        else:
            ptype, off, vaddr, _, filesz, memsz = struct.unpack_from("<IIIIII", data, o)
        if ptype == 1:
            loads.append((vaddr, off, filesz, memsz))
        elif ptype == 4:
            p = off
            while p + 12 <= off + filesz:
                namesz, descsz, ntype = struct.unpack_from("<III", data, p)
                name = data[p + 12:p + 12 + namesz]
                d = p + 12 + (namesz + 3) // 4 * 4
                if name == b"Xen\0":
                    notes.append((ntype, data[d:d + descsz]))
                p = d + (descsz + 3) // 4 * 4
    return is64, loads, notes


def check(path, pv):
    data = open(path, "rb").read()
    errs = []
    is64, loads, notes = segments(data)
    hdr = None
    for off in range(0, min(len(data), 8192) - 12, 4):
        magic, flags, csum = struct.unpack_from("<III", data, off)
        if magic == MB_MAGIC and (magic + flags + csum) & 0xFFFFFFFF == 0:
            hdr = off, flags
            break
    if hdr is None:
        errs.append("no Multiboot header in the first 8 KiB")
    elif hdr[1] & AOUT_KLUDGE:
        off, _ = hdr
        haddr, load, load_end, bss_end, entry = struct.unpack_from("<5I", data, off + 12)
        start = off - (haddr - load)
        if start < 0 or start + (load_end - load) > len(data):
            errs.append(f"a.out kludge: file range {start:#x}+{load_end - load:#x} outside the file")
        else:
            for vaddr, foff, filesz, _ in loads:
                if filesz and not load <= vaddr <= vaddr + filesz <= load_end:
                    errs.append(f"a.out kludge: segment {vaddr:#x}+{filesz:#x} outside "
                                f"[{load:#x}, {load_end:#x})")
                    continue
                img = data[start + vaddr - load:start + vaddr - load + filesz]
                if img != data[foff:foff + filesz]:
                    errs.append(f"a.out kludge: segment at {vaddr:#x} is not where the "
                                f"kludge's file range puts it (file not contiguous)")
            if bss_end and bss_end < load_end:
                errs.append("a.out kludge: bss_end_addr below load_end_addr")
            if not load <= entry < load_end:
                errs.append(f"a.out kludge: entry {entry:#x} outside the loaded range")
    ndict = {}
    for t, d in notes:
        ndict.setdefault(t, d)

    def in_load(addr):
        return any(v <= addr < v + m for v, _, _, m in loads)

    def addr_note(t, name):
        d = ndict.get(t)
        if d is None:
            errs.append(f"Xen note {name} ({t}) missing")
            return None
        if len(d) not in (4, 8):
            errs.append(f"Xen note {name}: {len(d)} bytes")
            return None
        return int.from_bytes(d, "little")

    a = addr_note(18, "PHYS32_ENTRY")
    if a is not None and (not in_load(a) or (is64 and len(ndict[18]) != 8)):
        errs.append(f"Xen note PHYS32_ENTRY {a:#x}: not in a segment or not 8 bytes in ELF64")
    if pv:
        for t, name in ((1, "ENTRY"), (2, "HYPERCALL_PAGE")):
            a = addr_note(t, name)
            if a is not None and not in_load(a):
                errs.append(f"Xen note {name} {a:#x} not in a loaded segment")
        for t, name in ((3, "VIRT_BASE"), (4, "PADDR_OFFSET")):
            a = addr_note(t, name)
            if a:
                errs.append(f"Xen note {name} is {a:#x}, not 0")
        if ndict.get(8, b"").rstrip(b"\0") != b"generic":
            errs.append("Xen note LOADER is not \"generic\"")
        if not ndict.get(5, b"").startswith(b"xen-3.0"):
            errs.append("Xen note XEN_VERSION is not \"xen-3.0\"")
        feat = ndict.get(17)
        if feat is not None and not int.from_bytes(feat[:4], "little") & (1 << 11):
            errs.append("Xen note SUPPORTED_FEATURES lacks XENFEAT_dom0")
    return errs


def main():
    pv = "--xen-pv" in sys.argv[2:]
    errs = check(sys.argv[1], pv)
    for e in errs:
        print(f"check-image: {sys.argv[1]}: {e}", file=sys.stderr)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
