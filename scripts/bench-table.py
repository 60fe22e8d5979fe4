#!/usr/bin/python3
"""The pvops benchmark table from the boot matrix's results: BENCH lines of the
bench-patched, bench-nop, bench-indirect, bench-native and bench-vmi configurations.

    scripts/bench-table.py [--check] [RESULTS_DIR]

Values are TSC cycles per operation; under -icount shift=0 that is the
instruction count, which repeats exactly. --check exits 1 unless, for each
arch, the patched generic kernel is within 1% of the native kernel on every
irq benchmark (and says which are not).
"""
import argparse
import json
import os
import sys

MODES = (("native", "bench-native"), ("patched", "bench-patched"),
         ("patched, NOP pad", "bench-nop"), ("indirect", "bench-indirect"),
         # The same kernel with its sites patched into calls to the VMI ROM
         # (docs/vmi.md); shown, never part of --check.
         ("vmi", "bench-vmi"))
IRQ = ("irq_save_restore", "cli_sti")


def load(d, config):
    path = os.path.join(d, config + ".json")
    if not os.path.exists(path):
        return None
    return {b["name"]: float(b["value"]) for b in json.load(open(path)).get("bench") or []}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("dir", nargs="?", default="build/matrix/results")
    a = ap.parse_args()
    bad, seen = [], False
    for arch in ("i386", "x86_64"):
        runs = {m: load(a.dir, f"{c}-{arch}") for m, c in MODES}
        if not runs["native"] or not runs["patched"]:
            continue
        seen = True
        print(f"\n{arch}: TSC cycles per operation (= instructions under -icount)\n")
        print("| benchmark | " + " | ".join(m for m, _ in MODES) + " | patched vs native |")
        print("|---|" + "---|" * len(MODES) + "---|")
        for name in runs["native"]:
            vals = [runs[m].get(name) if runs[m] else None for m, _ in MODES]
            nat, pat = runs["native"][name], runs["patched"].get(name)
            ratio = "-" if not pat or not nat else "%+.1f%%" % ((pat - nat) / nat * 100)
            print(f"| {name} | " + " | ".join("-" if v is None else "%.2f" % v for v in vals)
                  + f" | {ratio} |")
            if name in IRQ and (pat is None or pat > nat * 1.01):
                bad.append(f"{arch} {name}: patched {pat} vs native {nat}")
    xen = load(a.dir, "bench-xen-pv-x86_64")
    if xen:
        print("\nxen-pv (x86_64 classic PV dom0, Xen 4.17): TSC cycles per operation under "
              "-icount, guest and Xen instructions alike, one run\n")
        print("| benchmark | patched | through the table | patched vs table |")
        print("|---|---|---|---|")
        for name in ("irq_save_restore", "cli_sti"):
            p, i = xen.get(name), xen.get(name + "_indirect")
            if p is not None and i is not None:
                print(f"| {name} | {p:.2f} | {i:.2f} | {(p - i) / i * 100:+.1f}% |")
        s, b = xen.get("pt_update_single"), xen.get("pt_update_batched")
        if s is not None and b is not None:
            print(f"\n| page-table entry update | one mmu_update each | batched (64) | "
                  f"batched vs single |\n|---|---|---|---|\n"
                  f"| cycles per entry | {s:.2f} | {b:.2f} | {(b - s) / s * 100:+.1f}% |")
    if a.check:
        if not seen:
            sys.exit("bench-table: no bench-native/bench-patched results to compare")
        if bad:
            sys.exit("bench-table: patched kernel more than 1% off native: " + "; ".join(bad))
        print("\nbench-table: patched within 1% of native on every irq benchmark")


if __name__ == "__main__":
    main()
