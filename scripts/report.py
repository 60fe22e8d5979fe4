#!/usr/bin/python3
"""The boot-matrix report: build/matrix/results/*.json -> report.html + report.md.

  report.py [--results DIR] [--out DIR]

report.html is self-contained (inline CSS, plots as base64 PNG: no network) and
holds: a summary line; the grid of configurations x in-kernel tests, each skip or
failure's reason on hover and in a footnote; the probe decision per configuration;
and three plots: ready_ns per configuration, SMP bring-up time against CPU count,
boot wall time per emulator. report.md has the summary, the grid and the probe
table. Needs only Debian's python3 and python3-matplotlib.
"""
import argparse
import base64
import html
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Cell text and CSS class per KTAP result (tests/boot/parse.py's vocabulary).
CELL = {"ok": ("ok", "ok"), "not ok": ("FAIL", "fail"), "skip": ("skip", "skip"),
        "not run": ("not run", "fail")}
ABSENT = ("\u00b7", "absent")


def load(results_dir, known=None):
    """Every result file, sorted by configuration name (so arches sit together);
    with known (a set of configuration names), only those: results/ keeps files
    of configurations that were renamed or removed since."""
    results, bad = [], []
    for path in sorted(Path(results_dir).glob("*.json")):
        if known is not None and path.stem not in known:
            continue
        try:
            r = json.loads(path.read_text())
        except (OSError, ValueError) as e:
            bad.append(f"{path.name}: {e}")
            continue
        if isinstance(r, dict) and "config" in r:
            results.append(r)
        else:
            bad.append(f"{path.name}: not a result")
    return results, bad


def verdict(r):
    return {True: "PASS", False: "FAIL", None: "SKIP"}[r.get("passed")]


def time_mode(r):
    """deterministic: QEMU under -icount, or Bochs (instruction-counted clock);
    real: QEMU in host time (KVM, or TCG without -icount); None: did not run."""
    cmd = r.get("cmd") or []
    if r.get("emulator") == "bochs":
        return "deterministic"
    if not cmd:
        return None
    return "deterministic" if "-icount" in cmd else "real"


def emulator_label(r):
    if r.get("emulator") == "qemu":
        return f"qemu/{r.get('accel') or 'tcg'}"
    return r.get("emulator") or "?"


def test_ids(results):
    """Every in-kernel test id, in the order the kernel first ran it."""
    seen = {}
    for r in results:
        for tid, _, _ in r.get("ktap") or []:
            seen.setdefault(tid, len(seen))
    return list(seen)


class Notes:
    """Footnotes, one per distinct text, numbered in order of first use."""

    def __init__(self):
        self.texts = []

    def ref(self, text):
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1


def grid(results, ids, notes):
    """-> [(result, [(text, css class, reason or '', footnote or None)])]."""
    rows = []
    for r in results:
        by_id = {tid: (res, why) for tid, res, why in r.get("ktap") or []}
        cells = []
        for tid in ids:
            if tid not in by_id:
                cells.append((*ABSENT, "", None))
                continue
            res, why = by_id[tid]
            text, cls = CELL.get(res, (res, "fail"))
            if res != "ok" and r.get("expected") not in (None, "pass") and r.get("passed"):
                cls += " expected"      # a configuration that must fail, failing as it must
            note = notes.ref(f"{tid}: {why}") if why and res != "ok" else None
            cells.append((text, cls, why if res != "ok" else "", note))
        rows.append((r, cells))
    return rows


def probe_rows(results):
    """-> [(config, winner, score, evidence, runners-up, forced)] for booted results."""
    rows = []
    for r in results:
        rep = r.get("report") or {}
        probe = rep.get("probe") or []
        if not probe:
            continue
        winner = rep.get("machine")
        entry = next((p for p in probe if p.get("name") == winner), {})
        others = sorted((p for p in probe if p.get("name") != winner and p.get("score")),
                        key=lambda p: -p["score"])
        forced = "machine=" in (rep.get("cmdline") or "")
        rows.append((r["config"], winner or "-", entry.get("score", "-"),
                     entry.get("evidence", ""), ", ".join(f"{p['name']} {p['score']}"
                                                          for p in others), forced))
    return rows


def counts(results):
    cfg = {v: sum(verdict(r) == v for r in results) for v in ("PASS", "FAIL", "SKIP")}
    kt = {"ok": 0, "not ok": 0, "skip": 0, "not run": 0}
    for r in results:
        for _, res, _ in r.get("ktap") or []:
            kt[res] = kt.get(res, 0) + 1
    return cfg, kt


def summary_line(results):
    cfg, kt = counts(results)
    return (f"{len(results)} configurations: {cfg['PASS']} pass, {cfg['FAIL']} fail, "
            f"{cfg['SKIP']} skip; in-kernel test results: {kt['ok']} ok, "
            f"{kt['not ok']} fail, {kt['skip']} skip, {kt['not run']} not run")


# ---- plots ---------------------------------------------------------------
def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return buf.getvalue()


def plots(results):
    """-> [(title, caption, png bytes)]; a plot with no data says so in its caption."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    colours = {"deterministic": "#3b6fb6", "real": "#d9822b"}
    out = []

    ready = [(r["config"], r["report"]["ready_ns"] / 1e6, time_mode(r)) for r in results
             if (r.get("report") or {}).get("ready_ns") is not None]
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.22 * len(ready) + 1)))
    for i, (name, ms, mode) in enumerate(ready):
        ax.barh(i, ms, color=colours.get(mode, "#888"))
    ax.set_yticks(range(len(ready)), [n for n, _, _ in ready], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("ready_ns (ms): entry to BOOT-REPORT")
    ax.set_xscale("log" if ready and max(m for _, m, _ in ready) >
                  50 * max(min(m for _, m, _ in ready), 1e-3) else "linear")
    ax.legend(handles=[Patch(color=c, label=f"{mode} time" + (
        " (-icount / Bochs)" if mode == "deterministic" else " (host clock)"))
        for mode, c in colours.items()], loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    out.append(("ready_ns per configuration",
                f"{len(ready)} configurations report ready_ns (null on a CPU without TSC). "
                "Deterministic time: QEMU -icount or Bochs; real: host time.", _png(fig)))
    plt.close(fig)

    series = {}
    for r in results:
        rep = r.get("report") or {}
        if rep.get("smp_boot_ns") is not None and rep.get("cpus"):
            key = f"{emulator_label(r)} {r.get('arch')} {time_mode(r)}"
            series.setdefault(key, []).append((rep["cpus"], rep["smp_boot_ns"] / 1e6))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    markers = "os^Dv<>px*"
    for i, (key, pts) in enumerate(sorted(series.items())):
        pts.sort()
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=markers[i % len(markers)],
                linestyle="-" if "deterministic" in key else "--", label=key, alpha=0.85)
    ax.set_xlabel("CPUs online")
    ax.set_ylabel("smp_boot_ns (ms)")
    if series:
        ax.set_xscale("log", base=2)
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    out.append(("SMP bring-up time against CPU count",
                f"{sum(map(len, series.values()))} configurations with more than one CPU "
                "online; one series per emulator, arch and time mode.", _png(fig)))
    plt.close(fig)

    walls = {}
    for r in results:
        if r.get("wall_s") is not None:
            mode = time_mode(r)
            key = emulator_label(r) + (f" ({mode})" if r.get("emulator") == "qemu" else "")
            walls.setdefault(key, []).append(r["wall_s"])
    fig, ax = plt.subplots(figsize=(9, 3.8))
    labels = sorted(walls)
    if labels:
        ax.boxplot([walls[k] for k in labels], vert=False, widths=0.5, showfliers=False)
        for i, k in enumerate(labels, start=1):
            n = len(walls[k])
            ys = [i + 0.25 * (((j * 7919) % 101) / 100 - 0.5) for j in range(n)]
            ax.scatter(walls[k], ys, s=12, alpha=0.6, color="#3b6fb6", zorder=3)
        ax.set_yticks(range(1, len(labels) + 1), [f"{k} ({len(walls[k])})" for k in labels])
    ax.set_xlabel("boot wall time (s), emulator start to exit")
    ax.grid(axis="x", alpha=0.3)
    out.append(("boot wall time per emulator",
                "Host wall-clock time of each run, including emulator start-up.", _png(fig)))
    plt.close(fig)
    return out


# ---- HTML ----------------------------------------------------------------
CSS = """
body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;color:#222;background:#fff}
h1{margin:0 0 4px 0;font-size:24px} h2{margin-top:28px;border-bottom:2px solid #3b6fb6}
.summary{font-size:15px;padding:8px 12px;background:#eef3fa;border-left:4px solid #3b6fb6}
table{border-collapse:collapse;font-size:12px}
td,th{border:1px solid #ccc;padding:2px 5px;text-align:center;white-space:nowrap}
th.rot{height:150px;vertical-align:bottom;padding:0 2px}
th.rot div{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal}
td.name{text-align:left;font-family:monospace}
.ok{background:#cdeccd} .fail{background:#f4b4b4;font-weight:bold}
.skip{background:#fbe7a8} .absent{background:#f4f4f4;color:#aaa}
.fail.expected{background:#f9d7b5;font-weight:normal}
.PASS{color:#17721a;font-weight:bold} .FAIL{color:#b31b1b;font-weight:bold}
.SKIP{color:#9a7000;font-weight:bold}
td.ev{text-align:left;white-space:normal;max-width:640px}
sup{font-size:9px} ol.notes{font-size:12px} .legend span{padding:1px 6px;margin-right:6px}
figure{margin:12px 0} figcaption{font-size:12px;color:#555}
"""


def _e(s):
    return html.escape(str(s), quote=True)


def render_html(results, bad, ids, rows, probes, figs, notes):
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
           "<title>Boot matrix report</title><style>", CSS, "</style></head><body>",
           "<h1>Boot matrix report</h1>",
           f"<p class='summary' id='summary'>{_e(summary_line(results))}</p>"]
    if bad:
        out.append("<p>Unreadable result files: " + _e("; ".join(bad)) + "</p>")
    out += ["<h2>Configurations \u00d7 in-kernel tests</h2>",
            "<p class='legend'><span class='ok'>ok</span><span class='fail'>FAIL</span>"
            "<span class='fail expected'>FAIL in a configuration expected to fail</span>"
            "<span class='skip'>skip</span><span class='absent'>\u00b7 not run there</span>"
            " Hover a cell for its reason; numbers refer to the notes below.</p>",
            "<table id='grid'><tr><th>configuration</th><th>verdict</th><th>outcome</th>"
            "<th>wall s</th>"]
    out += [f"<th class='rot'><div>{_e(t)}</div></th>" for t in ids]
    out.append("</tr>")
    for r, cells in rows:
        outcome = r.get("outcome") or "-"
        if r.get("expected") and r.get("expected") != outcome:
            outcome += f" (expected {r['expected']})"
        why = "; ".join(r.get("reasons") or [])
        wall = "-" if r.get("wall_s") is None else f"{r['wall_s']:.2f}"
        v = verdict(r)
        out.append(f"<tr><td class='name'>{_e(r['config'])}</td>"
                   f"<td class='{v}' title='{_e(why)}'>{v}</td><td>{_e(outcome)}</td>"
                   f"<td>{wall}</td>")
        for text, cls, reason, note in cells:
            sup = f"<sup>{note}</sup>" if note else ""
            title = f" title='{_e(reason)}'" if reason else ""
            out.append(f"<td class='{cls}'{title}>{_e(text)}{sup}</td>")
        out.append("</tr>")
    out.append("</table>")
    if notes.texts:
        out.append("<ol class='notes' id='notes'>" +
                   "".join(f"<li>{_e(t)}</li>" for t in notes.texts) + "</ol>")
    problems = [(r["config"], verdict(r), x) for r in results
                if r.get("passed") is not True for x in r.get("reasons") or []]
    if problems:
        out.append("<h3>Failed and skipped configurations</h3><ul>" +
                   "".join(f"<li><b>{_e(c)}</b> ({v}): {_e(x)}</li>" for c, v, x in problems)
                   + "</ul>")
    out += ["<h2>Probe decision</h2><table id='probe'><tr><th>configuration</th>"
            "<th>winner</th><th>score</th><th>evidence</th><th>runners-up (score &gt; 0)</th></tr>"]
    for cfg, winner, score, ev, others, forced in probes:
        w = _e(winner) + (" <i>(forced)</i>" if forced else "")
        out.append(f"<tr><td class='name'>{_e(cfg)}</td><td>{w}</td><td>{_e(score)}</td>"
                   f"<td class='ev'>{_e(ev)}</td><td class='ev'>{_e(others)}</td></tr>")
    out.append("</table><h2>Plots</h2>")
    for title, caption, png in figs:
        data = base64.b64encode(png).decode()
        out.append(f"<figure><img class='plot' alt='{_e(title)}' "
                   f"src='data:image/png;base64,{data}'><figcaption><b>{_e(title)}</b>: "
                   f"{_e(caption)}</figcaption></figure>")
    out.append("</body></html>\n")
    return "\n".join(out)


# ---- Markdown ------------------------------------------------------------
def _md(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def render_md(results, ids, rows, probes, notes, fig_names):
    lines = ["# Boot matrix report", "", summary_line(results), "",
             "## Configurations x in-kernel tests", "",
             "Columns are the in-kernel tests numbered below; `ok`, `FAIL`, `skip`, "
             "`·` = not run there; `[n]` = note n.", ""]
    lines.append("| configuration | verdict | " + " | ".join(f"T{i + 1}" for i in range(len(ids)))
                 + " |")
    lines.append("|---|---|" + "---|" * len(ids))
    for r, cells in rows:
        lines.append(f"| {_md(r['config'])} | {verdict(r)} | " + " | ".join(
            text + (f" [{note}]" if note else "") for text, _, _, note in cells) + " |")
    lines += ["", "Tests: " + ", ".join(f"T{i + 1} `{t}`" for i, t in enumerate(ids)), ""]
    if notes.texts:
        lines += ["Notes:", ""] + [f"{i + 1}. {_md(t)}" for i, t in enumerate(notes.texts)]
        lines.append("")
    lines += ["## Probe decision", "", "| configuration | winner | score | evidence | "
              "runners-up |", "|---|---|---|---|---|"]
    lines += [f"| {_md(c)} | {_md(w)}{' (forced)' if f else ''} | {s} | {_md(e)} | {_md(o)} |"
              for c, w, s, e, o, f in probes]
    lines += ["", "## Plots", ""] + [f"- ![{t}]({n})" for t, n in fig_names]
    return "\n".join(lines) + "\n"


def build(results_dir, out_dir, known=None):
    results, bad = load(results_dir, known)
    ids = test_ids(results)
    notes = Notes()
    rows = grid(results, ids, notes)
    probes = probe_rows(results)
    figs = plots(results)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig_names = []
    for i, (title, _, png) in enumerate(figs):
        name = f"report-plot{i + 1}.png"
        (out_dir / name).write_bytes(png)
        fig_names.append((title, name))
    (out_dir / "report.html").write_text(render_html(results, bad, ids, rows, probes, figs,
                                                     notes))
    (out_dir / "report.md").write_text(render_md(results, ids, rows, probes, notes,
                                                 fig_names))
    return results


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--results", default=str(ROOT / "build/matrix/results"))
    p.add_argument("--out", default=str(ROOT / "build/matrix"))
    args = p.parse_args(argv)
    if not any(Path(args.results).glob("*.json")):
        print(f"report.py: no results in {args.results}: run `make matrix` first "
              "(`make report` does when there are none)", file=sys.stderr)
        return 1
    # Only configurations the matrix still declares.
    sys.path.insert(0, str(ROOT / "tests" / "boot"))
    import configs  # noqa: E402
    known = {c.name for c in configs.load()}
    results = build(args.results, args.out, known)
    print(f"  REPORT  {args.out}/report.html, report.md: {summary_line(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
