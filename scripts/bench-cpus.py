#!/usr/bin/python3
"""Bring-up cost per CPU: the x86_64 kernel booted on QEMU 10's q35 with an x2APIC
CPU model (-cpu max) under plain TCG, at several CPU counts, RUNS times each.

    scripts/bench-cpus.py [--cpus 4,64,255,512,1024] [--runs 3] [--plot docs/bringup.png]
                          [--max-ratio 4]

For each count: the median of the BOOT-REPORT's ready_ns (kernel start to ready)
and smp_boot_ns (the APs' bring-up: first STARTUP to the last AP online), and the
wall time of the whole QEMU run (mostly SeaBIOS and QEMU starting that many vCPUs).
The counts are booted in turns (one round is every count once), so a change in
the host's load touches every count alike. Then the per-CPU slope (a least-squares
line through the AP bring-up medians against the number of APs) and the ratio of
the largest count's bring-up to 255 CPUs'. Plain TCG times are the host's time:
they move with the load; the ratio within one run is the figure to compare.

Runs through the boot-matrix runner (tests/boot: the same command line, logs in
build/bench-cpus/<config>/); QEMU 10 comes from scripts/fetch-qemu10.sh. A boot that
fails (not all CPUs online, no BOOT-REPORT) is an error: exit 1. --max-ratio R: a
largest-count/255 bring-up ratio above R is an error too.
"""
import argparse
import os
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
os.environ.setdefault("MATRIX_OUT", os.path.join(ROOT, "build", "bench-cpus"))

import configs  # noqa: E402
import matrix  # noqa: E402
from launch import needs_verdict  # noqa: E402


def memory(n):
    """Guest RAM for n CPUs: each takes its per-CPU page, a 16 KiB stack and IST
    stacks (~40 KiB with guard pages); 1024 of them fit easily in 1 GiB."""
    return "1G" if n > 256 else "512M"


def config(n, timeout):
    text = f"""[bench-cpus-{n}]
arch = x86_64
qemu = 10
qemu_opts = -M q35 -smp {n} -m {memory(n)} -cpu max
append = ktest=off
timeout = {timeout}
expect = machine=pc-acpi cpus={n} cpus_listed={n} apic=x2apic-cluster
expect_ktap = absent
"""
    (cfg,) = configs.parse(text, source="bench-cpus")
    return cfg


def slope(xs, ys):
    """Least-squares slope and intercept of ys against xs."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return b, my - b * mx


def plot(path, rows, per_ap_ns):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    cpus = [r["cpus"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=100)
    ax.plot(cpus, [r["smp_ms"] for r in rows], "o-", label="AP bring-up (smp_boot_ns)")
    ax.plot(cpus, [r["ready_ms"] for r in rows], "s--", label="kernel start to ready (ready_ns)")
    ax.set_xlabel("CPUs (QEMU 10 q35, -cpu max, x2APIC, plain TCG)")
    ax.set_ylabel("ms (guest time, median)")
    ax.set_title(f"Bring-up cost per CPU: {per_ap_ns / 1e3:.0f} us per AP (least squares)")
    ax.grid(True, alpha=0.3)
    ax2 = ax.twinx()
    ax2.plot(cpus, [r["wall_s"] for r in rows], "^:", color="grey", label="QEMU run, wall s")
    ax2.set_ylabel("wall s (SeaBIOS + QEMU + kernel)")
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cpus", default="4,64,255,512,1024")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=1500)
    ap.add_argument("--plot", default=os.path.join(ROOT, "docs", "bringup.png"))
    ap.add_argument("--max-ratio", type=float, default=None)
    a = ap.parse_args()
    counts = [int(c) for c in a.cpus.split(",")]
    cfgs = [config(n, a.timeout) for n in counts]
    kind, why = needs_verdict(cfgs[0])
    if kind:
        print(f"bench-cpus: {kind}: {why}")
        return 1 if kind == "fail" else 0
    samples = {n: [] for n in counts}
    bad = []
    for r in range(a.runs):
        for n, cfg in zip(counts, cfgs):
            res = matrix.run_config(cfg)
            rep = res["report"] or {}
            print(f"  round {r + 1}: {n:5d} CPUs: {matrix.verdict(res)} "
                  f"ready {(rep.get('ready_ns') or 0) / 1e6:.1f} ms, "
                  f"APs {(rep.get('smp_boot_ns') or 0) / 1e6:.1f} ms, wall {res['wall_s']} s",
                  flush=True)
            if not res["passed"]:
                bad.append(matrix.describe(res))
                continue
            samples[n].append((rep["ready_ns"], rep["smp_boot_ns"], res["wall_s"], r))
    rows = []
    for n in counts:
        if not samples[n]:
            continue
        rows.append({"cpus": n, "n": len(samples[n]),
                     "ready_ms": statistics.median(s[0] for s in samples[n]) / 1e6,
                     "smp_ms": statistics.median(s[1] for s in samples[n]) / 1e6,
                     "wall_s": statistics.median(s[2] for s in samples[n])})
    print("| CPUs | runs | ready ms (median) | APs up ms (median) | per AP us | wall s (median) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        per = row["smp_ms"] * 1e3 / max(row["cpus"] - 1, 1)
        print(f"| {row['cpus']} | {row['n']} | {row['ready_ms']:.1f} | {row['smp_ms']:.1f} "
              f"| {per:.0f} | {row['wall_s']:.1f} |")
    status = 0
    if len(rows) >= 2:
        b, c = slope([r["cpus"] - 1 for r in rows], [r["smp_ms"] * 1e6 for r in rows])
        print(f"slope: {b / 1e3:.1f} us per AP (least squares over {len(rows)} counts; "
              f"intercept {c / 1e6:.1f} ms)")
        by = {r["cpus"]: r for r in rows}
        big = max(by)
        if 255 in by and big > 255:
            ratio = by[big]["smp_ms"] / by[255]["smp_ms"]
            print(f"{big} CPUs / 255 CPUs bring-up: {ratio:.2f}x "
                  f"(CPU count {big / 255:.2f}x)")
            # The same ratio round by round, and from the fitted line: a
            # 60 ms bring-up at 255 CPUs moves by a third from one round to
            # the next on a shared host, so the medians' ratio alone swings.
            at = {n: {s[3]: s[1] for s in samples[n]} for n in (255, big)}
            both = sorted(set(at[255]) & set(at[big]))
            print("  by round: " + " ".join(f"{at[big][r] / at[255][r]:.2f}x" for r in both))
            fit = [c + b * (n - 1) for n in (255, big)]
            print(f"  from the line: {fit[0] / 1e6:.1f} ms at 255, {fit[1] / 1e6:.1f} ms at "
                  f"{big}: {fit[1] / fit[0]:.2f}x")
            if a.max_ratio and ratio > a.max_ratio:
                print(f"bench-cpus: ratio {ratio:.2f} above {a.max_ratio}")
                status = 1
        if a.plot:
            plot(a.plot, rows, b)
            print(f"plot: {os.path.relpath(a.plot, ROOT)}")
    for d in bad:
        print(d)
    return 1 if bad else status


if __name__ == "__main__":
    sys.exit(main())
