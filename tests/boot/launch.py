"""Launchers (one per emulator), needs checks, and running a command under a timeout."""
import fcntl
import gzip
import os
import selectors
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import bochs
from bochs import LaunchError
from verdict import classify, classify_magic_break

KVM_GET_API_VERSION = 0xAE00
KVM_API_VERSION = 12
# isa-debug-exit: writing v to port 0xf4 makes QEMU exit with (v << 1) | 1.
DEBUG_EXIT_DEVICE = "isa-debug-exit,iobase=0xf4,iosize=4"
DEBUG_EXIT_STATUS = {1: "pass", 3: "fail", 5: "panic", 7: "unsupported-cpu"}
NOT_YET = "launcher not implemented yet"


def trixie_cache():
    """Where scripts/fetch-xen.sh and fetch-qemu10.sh put Debian 13's files."""
    return os.environ.get("TRIXIE_CACHE",
                          os.path.join(os.path.expanduser("~"), ".cache", "trixie-emu"))


def qemu_binary(version="7.2"):
    """QEMU 7.2: the system's qemu-system-x86_64 ($QEMU overrides). QEMU 10: the
    wrapper scripts/fetch-qemu10.sh writes into the cache ($QEMU10 overrides)."""
    if version == "10":
        return os.environ.get("QEMU10", os.path.join(trixie_cache(), "qemu-10", "bin",
                                                     "qemu-system-x86_64"))
    return os.environ.get("QEMU", "qemu-system-x86_64")


def _qemu10_problem():
    binary = qemu_binary("10")
    if shutil.which(binary):
        return None
    return (f"QEMU 10 not found: {binary} (scripts/fetch-qemu10.sh fetches it; "
            "make qemu10)")


def xen_image(version="4.17"):
    """The hypervisor image of a Xen version: Debian 12's 4.17 in /boot, Debian 13's
    4.20 where scripts/fetch-xen.sh unpacks it (XEN_IMAGE / XEN420_IMAGE override)."""
    if version == "4.20":
        cache = trixie_cache()
        return os.environ.get("XEN420_IMAGE",
                              os.path.join(cache, "xen-4.20", "boot", "xen-4.20-amd64.gz"))
    return os.environ.get("XEN_IMAGE", "/boot/xen-4.17-amd64.gz")


def kvm_problem(path="/dev/kvm"):
    """None if KVM is usable, else why not: it must open read-write and speak API 12."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        return f"{path} not usable: {os.strerror(e.errno)}"
    try:
        version = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as e:
        return f"{path}: KVM_GET_API_VERSION failed: {os.strerror(e.errno)}"
    finally:
        os.close(fd)
    if version != KVM_API_VERSION:
        return f"{path}: KVM API version {version}, need {KVM_API_VERSION}"
    return None


# The Debian package of a default binary or file, named in the skip reason.
PACKAGES = {"qemu-system-x86_64": "qemu-system-x86",
            "/boot/xen-4.17-amd64.gz": "xen-hypervisor-4.17-amd64"}


def _binary_problem(binary):
    return None if shutil.which(binary) else f"{binary} not found" + _package(binary)


def _file_problem(path):
    return None if os.access(path, os.R_OK) else f"{path} not found" + _package(path)


def _package(what):
    return f" (Debian: {PACKAGES[what]})" if what in PACKAGES else ""


NEED_CHECKS = {
    "qemu": lambda: _binary_problem(qemu_binary()),
    "qemu-10": _qemu10_problem,
    "bochs": bochs.problem,
    "xen": lambda: _file_problem(xen_image()),
    "xen-4.20": lambda: _file_problem(xen_image("4.20")) and
    f"{_file_problem(xen_image('4.20'))} (scripts/fetch-xen.sh 4.20 fetches it)",
    "kvm": kvm_problem,
}
# What an unmet need is, for CI: HOST needs are the machine's hardware, which no
# install step provides (this CI has no usable /dev/kvm); every other need (a
# package, a file a package or a fetch step provides, a launcher) is an install
# step CI must have done. A need not named here is an install step.
HOST_NEEDS = ("kvm",)


class Qemu:
    """QEMU -kernel: kernel.elf through Multiboot, kernel-pvh.elf through PVH.

    A launcher: image(cfg, build dir) is the file the run boots (checked before the
    run); command(cfg, image, log_dir) the command line, which may write files into
    log_dir; console_file: the emulator writes the console into log_dir/console.log
    itself (else its stdout is the console); classify(run, console, log_dir) tells
    how the run ended: (outcome, detail, problems) as verdict.classify().
    """
    implemented = True
    console_file = False
    exit_status = DEBUG_EXIT_STATUS

    def image(self, cfg, build):
        return build / cfg.build_subdir / ("kernel.elf" if cfg.entry == "multiboot"
                                           else "kernel-pvh.elf")

    def classify(self, run, console, log_dir=None):
        return classify(run.rc, run.timed_out, console.exit_status, self.exit_status,
                        run.stderr)

    def command(self, cfg, image, log_dir=None):
        # -nodefaults drops VGA, NIC, the default serial and monitor: the console is
        # the one serial port we add, on stdout, so the runner can stream it.
        return [qemu_binary(cfg.qemu), "-display", "none", "-no-reboot", "-nodefaults",
                "-monitor", "none", "-serial", "stdio", "-device", DEBUG_EXIT_DEVICE,
                "-accel", cfg.accel, *cfg.qemu_opts,
                "-kernel", str(image), "-append", cfg.append]


class _NotYet:
    implemented = False
    console_file = False

    def command(self, cfg, image, log_dir=None):
        raise NotImplementedError(f"{cfg.emulator} {NOT_YET}")


class Bochs:
    """Bochs booting a GRUB ISO of kernel.elf with the configuration's command line
    (bochs.py: ISO cache, bochsrc, debugger script). COM1 goes to log_dir/console.log;
    Bochs' stdout (its banner, port 0xE9 output, the debugger and its register dump)
    is kept in stdout.log. The kernel exits through the magic break with the status
    in EAX, which the debugger script's `r` prints."""
    implemented = True
    console_file = True

    def image(self, cfg, build):
        return build / cfg.build_subdir / "kernel.elf"

    def command(self, cfg, image, log_dir):
        image, log_dir = Path(image), Path(log_dir)
        if not image.is_file():
            raise LaunchError(f"kernel image missing: {image} (make ARCH={cfg.arch})")
        try:
            bochs.grub_words(cfg.append)        # `run --append` skips the cfg's check
        except ValueError as e:
            raise LaunchError(str(e)) from None
        optrom = bochs.optrom_path(cfg, image.parents[1])
        iso = bochs.iso_for(cfg.arch, image, cfg.append, log_dir.parent / "iso-cache")
        return bochs.write_run_files(cfg, iso, log_dir, optrom)

    def classify(self, run, console, log_dir):
        log = Path(log_dir) / bochs.BOCHS_LOG
        try:
            log_text = log.read_text(errors="replace")
        except OSError:
            log_text = ""
        ending = bochs.Ending.parse(run.output, log_text, run.stderr)
        last = next((line for line in reversed(console.lines) if line.strip()), None)
        return classify_magic_break(run.rc, run.timed_out, console.exit_status, ending, last)


class Xen:
    """Xen under QEMU (q35, intel-iommu, -cpu max: PVH dom0 needs an IOMMU and SVM+NPT):
    Xen, decompressed once into <out>/xen-cache, as -kernel; kernel.elf as the PVH dom0
    module via -initrd "kernel.elf CMDLINE"; dom0_max_vcpus = xen_vcpus.

    Console: COM2 on stdout, which our dom0 drives (COM1 belongs to Xen, which drops
    dom0's writes to it); Xen's own console (COM1, with "(d0) " lines from console_io
    and port 0xE9) goes to log_dir/xen.log. Dom0 may write port 0xf4, so exit_status is
    the QEMU map; a SCHEDOP_shutdown(reboot) under -no-reboot ends QEMU with rc 0 and the
    status comes from KERNEL-EXIT."""
    implemented = True
    console_file = False
    exit_status = DEBUG_EXIT_STATUS
    XEN_ARGS = "console=com1 com1=115200,8n1 dom0_mem=64M loglvl=all guest_loglvl=all"

    def image(self, cfg, build):
        return build / cfg.build_subdir / "kernel.elf"

    def classify(self, run, console, log_dir=None):
        return classify(run.rc, run.timed_out, console.exit_status, self.exit_status,
                        run.stderr)

    @staticmethod
    def xen_binary(cache_dir, version="4.17"):
        """The decompressed Xen image (QEMU loads an ELF, not a gzip), rebuilt when the
        source is newer."""
        src = Path(xen_image(version))
        cache_dir = Path(cache_dir)
        dst = cache_dir / (src.name[:-3] if src.name.endswith(".gz") else src.name)
        if not src.is_file():
            raise LaunchError(f"Xen image missing: {src}")
        if dst.is_file() and dst.stat().st_mtime >= src.stat().st_mtime:
            return dst
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_suffix(f".tmp{os.getpid()}")
        opener = gzip.open if src.name.endswith(".gz") else open
        with opener(src, "rb") as f, open(tmp, "wb") as out:
            shutil.copyfileobj(f, out)
        os.replace(tmp, dst)
        return dst

    def command(self, cfg, image, log_dir):
        log_dir = Path(log_dir)
        module = f"{image} {cfg.append}".strip()
        if "," in module:
            raise LaunchError(f"-initrd {module!r}: QEMU splits -initrd modules at commas")
        xen = self.xen_binary(log_dir.parent / "xen-cache", cfg.xen)
        log_dir.mkdir(parents=True, exist_ok=True)
        # One kernel.elf either way: Xen enters it through PVH or classic PV.
        dom0 = "pv" if cfg.entry == "xen-pv" else "pvh"
        xen_args = (f"{self.XEN_ARGS} dom0={dom0} dom0_max_vcpus={cfg.xen_vcpus} "
                    f"{cfg.xen_cmdline}").strip()
        return [qemu_binary(cfg.qemu), "-machine", "q35", "-cpu", "max", "-m", "256M",
                "-display", "none", "-no-reboot", "-nodefaults", "-monitor", "none",
                "-serial", f"file:{log_dir / 'xen.log'}", "-serial", "stdio",
                "-device", "intel-iommu,intremap=on,aw-bits=48",
                "-device", DEBUG_EXIT_DEVICE, "-accel", cfg.accel, *cfg.qemu_opts,
                "-kernel", str(xen), "-append", xen_args, "-initrd", module]


LAUNCHERS = {"qemu": Qemu(), "bochs": Bochs(), "xen": Xen()}


def unmet(cfg):
    """[(need, reason)] for each need of cfg this machine does not meet."""
    found = [(n, r) for n, r in ((n, NEED_CHECKS[n]()) for n in cfg.needs) if r]
    if not LAUNCHERS[cfg.emulator].implemented:
        found.append(("launcher", f"{cfg.emulator} {NOT_YET}"))
    return found


def unmet_needs(cfg):
    """None if cfg can run here, else the skip reason(s)."""
    return "; ".join(r for _, r in unmet(cfg)) or None


def in_ci():
    """CI=true (or 1, yes): a run on the CI machine, which installed everything."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def needs_verdict(cfg):
    """-> (None, None) if cfg can run here, else ("skip" or "fail", reason).

    A skip with its reason, except under CI, where only HOST_NEEDS may skip: a
    configuration lacking anything an install step provides fails the run, so a
    missing install step turns CI red instead of into a skip."""
    missing = unmet(cfg)
    if not missing:
        return None, None
    reason = "; ".join(r for _, r in missing)
    installable = [r for n, r in missing if n not in HOST_NEEDS]
    if installable and in_ci():
        return "fail", (f"{'; '.join(installable)} (CI=true: only {', '.join(HOST_NEEDS)} "
                        f"may be missing; install the rest: make check-deps)")
    return "skip", reason


@dataclass
class Run:
    rc: int                 # negative: killed by that signal
    timed_out: bool
    console: str
    stderr: str
    wall_s: float
    output: str = ""        # stdout, when the console is a file the emulator writes


def _kill_group(proc):
    """SIGTERM the whole process group, SIGKILL it if it lingers."""
    for sig, grace in ((signal.SIGTERM, 2), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            pass


def run_command(cmd, console_path, timeout, echo=None, console_file=False):
    """Run cmd with stdout as the console: copy it to console_path (and to echo, a
    callable taking bytes, as it arrives), keep stderr apart, kill on timeout.

    console_file: the emulator writes the console into console_path itself (Bochs'
    COM1); it is followed as it grows, and stdout is kept apart as Run.output.
    The timeout is what ends a hung guest, and QEMU pausing on a KVM internal error.
    """
    start = time.monotonic()
    deadline, timed_out = start + timeout, False
    out, err, other = bytearray(), bytearray(), bytearray()
    if console_file:
        Path(console_path).unlink(missing_ok=True)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, other if console_file else out)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    follow = None

    def consume(data):
        out.extend(data)
        if not console_file:
            log.write(data)
            log.flush()
        if echo:
            echo(data)

    def follow_file():
        nonlocal follow
        if follow is None:
            try:
                follow = open(console_path, "rb")
            except FileNotFoundError:
                return
        data = follow.read()
        if data:
            consume(data)
    try:
        with open(os.devnull if console_file else console_path, "wb") as log:
            while sel.get_map():
                left = deadline - time.monotonic()
                if left <= 0 and not timed_out:
                    timed_out = True
                    _kill_group(proc)
                # Once the group is dead the pipes reach EOF; the bound is for a
                # grandchild that escaped the group and kept them open.
                wait = max(left, 0) if not timed_out else 5
                for key, _ in sel.select(min(wait, 0.05) if console_file else wait):
                    data = os.read(key.fd, 65536)
                    if not data:
                        sel.unregister(key.fileobj)
                        continue
                    if key.data is out:
                        consume(data)
                    else:
                        key.data.extend(data)
                if console_file:
                    follow_file()
                if timed_out and time.monotonic() - deadline > 10:
                    break
    finally:
        sel.close()
        if proc.poll() is None:
            _kill_group(proc)
        proc.stdout.close()
        proc.stderr.close()
    rc = proc.wait()
    if console_file:
        follow_file()
        if follow:
            follow.close()
    return Run(rc=rc, timed_out=timed_out, console=out.decode("utf-8", "replace"),
               stderr=err.decode("utf-8", "replace"), wall_s=time.monotonic() - start,
               output=other.decode("utf-8", "replace"))
