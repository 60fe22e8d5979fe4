"""Classify how a run ended (QEMU: exit code; Bochs: magic break), and check it
against a configuration's expectations."""
import json
import re

STRICT = ("pass", "fail")   # expected outcomes that require a BOOT-REPORT and KTAP


def classify(rc, timed_out, exit_status, rc_status, stderr=""):
    """-> (outcome, detail, problems).

    rc_status maps the emulator's exit codes to kernel statuses (QEMU's
    isa-debug-exit: 1 pass, 3 fail, 5 panic, 7 unsupported-cpu); exit_status is
    the console's KERNEL-EXIT status or None. problems are contradictions that
    fail the run whatever was expected.
    """
    stderr_tail = " | ".join(stderr.strip().splitlines()[-3:])
    emulator_said = f"; emulator stderr: {stderr_tail}" if stderr_tail else ""
    if timed_out:
        printed = f", after printing KERNEL-EXIT: {exit_status}" if exit_status else ""
        return "timeout", f"killed at the timeout{printed}", []
    by_rc = rc_status.get(rc)
    if by_rc and exit_status is None and rc == 1:
        # QEMU's own errors (bad option, missing file) also exit 1.
        return "error", ("exit code 1 and no KERNEL-EXIT line: the emulator failed, or "
                         f"the kernel exited without its status{emulator_said}"), []
    if by_rc:
        detail = f"exit code {rc} = {by_rc}"
        if exit_status is None:
            return by_rc, detail, [f"{detail}, but no KERNEL-EXIT line"]
        if exit_status != by_rc:
            return by_rc, detail, [f"{detail}, but the console says KERNEL-EXIT: {exit_status}"]
        return by_rc, detail, []
    if rc == 0 and exit_status:
        return exit_status, f"powered off (exit code 0) after KERNEL-EXIT: {exit_status}", []
    if rc == 0:
        return "crash", ("exit code 0 without KERNEL-EXIT: a reset or triple fault "
                         f"(-no-reboot){emulator_said}"), []
    if rc < 0:
        return "crash", f"emulator killed by signal {-rc}{emulator_said}", []
    return "crash", f"unexpected exit code {rc}{emulator_said}", []


# Bochs: the kernel stops at the magic breakpoint (xchg %bx,%bx) with this in EAX.
MAGIC_BREAK_STATUS = {0: "pass", 1: "fail", 2: "panic", 3: "unsupported-cpu"}


def classify_magic_break(rc, timed_out, exit_status, ending, last_line=None):
    """-> (outcome, detail, problems) of a Bochs run, as classify() for QEMU.

    ending: bochs.Ending (magic break CPU and EAX from the debugger's register
    dump, Bochs' PANIC/ERROR lines). The magic break gives the outcome, checked
    against KERNEL-EXIT; Bochs ending any other way is a crash (a triple fault or
    the 0x8900 "Shutdown" port: Bochs panics and exits 1), except a panic before
    the guest ran, which is the emulator's own failure: error.
    """
    printed = f", after printing KERNEL-EXIT: {exit_status}" if exit_status else ""
    if timed_out:
        return "timeout", f"killed at the timeout{printed}", []
    bochs_said = "; ".join(ending.panics[:2] + ending.errors[:2])
    said = f"; Bochs says: {bochs_said}" if bochs_said else ""
    last = f"; last console line: {last_line!r}" if last_line else ""
    if ending.startup_failure:
        return "error", f"Bochs failed before the guest ran (exit code {rc}){said}", []
    if ending.magic_cpu is not None:
        where = f"magic break on CPU {ending.magic_cpu}"
        if ending.eax is None:
            return "error", (f"{where}, but no register dump to read EAX from "
                             f"(exit code {rc}){said}"), []
        if ending.dump_cpu is not None and ending.dump_cpu != ending.magic_cpu:
            return "error", (f"{where}, but the register dump is CPU {ending.dump_cpu}'s: "
                             "its EAX is not the exit status"), []
        status = MAGIC_BREAK_STATUS.get(ending.eax)
        if status is None:
            return "crash", (f"{where} with EAX={ending.eax:#x}, not an exit status (a stray "
                             f"xchg %bx,%bx?){printed}{last}"), []
        detail = f"{where}, EAX={ending.eax} = {status}"
        problems = [] if rc == 0 else [f"{detail}, but Bochs then exited with code {rc}"]
        if exit_status is None:
            problems.append(f"{detail}, but no KERNEL-EXIT line")
        elif exit_status != status:
            problems.append(f"{detail}, but the console says KERNEL-EXIT: {exit_status}")
        return status, detail, problems
    if rc == 0:
        return "crash", f"Bochs stopped without reaching the magic break{printed}{said}{last}", []
    how = f"killed by signal {-rc}" if rc < 0 else f"exited with code {rc}"
    return "crash", f"Bochs {how} without the magic break{printed}{said}{last}", []


def fact_str(value):
    """A BOOT-REPORT value as the string an `expect` pair gives: JSON spelling
    for null and booleans, str() for numbers, compact JSON for lists and objects."""
    if value is None or isinstance(value, (bool, list, dict)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _check_facts(cfg, report):
    if report is None:
        # Runs that end before the report (a panic, an unsupported CPU) need none.
        if cfg.expect_outcome not in STRICT and not cfg.expect:
            return []
        explicit = " ".join(f"{k}={v}" for k, v in cfg.expect)
        return ["no BOOT-REPORT line" + (f" to check {explicit}" if explicit else "")]
    reasons = []
    for key, want in cfg.expected_facts().items():
        if key not in report:
            reasons.append(f"BOOT-REPORT has no field {key!r} (expected {key}={want})")
        elif fact_str(report[key]) != want:
            reasons.append(f"BOOT-REPORT: expected {key}={want}, got "
                           f"{key}={fact_str(report[key])}")
    return reasons


def _check_ktap(cfg, outcome, ktap):
    reasons = []
    if cfg.expect_outcome in STRICT:
        if cfg.ktap_absent and ktap.present:
            reasons.append("KTAP output present, expected none (expect_ktap = absent)")
        elif not cfg.ktap_absent and not ktap.present:
            reasons.append("no KTAP output")
        reasons += [f"KTAP: {e}" for e in ktap.errors]
        if outcome == "pass" and ktap.failed():
            reasons.append(f"KERNEL-EXIT says pass but KTAP has failures: "
                           f"{', '.join(ktap.failed())}")
    for test, want in cfg.expect_ktap:
        got = ktap.result_of(test)
        if got is None:
            reasons.append(f"KTAP has no test {test} (expected {want})")
        elif got != want:
            reasons.append(f"KTAP: expected {test} {want}, got {got}")
    return reasons


def check(cfg, outcome, detail, console):
    """-> the reasons the run does not meet cfg's expectations ([] = it passed)."""
    reasons = list(console.errors)
    if outcome != cfg.expect_outcome:
        reasons.append(f"outcome {outcome} ({detail}), expected {cfg.expect_outcome}")
    if console.panic and outcome in ("pass", "fail", "unsupported-cpu"):
        reasons.append(f"outcome {outcome}, but the console has {console.panic[0]!r}")
    reasons += _check_facts(cfg, console.report)
    reasons += _check_ktap(cfg, outcome, console.ktap)
    text = console.text
    reasons += [f"no console line matches /{rx}/" for rx in cfg.expect_log
                if not re.search(rx, text, re.MULTILINE)]
    return reasons
