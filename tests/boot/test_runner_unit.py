"""Unit tests of the boot-matrix runner on synthetic console logs: no emulator needed.

  /usr/bin/python3 -m pytest tests/boot/test_runner_unit.py -q
"""
import json
import stat
import subprocess
import sys
import gzip
import os
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import configs
import launch
import matrix
import report
from configs import ConfigError
from parse import parse_console, parse_ktap
from verdict import classify, check

HERE = Path(__file__).resolve().parent

EXAMPLE = """\
KTAP version 1
1..2
    KTAP version 1
    # Subtest: boot
    1..3
    ok 1 cmdline_parse
    # memmap_merge: EXPECTATION FAILED at kernel/memmap.c:40
    not ok 2 memmap_merge
    ok 3 hpet_rate # SKIP no HPET on this machine
ok 1 boot
    KTAP version 1
    # Subtest: smp
    1..1
    ok 1 ipi_all
ok 2 smp
"""
EXAMPLE_RESULTS = [
    ("boot.cmdline_parse", "ok", ""),
    ("boot.memmap_merge", "not ok", "memmap_merge: EXPECTATION FAILED at kernel/memmap.c:40"),
    ("boot.hpet_rate", "skip", "no HPET on this machine"),
    ("smp.ipi_all", "ok", ""),
]
REPORT = {"arch": "x86_64", "entry": "multiboot", "machine": "pc-acpi", "hypervisor": "tcg",
          "cpus": 1, "cpus_listed": 1, "apic": "xapic-flat", "ioapics": 1,
          "clockevent": "lapic", "clocksource": "tsc", "tsc_khz": None, "tsc_source": None,
          "ready_ns": 81234, "probe": [{"name": "pc-acpi", "score": 10, "evidence": "MADT"}]}
PASSING_KTAP = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: boot\n" \
               "    1..1\n    ok 1 cmdline_parse\nok 1 boot\n"


def console(*parts, report_obj=REPORT, exit_status="pass"):
    """A console log: firmware noise, the report, then the given parts and the exit line."""
    text = "SeaBIOS (version 1.16)\nBooting from ROM...\n"
    if report_obj is not None:
        text += "BOOT-REPORT " + json.dumps(report_obj) + "\n"
    text += "".join(parts)
    if exit_status:
        text += f"KERNEL-EXIT: {exit_status}\n"
    return text


def config(body="", section="t"):
    """One configuration from a matrix.cfg section body (x86_64 unless it says)."""
    body = textwrap.dedent(body)
    if "arch" not in body:
        body = "arch = x86_64\n" + body
    (cfg,) = configs.parse(f"[{section}]\n{body}")
    return cfg


def verdict_of(cfg, text, rc=1):
    c = parse_console(text)
    outcome, detail, problems = classify(rc, False, c.exit_status,
                                         launch.DEBUG_EXIT_STATUS)
    return outcome, problems + check(cfg, outcome, detail, c)


# --- KTAP ---------------------------------------------------------------------------

def test_ktap_nested_example():
    ktap = parse_ktap(EXAMPLE.splitlines())
    assert ktap.present and ktap.errors == []
    assert ktap.results == EXAMPLE_RESULTS
    assert ktap.failed() == ["boot.memmap_merge"]


def test_ktap_crlf_xen_prefix_and_noise():
    noisy = "".join(f"(d0) {line}\r\n" if i % 2 else f"{line}\r\n"
                    for i, line in enumerate(EXAMPLE.splitlines()))
    noisy = "(XEN) Xen version 4.17\r\n(XEN) *** Building a PVH Dom0 ***\r\n" + noisy \
        + "(XEN) Hardware Dom0 shutdown\r\n"
    c = parse_console(noisy)
    assert c.ktap.results == EXAMPLE_RESULTS and c.ktap.errors == []
    assert all(not line.endswith("\r") for line in c.lines)


def test_ktap_printk_noise_between_results():
    lines = EXAMPLE.replace("    ok 1 ipi_all\n",
                            "smp: CPU1 up\n    ok 1 ipi_all\n[    0.1] timer: ok\n")
    assert parse_ktap(lines.splitlines()).results == EXAMPLE_RESULTS


def test_ktap_skip_directive_and_names():
    ktap = parse_ktap(["KTAP version 1", "1..4", "ok 1 a # SKIP", "ok 2 - b # skip why not",
                       "not ok 3 c#d", "ok 4"])
    assert ktap.results == [("a", "skip", ""), ("b", "skip", "why not"),
                            ("c#d", "not ok", ""), ("#4", "ok", "")]


def test_ktap_cut_short_inside_a_suite():
    text = "KTAP version 1\n1..3\n    KTAP version 1\n    # Subtest: boot\n    1..4\n" \
           "    ok 1 a\n    ok 2 b\nPANIC: page fault at 0x0\n"
    ktap = parse_ktap(text.splitlines())
    assert ktap.results == [("boot.a", "ok", ""), ("boot.b", "ok", ""),
                            ("boot.#3", "not run", "run cut short"),
                            ("boot.#4", "not run", "run cut short"),
                            ("#2", "not run", "run cut short"),
                            ("#3", "not run", "run cut short")]
    assert any("boot: planned 4" in e for e in ktap.errors)
    assert any("top level: planned 3" in e for e in ktap.errors)


def test_ktap_cut_short_between_suites():
    ktap = parse_ktap(EXAMPLE.splitlines()[:10])     # up to "ok 1 boot"
    assert ktap.results[-1] == ("#2", "not run", "run cut short")
    assert ktap.errors == ["top level: planned 2, 1 finished: run cut short"]


def test_ktap_more_results_than_planned():
    ktap = parse_ktap(["KTAP version 1", "1..1", "ok 1 a", "ok 2 b"])
    assert ktap.errors == ["top level: planned 1, got 2 results"]


def test_ktap_subtest_before_version_and_out_of_order():
    text = "KTAP version 1\n1..1\n    # Subtest: s\n    KTAP version 1\n    1..2\n" \
           "    ok 1 x\n    ok 3 y\nok 1 s\n"
    ktap = parse_ktap(text.splitlines())
    assert ktap.results == [("s.x", "ok", ""), ("s.y", "ok", "")]
    assert ktap.errors == ["s: test 3 out of order, expected 2"]


def test_ktap_suite_line_saying_more_than_its_tests():
    text = "KTAP version 1\n1..2\n    KTAP version 1\n    # Subtest: a\n    1..1\n" \
           "    ok 1 x\n# a: exit hook failed\nnot ok 1 a\n" \
           "    KTAP version 1\n    # Subtest: b\n    1..0\nok 2 b # SKIP no SMP\n"
    ktap = parse_ktap(text.splitlines())
    assert ktap.results == [("a.x", "ok", ""), ("a", "not ok", "a: exit hook failed"),
                            ("b", "skip", "no SMP")]


def test_ktap_parameterised_tests_without_plan():
    text = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: timer\n    1..1\n" \
           "        KTAP version 1\n        # Subtest: rate\n        ok 1 pit\n" \
           "        not ok 2 hpet\n    not ok 1 rate\nnot ok 1 timer\n"
    ktap = parse_ktap(text.splitlines())
    assert ktap.results == [("timer.rate.pit", "ok", ""), ("timer.rate.hpet", "not ok", "")]
    assert ktap.errors == []


def test_no_ktap_and_second_document():
    assert not parse_ktap(["hello", "ok 1 not ktap"]).present
    ktap = parse_ktap((PASSING_KTAP + PASSING_KTAP).splitlines())
    assert ktap.results == [("boot.cmdline_parse", "ok", "")]
    assert ktap.errors == ["a second top-level 'KTAP version 1' (ignored)"]


# --- BOOT-REPORT, BENCH, KERNEL-EXIT, PANIC ------------------------------------------

def test_console_contract_lines():
    c = parse_console(console(PASSING_KTAP, 'BENCH {"name": "ipi", "unit": "ns", "value": 900}\n',
                              "PANIC: not really\n"))
    assert c.report == REPORT and c.errors == []
    assert c.bench == [{"name": "ipi", "unit": "ns", "value": 900}]
    assert c.exit_status == "pass" and c.panic == ["PANIC: not really"]


@pytest.mark.parametrize("line, error", [
    ("BOOT-REPORT {\"arch\": \"x86_64\",", "BOOT-REPORT: invalid JSON"),
    ("BOOT-REPORT [1, 2]", "BOOT-REPORT: not a JSON object"),
    ("BOOT-REPORT " + json.dumps(REPORT), "2 BOOT-REPORT lines, expected exactly one"),
    ("BENCH {\"name\": \"x\"}", "BENCH: needs name, unit and value"),
    ("BENCH nope", "BENCH: invalid JSON"),
    ("KERNEL-EXIT: maybe", "KERNEL-EXIT: unknown status 'maybe'"),
    ("KERNEL-EXIT: fail", "2 KERNEL-EXIT lines: fail, pass"),
])
def test_broken_contract_lines_fail_the_run(line, error):
    text = console(PASSING_KTAP, line + "\n")
    assert any(e.startswith(error) for e in parse_console(text).errors)
    outcome, reasons = verdict_of(config(), text)
    assert any(r.startswith(error) for r in reasons)


def test_missing_boot_report():
    text = console(PASSING_KTAP, report_obj=None)
    assert verdict_of(config(), text)[1] == ["no BOOT-REPORT line"]
    assert verdict_of(config("expect = cpus=1"), text)[1] == \
        ["no BOOT-REPORT line to check cpus=1"]
    # A run that ends before the report (panic, unsupported CPU) needs none.
    panic = console("PANIC: early\n", report_obj=None, exit_status="panic")
    assert verdict_of(config("expect_outcome = panic"), panic, rc=5) == ("panic", [])


# --- classification of endings ---------------------------------------------------------

@pytest.mark.parametrize("rc, timed_out, exit_status, outcome, problem", [
    (1, False, "pass", "pass", None),
    (3, False, "fail", "fail", None),
    (5, False, "panic", "panic", None),
    (7, False, "unsupported-cpu", "unsupported-cpu", None),
    (0, False, "pass", "pass", None),                 # ACPI poweroff: trust the line
    (0, False, "fail", "fail", None),
    (0, False, None, "crash", None),                  # reset / triple fault
    (-9, False, None, "crash", None),
    (42, False, None, "crash", None),
    (-15, True, None, "timeout", None),
    (-15, True, "pass", "timeout", None),             # printed, then hung (KVM pause)
    (1, False, None, "error", None),                  # QEMU's own errors exit 1 too
    (5, False, None, "panic", "no KERNEL-EXIT line"),
    (3, False, "pass", "fail", "the console says KERNEL-EXIT: pass"),
])
def test_classify(rc, timed_out, exit_status, outcome, problem):
    got, detail, problems = classify(rc, timed_out, exit_status, launch.DEBUG_EXIT_STATUS,
                                     "qemu-system-x86_64: -foo: invalid option")
    assert got == outcome and detail
    if problem:
        assert any(problem in p for p in problems), problems
    else:
        assert problems == []


def test_classify_details_name_the_cause():
    assert "invalid option" in classify(1, False, None, launch.DEBUG_EXIT_STATUS,
                                        "qemu: -foo: invalid option")[1]
    assert "triple fault" in classify(0, False, None, launch.DEBUG_EXIT_STATUS)[1]
    assert "signal 9" in classify(-9, False, None, launch.DEBUG_EXIT_STATUS)[1]


# --- expectations ------------------------------------------------------------------------

def test_expectations_met():
    cfg = config("""\
        expect = machine=pc-acpi cpus=1 tsc_khz=null "clocksource=tsc" entry=multiboot
        expect_log = ^BOOT-REPORT
            timer: \\d+ Hz
        expect_ktap = boot.cmdline_parse=ok
        """)
    assert verdict_of(cfg, console(PASSING_KTAP, "timer: 100 Hz\r\n")) == ("pass", [])


def test_expectation_mismatches_say_what_and_why():
    cfg = config("""\
        expect = cpus=2 machine=pc-acpi nosuch=1 probe=[]
        expect_log = long mode
        expect_ktap = boot.cmdline_parse=not-ok boot.absent=skip
        """)
    outcome, reasons = verdict_of(cfg, console(PASSING_KTAP), rc=3)
    assert outcome == "fail"
    assert reasons == [
        "exit code 3 = fail, but the console says KERNEL-EXIT: pass",
        "outcome fail (exit code 3 = fail), expected pass",
        "BOOT-REPORT: expected cpus=2, got cpus=1",
        "BOOT-REPORT has no field 'nosuch' (expected nosuch=1)",
        'BOOT-REPORT: expected probe=[], got probe=[{"name":"pc-acpi","score":10,'
        '"evidence":"MADT"}]',
        "KTAP: expected boot.cmdline_parse not ok, got ok",
        "KTAP has no test boot.absent (expected skip)",
        "no console line matches /long mode/",
    ]


def test_panic_line_contradicting_the_outcome():
    reasons = verdict_of(config(), console(PASSING_KTAP, "PANIC: double fault\n"))[1]
    assert reasons == ["outcome pass, but the console has 'PANIC: double fault'"]


def test_arch_is_implied():
    cfg = config("arch = i386")
    assert verdict_of(cfg, console(PASSING_KTAP))[1] == \
        ["BOOT-REPORT: expected arch=i386, got arch=x86_64"]


def test_pass_with_failing_ktests_fails():
    reasons = verdict_of(config(), console(EXAMPLE))[1]
    assert reasons == ["KERNEL-EXIT says pass but KTAP has failures: boot.memmap_merge"]


def test_cut_short_plan_fails_expected_pass_but_not_expected_panic():
    cut = "\n".join(EXAMPLE.splitlines()[:7]) + "\nPANIC: boom\n"
    reasons = verdict_of(config(), console(cut))[1]
    assert "KTAP: boot: planned 3, 1 finished: run cut short" in reasons
    assert any(r.startswith("KERNEL-EXIT says pass but KTAP has failures") for r in reasons)
    panic = config("expect_outcome = panic\nexpect_log = ^PANIC:")
    assert verdict_of(panic, console(cut, exit_status="panic"), rc=5) == ("panic", [])


def test_no_ktap_and_ktap_absent():
    assert verdict_of(config(), console())[1] == ["no KTAP output"]
    absent = config("append = ktest=off\nexpect_ktap = absent")
    assert verdict_of(absent, console()) == ("pass", [])
    assert verdict_of(absent, console(PASSING_KTAP))[1] == \
        ["KTAP output present, expected none (expect_ktap = absent)"]


def test_selftest_fail_expectation():
    cfg = config("expect_outcome = fail\nexpect_ktap = selftest.fail=not-ok")
    ktap = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: selftest\n    1..1\n" \
           "    not ok 1 fail\nnot ok 1 selftest\n"
    assert verdict_of(cfg, console(ktap, exit_status="fail"), rc=3) == ("fail", [])
    outcome, reasons = verdict_of(cfg, console(PASSING_KTAP), rc=1)
    assert reasons == ["outcome pass (exit code 1 = pass), expected fail",
                       "KTAP has no test selftest.fail (expected not ok)"]


# --- matrix.cfg ----------------------------------------------------------------------------

def test_cfg_expansion_defaults_and_needs():
    cs = configs.parse("""\
[DEFAULT]
timeout = 5
[a]
qemu_opts = -M q35 -smp 4 -cpu "max,+x2apic"
accel = kvm
groups = quick, smp
needs = kvm qemu
expect = cpus=4 "machine=pc acpi"
[x]
arch = x86_64
emulator = xen
entry = pvh
""")
    assert [c.name for c in cs] == ["a-i386", "a-x86_64", "x-x86_64"]
    a = cs[0]
    assert a.qemu_opts == ("-M", "q35", "-smp", "4", "-cpu", "max,+x2apic")
    assert a.needs == ("qemu", "kvm") and a.groups == ("quick", "smp")
    assert a.expect == (("cpus", "4"), ("machine", "pc acpi")) and a.timeout == 5
    assert a.expected_facts() == {"cpus": "4", "machine": "pc acpi", "arch": "i386"}
    assert cs[2].needs == ("qemu", "xen") and cs[2].entry == "pvh"
    assert cs[2].xen_vcpus == 1 and cs[0].xen_vcpus == 1


@pytest.mark.parametrize("body, error", [
    ("emulator = vbox", "emulator = 'vbox', expected one of qemu, bochs, xen"),
    ("arch = arm", "arch = 'arm'"),
    ("entry = efi", "entry = 'efi'"),
    ("acel = kvm", "unknown key(s): acel"),
    ("needs = gpu", "needs = 'gpu'"),
    ("timeout = soon", "timeout = 'soon' is not a number"),
    ("expect = cpus", "expect: 'cpus' is not key=value"),
    ("expect_outcome = error", "expect_outcome = 'error'"),
    ("expect_ktap = a.b=maybe", "expect_ktap result = 'maybe'"),
    ("expect_log = (", "expect_log /(/"),
    ("qemu_opts = -kernel /tmp/x", "qemu_opts: -kernel is set by the runner"),
])
def test_cfg_errors(body, error):
    with pytest.raises(ConfigError) as e:
        config(body)
    assert error in str(e.value)


def test_cfg_duplicates_and_bad_section():
    with pytest.raises(ConfigError, match="duplicate configuration names: a-i386"):
        configs.parse("[a]\narch = i386 x86_64 i386\n")
    with pytest.raises(ConfigError, match="section 'a' already exists"):
        configs.parse("[a]\n[a]\n")
    with pytest.raises(ConfigError, match="section names"):
        configs.parse("[a b]\n")


def test_select_by_group_and_name():
    cs = configs.parse("[a]\ngroups = quick\n[b]\ngroups = smp\n[c]\n")
    names = lambda sel: [c.name for c in sel]       # noqa: E731
    assert names(configs.select(cs, "quick,smp")) == ["a-i386", "a-x86_64", "b-i386",
                                                      "b-x86_64"]
    assert names(configs.select(cs, names="a, c-i386")) == ["a-i386", "a-x86_64", "c-i386"]
    assert names(configs.select(cs, "smp", "a")) == []
    with pytest.raises(ConfigError, match="unknown group"):
        configs.select(cs, "slow")
    with pytest.raises(ConfigError, match="unknown config"):
        configs.select(cs, names="d")


def test_the_real_matrix_cfg():
    cs = {c.name: c for c in configs.load(configs.HERE / "matrix.cfg")}
    for chipset in ("pc", "q35"):
        for entry in ("multiboot", "pvh"):
            for arch in ("i386", "x86_64"):
                c = cs[f"{chipset}-{entry}-{arch}"]
                assert c.emulator == "qemu" and c.entry == entry and c.expect_outcome == "pass"
                want = {"entry": entry, "cpus": "1", "arch": arch}
                assert want.items() <= c.expected_facts().items()
                assert ("-M", chipset) == c.qemu_opts[:2] and "1" in c.qemu_opts
    fail, panic = cs["selftest-fail-x86_64"], cs["selftest-panic-x86_64"]
    assert (fail.append, fail.expect_outcome, fail.expect_ktap) == \
        ("ktest=selftest.fail", "fail", (("selftest.fail", "not ok"),))
    assert (panic.append, panic.expect_outcome, panic.expect_log) == \
        ("ktest=selftest.panic", "panic", ("^PANIC:",))
    nolm = cs["selftest-no-long-mode-x86_64"]
    assert "pentium" in nolm.qemu_opts and nolm.expect_outcome == "unsupported-cpu"
    assert nolm.expect_log == ("long mode",)


# --- needs and launchers -------------------------------------------------------------------

def test_kvm_problem(tmp_path):
    assert "not usable" in launch.kvm_problem(str(tmp_path / "kvm"))
    assert "KVM_GET_API_VERSION failed" in launch.kvm_problem("/dev/null")


def test_unmet_needs(monkeypatch):
    monkeypatch.setenv("QEMU", "/nonexistent/qemu")
    monkeypatch.setenv("XEN_IMAGE", "/nonexistent/xen.gz")
    assert launch.unmet_needs(config()) == "/nonexistent/qemu not found"
    assert launch.unmet_needs(config("emulator = xen\nentry = pvh")) == \
        "/nonexistent/qemu not found; /nonexistent/xen.gz not found"
    monkeypatch.setattr(launch, "NEED_CHECKS", dict(launch.NEED_CHECKS, bochs=lambda: None,
                                                    xen=lambda: None, qemu=lambda: None))
    assert launch.unmet_needs(config("emulator = bochs")) is None    # implemented
    assert launch.unmet_needs(config("emulator = xen\nentry = pvh")) is None


def test_skip_reason_names_the_package(monkeypatch, tmp_path):
    assert launch.xen_image() in launch.PACKAGES    # the default Xen image's package
    image = str(tmp_path / "xen.gz")
    monkeypatch.setitem(launch.PACKAGES, image, "xen-hypervisor-test")
    monkeypatch.setenv("XEN_IMAGE", image)
    assert launch.NEED_CHECKS["xen"]() == f"{image} not found (Debian: xen-hypervisor-test)"


def _needs(monkeypatch, ci, **problems):
    """needs_verdict of a Xen configuration on KVM with these needs unmet."""
    checks = {n: (lambda: None) for n in launch.NEED_CHECKS}
    checks.update({n: (lambda r=r: r) for n, r in problems.items()})
    monkeypatch.setattr(launch, "NEED_CHECKS", checks)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    return launch.needs_verdict(config("emulator = xen\nentry = pvh\naccel = kvm"))


def test_needs_verdict_skip_or_fail_under_ci(monkeypatch):
    assert _needs(monkeypatch, None) == (None, None)
    assert _needs(monkeypatch, "true") == (None, None)
    # Locally every unmet need is a skip with its reason.
    assert _needs(monkeypatch, None, xen="xen.gz not found") == ("skip", "xen.gz not found")
    assert _needs(monkeypatch, "false", xen="x") == ("skip", "x")
    # Under CI only the host's hardware (/dev/kvm) may skip ...
    assert _needs(monkeypatch, "true", kvm="/dev/kvm not usable") == \
        ("skip", "/dev/kvm not usable")
    # ... anything an install step provides fails, named alone, with the rule.
    for ci in ("true", "1", "TRUE", "yes"):
        kind, why = _needs(monkeypatch, ci, kvm="/dev/kvm not usable", xen="xen.gz not found")
        assert kind == "fail" and why.startswith("xen.gz not found (CI=true: only kvm")
        assert "/dev/kvm" not in why
    kind, why = _needs(monkeypatch, "true", qemu="qemu-system-x86_64 not found")
    assert kind == "fail" and "qemu-system-x86_64 not found" in why
    # A need the runner does not know as hardware (a new one) is an install step.
    monkeypatch.setattr(launch, "HOST_NEEDS", ())
    assert _needs(monkeypatch, "true", kvm="/dev/kvm not usable")[0] == "fail"


MISSING_XEN_CFG = """\
[xen-missing]
arch = x86_64
emulator = xen
entry = pvh
"""


@pytest.mark.parametrize("ci, rc, verdict", [(None, 0, "SKIP"), ("true", 1, "FAIL")])
def test_matrix_under_ci_fails_what_it_cannot_install(tmp_path, ci, rc, verdict):
    """The whole pytest run: a configuration whose Xen image is missing is a skip
    (exit 0) locally and fails the run (exit 1) under CI=true."""
    (tmp_path / "m.cfg").write_text(MISSING_XEN_CFG)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env.update(MATRIX_CFG=str(tmp_path / "m.cfg"), MATRIX_OUT=str(tmp_path / "out"),
               XEN_IMAGE=str(tmp_path / "no-xen.gz"), **({"CI": ci} if ci else {}))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-p", "no:xdist", str(HERE / "test_matrix.py")],
                         env=env, cwd=HERE, capture_output=True, text=True, timeout=60)
    assert run.returncode == rc, run.stdout + run.stderr
    assert f"xen-missing-x86_64: {verdict}: {tmp_path}/no-xen.gz not found" in run.stdout
    result = json.loads((tmp_path / "out/results/xen-missing-x86_64.json").read_text())
    assert (result["outcome"], result["passed"]) == ("skip", None if ci is None else False)


@pytest.mark.parametrize("body, error", [
    ("xen_vcpus = 2", "xen_vcpus: only for emulator = xen"),
    ("xen_cmdline = sched=null", "xen_cmdline: only for emulator = xen"),
    ("emulator = xen", "Xen boots dom0 through PVH"),
    ("emulator = xen\nentry = pvh\nxen_vcpus = 0", "xen_vcpus = '0', expected 1..32"),
    ("emulator = xen\nentry = pvh\nxen_vcpus = two", "xen_vcpus = 'two'"),
    ("emulator = xen\nentry = pvh\nappend = machine=xen,pc", "no commas under Xen"),
])
def test_xen_keys_rejected(body, error):
    with pytest.raises(configs.ConfigError, match=error):
        config(body)


def test_xen_command_line(monkeypatch, tmp_path):
    monkeypatch.setenv("BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.setenv("MATRIX_OUT", str(tmp_path / "out"))
    src = tmp_path / "xen-4.17-amd64.gz"
    with gzip.open(src, "wb") as f:
        f.write(b"\x7fELF fake xen")
    monkeypatch.setenv("XEN_IMAGE", str(src))
    cfg = config("""\
        emulator = xen
        entry = pvh
        xen_vcpus = 2
        xen_cmdline = sched=credit2
        append = ktest=off  loglevel=7
        """)
    image, cmd = matrix.command(cfg)
    assert image == tmp_path / "build" / "x86_64" / "kernel.elf"
    xen = tmp_path / "out" / "xen-cache" / "xen-4.17-amd64"
    assert xen.read_bytes() == b"\x7fELF fake xen"          # decompressed once, cached
    log_dir = tmp_path / "out" / cfg.name
    for opts in (["-machine", "q35"], ["-cpu", "max"], ["-no-reboot"], ["-nodefaults"],
                 ["-device", "intel-iommu,intremap=on,aw-bits=48"],
                 ["-device", "isa-debug-exit,iobase=0xf4,iosize=4"],
                 ["-serial", f"file:{log_dir / 'xen.log'}", "-serial", "stdio"],
                 ["-kernel", str(xen)], ["-initrd", f"{image} ktest=off loglevel=7"]):
        assert any(cmd[i:i + len(opts)] == opts for i in range(len(cmd))), opts
    append = cmd[cmd.index("-append") + 1].split()
    assert "dom0=pvh" in append and "dom0_max_vcpus=2" in append
    assert append[-1] == "sched=credit2"
    # A newer source image is decompressed again.
    os.utime(xen, (1, 1))
    matrix.command(cfg)
    assert xen.stat().st_mtime > 1


def test_qemu_command_line(monkeypatch, tmp_path):
    monkeypatch.setenv("BUILD_DIR", str(tmp_path))
    cfg = config("entry = pvh\nqemu_opts = -M q35 -smp 2\nappend = ktest=off  nosmp")
    image, cmd = matrix.command(cfg)
    assert image == tmp_path / "x86_64" / "kernel-pvh.elf"
    assert cmd[0] == "qemu-system-x86_64"
    for opts in (["-display", "none"], ["-no-reboot"], ["-nodefaults"], ["-monitor", "none"],
                 ["-serial", "stdio"], ["-device", "isa-debug-exit,iobase=0xf4,iosize=4"],
                 ["-accel", "tcg"], ["-M", "q35", "-smp", "2"], ["-kernel", str(image)],
                 ["-append", "ktest=off nosmp"]):
        assert any(cmd[i:i + len(opts)] == opts for i in range(len(cmd))), opts


def test_run_command_timeout_kills_the_group(tmp_path):
    start = time.monotonic()
    run = launch.run_command(["sh", "-c", "echo booting; sleep 60 & sleep 60; echo never"],
                             tmp_path / "console.log", 0.5)
    assert run.timed_out and run.rc < 0 and time.monotonic() - start < 5
    assert run.console == "booting\n" == (tmp_path / "console.log").read_text()


def test_run_command_streams_and_separates_stderr(tmp_path):
    seen = []
    run = launch.run_command(["sh", "-c", "echo out; echo err >&2; exit 3"],
                             tmp_path / "c.log", 10, echo=seen.append)
    assert (run.rc, run.timed_out, run.console, run.stderr) == (3, False, "out\n", "err\n")
    assert b"".join(seen) == b"out\n"


# --- a whole run, with a stand-in emulator ----------------------------------------------------

@pytest.fixture
def fake_emulator(monkeypatch, tmp_path):
    """QEMU replaced by a script printing $FAKE_CONSOLE and exiting $FAKE_RC."""
    script = tmp_path / "fake-qemu"
    script.write_text(f"#!{sys.executable}\nimport os, sys\n"
                      "sys.stdout.write(open(os.environ['FAKE_CONSOLE']).read())\n"
                      "sys.exit(int(os.environ['FAKE_RC']))\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    for arch in ("i386", "x86_64"):
        (tmp_path / "build" / arch).mkdir(parents=True)
        (tmp_path / "build" / arch / "kernel.elf").write_bytes(b"\x7fELF")
    monkeypatch.setenv("QEMU", str(script))
    monkeypatch.setenv("BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.delenv("MATRIX_OUT", raising=False)

    def boot(cfg, text, rc):
        (tmp_path / "console.txt").write_text(text)
        monkeypatch.setenv("FAKE_CONSOLE", str(tmp_path / "console.txt"))
        monkeypatch.setenv("FAKE_RC", str(rc))
        return matrix.run_config(cfg)
    return boot


def test_run_config_records_everything(fake_emulator, tmp_path):
    out = tmp_path / "build" / "matrix"
    text = console(PASSING_KTAP, 'BENCH {"name": "b", "unit": "ns", "value": 1}\n')
    result = fake_emulator(config("expect = cpus=1", section="pc"), text, 1)
    assert (result["outcome"], result["passed"], result["reasons"]) == ("pass", True, [])
    assert result["ktap"] == [("boot.cmdline_parse", "ok", "")]
    assert result["bench"] == [{"name": "b", "unit": "ns", "value": 1}]
    assert result["report"] == REPORT and result["log_tail"][-1] == "KERNEL-EXIT: pass"
    assert (out / "pc-x86_64" / "console.log").read_text() == text
    assert "isa-debug-exit" in (out / "pc-x86_64" / "cmd.txt").read_text()
    saved = json.loads((out / "results" / "pc-x86_64.json").read_text())
    assert saved["passed"] is True and saved["ktap"] == [["boot.cmdline_parse", "ok", ""]]


def test_run_config_crash_keeps_the_log_tail(fake_emulator):
    text = "".join(f"line {i}\n" for i in range(30)) + "PANIC: unhandled #GP\n"
    result = fake_emulator(config(), text, 0)
    assert (result["outcome"], result["passed"]) == ("crash", False)
    assert len(result["log_tail"]) == matrix.LOG_TAIL
    assert result["log_tail"][-1] == "PANIC: unhandled #GP"
    assert "triple fault" in matrix.describe(result)


def test_run_config_missing_image_is_an_error(fake_emulator):
    result = fake_emulator(config("entry = pvh"), "", 1)
    assert result["outcome"] == "error" and result["passed"] is False
    assert "kernel image missing" in result["reasons"][0]
    assert "kernel-pvh.elf" in result["reasons"][0]


# --- reports -----------------------------------------------------------------------------------

def _result(name, passed, outcome, ktap, expected="pass", reasons=()):
    return {"config": name, "passed": passed, "outcome": outcome, "expected": expected,
            "reasons": list(reasons), "ktap": ktap, "report": REPORT if ktap else None,
            "wall_s": 0.25, "log_tail": ["last line"], "emulator": "qemu", "detail": ""}


RESULTS = [
    _result("good", True, "pass", [["boot.a", "ok", ""], ["boot.b", "skip", "no HPET"]]),
    _result("bad", False, "crash", [["boot.a", "not ok", "boom"], ["#2", "not run", "cut"]],
            reasons=["outcome crash, expected pass"]),
    _result("selftest", True, "panic", [["selftest.panic", "not run", "cut"]], "panic"),
    _result("bochs", None, "skip", [], reasons=["bochs launcher not implemented yet"]),
]


def test_junit_ktest_xml():
    root = ET.fromstring(report.junit_xml(RESULTS))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["good", "bad", "selftest", "bochs"]
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("9", "3", "3")
    good = {c.get("name"): c for c in suites["good"].findall("testcase")}
    assert list(good) == [report.CONFIG_CASE, "boot.a", "boot.b"]
    assert good["boot.b"].find("skipped").get("message") == "no HPET"
    bad = {c.get("name"): c for c in suites["bad"].findall("testcase")}
    assert bad[report.CONFIG_CASE].find("failure").get("message") == \
        "outcome crash, expected pass"
    assert "last line" in bad[report.CONFIG_CASE].find("failure").text
    assert bad["boot.a"].find("failure").get("message") == "not ok: boom"
    assert bad["#2"].find("failure").get("message") == "not run: cut"
    expected = suites["selftest"].find("testcase[@name='selftest.panic']/skipped")
    assert expected.get("message") == "expected: not run: cut"
    skipped = suites["bochs"].find("testcase/skipped")
    assert skipped.get("message") == "bochs launcher not implemented yet"


def test_summary_tables():
    lines = report.text_summary(RESULTS)
    assert [c.strip() for c in lines[0].split("|")][:4] == \
        ["config", "verdict", "outcome", "machine"]
    good = [c.strip() for c in lines[1].split("|")]
    assert good == ["good", "PASS", "pass", "pc-acpi", "1", "xapic-flat", "tsc", "1/0/1",
                    "0.25"]
    assert "crash (expected pass)" in lines[2] and "0/1/0 (1 not run)" in lines[2]
    assert "panic (expected" not in lines[3]
    assert "bochs: SKIP: bochs launcher not implemented yet" in lines
    assert lines[-1] == "2 pass, 1 fail, 1 skip"
    md = report.markdown(RESULTS)
    assert "| good | PASS | pass | pc-acpi |" in md and "- bad (FAIL): outcome crash" in md


def test_missing_result_file_is_a_failure(tmp_path):
    (r,) = report.load_results(tmp_path, ["gone"])
    assert r["passed"] is False and "no result file" in r["reasons"][0]
    assert "gone" in report.text_summary([r])[1]


# --- command line ------------------------------------------------------------------------------

def test_cli_list_and_resolve(capsys, monkeypatch):
    monkeypatch.delenv("MATRIX", raising=False)
    monkeypatch.delenv("MATRIX_GROUPS", raising=False)
    assert matrix.main(["list"]) == 0
    assert "pc-multiboot-x86_64" in capsys.readouterr().out
    cs = configs.parse("[pc]\n")
    assert matrix.resolve("pc", cs, "i386").name == "pc-i386"
    with pytest.raises(ConfigError, match="one of pc-i386, pc-x86_64"):
        matrix.resolve("pc", cs)
    assert matrix.main(["cmd", "nosuch"]) == 2


# The QEMU version axis: a configuration's qemu key, else $QEMU_VERSION, else 7.2.
def test_qemu_version_key_and_run_wide(monkeypatch, tmp_path):
    monkeypatch.delenv("QEMU_VERSION", raising=False)
    monkeypatch.delenv("QEMU", raising=False)
    monkeypatch.setenv("TRIXIE_CACHE", str(tmp_path))
    plain, ten = config(""), config("qemu = 10")
    assert (plain.qemu, plain.needs) == ("7.2", ("qemu",))
    assert (ten.qemu, ten.needs) == ("10", ("qemu-10",))
    assert launch.Qemu().command(plain, "k.elf")[0] == "qemu-system-x86_64"
    assert launch.Qemu().command(ten, "k.elf")[0] == \
        f"{tmp_path}/qemu-10/bin/qemu-system-x86_64"
    xen = config("emulator = xen\nentry = pvh\nxen = 4.20\nqemu = 10")
    assert xen.needs == ("qemu-10", "xen-4.20")
    # A whole run on QEMU 10; a configuration naming its version keeps it.
    monkeypatch.setenv("QEMU_VERSION", "10")
    assert config("").qemu == "10" and config("qemu = 7.2").qemu == "7.2"
    monkeypatch.setenv("QEMU_VERSION", "9")
    with pytest.raises(ConfigError, match="QEMU_VERSION.*'9'"):
        config("")


@pytest.mark.parametrize("body, error", [
    ("qemu = 8", "qemu = '8', expected one of 7.2, 10"),
    ("emulator = bochs\nqemu = 10", "qemu = 10: not for emulator = bochs"),
])
def test_qemu_version_errors(body, error):
    with pytest.raises(ConfigError, match=error):
        config(body)


def test_qemu10_missing_skips_locally_fails_under_ci(monkeypatch, tmp_path):
    """No QEMU 10 in the cache: a skip naming the fetch script; under CI=true a
    failure (an install step, not host hardware)."""
    monkeypatch.delenv("QEMU10", raising=False)
    monkeypatch.setenv("TRIXIE_CACHE", str(tmp_path))
    cfg = config("qemu = 10")
    monkeypatch.delenv("CI", raising=False)
    kind, why = launch.needs_verdict(cfg)
    assert kind == "skip" and "QEMU 10 not found" in why and "fetch-qemu10.sh" in why
    monkeypatch.setenv("CI", "true")
    kind, why = launch.needs_verdict(cfg)
    assert kind == "fail" and why.startswith("QEMU 10 not found")
    # Once fetched (an executable wrapper in the cache), it runs.
    wrapper = tmp_path / "qemu-10/bin/qemu-system-x86_64"
    wrapper.parent.mkdir(parents=True)
    wrapper.write_text("#!/bin/sh\n")
    wrapper.chmod(0o755)
    assert launch.needs_verdict(cfg) == (None, None)


def test_result_names_the_qemu_version(monkeypatch):
    monkeypatch.delenv("QEMU_VERSION", raising=False)
    assert matrix._base_result(config("qemu = 10"))["qemu"] == "10"
    assert matrix._base_result(config(""))["qemu"] == "7.2"
    assert matrix._base_result(config("emulator = bochs"))["qemu"] is None
