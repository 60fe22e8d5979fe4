"""Bochs for the boot matrix: configuration keys, the GRUB ISO a configuration boots,
the bochsrc and debugger script, and reading how a run ended.

Bochs cannot load a kernel directly: it boots a GRUB rescue ISO holding kernel.elf
with the configuration's command line in grub.cfg. The ISO is built per (arch,
kernel.elf contents, grub.cfg) and cached. The kernel exits through the magic
breakpoint (`xchg %bx,%bx`) with its status in EAX; the debugger script then dumps
the registers (`r`) and quits, so Bochs exits 0 and the status is read from the
dump. Everything a run writes lives in its own log directory; the display is
`rfb` (Debian's Bochs has no `nogui`), which binds the first free TCP port of
5900-5949, so parallel runs never share a port (see README.md).

Used by configs.py (BochsOptions.parse validates the bochs_* keys) and by launch.py's
Bochs launcher (iso_for, write_run_files, then Ending.parse to classify the end).
"""
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIOS = "/usr/share/bochs/BIOS-bochs-latest"
VGABIOS = "/usr/share/vgabios/vgabios.bin"
GRUB_PLATFORM = "/usr/lib/grub/i386-pc"
# The trimmed module list halves GRUB's time under Bochs (EMULATORS.md).
GRUB_MODULES = "normal multiboot iso9660 biosdisk configfile"
GRUB_CFG_TEMPLATE = REPO / "scripts" / "grub.cfg"     # what `make iso` uses too
GRUB_CFG_FALLBACK = ("set timeout=0\nset default=0\nmenuentry \"kernel\" {\n"
                     "\tmultiboot /boot/kernel.elf @CMDLINE@\n\tboot\n}\n")
DEBUGGER_SCRIPT = "c\nr\nq\n"       # run to the magic break, dump registers, quit
# Headless: Debian's Bochs has only the rfb and term display libraries; term draws
# on a pty that nobody reads (Bochs blocks once ~18 KB are unread) and needs $TERM.
DISPLAY = 'display_library: rfb, options="timeout=0"'
TIME0 = 946684800                   # 2000-01-01 00:00:00 UTC: the same RTC every run
# Files a run leaves in its log directory besides the runner's own (console.log is
# COM1, stdout.log Bochs' stdout: both written by matrix.run_config's run).
BOCHSRC = "bochsrc"
DEBUGGER_RC = "debugger.rc"
BOCHS_LOG = "bochs.log"

# `bochs -help cpu` of Bochs 2.7.
CPU_MODELS = (
    "bx_generic", "pentium", "pentium_mmx", "amd_k6_2_chomper", "p2_klamath", "p3_katmai",
    "p4_willamette", "core_duo_t2400_yonah", "atom_n270", "p4_prescott_celeron_336",
    "athlon64_clawhammer", "athlon64_venice", "turion64_tyler", "phenom_8650_toliman",
    "core2_penryn_t9600", "corei5_lynnfield_750", "corei5_arrandale_m520",
    "corei7_sandy_bridge_2600k", "zambezi", "trinity_apu", "ryzen",
    "corei7_ivy_bridge_3770k", "corei7_haswell_4770", "broadwell_ult", "corei7_skylake_x",
    "corei3_cnl", "corei7_icelake_u", "tigerlake",
)
CHIPSETS = ("i440fx", "i430fx", "i440bx")
ACPI_CHIPSETS = ("i440fx", "i440bx")     # the i430fx has no ACPI/HPET device
DEFAULT_CPU = "corei7_sandy_bridge_2600k"
DEFAULT_IPS = 10_000_000        # also the TSC rate the guest sees (10 MHz)
DEFAULT_MEMORY = 64
MAX_THREADS = 254               # Bochs' limit with an xAPIC
OPTROM_ADDR = 0xd0000
# bochsrc directives the runner writes itself (bochs_extra may not repeat them).
RUNNER_DIRECTIVES = ("display_library", "romimage", "vgaromimage", "memory", "megs", "pci",
                     "ata0-slave", "boot", "com1", "port_e9_hack", "magic_break", "clock",
                     "panic", "log", "debugger_log", "optromimage1")
RUNNER_CPU_PARAMS = ("model", "count", "ips", "reset_on_triple_fault")
# GRUB re-quotes what it passes on: these cannot reach the kernel unchanged.
GRUB_UNSAFE = set("'\"\\")
GRUB_PLAIN = re.compile(r"[A-Za-z0-9_.,:/=+@%-]+")

KEYS = ("bochs_cpu", "bochs_cpus", "bochs_ips", "bochs_memory", "bochs_chipset",
        "bochs_pci", "bochs_acpi", "bochs_hpet", "bochs_extra", "bochs_optrom")


class LaunchError(RuntimeError):
    """The run could not be prepared (ISO, option ROM): outcome error."""


def bochs_binary():
    return os.environ.get("BOCHS", "bochs")


def problem():
    """None if Bochs runs here, else why not (all missing pieces)."""
    missing = []
    if not shutil.which(bochs_binary()):
        missing.append(f"{bochs_binary()} not found (Debian: bochs)")
    for path, pkg in ((BIOS, "bochsbios"), (VGABIOS, "vgabios"),
                      (GRUB_PLATFORM + "/multiboot.mod", "grub-pc-bin")):
        if not os.access(path, os.R_OK):
            missing.append(f"{path} not found (Debian: {pkg})")
    for tool, pkg in (("grub-mkrescue", "grub-common"), ("xorriso", "xorriso")):
        if not shutil.which(tool):
            missing.append(f"{tool} not found (Debian: {pkg})")
    return "; ".join(missing) or None


# --- configuration keys ----------------------------------------------------------------

def _flag(key, value):
    if value not in ("0", "1"):
        raise ValueError(f"{key} = {value!r}, expected 1 or 0")
    return value == "1"


def _int(key, value, low, high):
    try:
        n = int(value, 0)
    except ValueError:
        raise ValueError(f"{key} = {value!r} is not a number") from None
    if not low <= n <= high:
        raise ValueError(f"{key} = {value}: out of range {low}..{high}")
    return n


def _cpus(value):
    """'2' or 'processors:cores:threads' ('2:2:1'), as Bochs' cpu count takes it."""
    if not re.fullmatch(r"\d+(:\d+:\d+)?", value):
        raise ValueError(f"bochs_cpus = {value!r}, expected N or P:C:T (e.g. 2:2:1)")
    total = 1
    for part in value.split(":"):
        total *= int(part)
        if int(part) < 1:
            raise ValueError(f"bochs_cpus = {value!r}: every count must be at least 1")
    if total > MAX_THREADS:
        raise ValueError(f"bochs_cpus = {value!r}: {total} CPUs, Bochs takes at most "
                         f"{MAX_THREADS}")
    return value


def _extra(value):
    """Raw bochsrc lines, one per line; the runner's own directives are refused."""
    lines = []
    for line in (raw.strip() for raw in value.splitlines()):
        if not line or line.startswith("#"):
            continue
        name, sep, params = line.partition(":")
        name = name.strip()
        if not sep or not re.fullmatch(r"[a-z0-9_-]+", name):
            raise ValueError(f"bochs_extra: {line!r} is not a bochsrc line (name: params)")
        if name in RUNNER_DIRECTIVES:
            raise ValueError(f"bochs_extra: {name}: is written by the runner "
                             "(see the bochs_* keys)")
        if name == "cpu":
            for param in re.split(r"[,\s]+", params.strip()):
                if param.partition("=")[0] in RUNNER_CPU_PARAMS:
                    raise ValueError(f"bochs_extra: cpu: {param} is set by the runner "
                                     "(bochs_cpu, bochs_cpus, bochs_ips)")
        lines.append(line)
    return tuple(lines)


def _optrom(value):
    """'FILE' or 'FILE,ADDR' -> (file, address)."""
    file, _, addr = (p.strip() for p in value.partition(","))
    if not file or '"' in file:
        raise ValueError(f"bochs_optrom = {value!r}, expected FILE or FILE,ADDRESS")
    address = OPTROM_ADDR
    if addr:
        address = _int("bochs_optrom address", addr, 0xc8000, 0xef800)
        if address % 0x800:
            raise ValueError(f"bochs_optrom address {addr}: not 2 KiB aligned")
    return file, address


def grub_words(cmdline):
    """The command line as grub.cfg words GRUB passes on unchanged (single-quoted
    where GRUB's parser would otherwise expand or split them)."""
    words = []
    for word in cmdline.split():
        if GRUB_UNSAFE & set(word):
            raise ValueError(f"append: {word!r}: quotes and backslashes do not pass "
                             "through GRUB's command line unchanged")
        words.append(word if GRUB_PLAIN.fullmatch(word) else f"'{word}'")
    return " ".join(words)


@dataclass(frozen=True)
class BochsOptions:
    """A configuration's Bochs machine (matrix.cfg's bochs_* keys)."""
    cpu: str = DEFAULT_CPU
    cpus: str = "1"
    ips: int = DEFAULT_IPS
    memory: int = DEFAULT_MEMORY    # MiB
    pci: bool = True
    chipset: str = "i440fx"
    acpi: bool = True
    hpet: bool = True
    extra: tuple = ()
    optrom: tuple = None            # (file, address): file relative to BUILD_DIR/<arch>

    @classmethod
    def parse(cls, raw):
        """raw: the bochs_* keys ('' = not set). ValueError on a bad value."""
        opts = {}
        if raw.get("bochs_cpu"):
            if raw["bochs_cpu"] not in CPU_MODELS:
                raise ValueError(f"bochs_cpu = {raw['bochs_cpu']!r}, not a Bochs 2.7 model "
                                 f"(bochs -help cpu): {', '.join(CPU_MODELS)}")
            opts["cpu"] = raw["bochs_cpu"]
        if raw.get("bochs_cpus"):
            opts["cpus"] = _cpus(raw["bochs_cpus"])
        if raw.get("bochs_ips"):
            opts["ips"] = _int("bochs_ips", raw["bochs_ips"], 100_000, 4_000_000_000)
        if raw.get("bochs_memory"):
            opts["memory"] = _int("bochs_memory", raw["bochs_memory"], 4, 3072)
        if raw.get("bochs_pci"):
            opts["pci"] = _flag("bochs_pci", raw["bochs_pci"])
        pci = opts.get("pci", True)
        if raw.get("bochs_chipset"):
            if not pci:
                raise ValueError("bochs_chipset: the chipset is PCI's (bochs_pci = 0)")
            if raw["bochs_chipset"] not in CHIPSETS:
                raise ValueError(f"bochs_chipset = {raw['bochs_chipset']!r}, expected one "
                                 f"of {', '.join(CHIPSETS)}")
            opts["chipset"] = raw["bochs_chipset"]
        for key in ("bochs_acpi", "bochs_hpet"):
            if raw.get(key):
                chipset = opts.get("chipset", "i440fx")
                if not pci or chipset not in ACPI_CHIPSETS:
                    raise ValueError(f"{key}: only the PCI chipsets "
                                     f"{' and '.join(ACPI_CHIPSETS)} have this device")
                opts[key[len("bochs_"):]] = _flag(key, raw[key])
        if raw.get("bochs_extra"):
            opts["extra"] = _extra(raw["bochs_extra"])
        if raw.get("bochs_optrom"):
            opts["optrom"] = _optrom(raw["bochs_optrom"])
        return cls(**opts)

    def pci_line(self):
        if not self.pci:
            return "pci: enabled=0"
        advopts = [o for o, on in (("noacpi", self.acpi), ("nohpet", self.hpet)) if not on]
        line = f"pci: enabled=1, chipset={self.chipset}"
        return line + (f', advopts="{",".join(advopts)}"' if advopts else "")


# --- files of a run --------------------------------------------------------------------

def _q(path):
    """A path as a bochsrc value: quoted, so spaces are fine; quotes are not."""
    path = str(path)
    if '"' in path or "\n" in path:
        raise LaunchError(f"{path!r}: a bochsrc path cannot hold quotes or newlines")
    return f'"{path}"'


def bochsrc(cfg, iso, log_dir, optrom=None):
    """The bochsrc text of cfg booting iso; every file it writes is in log_dir."""
    o = cfg.bochs
    lines = [
        f"# {cfg.name}: written by tests/boot/bochs.py for each run (edits are lost)",
        DISPLAY,
        f"romimage: file={_q(BIOS)}, options=fastboot",
        f"vgaromimage: file={_q(VGABIOS)}",
        f"cpu: model={o.cpu}, count={o.cpus}, ips={o.ips}, reset_on_triple_fault=0",
        f"memory: guest={o.memory}, host={o.memory}",
        o.pci_line(),
    ]
    if optrom:
        lines.append(f"optromimage1: file={_q(optrom)}, address={o.optrom[1]:#x}")
    lines += [
        f"ata0-slave: type=cdrom, path={_q(iso)}, status=inserted",
        "boot: cdrom",
        f"com1: enabled=1, mode=file, dev={_q(Path(log_dir) / 'console.log')}",
        "port_e9_hack: enabled=1",
        "magic_break: enabled=1",
        f"clock: sync=none, time0={TIME0}",
        "mouse: enabled=0",
        "speaker: enabled=0",
        "sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy",
        "panic: action=fatal",
        f"log: {_q(Path(log_dir) / BOCHS_LOG)}",
        *o.extra,
    ]
    return "\n".join(lines) + "\n"


def write_run_files(cfg, iso, log_dir, optrom=None):
    """Write bochsrc and the debugger script into log_dir; -> the command line."""
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    rc, dbg = log_dir / BOCHSRC, log_dir / DEBUGGER_RC
    rc.write_text(bochsrc(cfg, iso, log_dir, optrom))
    dbg.write_text(DEBUGGER_SCRIPT)
    return [bochs_binary(), "-q", "-f", str(rc), "-rc", str(dbg)]


def optrom_path(cfg, build):
    """The option ROM file of cfg (relative names are in BUILD_DIR/<arch>/), or None."""
    if not cfg.bochs.optrom:
        return None
    path = Path(build) / cfg.arch / cfg.bochs.optrom[0]
    if not path.is_file():
        raise LaunchError(f"option ROM missing: {path}")
    return path


# --- the GRUB ISO ----------------------------------------------------------------------

def grub_cfg(cmdline):
    try:
        template = GRUB_CFG_TEMPLATE.read_text()
    except OSError:
        template = GRUB_CFG_FALLBACK
    try:
        return template.replace("@CMDLINE@", grub_words(cmdline))
    except ValueError as e:
        raise LaunchError(str(e)) from None


def iso_for(arch, kernel, cmdline, cache_dir):
    """The GRUB ISO booting kernel with cmdline, from cache_dir or built there.

    Named <arch>-<grub.cfg hash>-<kernel hash>.iso; building one removes the ISOs
    of older kernels with the same grub.cfg. Safe under parallel runs: each build
    happens in its own directory and lands with an atomic rename.
    """
    cfg_text = grub_cfg(cmdline)
    cfg_hash = hashlib.sha256(cfg_text.encode()).hexdigest()[:12]
    kernel_hash = hashlib.sha256(Path(kernel).read_bytes()).hexdigest()[:16]
    cache_dir = Path(cache_dir)
    iso = cache_dir / f"{arch}-{cfg_hash}-{kernel_hash}.iso"
    if iso.is_file():
        return iso
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".build-") as tmp:
        root = Path(tmp) / "root"
        (root / "boot" / "grub").mkdir(parents=True)
        shutil.copyfile(kernel, root / "boot" / "kernel.elf")
        (root / "boot" / "grub" / "grub.cfg").write_text(cfg_text)
        out = Path(tmp) / "kernel.iso"
        # -d: only the BIOS platform (without it grub-mkrescue tries every installed
        # one and fails on i386-xen).
        cmd = ["grub-mkrescue", "-d", GRUB_PLATFORM, f"--install-modules={GRUB_MODULES}",
               "--locales=", "--fonts=", "--themes=", "-o", str(out), str(root)]
        try:
            build = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise LaunchError(f"grub-mkrescue: {e}") from None
        if build.returncode or not out.is_file():
            said = " | ".join(build.stderr.strip().splitlines()[-3:])
            raise LaunchError(f"grub-mkrescue failed (exit {build.returncode}): {said}")
        os.replace(out, iso)
    for old in cache_dir.glob(f"{arch}-{cfg_hash}-*.iso"):
        if old != iso:
            old.unlink(missing_ok=True)
    return iso


# --- how a run ended -------------------------------------------------------------------

MAGIC_RE = re.compile(r"\((\d+)\) Magic breakpoint")
DUMP_CPU_RE = re.compile(r"^CPU(\d+):\s*$", re.MULTILINE)    # heads `r`'s dump
# `r` after the break: "rax: 00000000_00000002" (x86-64 builds; older ones printed
# "rax: 0x00000000:00000002") or "eax: 0x00000002 2" (32-bit builds).
REGISTER_RE = re.compile(r"^\s*([re]ax):\s*(?:0x)?([0-9a-fA-F]+(?:[_:][0-9a-fA-F]+)?)\b",
                         re.MULTILINE)
# Log lines: 11-digit tick count, level (i d e p), "[DEVICE]", message.
LOG_RE = re.compile(r"^(\d{11,})([ep])\[([^\]]*)\]\s?(.*)$", re.MULTILINE)
EXITING_RE = re.compile(r"Bochs is exiting with the following message:\n(?:\s*\n)*"
                        r"\[([^\]]*)\]\s*(.*)")


@dataclass
class Ending:
    """What Bochs' stdout (debugger), log file and stderr say about the end of a run."""
    magic_cpu: int = None       # the CPU that reached the magic break; None: never
    eax: int = None             # EAX in the register dump after the break
    dump_cpu: int = None        # whose registers those are ("CPU1:"), if it says
    panics: list = None         # "[DEVICE] message" of Bochs PANIC lines
    errors: list = None         # and of ERROR lines
    startup_failure: bool = False   # a PANIC before the guest's first instruction

    @classmethod
    def parse(cls, stdout, log="", stderr=""):
        ending = cls(panics=[], errors=[])
        magics = list(MAGIC_RE.finditer(stdout))
        if magics:
            ending.magic_cpu = int(magics[-1][1])
            reg = REGISTER_RE.search(stdout, magics[-1].end())
            if reg:
                ending.eax = int(re.sub("[_:]", "", reg[2]), 16) & 0xffffffff
                heads = list(DUMP_CPU_RE.finditer(stdout, magics[-1].end(), reg.start()))
                ending.dump_cpu = int(heads[-1][1]) if heads else None
        for text in (log, stderr):
            for m in LOG_RE.finditer(text):
                message = f"[{m[3].strip() or 'bochs'}] " + \
                    m[4].replace(">>PANIC<<", "").strip()
                kind = ending.panics if m[2] == "p" else ending.errors
                if message not in kind:
                    kind.append(message)
                if m[2] == "p" and int(m[1]) == 0:
                    ending.startup_failure = True
        exiting = EXITING_RE.search(stderr)
        if exiting:
            message = f"[{exiting[1].strip() or 'bochs'}] {exiting[2].strip()}"
            if message not in ending.panics:
                ending.panics.append(message)
        return ending
