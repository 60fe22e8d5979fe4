#!/usr/bin/python3
"""The boot matrix runner: boot a configuration of matrix.cfg, judge it, record it.

A library for test_matrix.py and conftest.py, and a command line:
  matrix.py list               the configurations, and whether each can run here
  matrix.py run NAME [--arch A] [--append TEXT] [--timeout S]
                               boot one, print its console live, then the result
  matrix.py cmd NAME [--arch A] [--gdb PORT]
                               print the emulator command line without running it
                               (Bochs: also writes its bochsrc, debugger script and
                               ISO, which the command line names); --gdb: the QEMU
                               command halted with its gdb stub on PORT (docs/debugging.md)
  matrix.py debug NAME [--arch A] [--port P] [--append TEXT] [--batch] [--ex CMD]...
                               start that QEMU halted, attach gdb with the kernel's
                               symbols (scripts/gdb/kernel.gdb), stop QEMU when gdb ends
Exit status of run: 0 passed, 1 failed, 77 skipped (cannot run here), 2 usage.
Under CI=true a configuration that cannot run for want of anything but /dev/kvm
fails instead of skipping (launch.needs_verdict).
"""
import argparse
import dataclasses
import json
import os
import shlex
import socket
import subprocess
import sys
import time

from configs import ConfigError, build_dir, load, out_dir, selected
from launch import LAUNCHERS, LaunchError, needs_verdict, run_command
from parse import parse_console
from report import verdict
from verdict import check, fact_str

LOG_TAIL = 20
# Bochs adds stdout.log (banner, port 0xE9, debugger) and bochs.log (its log file).
LOG_FILES = ("cmd.txt", "console.log", "stderr.log", "stdout.log", "bochs.log")


def results_dir():
    return out_dir() / "results"


def _base_result(cfg):
    return {
        "config": cfg.name, "emulator": cfg.emulator, "arch": cfg.arch,
        # The QEMU version that ran it: icount figures differ between 7.2 and 10.
        "qemu": cfg.qemu or None,
        "entry": cfg.entry, "accel": cfg.accel, "groups": list(cfg.groups),
        "expected": cfg.expect_outcome, "outcome": None, "detail": "", "passed": None,
        "reasons": [], "wall_s": None, "rc": None, "report": None, "ktap": [],
        "bench": [], "log_tail": [], "cmd": None, "log_dir": str(out_dir() / cfg.name),
    }


def write_result(result):
    """results/<config>.json: what conftest.py turns into the JUnit file and summary."""
    path = results_dir() / f"{result['config']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1) + "\n")
    tmp.replace(path)
    return result


def skip_result(cfg, reason, failed=False):
    """A configuration that did not run: a skip, or (failed: a need CI must meet,
    launch.needs_verdict) a failure."""
    result = _base_result(cfg)
    result.update(outcome="skip", reasons=[reason], passed=False if failed else None)
    return write_result(result)


def command(cfg):
    """-> (kernel image, emulator command line) for cfg. A launcher may write the
    files its command line names (Bochs: bochsrc, debugger script, ISO) into the
    configuration's log directory; it raises LaunchError if it cannot."""
    launcher = LAUNCHERS[cfg.emulator]
    image = launcher.image(cfg, build_dir())
    return image, launcher.command(cfg, image, out_dir() / cfg.name)


def run_config(cfg, echo=None):
    """Boot cfg once; write its logs and result file; return the result dict.

    echo: a callable given console bytes as they arrive (the `run` command).
    """
    result = _base_result(cfg)
    log_dir = out_dir() / cfg.name
    log_dir.mkdir(parents=True, exist_ok=True)
    for name in LOG_FILES:
        (log_dir / name).unlink(missing_ok=True)
    launcher = LAUNCHERS[cfg.emulator]
    image = launcher.image(cfg, build_dir())
    if not image.is_file():
        result.update(outcome="error", passed=False,
                      reasons=[f"kernel image missing: {image} (make ARCH={cfg.arch})"])
        return write_result(result)
    try:
        cmd = launcher.command(cfg, image, log_dir)
    except LaunchError as e:
        result.update(outcome="error", passed=False, reasons=[str(e)])
        return write_result(result)
    (log_dir / "cmd.txt").write_text(shlex.join(cmd) + "\n")
    run = run_command(cmd, log_dir / "console.log", cfg.timeout, echo,
                      console_file=launcher.console_file)
    (log_dir / "stderr.log").write_text(run.stderr)
    if launcher.console_file:
        (log_dir / "stdout.log").write_text(run.output)
    console = parse_console(run.console)
    outcome, detail, problems = launcher.classify(run, console, log_dir)
    reasons = problems + check(cfg, outcome, detail, console)
    result.update(outcome=outcome, detail=detail, passed=not reasons, reasons=reasons,
                  wall_s=round(run.wall_s, 3), rc=run.rc, report=console.report,
                  ktap=console.ktap.results, bench=console.bench,
                  log_tail=console.lines[-LOG_TAIL:], cmd=cmd)
    return write_result(result)


def describe(result):
    """A result as text for a developer: verdict, reasons, where the logs are."""
    head = f"{result['config']}: {verdict(result)}: outcome {result['outcome']}"
    if result["passed"] and result["detail"]:
        head += f" ({result['detail']})"        # on failure, a reason gives the detail
    lines = [head + f", expected {result['expected']}"]
    lines += [f"  - {r}" for r in result["reasons"]]
    if result["report"]:
        lines.append("  report: " + " ".join(f"{k}={fact_str(v)}" for k, v in
                                            result["report"].items() if k != "probe"))
    if result["cmd"]:
        lines += [f"  console: {result['log_dir']}/console.log",
                  f"  rerun:   sh {result['log_dir']}/cmd.txt"]
    if result["passed"] is False and result["log_tail"]:
        lines += ["  last console lines:"] + [f"  | {line}" for line in result["log_tail"]]
    return "\n".join(lines)


def resolve(name, configs, arch=None):
    """A configuration by full name, or by section name plus arch."""
    by_name = {c.name: c for c in configs}
    if name in by_name:
        return by_name[name]
    if arch and f"{name}-{arch}" in by_name:
        return by_name[f"{name}-{arch}"]
    candidates = [c.name for c in configs if c.section == name]
    hint = f": one of {', '.join(candidates)} (or --arch)" if candidates else ""
    raise ConfigError(f"no configuration {name!r}{hint}")


def _list(_args):
    rows = [("config", "emulator", "arch", "entry", "accel", "groups", "can run here")]
    # (the emulator column names the QEMU version: qemu-10, xen/qemu-10)
    for cfg in selected():
        kind, why = needs_verdict(cfg)
        emulator = cfg.emulator + ("-10" if cfg.emulator == "qemu" and cfg.qemu == "10"
                                   else "/qemu-10" if cfg.qemu == "10" else "")
        rows.append((cfg.name, emulator, cfg.arch, cfg.entry,
                     cfg.accel if cfg.emulator != "bochs" else "-",
                     ",".join(cfg.groups) or "-", f"{kind}: {why}" if kind else "yes"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1])
    return 0


def gdb_command(cfg, port, serial="stdio"):
    """The configuration's QEMU command, halted (-S) with its gdb stub on port.

    QEMU's gdb stub sends the register set of the binary's target, not of the
    CPU's current mode: qemu-system-x86_64 always sends the 64-bit set, which
    gdb rejects ("Remote 'g' packet reply is too long") once an ELF32 symbol
    file has made it an i386 debugger. The i386 kernel therefore runs under
    qemu-system-i386, given QEMU's 64-bit default CPU model (long mode masked)
    when the configuration names none, so the guest sees the same CPUID.
    """
    if cfg.emulator != "qemu":
        raise LaunchError(f"{cfg.name}: debugging needs a QEMU configuration, not "
                          f"{cfg.emulator} (Bochs: its own debugger, docs/debugging.md)")
    cmd = list(command(cfg)[1])
    if cfg.arch == "i386" and os.path.basename(cmd[0]) == "qemu-system-x86_64":
        cmd[0] = os.path.join(os.path.dirname(cmd[0]), "qemu-system-i386")
        if "-cpu" not in cmd:
            cmd[cmd.index("-kernel"):cmd.index("-kernel")] = ["-cpu", "qemu64"]
    if serial != "stdio":
        cmd[cmd.index("-serial") + 1] = serial
    return cmd + ["-S", "-gdb", f"tcp:127.0.0.1:{port}"]


def _cmd(args):
    cfg = resolve(args.name, load(), args.arch)
    print(shlex.join(gdb_command(cfg, args.gdb) if args.gdb else command(cfg)[1]))
    return 0


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _debug(args):
    cfg = resolve(args.name, load(), args.arch)
    if args.append:
        cfg = dataclasses.replace(cfg, append=f"{cfg.append} {args.append}".strip())
    port = args.port or _free_port()
    log_dir = out_dir() / cfg.name
    log_dir.mkdir(parents=True, exist_ok=True)
    console = log_dir / "debug-console.log"
    cmd = gdb_command(cfg, port, serial=f"file:{console}")
    sym = build_dir() / cfg.arch / "kernel.sym"
    if not sym.is_file():
        raise LaunchError(f"{sym} missing (make ARCH={cfg.arch})")
    print(f"# {cfg.name}: {shlex.join(cmd)}\n# console: tail -f {console}", flush=True)
    qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=open(log_dir / "debug-qemu.log", "wb"))
    try:
        deadline = time.monotonic() + 10
        while qemu.poll() is None and time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        if qemu.poll() is not None:
            raise LaunchError(f"QEMU exited with {qemu.returncode}: "
                              f"{(log_dir / 'debug-qemu.log').read_text().strip()}")
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "..", "..", "scripts", "gdb", "kernel.gdb")
        env = dict(os.environ, KERNEL_SYM=str(sym), KERNEL_GDB_REMOTE=f"127.0.0.1:{port}",
                   KERNEL_ARCH=cfg.arch)
        gdb = ["gdb", "-q", "-nx"] + (["-batch"] if args.batch else []) + \
            ["-x", os.path.normpath(script)]
        for ex in args.ex:
            gdb += ["-ex", ex]
        return subprocess.call(gdb, env=env)
    finally:
        if qemu.poll() is None:
            qemu.terminate()
            try:
                qemu.wait(5)
            except subprocess.TimeoutExpired:
                qemu.kill()
                qemu.wait()


def _run(args):
    cfg = resolve(args.name, load(), args.arch)
    if args.append:
        cfg = dataclasses.replace(cfg, append=f"{cfg.append} {args.append}".strip())
    if args.timeout:
        cfg = dataclasses.replace(cfg, timeout=args.timeout)
    kind, why = needs_verdict(cfg)
    if kind:
        print(describe(skip_result(cfg, why, failed=kind == "fail")))
        return 77 if kind == "skip" else 1
    try:
        print(f"# {cfg.name}: {shlex.join(command(cfg)[1])}", flush=True)
    except LaunchError:
        pass                    # run_config reports it as the run's error

    def echo(data):
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    result = run_config(cfg, echo=None if args.quiet else echo)
    print()
    print(describe(result))
    return 0 if result["passed"] else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list configurations and whether they can run here")
    for name, helptext in (("run", "boot one configuration"), ("cmd", "print its command"),
                           ("debug", "boot it halted under gdb")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("name", help="configuration, or section name with --arch")
        p.add_argument("--arch", default=os.environ.get("ARCH"),
                       help="arch for a section name (default: $ARCH)")
        if name == "run":
            p.add_argument("--append", default="", help="more kernel command line")
            p.add_argument("--timeout", type=float, help="seconds (default: the config's)")
            p.add_argument("-q", "--quiet", action="store_true", help="no live console")
        if name == "cmd":
            p.add_argument("--gdb", type=int, metavar="PORT",
                           help="QEMU halted (-S) with its gdb stub on PORT")
        if name == "debug":
            p.add_argument("--port", type=int, default=0, help="gdb stub port (default: free)")
            p.add_argument("--append", default="", help="more kernel command line")
            p.add_argument("--batch", action="store_true", help="gdb -batch (for tests)")
            p.add_argument("--ex", action="append", default=[], metavar="CMD",
                           help="a gdb command after the script (repeatable)")
    args = parser.parse_args(argv)
    try:
        return {"list": _list, "run": _run, "cmd": _cmd, "debug": _debug}[args.command](args)
    except (ConfigError, LaunchError, NotImplementedError) as e:
        print(f"matrix.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
