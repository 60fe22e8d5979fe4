"""The boot matrix as data: load matrix.cfg, validate it, expand it per arch.

The format is documented at the top of matrix.cfg and in README.md.
"""
import configparser
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import bochs
from bochs import BochsOptions

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

ARCHES = ("i386", "x86_64")
EMULATORS = ("qemu", "bochs", "xen")
# xen-pv: Xen's classic PV entry (dom0=pv; x86_64 kernel.elf, emulator = xen only).
ENTRIES = ("multiboot", "pvh", "xen-pv")
# Xen hypervisor versions (emulator = xen): Debian 12's, and Debian 13's fetched into
# a cache (scripts/fetch-xen.sh).
XEN_VERSIONS = ("4.17", "4.20")
# QEMU versions (emulator = qemu or xen): Debian 12's system QEMU 7.2, and Debian 13's
# QEMU 10 fetched into a cache (scripts/fetch-qemu10.sh). A configuration's `qemu`
# key picks one; without it, $QEMU_VERSION picks for the whole run (default 7.2).
QEMU_VERSIONS = ("7.2", "10")
DEFAULT_QEMU_VERSION = "7.2"
ACCELS = ("tcg", "kvm")
NEEDS = ("qemu", "qemu-10", "bochs", "xen", "xen-4.20", "kvm")
# What a configuration may expect; "error" (the runner or emulator failed) never is.
OUTCOMES = ("pass", "fail", "panic", "unsupported-cpu", "crash", "timeout")
KTEST_RESULTS = ("ok", "not ok", "skip", "not run")
# The runner sets these itself; a configuration that sets them would break the contract.
RUNNER_OPTIONS = ("-kernel", "-append", "-initrd", "-serial", "-monitor", "-display",
                  "-accel", "-enable-kvm", "-no-reboot", "-nodefaults")
DEFAULTS = {
    "arch": "i386 x86_64", "emulator": "qemu", "entry": "multiboot", "qemu_opts": "",
    "accel": "tcg", "append": "", "timeout": "30", "groups": "", "needs": "",
    "expect_outcome": "pass", "expect": "", "expect_log": "", "expect_ktap": "",
    # Bochs machine (emulator = bochs); empty = Bochs' default (bochs.BochsOptions).
    **{key: "" for key in bochs.KEYS},
    # Xen (emulator = xen): dom0_max_vcpus (empty = 1) and extra Xen command-line words.
    "xen_vcpus": "", "xen_cmdline": "", "xen": "",
    # QEMU version (emulator = qemu or xen): "" = $QEMU_VERSION, else 7.2 | 10.
    "qemu": "",
    # Which kernel build: "" = build/<arch>/ (the generic kernel), "native" =
    # build/<arch>-native/ (configs/<arch>_native_defconfig: no paravirt),
    # "up" = build/<arch>-up/ (configs/<arch>_up_defconfig: CONFIG_SMP=n).
    "variant": "",
}
VARIANTS = ("", "native", "up")
# `KEY.ARCH = value` overrides KEY for that arch (not for arch itself).
ARCH_OVERRIDABLE = tuple(k for k in DEFAULTS if k != "arch")
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    name: str               # section name + "-" + arch: also the output directory name
    section: str
    arch: str
    emulator: str
    entry: str
    qemu_opts: tuple
    accel: str
    append: str
    timeout: float
    groups: tuple
    needs: tuple            # explicit needs plus those implied by emulator and accel
    expect_outcome: str
    expect: tuple           # ((field, value), ...) compared with BOOT-REPORT
    expect_log: tuple       # regexes, each must match a console line
    expect_ktap: tuple      # ((test id, result), ...)
    ktap_absent: bool       # expect_ktap = absent: the run must print no KTAP
    bochs: BochsOptions = None      # the Bochs machine (emulator = bochs only)
    xen_vcpus: int = 1              # dom0_max_vcpus (emulator = xen only)
    xen_cmdline: str = ""           # extra words for Xen's command line
    xen: str = "4.17"               # the Xen version (emulator = xen only)
    variant: str = ""               # "", "native" or "up": which build directory
    qemu: str = DEFAULT_QEMU_VERSION  # the QEMU version (emulator = qemu or xen)

    @property
    def build_subdir(self):
        """The directory under $BUILD_DIR holding this configuration's images."""
        return f"{self.arch}-{self.variant}" if self.variant else self.arch

    def expected_facts(self):
        """The BOOT-REPORT facts to check: explicit ones plus the implicit arch."""
        facts = dict(self.expect)
        facts.setdefault("arch", self.arch)
        return facts


def build_dir():
    """$BUILD_DIR (relative paths are taken from the repo root) or <repo>/build."""
    return REPO / os.environ.get("BUILD_DIR", "build")


def out_dir():
    """Where logs and results go: $MATRIX_OUT or <build dir>/matrix."""
    return REPO / os.environ.get("MATRIX_OUT", build_dir() / "matrix")


def cfg_path():
    return REPO / os.environ.get("MATRIX_CFG", HERE / "matrix.cfg")


def _words(value):
    return tuple(value.replace(",", " ").split())


def _one_of(where, key, value, allowed):
    if value not in allowed:
        raise ConfigError(f"{where}: {key} = {value!r}, expected one of {', '.join(allowed)}")
    return value


def _pairs(where, key, value):
    """'a=1 b="two words"' -> (("a", "1"), ("b", "two words"))."""
    try:
        tokens = shlex.split(value)
    except ValueError as e:
        raise ConfigError(f"{where}: {key}: {e}") from None
    pairs = []
    for token in tokens:
        k, sep, v = token.partition("=")
        if not sep or not k:
            raise ConfigError(f"{where}: {key}: {token!r} is not key=value")
        pairs.append((k, v))
    return tuple(pairs)


def _ktap_expectations(where, value):
    """'selftest.fail=not-ok boot.x=ok' -> pairs; 'absent' -> no KTAP wanted."""
    if value.strip() == "absent":
        return (), True
    pairs = []
    for test, result in _pairs(where, "expect_ktap", value):
        result = result.replace("-", " ").replace("_", " ")
        pairs.append((test, _one_of(where, "expect_ktap result", result, KTEST_RESULTS)))
    return tuple(pairs), False


def _qemu_opts(where, value):
    opts = tuple(shlex.split(value))
    for opt in opts:
        if opt in RUNNER_OPTIONS:
            raise ConfigError(f"{where}: qemu_opts: {opt} is set by the runner "
                              "(use entry/append/accel instead)")
    return opts


def _split_overrides(where, raw):
    """-> (plain keys, {arch: {key: value}}) from a section's keys."""
    plain, overrides = {}, {arch: {} for arch in ARCHES}
    unknown = []
    for key, value in raw.items():
        base, dot, arch = key.partition(".")
        if not dot and key in DEFAULTS:
            plain[key] = value
        elif not dot:
            unknown.append(key)
        elif base in ARCH_OVERRIDABLE and arch in ARCHES:
            overrides[arch][base] = value
        elif base == "arch":
            raise ConfigError(f"{where}: {key}: arch cannot be overridden per arch")
        elif base in DEFAULTS:
            raise ConfigError(f"{where}: {key}: {arch!r} is not an arch "
                              f"({', '.join(ARCHES)})")
        else:
            unknown.append(key)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
    return plain, overrides


def _bochs(where, raw, emulator):
    """The Bochs machine of a bochs configuration; bochs_* keys elsewhere are errors."""
    if emulator != "bochs":
        given = [k for k in bochs.KEYS if raw[k]]
        if given:
            raise ConfigError(f"{where}: {', '.join(given)}: only for emulator = bochs")
        return None
    if raw["qemu_opts"].strip():
        raise ConfigError(f"{where}: qemu_opts: not for emulator = bochs (bochs_* keys)")
    if raw["accel"] != "tcg":
        raise ConfigError(f"{where}: accel = {raw['accel']}: Bochs emulates; no accel")
    if raw["entry"] != "multiboot":
        raise ConfigError(f"{where}: entry = {raw['entry']}: Bochs boots kernel.elf "
                          "through GRUB (multiboot)")
    try:
        bochs.grub_words(raw["append"])
        return bochs.BochsOptions.parse(raw)
    except ValueError as e:
        raise ConfigError(f"{where}: {e}") from None


def _xen(where, raw, emulator, arch):
    """(vcpus, extra Xen command line, version) of a xen configuration; xen keys
    elsewhere are errors."""
    if emulator != "xen":
        given = [k for k in ("xen_vcpus", "xen_cmdline", "xen") if raw[k].strip()]
        if given:
            raise ConfigError(f"{where}: {', '.join(given)}: only for emulator = xen")
        if raw["entry"] == "xen-pv":
            raise ConfigError(f"{where}: entry = xen-pv: only under emulator = xen")
        return 1, "", "4.17"
    vcpus = raw["xen_vcpus"].strip() or "1"
    if not vcpus.isdigit() or not 1 <= int(vcpus) <= 32:
        raise ConfigError(f"{where}: xen_vcpus = {vcpus!r}, expected 1..32 "
                          "(vcpu_info slots in shared_info)")
    if raw["entry"] not in ("pvh", "xen-pv"):
        raise ConfigError(f"{where}: entry = {raw['entry']}: Xen boots dom0 through PVH "
                          "or classic PV (xen-pv)")
    if raw["entry"] == "xen-pv" and arch != "x86_64":
        raise ConfigError(f"{where}: entry = xen-pv on {arch}: Debian's Xen has no 32-bit "
                          "PV (CONFIG_PV32 off)")
    version = _one_of(where, "xen", raw["xen"].strip() or "4.17", XEN_VERSIONS)
    # QEMU's -initrd splits modules at commas: the dom0 command line cannot hold one.
    if "," in raw["append"]:
        raise ConfigError(f"{where}: append: no commas under Xen (QEMU -initrd splits "
                          "modules at commas)")
    return int(vcpus), " ".join(raw["xen_cmdline"].split()), version


def run_qemu_version(environ=os.environ):
    """$QEMU_VERSION (the version of configurations that name none), checked."""
    v = environ.get("QEMU_VERSION", "").strip() or DEFAULT_QEMU_VERSION
    return _one_of("$QEMU_VERSION", "QEMU version", v, QEMU_VERSIONS)


def _qemu_version(where, raw, emulator):
    """The QEMU version a configuration runs on: its qemu key, else the run's."""
    given = raw["qemu"].strip()
    if emulator == "bochs":
        if given:
            raise ConfigError(f"{where}: qemu = {given}: not for emulator = bochs")
        return ""
    if given:
        return _one_of(where, "qemu", given, QEMU_VERSIONS)
    return run_qemu_version()


def _build(section, arch, raw):
    """One configuration: section's keys, with the arch's overrides applied."""
    where = f"[{section}]"
    _one_of(where, "arch", arch, ARCHES)
    emulator = _one_of(where, "emulator", raw["emulator"], EMULATORS)
    accel = _one_of(where, "accel", raw["accel"], ACCELS)
    qemu = _qemu_version(where, raw, emulator)
    qemu_need = "qemu-10" if qemu == "10" else "qemu"
    needs = {"qemu": [qemu_need], "bochs": ["bochs"], "xen": [qemu_need, "xen"]}[emulator]
    if emulator == "xen" and raw["xen"].strip() == "4.20":
        needs = [qemu_need, "xen-4.20"]
    needs += ["kvm"] if accel == "kvm" else []
    needs += [_one_of(where, "needs", n, NEEDS) for n in _words(raw["needs"])]
    try:
        timeout = float(raw["timeout"])
    except ValueError:
        raise ConfigError(f"{where}: timeout = {raw['timeout']!r} is not a number") from None
    expect_log = tuple(line.strip() for line in raw["expect_log"].splitlines() if line.strip())
    for rx in expect_log:
        try:
            re.compile(rx)
        except re.error as e:
            raise ConfigError(f"{where}: expect_log /{rx}/: {e}") from None
    ktap, ktap_absent = _ktap_expectations(where, raw["expect_ktap"])
    xen_vcpus, xen_cmdline, xen = _xen(where, raw, emulator, arch)
    return Config(
        name=f"{section}-{arch}", section=section, arch=arch, emulator=emulator,
        entry=_one_of(where, "entry", raw["entry"], ENTRIES),
        qemu_opts=_qemu_opts(where, raw["qemu_opts"]), accel=accel,
        append=" ".join(raw["append"].split()), timeout=timeout,
        groups=_words(raw["groups"]), needs=tuple(dict.fromkeys(needs)),
        expect_outcome=_one_of(where, "expect_outcome", raw["expect_outcome"], OUTCOMES),
        expect=_pairs(where, "expect", raw["expect"]), expect_log=expect_log,
        expect_ktap=ktap, ktap_absent=ktap_absent,
        bochs=_bochs(where, raw, emulator), xen_vcpus=xen_vcpus, xen_cmdline=xen_cmdline,
        xen=xen, qemu=qemu,
        variant=_one_of(where, "variant", raw["variant"], VARIANTS))


def _expand(section, raw):
    where = f"[{section}]"
    plain, overrides = _split_overrides(where, raw)
    if not NAME_RE.fullmatch(section):
        raise ConfigError(f"{where}: section names are [A-Za-z0-9_.-] (used as file names)")
    arches = _words(plain["arch"])
    if not arches:
        raise ConfigError(f"{where}: arch is empty")
    return [_build(section, arch, {**plain, **overrides.get(arch, {})}) for arch in arches]


def parse(text, source="matrix.cfg"):
    """Parse matrix.cfg text into the list of expanded configurations, in file order."""
    parser = configparser.ConfigParser(interpolation=None, defaults=DEFAULTS)
    try:
        parser.read_string(text, source=source)
    except configparser.Error as e:
        raise ConfigError(str(e)) from None
    configs = []
    for section in parser.sections():
        try:
            configs += _expand(section, dict(parser[section]))
        except ConfigError as e:
            raise ConfigError(f"{source} {e}") from None
    names = [c.name for c in configs]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise ConfigError(f"{source}: duplicate configuration names: {', '.join(dups)}")
    return configs


def load(path=None):
    path = Path(path or cfg_path())
    return parse(path.read_text(), source=str(path))


def select(configs, groups="", names=""):
    """Filter by groups (any of them) and by names (expanded or section names).

    Both are comma/space separated strings as in $MATRIX_GROUPS and $MATRIX;
    an unknown name or group is an error, not an empty run.
    """
    groups, names = set(_words(groups)), set(_words(names))
    known_groups = {g for c in configs for g in c.groups}
    known_names = {c.name for c in configs} | {c.section for c in configs}
    for kind, asked, known in (("group", groups, known_groups), ("config", names, known_names)):
        if asked - known:
            raise ConfigError(f"unknown {kind}(s): {', '.join(sorted(asked - known))}")
    return [c for c in configs
            if (not groups or groups & set(c.groups))
            and (not names or c.name in names or c.section in names)]


def selected(environ=os.environ):
    """The configurations $MATRIX_GROUPS and $MATRIX select (all by default)."""
    return select(load(), environ.get("MATRIX_GROUPS", ""), environ.get("MATRIX", ""))
