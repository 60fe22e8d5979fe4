#!/usr/bin/python3
"""Build the fake kernel into a build-dir layout the runner can boot:
OUT/<arch>/kernel.elf and OUT/<arch>/kernel-pvh.elf for i386 and x86_64
(kernel-pvh.elf made as the real build makes it, by scripts/mkpvh.py).

  /usr/bin/python3 tests/boot/fake/build.py /tmp/fake-build
  BUILD_DIR=/tmp/fake-build /usr/bin/python3 -m pytest -n 2 tests/boot/test_matrix.py
"""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MKPVH = HERE.parents[2] / "scripts" / "mkpvh.py"   # the real build's own tool
CFLAGS = ["-m32", "-march=i586", "-ffreestanding", "-fno-pic", "-fno-stack-protector",
          "-nostdlib", "-static", "-no-pie", "-O2", "-Wall", "-Werror",
          "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments", "-T", str(HERE / "fake.ld")]


def build(out):
    out = Path(out)
    for arch in ("i386", "x86_64"):
        (out / arch).mkdir(parents=True, exist_ok=True)
        elf = out / arch / "kernel.elf"
        subprocess.run(["gcc", *CFLAGS, f'-DARCH_NAME="{arch}"', "-o", str(elf),
                        str(HERE / "fake_kernel.c")], check=True)
        subprocess.run([sys.executable, str(MKPVH), str(elf),
                        str(out / arch / "kernel-pvh.elf")], check=True)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(build(sys.argv[1]))
