"""Unit tests of the Bochs launcher without Bochs: the bochs_* keys, bochsrc and
debugger script, the GRUB ISO cache (with a stand-in grub-mkrescue), the register
dump and log parsers, how a run is classified, and a whole run_config with a
stand-in `bochs`.

  /usr/bin/python3 -m pytest tests/boot/test_bochs_unit.py -q
"""
import json
import shlex
import stat
import sys
import textwrap
from pathlib import Path

import pytest

import bochs
import configs
import launch
import matrix
from bochs import BochsOptions, Ending, LaunchError
from configs import ConfigError
from parse import parse_console
from verdict import check, classify_magic_break

REPORT = {"arch": "x86_64", "entry": "multiboot", "machine": "pc-acpi", "cpus": 1}
KTAP = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: core\n    1..1\n" \
       "    ok 1 printf_formats\nok 1 core\n"

# Bochs 2.7 (Debian, x86-64 build), stdout of `bochs -q -f bochsrc -rc debugger.rc`
# with 2 CPUs: banner, port 0xE9 output, then the debugger at the magic break.
STDOUT_64 = """\
========================================================================
                        Bochs x86 Emulator 2.7
              Built from SVN snapshot on August  1, 2021
                Timestamp: Sun Aug  1 10:07:00 CEST 2021
========================================================================
Next at t=0
(0) [0x0000fffffff0] f000:fff0 (unk. ctxt): jmpf 0xf000:e05b          ; ea5be000f0
(1) [0x0000fffffff0] f000:fff0 (unk. ctxt): jmpf 0xf000:e05b          ; ea5be000f0

x86 machine-layer kernel 0.1 (x86_64)
rax: 00000000_0000dead (a kernel printing register-like text on port 0xE9)
KERNEL-EXIT: panic
(0) Magic breakpoint
Next at t=51240786
(0) [0x000000103745] 0018:0000000000103745 (unk. ctxt): ret                       ; c3
(1) [0x00000010c032] 0018:000000000010c032 (unk. ctxt): jmp .-4  (0x0010c030)     ; ebfc
CPU0:
rax: 00000000_00000002
rbx: 00000000_00000002
rcx: 00000000_00000000
rip: 00000000_00103745
eflags 0x00200046: ID vip vif ac vm rf nt IOPL=0 of df if tf sf ZF af PF cf
(0).[51240786] [0x000000103745] 0018:0000000000103745 (unk. ctxt): ret                       ; c3
"""
# A 32-bit Bochs build prints `r` as "eax: 0x00000001 1".
STDOUT_32 = """\
(0) Magic breakpoint
Next at t=1234
(0) [0x00103949] 0008:00103949 (unk. ctxt): pop ebp                   ; 5d
eax: 0x00000001 1
ecx: 0x00018500 99584
"""
LOG_TRIPLE = """\
00000000000i[      ] Bochs x86 Emulator 2.7
00000000000i[MEM0  ] allocated memory at 0x7f0000000000. after alignment, vector=0x7f0000000000
00037000123e[CPU0  ] interrupt(): vector must be within IDT table limits, IDT.limit = 0x0
00037000123e[CPU0  ] interrupt(): vector must be within IDT table limits, IDT.limit = 0x0
00037000123p[CPU0  ] >>PANIC<< exception(): 3rd (13) exception with no resolution
"""
STDERR_NO_PORT = """\
00000000000i[      ] installing rfb module as the Bochs GUI
00000000000i[      ] using log file bochs.log
========================================================================
Bochs is exiting with the following message:
[RFB   ] RFB could not bind any port between 5900 and 5949
========================================================================
"""


def config(body="", section="b", arch="x86_64"):
    """One Bochs configuration from a matrix.cfg section body."""
    body = textwrap.dedent(body)
    (cfg,) = configs.parse(f"[{section}]\narch = {arch}\nemulator = bochs\n{body}")
    return cfg


def ending(**kw):
    e = Ending(panics=[], errors=[])
    for k, v in kw.items():
        setattr(e, k, v)
    return e


# --- matrix.cfg keys -----------------------------------------------------------------

def test_defaults():
    cfg = config()
    assert cfg.bochs == BochsOptions()
    assert (cfg.bochs.cpu, cfg.bochs.cpus, cfg.bochs.ips, cfg.bochs.memory) == \
        ("corei7_sandy_bridge_2600k", "1", 10_000_000, 64)
    assert cfg.needs == ("bochs",) and cfg.entry == "multiboot"
    assert configs.parse("[q]\narch = i386\n")[0].bochs is None     # QEMU: no Bochs machine


def test_every_key():
    cfg = config("""\
        bochs_cpu = corei7_haswell_4770
        bochs_cpus = 2:2:1
        bochs_ips = 4_000_000
        bochs_memory = 128
        bochs_chipset = i440bx
        bochs_acpi = 0
        bochs_hpet = 0
        bochs_extra = cpu: quantum=16
            # a comment
            e1000: enabled=0
        bochs_optrom = vmi.rom,0xd8000
        """)
    assert cfg.bochs == BochsOptions(
        cpu="corei7_haswell_4770", cpus="2:2:1", ips=4_000_000, memory=128, pci=True,
        chipset="i440bx", acpi=False, hpet=False,
        extra=("cpu: quantum=16", "e1000: enabled=0"), optrom=("vmi.rom", 0xd8000))
    assert config("bochs_optrom = vmi.rom").bochs.optrom == ("vmi.rom", 0xd0000)


@pytest.mark.parametrize("body, error", [
    ("bochs_cpu = i486", "bochs_cpu = 'i486', not a Bochs 2.7 model"),
    ("bochs_cpus = 0", "every count must be at least 1"),
    ("bochs_cpus = 2:2", "expected N or P:C:T"),
    ("bochs_cpus = 16:16:1", "256 CPUs, Bochs takes at most 254"),
    ("bochs_ips = fast", "bochs_ips = 'fast' is not a number"),
    ("bochs_ips = 10", "out of range"),
    ("bochs_memory = 0", "bochs_memory = 0: out of range"),
    ("bochs_pci = yes", "bochs_pci = 'yes', expected 1 or 0"),
    ("bochs_chipset = q35", "bochs_chipset = 'q35', expected one of i440fx, i430fx, i440bx"),
    ("bochs_pci = 0\nbochs_chipset = i440fx", "the chipset is PCI's"),
    ("bochs_pci = 0\nbochs_acpi = 0", "bochs_acpi: only the PCI chipsets"),
    ("bochs_chipset = i430fx\nbochs_hpet = 1", "bochs_hpet: only the PCI chipsets"),
    ("bochs_extra = com1: enabled=0", "com1: is written by the runner"),
    ("bochs_extra = display_library: term", "display_library: is written by the runner"),
    ("bochs_extra = cpu: model=pentium", "cpu: model=pentium is set by the runner"),
    ("bochs_extra = just words", "is not a bochsrc line"),
    ("bochs_optrom = rom.bin,0xd0100", "not 2 KiB aligned"),
    ("bochs_optrom = rom.bin,0xc0000", "out of range"),
    ("bochs_optrom = ,0xd0000", "expected FILE or FILE,ADDRESS"),
    ("qemu_opts = -smp 2", "qemu_opts: not for emulator = bochs"),
    ("accel = kvm", "accel = kvm: Bochs emulates"),
    ("entry = pvh", "entry = pvh: Bochs boots kernel.elf through GRUB"),
    ("append = a='b'", "quotes and backslashes do not pass through GRUB"),
])
def test_key_errors(body, error):
    with pytest.raises(ConfigError) as e:
        config(body)
    assert error in str(e.value) and "[b]" in str(e.value)


def test_bochs_keys_only_for_bochs():
    with pytest.raises(ConfigError, match=r"\[q\]: bochs_cpus, bochs_pci: only for "
                                          "emulator = bochs"):
        configs.parse("[q]\nbochs_cpus = 2\nbochs_pci = 0\n")


def test_per_arch_overrides():
    i386, x86_64 = configs.parse("""\
[bochs-pentium]
emulator = bochs
bochs_cpu = pentium
expect.i386 = entry=multiboot cpus=1
expect_outcome.x86_64 = unsupported-cpu
expect_log.x86_64 = long mode
bochs_memory.x86_64 = 32
""")
    assert (i386.name, i386.expect_outcome, i386.expect, i386.expect_log) == \
        ("bochs-pentium-i386", "pass", (("entry", "multiboot"), ("cpus", "1")), ())
    assert (x86_64.name, x86_64.expect_outcome, x86_64.expect, x86_64.expect_log) == \
        ("bochs-pentium-x86_64", "unsupported-cpu", (), ("long mode",))
    assert (i386.bochs.memory, x86_64.bochs.memory) == (64, 32)
    assert i386.bochs.cpu == x86_64.bochs.cpu == "pentium"


@pytest.mark.parametrize("key, error", [
    ("arch.i386", "arch cannot be overridden per arch"),
    ("timeout.arm", "'arm' is not an arch"),
    ("tmeout.i386", "unknown key(s): tmeout.i386"),
])
def test_per_arch_override_errors(key, error):
    with pytest.raises(ConfigError) as e:
        configs.parse(f"[a]\n{key} = 1\n")
    assert error in str(e.value)


def test_bad_value_in_an_override_is_an_error():
    with pytest.raises(ConfigError, match="expect_outcome = 'maybe'"):
        configs.parse("[a]\nexpect_outcome.x86_64 = maybe\n")


def test_the_real_bochs_configurations():
    cs = {c.name: c for c in configs.load(configs.HERE / "matrix.cfg") if c.emulator == "bochs"}
    # The Bochs machines themselves, plus those of other groups that boot on Bochs.
    assert sorted(cs) == sorted(f"{s}-{a}" for s in (
        "bochs-i440fx-1", "bochs-i440fx-2", "bochs-i440fx-4", "bochs-i430fx-2", "bochs-nopci",
        "bochs-pentium", "bochs-x2apic", "vmi-bochs", "vmi-bochs-badsum")
        for a in ("i386", "x86_64"))
    for c in cs.values():
        assert "bochs" in c.groups and c.needs == ("bochs",) and c.timeout <= 20
        assert c.expected_facts().get("entry", "multiboot") == "multiboot"
    assert [cs[f"bochs-i440fx-{n}-i386"].bochs.cpus for n in (1, 2, 4)] == ["1", "2", "4"]
    assert cs["bochs-i430fx-2-x86_64"].bochs.chipset == "i430fx"
    assert cs["bochs-nopci-i386"].bochs.pci is False
    assert cs["bochs-x2apic-x86_64"].bochs.cpu == "corei7_haswell_4770"
    lm = cs["bochs-pentium-x86_64"]
    assert (lm.bochs.cpu, lm.expect_outcome, lm.expect_log) == \
        ("pentium", "unsupported-cpu", ("long mode",))
    assert cs["bochs-pentium-i386"].expect_outcome == "pass"


# --- bochsrc, debugger script, command line ----------------------------------------------

def _lines(text):
    return [line for line in text.splitlines() if not line.startswith("#")]


def test_bochsrc_core(tmp_path):
    cfg = config("bochs_cpus = 2:2:1\nbochs_ips = 5000000\nbochs_memory = 32")
    text = bochs.bochsrc(cfg, tmp_path / "k.iso", tmp_path / "log dir")
    assert _lines(text) == [
        'display_library: rfb, options="timeout=0"',
        'romimage: file="/usr/share/bochs/BIOS-bochs-latest", options=fastboot',
        'vgaromimage: file="/usr/share/vgabios/vgabios.bin"',
        "cpu: model=corei7_sandy_bridge_2600k, count=2:2:1, ips=5000000, "
        "reset_on_triple_fault=0",
        "memory: guest=32, host=32",
        "pci: enabled=1, chipset=i440fx",
        f'ata0-slave: type=cdrom, path="{tmp_path}/k.iso", status=inserted',
        "boot: cdrom",
        f'com1: enabled=1, mode=file, dev="{tmp_path}/log dir/console.log"',
        "port_e9_hack: enabled=1",
        "magic_break: enabled=1",
        "clock: sync=none, time0=946684800",
        "mouse: enabled=0",
        "speaker: enabled=0",
        "sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy",
        "panic: action=fatal",
        f'log: "{tmp_path}/log dir/bochs.log"',
    ]
    assert text.startswith("# b-x86_64: ")


@pytest.mark.parametrize("body, line", [
    ("bochs_pci = 0", "pci: enabled=0"),
    ("bochs_chipset = i430fx", "pci: enabled=1, chipset=i430fx"),
    ("bochs_acpi = 0", 'pci: enabled=1, chipset=i440fx, advopts="noacpi"'),
    ("bochs_acpi = 0\nbochs_hpet = 0", 'pci: enabled=1, chipset=i440fx, advopts="noacpi,nohpet"'),
    ("bochs_acpi = 1\nbochs_hpet = 1", "pci: enabled=1, chipset=i440fx"),
])
def test_bochsrc_pci(tmp_path, body, line):
    lines = _lines(bochs.bochsrc(config(body), tmp_path / "k.iso", tmp_path))
    assert [x for x in lines if x.startswith("pci:")] == [line]


def test_bochsrc_optrom_and_extra(tmp_path):
    cfg = config("bochs_optrom = rom.bin,0xd8000\nbochs_extra = cpuid: x2apic=1")
    lines = _lines(bochs.bochsrc(cfg, tmp_path / "k.iso", tmp_path, tmp_path / "rom.bin"))
    assert f'optromimage1: file="{tmp_path}/rom.bin", address=0xd8000' in lines
    assert lines[-1] == "cpuid: x2apic=1"


def test_bochsrc_refuses_quotes_in_paths(tmp_path):
    with pytest.raises(LaunchError, match="cannot hold quotes"):
        bochs.bochsrc(config(), tmp_path / 'a"b.iso', tmp_path)


def test_write_run_files(tmp_path, monkeypatch):
    monkeypatch.setenv("BOCHS", "/opt/bochs/bin/bochs")
    log_dir = tmp_path / "out" / "b-x86_64"
    cmd = bochs.write_run_files(config(), tmp_path / "k.iso", log_dir)
    assert cmd == ["/opt/bochs/bin/bochs", "-q", "-f", str(log_dir / "bochsrc"),
                   "-rc", str(log_dir / "debugger.rc")]
    assert (log_dir / "debugger.rc").read_text() == "c\nr\nq\n"
    assert "magic_break: enabled=1" in (log_dir / "bochsrc").read_text()


def test_optrom_path(tmp_path):
    cfg = config("bochs_optrom = rom.bin")
    with pytest.raises(LaunchError, match=f"option ROM missing: {tmp_path}/x86_64/rom.bin"):
        bochs.optrom_path(cfg, tmp_path)
    (tmp_path / "x86_64").mkdir()
    (tmp_path / "x86_64" / "rom.bin").write_bytes(b"\x55\xaa")
    assert bochs.optrom_path(cfg, tmp_path) == tmp_path / "x86_64" / "rom.bin"
    assert bochs.optrom_path(config(), tmp_path) is None


# --- GRUB command line and ISO cache ------------------------------------------------------

def test_grub_words():
    assert bochs.grub_words("") == ""
    assert bochs.grub_words(" ktest=core.*  maxcpus=2 ") == "'ktest=core.*' maxcpus=2"
    assert bochs.grub_words("a=$x;b console=ttyS0,115200") == "'a=$x;b' console=ttyS0,115200"
    for bad in ("a='b'", 'a="b"', "a\\b"):
        with pytest.raises(ValueError, match="quotes and backslashes"):
            bochs.grub_words(bad)


def test_grub_cfg_uses_the_repo_template():
    text = bochs.grub_cfg("ktest=off nosmp")
    assert "multiboot /boot/kernel.elf ktest=off nosmp" in text
    assert "set timeout=0" in text and "@CMDLINE@" not in text


@pytest.fixture
def fake_mkrescue(tmp_path, monkeypatch):
    """grub-mkrescue replaced by a script that records its arguments and writes -o."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    calls = tmp_path / "calls"
    script = bindir / "grub-mkrescue"
    script.write_text(f"#!{sys.executable}\nimport sys, pathlib\n"
                      f"open({str(calls)!r}, 'a').write(repr(sys.argv[1:]) + '\\n')\n"
                      "if 'FAIL' in open(sys.argv[-1] + '/boot/grub/grub.cfg').read():\n"
                      "    sys.exit('grub-mkrescue: error: no space left')\n"
                      "out = sys.argv[sys.argv.index('-o') + 1]\n"
                      "cfg = pathlib.Path(sys.argv[-1], 'boot/grub/grub.cfg').read_text()\n"
                      "pathlib.Path(out).write_text('ISO ' + cfg)\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}:{__import__('os').environ['PATH']}")
    return calls


def test_iso_cache(tmp_path, fake_mkrescue):
    kernel, cache = tmp_path / "kernel.elf", tmp_path / "cache"
    kernel.write_bytes(b"\x7fELF one")
    iso = bochs.iso_for("x86_64", kernel, "ktest=off", cache)
    assert iso.parent == cache and iso.name.startswith("x86_64-")
    assert "multiboot /boot/kernel.elf ktest=off" in iso.read_text()
    args = eval(fake_mkrescue.read_text().splitlines()[0])      # noqa: S307 (our own repr)
    assert args[:2] == ["-d", "/usr/lib/grub/i386-pc"]
    assert "--install-modules=normal multiboot iso9660 biosdisk configfile" in args
    assert {"--locales=", "--fonts=", "--themes="} <= set(args)
    # Cached: the same kernel and command line build nothing.
    assert bochs.iso_for("x86_64", kernel, "ktest=off", cache) == iso
    assert len(fake_mkrescue.read_text().splitlines()) == 1
    other = bochs.iso_for("x86_64", kernel, "", cache)             # another command line
    i386 = bochs.iso_for("i386", kernel, "ktest=off", cache)       # another arch
    assert len({iso, other, i386}) == 3
    # A new kernel replaces the ISO of the old one with the same command line.
    kernel.write_bytes(b"\x7fELF two")
    new = bochs.iso_for("x86_64", kernel, "ktest=off", cache)
    assert new != iso and not iso.exists() and other.exists() and i386.exists()
    assert not list(cache.glob(".build-*"))


def test_iso_build_failure(tmp_path, fake_mkrescue):
    kernel = tmp_path / "kernel.elf"
    kernel.write_bytes(b"\x7fELF")
    with pytest.raises(LaunchError, match="grub-mkrescue failed .*no space left"):
        bochs.iso_for("i386", kernel, "FAIL", tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


# --- how a run ended ------------------------------------------------------------------------

def test_register_dump_64bit_build():
    e = Ending.parse(STDOUT_64)
    # The "rax:" the kernel printed before the break is not the dump.
    assert (e.magic_cpu, e.eax, e.dump_cpu) == (0, 2, 0)
    assert e.panics == [] and e.errors == [] and not e.startup_failure


def test_register_dump_32bit_build_and_old_format():
    assert (Ending.parse(STDOUT_32).magic_cpu, Ending.parse(STDOUT_32).eax) == (0, 1)
    old = "(0) Magic breakpoint\nrax: 0x00000000:00000003 \n"
    assert Ending.parse(old).eax == 3
    # The upper half of rax is not part of the status.
    assert Ending.parse("(1) Magic breakpoint\nCPU1:\nrax: ffffffff_00000000\n").eax == 0
    assert Ending.parse("(1) Magic breakpoint\nCPU1:\nrax: 1_0\n").dump_cpu == 1


def test_no_magic_break_and_no_dump():
    e = Ending.parse("Next at t=0\nrax: 00000000_00000002\n")
    assert (e.magic_cpu, e.eax) == (None, None)
    e = Ending.parse("(0) Magic breakpoint\nNext at t=5\n")
    assert (e.magic_cpu, e.eax) == (0, None)


def test_log_panics_and_errors():
    e = Ending.parse("", LOG_TRIPLE)
    assert e.panics == ["[CPU0] exception(): 3rd (13) exception with no resolution"]
    assert e.errors == ["[CPU0] interrupt(): vector must be within IDT table limits, "
                        "IDT.limit = 0x0"]
    assert not e.startup_failure


def test_startup_failure_from_stderr():
    # No free rfb port: Bochs panics at tick 0 (then even crashes: SIGSEGV).
    log = "00000000000p[RFB   ] >>PANIC<< RFB could not bind any port between 5900 and 5949\n"
    e = Ending.parse("", log, STDERR_NO_PORT)
    assert e.startup_failure
    assert e.panics == ["[RFB] RFB could not bind any port between 5900 and 5949"]
    # A bochsrc error happens before the log file is open: only stderr has it.
    err = "00000000000p[      ] >>PANIC<< bochsrc:1: display library 'nogui' not available\n"
    e = Ending.parse("", "", err)
    assert e.startup_failure and e.panics == ["[bochs] bochsrc:1: display library 'nogui' "
                                              "not available"]


@pytest.mark.parametrize("rc, timed_out, exit_status, end, outcome, detail, problem", [
    (0, False, "pass", dict(magic_cpu=0, eax=0), "pass", "EAX=0 = pass", None),
    (0, False, "fail", dict(magic_cpu=0, eax=1), "fail", "EAX=1 = fail", None),
    (0, False, "panic", dict(magic_cpu=1, eax=2, dump_cpu=1), "panic",
     "magic break on CPU 1, EAX=2 = panic", None),
    (0, False, "unsupported-cpu", dict(magic_cpu=0, eax=3), "unsupported-cpu", "EAX=3", None),
    (0, False, None, dict(magic_cpu=0, eax=2), "panic", "EAX=2", "but no KERNEL-EXIT line"),
    (0, False, "pass", dict(magic_cpu=0, eax=1), "fail", "EAX=1",
     "but the console says KERNEL-EXIT: pass"),
    (1, False, "pass", dict(magic_cpu=0, eax=0), "pass", "EAX=0",
     "but Bochs then exited with code 1"),
    (0, False, "pass", dict(magic_cpu=0, eax=0x1234), "crash", "EAX=0x1234, not an exit "
     "status", None),
    (0, False, "pass", dict(magic_cpu=0), "error", "no register dump", None),
    (0, False, "pass", dict(magic_cpu=1, eax=0, dump_cpu=0), "error",
     "the register dump is CPU 0's", None),
    (0, False, None, dict(), "crash", "Bochs stopped without reaching the magic break", None),
    (1, False, None, dict(panics=["[CPU0] exception(): 3rd (13) exception with no "
                                  "resolution"]), "crash",
     "Bochs exited with code 1 without the magic break; Bochs says: [CPU0] exception(): "
     "3rd (13)", None),
    (1, False, "pass", dict(panics=["[UNMAP] Shutdown port: shutdown requested"]), "crash",
     "after printing KERNEL-EXIT: pass; Bochs says: [UNMAP] Shutdown port", None),
    (-11, False, None, dict(), "crash", "Bochs killed by signal 11", None),
    (-11, False, None, dict(startup_failure=True, panics=["[RFB] RFB could not bind"]),
     "error", "Bochs failed before the guest ran (exit code -11); Bochs says: [RFB]", None),
    (-15, True, "pass", dict(), "timeout", "killed at the timeout, after printing "
     "KERNEL-EXIT: pass", None),
    (-15, True, None, dict(magic_cpu=0), "timeout", "killed at the timeout", None),
])
def test_classify_magic_break(rc, timed_out, exit_status, end, outcome, detail, problem):
    got, got_detail, problems = classify_magic_break(rc, timed_out, exit_status, ending(**end),
                                                     "last words")
    assert got == outcome and detail in got_detail, got_detail
    if problem:
        assert len(problems) == 1 and problem in problems[0], problems
    else:
        assert problems == []


def test_crash_detail_has_the_last_console_line():
    detail = classify_magic_break(1, False, None, ending(), "PANIC: lost")[1]
    assert detail.endswith("last console line: 'PANIC: lost'")


def test_classification_feeds_the_expectations():
    cfg = config("expect = cpus=1")
    text = "BOOT-REPORT " + json.dumps(REPORT) + "\n" + KTAP + "KERNEL-EXIT: pass\n"
    c = parse_console(text)
    outcome, detail, problems = classify_magic_break(0, False, c.exit_status,
                                                     Ending.parse(STDOUT_64.replace(
                                                         "00000000_00000002",
                                                         "00000000_00000000")))
    assert (outcome, problems + check(cfg, outcome, detail, c)) == ("pass", [])


# --- run_command following a console file -------------------------------------------------

def test_run_command_follows_the_console_file(tmp_path):
    console = tmp_path / "console.log"
    console.write_text("stale console of the last run\n")
    script = (f"echo banner; sleep 0.2; printf 'boot\\n' > {shlex.quote(str(console))}; "
              f"echo e9 >&2; sleep 0.2; printf 'KERNEL-EXIT: pass\\n' >> "
              f"{shlex.quote(str(console))}; echo dump")
    seen = []
    run = launch.run_command(["sh", "-c", script], console, 10, echo=seen.append,
                             console_file=True)
    assert (run.rc, run.timed_out) == (0, False)
    assert run.console == "boot\nKERNEL-EXIT: pass\n" == console.read_text()
    assert b"".join(seen) == b"boot\nKERNEL-EXIT: pass\n"
    assert (run.output, run.stderr) == ("banner\ndump\n", "e9\n")


def test_run_command_console_file_never_written(tmp_path):
    run = launch.run_command(["sh", "-c", "echo no console; exit 1"], tmp_path / "c.log", 10,
                             console_file=True)
    assert (run.rc, run.console, run.output) == (1, "", "no console\n")


def test_run_command_console_file_timeout(tmp_path):
    console = tmp_path / "console.log"
    run = launch.run_command(["sh", "-c", f"echo hung > {shlex.quote(str(console))}; sleep 60"],
                             console, 0.5, console_file=True)
    assert run.timed_out and run.console == "hung\n"


# --- needs -------------------------------------------------------------------------------------

def test_bochs_needs(monkeypatch, tmp_path):
    monkeypatch.setenv("BOCHS", str(tmp_path / "no-bochs"))
    monkeypatch.setattr(bochs, "BIOS", str(tmp_path / "no-bios"))
    why = launch.unmet_needs(config())
    assert f"{tmp_path}/no-bochs not found (Debian: bochs)" in why
    assert f"{tmp_path}/no-bios not found (Debian: bochsbios)" in why
    assert "not implemented" not in why


# --- a whole run, with a stand-in bochs ---------------------------------------------------------

FAKE_BOCHS = r'''
import os, re, sys
rc = open(sys.argv[sys.argv.index("-f") + 1]).read()
com1 = re.search(r'com1: .*dev="([^"]+)"', rc)[1]
log = re.search(r'^log: "([^"]+)"', rc, re.M)[1]
assert open(sys.argv[sys.argv.index("-rc") + 1]).read() == "c\nr\nq\n"
with open(com1, "w") as f:
    f.write(open(os.environ["FAKE_CONSOLE"]).read())
with open(log, "w") as f:
    f.write(os.environ.get("FAKE_LOG", "00000000000i[      ] Bochs x86 Emulator 2.7\n"))
sys.stdout.write(os.environ.get("FAKE_STDOUT", ""))
sys.exit(int(os.environ["FAKE_RC"]))
'''


@pytest.fixture
def fake_bochs(monkeypatch, tmp_path):
    script = tmp_path / "fake-bochs"
    script.write_text(f"#!{sys.executable}\n{FAKE_BOCHS}")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    for arch in ("i386", "x86_64"):
        (tmp_path / "build" / arch).mkdir(parents=True)
        (tmp_path / "build" / arch / "kernel.elf").write_bytes(b"\x7fELF")
    monkeypatch.setenv("BOCHS", str(script))
    monkeypatch.setenv("BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.delenv("MATRIX_OUT", raising=False)
    isos = []

    def iso_for(arch, kernel, cmdline, cache_dir):
        isos.append((arch, Path(kernel), cmdline, Path(cache_dir)))
        return Path(cache_dir) / f"{arch}.iso"
    monkeypatch.setattr(bochs, "iso_for", iso_for)

    def boot(cfg, console, rc=0, stdout="", log=None):
        (tmp_path / "console.txt").write_text(console)
        monkeypatch.setenv("FAKE_CONSOLE", str(tmp_path / "console.txt"))
        monkeypatch.setenv("FAKE_RC", str(rc))
        monkeypatch.setenv("FAKE_STDOUT", stdout)
        if log is not None:
            monkeypatch.setenv("FAKE_LOG", log)
        return matrix.run_config(cfg)
    boot.isos = isos
    return boot


def test_run_config_bochs_pass(fake_bochs, tmp_path):
    out = tmp_path / "build" / "matrix" / "pc-x86_64"
    text = "BOOT-REPORT " + json.dumps(REPORT) + "\n" + KTAP + "KERNEL-EXIT: pass\n"
    cfg = config("expect = cpus=1\nappend = ktest=core", section="pc")
    result = fake_bochs(cfg, text, 0, STDOUT_64.replace("00000000_00000002",
                                                        "00000000_00000000"))
    assert (result["outcome"], result["passed"], result["reasons"]) == ("pass", True, [])
    assert result["detail"] == "magic break on CPU 0, EAX=0 = pass"
    assert result["ktap"] == [("core.printf_formats", "ok", "")]
    assert fake_bochs.isos == [("x86_64", tmp_path / "build" / "x86_64" / "kernel.elf",
                                "ktest=core", tmp_path / "build" / "matrix" / "iso-cache")]
    assert (out / "console.log").read_text() == text
    assert "Magic breakpoint" in (out / "stdout.log").read_text()
    assert shlex.split((out / "cmd.txt").read_text()) == \
        [str(tmp_path / "fake-bochs"), "-q", "-f", str(out / "bochsrc"), "-rc",
         str(out / "debugger.rc")]
    assert f'path="{tmp_path}/build/matrix/iso-cache/x86_64.iso"' in \
        (out / "bochsrc").read_text()


def test_run_config_bochs_triple_fault(fake_bochs):
    text = "x86 machine-layer kernel\nPANIC: double fault\n"
    result = fake_bochs(config(), text, 1, "", LOG_TRIPLE)
    assert (result["outcome"], result["passed"]) == ("crash", False)
    assert "3rd (13) exception with no resolution" in result["detail"]
    assert "last console line: 'PANIC: double fault'" in result["detail"]
    assert result["log_tail"][-1] == "PANIC: double fault"


def test_run_config_bochs_unsupported_cpu(fake_bochs):
    cfg = config("bochs_cpu = pentium\nexpect_outcome = unsupported-cpu\nexpect_log = long mode")
    text = "FATAL: this is the x86_64 kernel and this CPU has no long mode\n" \
           "KERNEL-EXIT: unsupported-cpu\n"
    result = fake_bochs(cfg, text, 0, STDOUT_32.replace("0x00000001 1", "0x00000003 3"))
    assert (result["outcome"], result["passed"]) == ("unsupported-cpu", True), result


def test_run_config_bochs_missing_kernel(fake_bochs, tmp_path):
    (tmp_path / "build" / "i386" / "kernel.elf").unlink()
    result = fake_bochs(config(arch="i386"), "")
    assert result["outcome"] == "error" and "kernel image missing" in result["reasons"][0]
    assert fake_bochs.isos == []


def test_run_config_bochs_launch_error(fake_bochs):
    result = fake_bochs(config("bochs_optrom = vmi.rom"), "")
    assert (result["outcome"], result["passed"]) == ("error", False)
    assert result["reasons"][0].startswith("option ROM missing:")


def test_cli_cmd_prints_a_rerunnable_command(fake_bochs, tmp_path, capsys, monkeypatch):
    cfg_file = tmp_path / "matrix.cfg"
    cfg_file.write_text("[bx]\nemulator = bochs\narch = i386\n")
    monkeypatch.setenv("MATRIX_CFG", str(cfg_file))
    assert matrix.main(["cmd", "bx", "--arch", "i386"]) == 0
    cmd = shlex.split(capsys.readouterr().out)
    out = tmp_path / "build" / "matrix" / "bx-i386"
    assert cmd[-4:] == ["-f", str(out / "bochsrc"), "-rc", str(out / "debugger.rc")]
    assert (out / "bochsrc").is_file() and (out / "debugger.rc").is_file()
    (tmp_path / "build" / "i386" / "kernel.elf").unlink()
    assert matrix.main(["cmd", "bx-i386"]) == 2
    assert "kernel image missing" in capsys.readouterr().err


def test_cli_run(fake_bochs, tmp_path, capsys, monkeypatch):
    cfg_file = tmp_path / "matrix.cfg"
    cfg_file.write_text("[bx]\nemulator = bochs\narch = i386\nexpect_outcome = crash\n")
    monkeypatch.setenv("MATRIX_CFG", str(cfg_file))
    monkeypatch.setattr(launch, "NEED_CHECKS", dict(launch.NEED_CHECKS, bochs=lambda: None))
    (tmp_path / "console.txt").write_text("early\n")
    monkeypatch.setenv("FAKE_CONSOLE", str(tmp_path / "console.txt"))
    monkeypatch.setenv("FAKE_RC", "1")
    monkeypatch.setenv("FAKE_LOG", LOG_TRIPLE)
    assert matrix.main(["run", "bx-i386"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# bx-i386: ") and "\nearly\n" in out       # the console, live
    assert "bx-i386: PASS: outcome crash (Bochs exited with code 1" in out
    assert "--append" not in out
    assert matrix.main(["run", "bx-i386", "--append", "a='b'"]) == 1
    assert "quotes and backslashes" in capsys.readouterr().out
    (tmp_path / "build" / "i386" / "kernel.elf").unlink()
    assert matrix.main(["run", "bx-i386", "-q"]) == 1
    assert "kernel image missing" in capsys.readouterr().out
