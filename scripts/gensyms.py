#!/usr/bin/python3
"""Write the kernel's symbol table (.ksyms) as assembly, from `nm -n` output.

    nm -n kernel.pass1 | gensyms.py -          > ksyms.S
    gensyms.py /dev/null                       > ksyms0.S   (empty, first pass)
    nm -n kernel.sym | gensyms.py --check ksyms.S   verify nothing moved

Only text symbols (t/T/W) go in, plus an end marker at _etext so the last
function has a size. .ksyms is the last section, so the second link moves
no text symbol; --check proves it.
"""
import sys

TEXT_TYPES = set("tTwW")


def text_symbols(lines):
    syms, etext = [], None
    for line in lines:
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if name == "_etext":
            etext = addr
        if kind in TEXT_TYPES and not name.startswith(".L"):
            syms.append((addr, name))
    syms.sort()
    if etext is not None:
        syms.append((etext, "_etext"))
    return syms


def emit(syms):
    out = ['\t.section .ksyms, "a"', "\t.balign 4",
           "\t.globl ksym_count, ksym_addrs, ksym_name_offs, ksym_strings",
           "ksym_count:\t.long %d" % len(syms), "ksym_addrs:"]
    out += ["\t.long 0x%x" % a for a, _ in syms]
    out.append("ksym_name_offs:")
    off = 0
    for _, n in syms:
        out.append("\t.long %d" % off)
        off += len(n) + 1
    out.append("ksym_strings:")
    out += ['\t.asciz "%s"' % n for _, n in syms]
    return "\n".join(out) + "\n"


def main():
    if sys.argv[1] == "--check":
        final = text_symbols(sys.stdin)
        table = [l.split()[1] for l in open(sys.argv[2]) if l.startswith("\t.long 0x")]
        got = ["0x%x" % a for a, _ in final]
        if table != got:
            sys.exit("gensyms: text symbols moved between link passes")
        return
    src = sys.stdin if sys.argv[1] == "-" else open(sys.argv[1])
    sys.stdout.write(emit(text_symbols(src)))


if __name__ == "__main__":
    main()
