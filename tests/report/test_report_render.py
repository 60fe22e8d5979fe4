"""scripts/report.py: build the report from committed sample results (and from the
last `make matrix`, if there is one), check its contents, and render report.html
in headless Chromium to tell a real page from an empty or broken one."""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(HERE))

import pngcheck  # noqa: E402
import report  # noqa: E402

SAMPLE = HERE / "sample-results"
REAL = ROOT / "build" / "matrix" / "results"
CHROMIUM = "/usr/bin/chromium"
PLOT_RE = re.compile(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'")


def screenshot(page, out):
    """Render page (a file) with headless Chromium into out (PNG)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not installed (Debian package chromium)")
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
             f"--screenshot={out}", "--window-size=1400,2000", page.as_uri()],
            capture_output=True, text=True, timeout=120)
    assert out.is_file(), f"chromium wrote no screenshot (rc {run.returncode}): {run.stderr}"
    return out.read_bytes()


def looks_rendered(png):
    """A page with text, coloured cells and plots: many colours, some ink, not all ink."""
    width, height, colours, ink = pngcheck.stats(png)
    assert (width, height) == (1400, 2000)
    assert colours >= 40, f"only {colours} distinct colours: an empty or unstyled page"
    assert 0.03 <= ink <= 0.9, f"{ink:.1%} of the page is non-white"


def check_report(out, results_dir):
    results = [json.loads(p.read_text()) for p in sorted(results_dir.glob("*.json"))]
    page = (out / "report.html").read_text()
    md = (out / "report.md").read_text()

    # self-contained: no fetch of anything from anywhere
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:|//)""", page)
    plots = PLOT_RE.findall(page)
    assert len(plots) == 3, f"{len(plots)} plots embedded, want 3"
    for b64 in plots:
        width, height, colours, ink = pngcheck.stats(base64.b64decode(b64), step=2)
        assert width > 300 and height > 150 and colours > 5 and ink > 0.01

    ok = sum(1 for x in results for _, r, _ in x["ktap"] if r == "ok")
    skips = sum(1 for x in results for _, r, _ in x["ktap"] if r == "skip")
    line = report.summary_line(results)
    assert f"{len(results)} configurations" in line and f"{ok} ok" in line
    assert f"{skips} skip" in line
    assert line in page and line in md

    ids = {tid for x in results for tid, _, _ in x["ktap"]}
    for x in results:
        assert f"<td class='name'>{x['config']}</td>" in page
        assert re.search(rf"^\| {re.escape(x['config'])} \| (PASS|FAIL|SKIP) \|", md, re.M)
        for tid, res, why in x["ktap"]:
            if res != "ok" and why:     # the reason on hover and in a footnote
                assert f"title='{report._e(why)}'" in page
                assert report._e(f"{tid}: {why}") in page
    assert md.count("| configuration | verdict | T1 |") == 1
    assert all(f"`{tid}`" in md for tid in ids)
    probe_rows = [x for x in results if (x["report"] or {}).get("probe")]
    assert page.count("<tr><td class='name'>") == len(results) + len(probe_rows)


def test_sample_report(tmp_path):
    report.build(SAMPLE, tmp_path)
    check_report(tmp_path, SAMPLE)
    looks_rendered(screenshot(tmp_path / "report.html", tmp_path / "shot.png"))


def test_sample_covers_the_cases():
    """The sample must keep what the report has to show: a failing and a skipped
    test with reasons, a run without ready_ns, real and deterministic time."""
    results = [json.loads(p.read_text()) for p in SAMPLE.glob("*.json")]
    kinds = {r for x in results for _, r, _ in x["ktap"]}
    assert {"ok", "not ok", "skip"} <= kinds
    assert any(x["report"] and x["report"]["ready_ns"] is None for x in results)
    assert {report.time_mode(x) for x in results} >= {"real", "deterministic"}
    assert {x["emulator"] for x in results} >= {"qemu", "bochs"}


def test_real_results(tmp_path):
    if not REAL.is_dir() or not any(REAL.glob("*.json")):
        pytest.skip(f"no {REAL} (run make matrix first)")
    # a copy, so a matrix run writing results meanwhile cannot change them under us
    results = tmp_path / "results"
    shutil.copytree(REAL, results)
    report.build(results, tmp_path)
    check_report(tmp_path, results)
    looks_rendered(screenshot(tmp_path / "report.html", tmp_path / "shot.png"))


def test_broken_page_is_caught(tmp_path):
    """The screenshot check must be able to fail: a blank page does."""
    page = tmp_path / "blank.html"
    page.write_text("<!DOCTYPE html><html><body></body></html>\n")
    with pytest.raises(AssertionError, match="distinct colours|non-white"):
        looks_rendered(screenshot(page, tmp_path / "blank.png"))
