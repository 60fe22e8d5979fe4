#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Fail on a kernel function that is exported (not static) but that no other
translation unit uses.

    check-exports.py [--users DIR]... BUILD_DIR [BUILD_DIR...]

Each BUILD_DIR is a kernel build (build/x86_64, build/i386): its objects
under obj/ are read with nm. A global text symbol (T) defined in one object
and named undefined (U) by no other object is reported, with where it is
defined: make it static, or remove it if nothing calls it at all. With
several builds (both arches), a symbol is reported only if it is unused in
every build that defines it, so a function only i386 calls is not flagged on
x86_64.

The host unit tests and fuzz targets (--users tests/host --users
tests/fuzz) compile the kernel's pure functions into programs of their own:
a function one of their sources names is used (read as text, by word; they
are not built here).

The allow-list below holds the symbols that are entry points from outside
any object: the linker script's ENTRY, or code reached by address from
firmware or a hypervisor. Each says why. The kallsyms objects (ksyms*.o)
are generated and not read.
"""
import os
import re
import subprocess
import sys

ALLOW = {
    # ENTRY(_start) in arch/x86/kernel.lds.S: the loader jumps here.
    "_start": "the image's entry point (linker script ENTRY)",
}

# Exported for a caller that exists only with an option the default
# configurations leave off: kept, with that option named.
CONFIG_ONLY = {
    "native_send_ipi_all": "machines/kvm.c's fallback, with CONFIG_KVM_PV_SEND_IPI=y",
}


def nm(path):
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "T":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
    return defined, undefined


def objects(build):
    root = os.path.join(build, "obj")
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(".o") and not f.startswith("ksyms"):
                yield os.path.join(d, f)


def unused(build):
    """{symbol: object} for the exported, unreferenced text symbols of a build."""
    defs, uses = {}, {}
    objs = list(objects(build))
    if not objs:
        sys.exit(f"check-exports: no objects under {build}/obj (build it first)")
    for o in objs:
        d, u = nm(o)
        for s in d:
            defs[s] = os.path.relpath(o, os.path.join(build, "obj"))
        for s in u:
            uses.setdefault(s, set()).add(o)
    return {s: o for s, o in defs.items() if not uses.get(s)}, set(defs)


def text_users(dirs):
    """Every identifier in the C and assembly sources under dirs."""
    words = set()
    for top in dirs:
        for d, _, files in os.walk(top):
            for f in files:
                if f.endswith((".c", ".h", ".S")):
                    with open(os.path.join(d, f), errors="replace") as fh:
                        words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", fh.read()))
    return words


def main(argv):
    users = []
    while argv[:1] == ["--users"] and len(argv) > 1:
        users.append(argv[1])
        argv = argv[2:]
    if not argv:
        sys.exit(__doc__)
    defined, used, where = set(), set(), {}
    for build in argv:
        bad, defs = unused(build)
        defined |= defs
        used |= defs - set(bad)  # used by another object in this build
        for sym, obj in bad.items():
            where.setdefault(sym, obj)
    used |= text_users(users) & defined
    return report(defined - used, where)


def report(flagged, where):
    flagged = sorted(s for s in flagged if s not in ALLOW and s not in CONFIG_ONLY)
    for s in flagged:
        print(f"check-exports: {s} ({where[s].removesuffix('.o')}.c or .S) is not static "
              "but no other object, host test or fuzz target uses it: make it static "
              "or remove it")
    if flagged:
        print(f"check-exports: {len(flagged)} unused exported function(s)")
        return 1
    print("check-exports: every exported kernel function is used by another object")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
