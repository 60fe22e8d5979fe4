#!/usr/bin/python3
"""Markdown table of boot figures from the boot matrix's per-configuration
results (build/matrix/results/*.json): ready_ns, smp_boot_ns, wall time.

    scripts/ready-table.py [--match REGEX] [RESULTS_DIR]

Under -icount shift=0,sleep=off the ns figures are instruction counts and
repeat exactly; elsewhere they are emulated wall time (noisy).
"""
import argparse
import glob
import json
import os
import re


def ms(ns):
    return "-" if ns is None else "%.3f" % (ns / 1e6)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--match", default=".")
    ap.add_argument("dir", nargs="?", default="build/matrix/results")
    a = ap.parse_args()
    rows = []
    for path in sorted(glob.glob(os.path.join(a.dir, "*.json"))):
        r = json.load(open(path))
        if not re.search(a.match, r["config"]) or not r.get("report"):
            continue
        rep = r["report"]
        khz = rep.get("tsc_khz")
        rows.append((r["config"], rep.get("machine"), rep.get("cpus"), rep.get("apic"),
                     rep.get("tsc_source"), "-" if khz is None else "%.3f" % (khz / 1000),
                     ms(rep.get("ready_ns")), ms(rep.get("smp_boot_ns")),
                     "%.2f" % r["wall_s"]))
    print("| configuration | machine | cpus | apic | tsc_source | TSC MHz at ready | ready ms "
          "| APs up ms | wall s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")


if __name__ == "__main__":
    main()
