#!/usr/bin/python3
"""The time per stage of make check (scripts/check-stages), the matrix also by
emulator: the boot wall time of the configurations run during the matrix stage,
summed per emulator and QEMU version (runs overlap: MATRIX_JOBS at once), and
the wall time of each configuration of the big group (the largest CPU counts).

    check-times.py TIMES RESULTS_DIR

TIMES: lines "stage<TAB>start<TAB>end<TAB>exit status" (seconds since the epoch).
"""
import json
import sys
from pathlib import Path


def emulator(result):
    qemu = "-10" if result.get("qemu") == "10" else ""
    if result.get("emulator") == "qemu":
        return f"qemu{qemu}/{result.get('accel') or 'tcg'}"
    return (result.get("emulator") or "?") + (f"/qemu{qemu}" if qemu else "")


def results(results_dir, start, end):
    """The results written in [start, end]."""
    for path in sorted(Path(results_dir).glob("*.json")):
        try:
            if start <= path.stat().st_mtime <= end:
                yield json.loads(path.read_text())
        except (OSError, ValueError):
            continue


def by_emulator(results_dir, start, end):
    """{emulator: [boot seconds, runs, skipped]} of the results written in [start, end]."""
    out = {}
    for r in results(results_dir, start, end):
        row = out.setdefault(emulator(r), [0.0, 0, 0])
        if r.get("wall_s") is None:
            row[2] += 1
        else:
            row[0] += r["wall_s"]
            row[1] += 1
    return out


def main(argv):
    times, results_dir = argv[1], argv[2]
    stages = []
    for line in Path(times).read_text().splitlines():
        name, start, end, rc = line.split("\t")
        stages.append((name, float(start), float(end), int(rc)))
    if not stages:
        return 0
    print("make check: time per stage (wall)")
    for name, start, end, rc in stages:
        line = f"  {name:<14}{end - start:8.1f} s"
        if rc:
            line += f"  FAILED (exit {rc})"
        print(line)
        if name == "matrix":
            emus = by_emulator(results_dir, start, end)
            for emu, (secs, runs, skipped) in sorted(emus.items(), key=lambda e: -e[1][0]):
                print(f"    {emu:<12}{secs:8.1f} s boot time in {runs} runs"
                      + (f", {skipped} did not run" if skipped else ""))
            for r in results(results_dir, start, end):
                if "big" in r.get("groups", ()) and r.get("wall_s") is not None:
                    print(f"    big: {r['config']:<28}{r['wall_s']:8.1f} s wall, "
                          f"{r.get('outcome')}")
    total = stages[-1][2] - stages[0][1]
    print(f"  {'total':<14}{total:8.1f} s ({total / 60:.1f} min)")
    failed = [name for name, _, _, rc in stages if rc]
    print(f"make check: FAILED in stage {', '.join(failed)}" if failed else "make check: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
