# SPDX-License-Identifier: MIT
#
# make ARCH=i386|x86_64 defconfig     configure (build/<arch>/.config)
# make ARCH=i386|x86_64               build build/<arch>/kernel.elf
# make help                           every target and variable
#
# Both arches build side by side: everything an arch produces lives under
# build/<arch>/, including its .config and generated headers.

ARCH ?= x86_64
ifeq ($(filter $(ARCH),i386 x86_64),)
$(error ARCH must be i386 or x86_64, not '$(ARCH)')
endif
export ARCH

SRCTREE := $(CURDIR)
# O: the output directory (default build/<arch>); DEFCONFIG: what an empty O
# is configured from. The paravirt-free kernel of the matrix is built with
# O=build/<arch>-native DEFCONFIG=<arch>_native_defconfig (make images).
O         ?= build/$(ARCH)
DEFCONFIG ?= $(ARCH)_defconfig
OBJ     := $(O)/obj
PYTHON  ?= /usr/bin/python3
CC      := gcc
LD      := ld
OBJCOPY := objcopy
NM      := nm

# Before anything below can use a missing tool (scripts/Makefile.pkgs).
include scripts/Makefile.pkgs

KCONFIG_ENV = ARCH=$(ARCH) srctree=$(SRCTREE) KCONFIG_CONFIG=.config \
	KCONFIG_AUTOHEADER=include/generated/autoconf.h \
	KCONFIG_AUTOCONFIG=include/config/auto.conf

# Configuration goals must not include auto.conf: make would first try to
# remake it from .config, which is what they are about to write.
NOCONFIG_GOALS := defconfig %_defconfig olddefconfig savedefconfig menuconfig clean \
	distclean help list-machines list-pkgs host-tests fuzz format format-check deps vmi-rom \
	check check-deps report fresh-clone-test
ifneq ($(filter-out $(NOCONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
-include $(O)/include/config/auto.conf
endif

# ---- compiler flags -------------------------------------------------------
# The kernel's optimisation level (-Os measured no faster under TCG: docs/benchmarks.md).
OPT ?= -O2
GCC_INC := $(shell $(CC) -print-file-name=include)
CFLAGS_COMMON := -std=gnu11 -ffreestanding -nostdinc -isystem $(GCC_INC) \
	-Iinclude/libc -Iinclude -I$(O)/include \
	-include $(O)/include/generated/autoconf.h \
	$(OPT) -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fno-pic -fno-pie -fno-strict-aliasing -fno-delete-null-pointer-checks -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-common -fcf-protection=none \
	-mgeneral-regs-only -mno-sse -mno-mmx -mno-80387 -fno-builtin-printf
ifeq ($(CONFIG_STACKPROTECTOR),y)
CFLAGS_COMMON += -fstack-protector-strong -mstack-protector-guard=global
else
CFLAGS_COMMON += -fno-stack-protector
endif

ifeq ($(ARCH),i386)
# The i386 floor is the 486: QEMU's isapc machine runs a 486. -march=i486
# keeps cmov and cmpxchg8b out; rdtsc and cpuid are only used after CPUID
# (and, for CPUID itself, EFLAGS.ID) says they exist.
ARCH_CFLAGS := -m32 -march=i486 -mtune=pentium
LDEMU := elf_i386
else
# Linked identity-mapped at 1 MiB: -mcmodel=small is enough below 2 GiB.
ARCH_CFLAGS := -m64 -march=x86-64 -mno-red-zone -mcmodel=small
LDEMU := elf_x86_64
endif
CFLAGS  := $(CFLAGS_COMMON) $(ARCH_CFLAGS) $(EXTRA_CFLAGS)
ASFLAGS := $(CFLAGS) -D__ASSEMBLY__

# ---- objects --------------------------------------------------------------
obj-y :=
include arch/x86/Build.mk
include kernel/Build.mk
include machines/Build.mk
include pvops/Build.mk
OBJS := $(addprefix $(OBJ)/,$(obj-y))

# ---- top-level targets ----------------------------------------------------
.PHONY: all kernel iso defconfig olddefconfig savedefconfig menuconfig \
	native_defconfig clean distclean run check host-tests matrix fuzz \
	format format-check help
.DEFAULT_GOAL := all

all: kernel
kernel: $(O)/kernel.elf $(O)/kernel-pvh.elf

define do_defconfig
	@mkdir -p $(O)/include/config $(O)/include/generated
	@cd $(O) && $(KCONFIG_ENV) kconfig-conf --defconfig=$(SRCTREE)/$(1) $(SRCTREE)/Kconfig >/dev/null
	@cd $(O) && $(KCONFIG_ENV) kconfig-conf --silentoldconfig $(SRCTREE)/Kconfig >/dev/null
	@echo "  configured $(O) from $(1)"
endef

$(O)/.config:
	@echo "  no $(O)/.config yet: using configs/$(DEFCONFIG)"
	$(call do_defconfig,configs/$(DEFCONFIG))

$(O)/include/config/auto.conf $(O)/include/generated/autoconf.h: $(O)/.config \
		$(shell find . -name Kconfig -not -path './build/*')
	@mkdir -p $(O)/include/config $(O)/include/generated
	@# olddefconfig first: silentoldconfig stops at a new symbol with no one to ask
	@cd $(O) && $(KCONFIG_ENV) kconfig-conf --olddefconfig $(SRCTREE)/Kconfig >/dev/null && \
		$(KCONFIG_ENV) kconfig-conf --silentoldconfig $(SRCTREE)/Kconfig \
		>/dev/null || { echo "kconfig failed (install kconfig-frontends-nox)"; exit 1; }


defconfig:
	$(call do_defconfig,configs/$(ARCH)_defconfig)
%_defconfig:
	@test -f configs/$(ARCH)_$@ || { echo "no configs/$(ARCH)_$@"; exit 1; }
	$(call do_defconfig,configs/$(ARCH)_$@)
olddefconfig: $(O)/.config
	@cd $(O) && $(KCONFIG_ENV) kconfig-conf --olddefconfig $(SRCTREE)/Kconfig
savedefconfig: $(O)/.config
	@cd $(O) && $(KCONFIG_ENV) kconfig-conf --savedefconfig defconfig $(SRCTREE)/Kconfig
	@echo "  wrote $(O)/defconfig"
menuconfig: $(O)/.config
	@cd $(O) && $(KCONFIG_ENV) kconfig-mconf $(SRCTREE)/Kconfig

# ---- compile --------------------------------------------------------------
$(OBJ)/%.o: %.c $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.S $(O)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

-include $(OBJS:.o=.d)

# ---- link: two passes so the kernel carries its own symbol table ---------
LDS := $(O)/kernel.lds
$(LDS): arch/x86/kernel.lds.S $(O)/include/generated/autoconf.h
	@$(CC) $(CFLAGS) -E -P -x c -Ui386 -Ulinux -D__ASSEMBLY__ -D__LINKER__ $< -o $@

$(OBJ)/ksyms0.o: scripts/gensyms.py
	@mkdir -p $(OBJ)
	@$(PYTHON) scripts/gensyms.py /dev/null > $(OBJ)/ksyms0.S
	@$(CC) $(ASFLAGS) -c $(OBJ)/ksyms0.S -o $@

$(O)/kernel.pass1: $(OBJS) $(LDS) $(OBJ)/ksyms0.o
	@$(LD) -m $(LDEMU) -nostdlib -z noexecstack -z max-page-size=4096 -T $(LDS) \
		-o $@ $(OBJS) $(OBJ)/ksyms0.o

# The symbol table sits after every loaded section, so filling it in moves
# no text or data symbol; gensyms.py --check verifies that on the result.
$(O)/kernel.sym: $(O)/kernel.pass1 scripts/gensyms.py
	@echo "  LD      $@"
	@$(NM) -n $< | $(PYTHON) scripts/gensyms.py - > $(OBJ)/ksyms.S
	@$(CC) $(ASFLAGS) -c $(OBJ)/ksyms.S -o $(OBJ)/ksyms.o
	@$(LD) -m $(LDEMU) -nostdlib -z noexecstack -z max-page-size=4096 -T $(LDS) \
		-o $@ $(OBJS) $(OBJ)/ksyms.o
	@$(NM) -n $@ | $(PYTHON) scripts/gensyms.py --check $(OBJ)/ksyms.S

# kernel.elf is kernel.sym without its DWARF (gdb reads kernel.sym). One file
# boots every way in: Multiboot (the x86_64 ELF64 through the a.out kludge),
# QEMU's PVH, Xen PVH and, x86_64, Xen classic PV; scripts/check-image.py
# verifies the loaders' view of it (header in the first 8 KiB, the kludge's
# file range equal to the loadable segments, the Xen notes).
$(O)/kernel.elf: $(O)/kernel.sym scripts/check-image.py
	@$(OBJCOPY) --strip-debug $< $@.tmp
	@$(PYTHON) scripts/check-image.py $@.tmp $(if $(CONFIG_MACHINE_XEN_PV),--xen-pv)
	@mv $@.tmp $@
	@echo "  IMAGE   $@ ($$(stat -c %s $@) bytes)"

# QEMU prefers Multiboot over PVH, so its PVH path is tested with a copy
# whose Multiboot magic is zeroed: otherwise byte-identical to kernel.elf.
$(O)/kernel-pvh.elf: $(O)/kernel.elf scripts/mkpvh.py
	@$(PYTHON) scripts/mkpvh.py $< $@

# ---- GRUB ISO -------------------------------------------------------------
iso: $(O)/kernel.iso
$(O)/kernel.iso: $(O)/kernel.elf scripts/grub.cfg
	@scripts/need-pkgs $(ISO_PKGS)
	@rm -rf $(O)/iso && mkdir -p $(O)/iso/boot/grub
	@cp $(O)/kernel.elf $(O)/iso/boot/kernel.elf
	@sed 's|@CMDLINE@|$(CMDLINE)|' scripts/grub.cfg > $(O)/iso/boot/grub/grub.cfg
	@grub-mkrescue -d /usr/lib/grub/i386-pc --install-modules="normal multiboot iso9660 biosdisk configfile" \
		--locales="" --fonts="" --themes="" -o $@ $(O)/iso 2>/dev/null
	@echo "  ISO     $@"

# ---- the VMI ROM (docs/vmi.md): a separate flat image, not part of the kernel
# Position-independent and read-only: it runs wherever the BIOS put it, so
# its C objects may carry only PC-relative relocations (checked below).
VMI_ROM_DIR := $(O)/vmi-rom
VMI_ROM_SRCS := pvops/vmi-rom/header.S pvops/vmi-rom/ops.S pvops/vmi-rom/rom.c
VMI_ROM_CFLAGS := -std=gnu11 -ffreestanding -nostdinc -isystem $(GCC_INC) -Iinclude \
	-O2 -Wall -Wextra -Werror -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-common -fcf-protection=none -fno-jump-tables -fno-builtin \
	-mgeneral-regs-only -mno-sse -mno-mmx -mno-80387
ifeq ($(ARCH),i386)
VMI_ROM_CFLAGS += -m32 -march=i486 -mregparm=3 -fno-pic -fno-pie
else
VMI_ROM_CFLAGS += -m64 -mno-red-zone -fpie
endif
.PHONY: vmi-rom
vmi-rom: $(O)/vmi.rom $(O)/vmi-kvm.rom $(O)/vmi-fault.rom $(O)/vmi-liar.rom

# $(1): flavour name (native, kvm), $(2): extra CFLAGS
define vmi_rom_flavour
$(VMI_ROM_DIR)/$(1)/rom.bin: $(VMI_ROM_SRCS) pvops/vmi-rom/rom.h pvops/vmi-rom/rom.lds include/vmi.h
	@mkdir -p $$(dir $$@)
	@echo "  VMIROM  $$@"
	@$(CC) $(VMI_ROM_CFLAGS) $(2) -D__ASSEMBLY__ -c pvops/vmi-rom/header.S -o $(VMI_ROM_DIR)/$(1)/header.o
	@$(CC) $(VMI_ROM_CFLAGS) $(2) -D__ASSEMBLY__ -c pvops/vmi-rom/ops.S -o $(VMI_ROM_DIR)/$(1)/ops.o
	@$(CC) $(VMI_ROM_CFLAGS) $(2) -c pvops/vmi-rom/rom.c -o $(VMI_ROM_DIR)/$(1)/rom.o
	@if readelf -rW $(VMI_ROM_DIR)/$(1)/rom.o | grep -E 'R_(386|X86_64)_' | \
		grep -vE 'R_(386|X86_64)_(PC32|PLT32)'; then \
		echo "vmi-rom: rom.c has absolute relocations: the ROM must be position-independent"; \
		exit 1; fi
	@$(LD) -m $(LDEMU) -nostdlib -z noexecstack -T pvops/vmi-rom/rom.lds \
		-o $(VMI_ROM_DIR)/$(1)/rom.elf $(VMI_ROM_DIR)/$(1)/header.o \
		$(VMI_ROM_DIR)/$(1)/ops.o $(VMI_ROM_DIR)/$(1)/rom.o
	@$(OBJCOPY) -O binary -j .rom $(VMI_ROM_DIR)/$(1)/rom.elf $$@
endef
$(eval $(call vmi_rom_flavour,native,))
$(eval $(call vmi_rom_flavour,kvm,-DVMI_ROM_KVM))
$(eval $(call vmi_rom_flavour,fault,-DVMI_ROM_HOSTILE_FAULT))
$(eval $(call vmi_rom_flavour,liar,-DVMI_ROM_HOSTILE_LIAR))

$(O)/vmi.rom: $(VMI_ROM_DIR)/native/rom.bin scripts/mkrom.py
	@$(PYTHON) scripts/mkrom.py $< $@ --variants $(O)
$(O)/vmi-kvm.rom: $(VMI_ROM_DIR)/kvm/rom.bin scripts/mkrom.py
	@$(PYTHON) scripts/mkrom.py $< $@
$(O)/vmi-%.rom: $(VMI_ROM_DIR)/%/rom.bin scripts/mkrom.py
	@$(PYTHON) scripts/mkrom.py $< $@

clean:
	rm -rf $(O)
distclean:
	rm -rf build

# make help: one line per target and variable. tests/report/test_make_help.py
# checks every target listed here exists and every .PHONY target is listed.
help:
	@echo 'Targets (ARCH=i386|x86_64 selects the arch where it matters):'
	@echo '  all, kernel        build $$(O)/kernel.elf, kernel.sym (DWARF) and kernel-pvh.elf'
	@echo '  defconfig          configure $$(O) from configs/$$(ARCH)_defconfig'
	@echo '  <name>_defconfig   configure from configs/$$(ARCH)_<name>_defconfig (native_defconfig...)'
	@echo '  olddefconfig       update $$(O)/.config, new options at their defaults'
	@echo '  savedefconfig      write the minimal $$(O)/defconfig'
	@echo '  menuconfig         edit $$(O)/.config (kconfig-mconf)'
	@echo '  iso                GRUB ISO of the kernel: $$(O)/kernel.iso'
	@echo '  run                boot in QEMU (pc, 2 CPUs), or MACHINE=config of the matrix'
	@echo '  bochs              boot the Bochs configuration BOCHS by hand'
	@echo '  debug              MACHINE (default pc-smp2) halted in QEMU under gdb (docs/debugging.md)'
	@echo '  list-machines      every configuration of the matrix, and whether it can run here'
	@echo '  check              everything, stage by stage, then the time per stage'
	@echo '  host-tests         C unit tests of pure code on the host (ASan/UBSan)'
	@echo '  runner-tests       unit tests of the boot-matrix runner'
	@echo '  fresh-clone-test   make run in a fresh clone with kconfig-conf and QEMU missing'
	@echo '  check-exports      fail on a non-static kernel function no other object uses'
	@echo '  matrix             boot the matrix configurations (MATRIX_GROUPS, MATRIX)'
	@echo '  images             both arches: kernels and GRUB ISOs'
	@echo '  xen-images         the Xen 4.17 and 4.20 hypervisors the xen configurations boot'
	@echo '  qemu10             Debian 13'"'"'s QEMU 10 (qemu = 10 configurations, QEMU_VERSION=10)'
	@echo '  matrix-huge        the configurations too slow for check (1024 CPUs: tests/boot/matrix-huge.cfg)'
	@echo '  vmi-rom            the VMI hypervisor ROMs: $$(O)/vmi.rom, vmi-kvm.rom (docs/vmi.md)'
	@echo '  fuzz               libFuzzer targets, FUZZ_TIME seconds each'
	@echo '  fuzz-build         build the libFuzzer targets only'
	@echo '  format             clang-format the C sources in place (.clang-format)'
	@echo '  format-check       fail if any C source is not formatted (part of check)'
	@echo '  bench-pvops        pvops cost table (patched = native within 1%)'
	@echo '  bench-ready        boot-to-ready table for docs/benchmarks.md'
	@echo '  report             build/matrix/report.html and report.md from the last matrix run (or a new one)'
	@echo '  report-tests       tests of the report (headless Chromium) and of make debug/help'
	@echo '  deps, check-deps   install (as root) or name the Debian packages needed'
	@echo '  list-pkgs          every Debian package make may install (.ci/run installs them)'
	@echo '  clean              remove $$(O)'
	@echo '  distclean          remove build/'
	@echo '  help               this list'
	@echo 'Variables:'
	@echo '  ARCH=i386|x86_64   arch to build and run (default x86_64)'
	@echo '  O=dir              output directory (default build/$$(ARCH))'
	@echo '  DEFCONFIG=name     what an empty O is configured from (default $$(ARCH)_defconfig)'
	@echo '  MACHINE=config     run/debug: a matrix configuration (make list-machines)'
	@echo '  CMDLINE="..."      run/bochs/debug/iso: kernel command line (docs/command-line.md)'
	@echo '  BOCHS=config       bochs: the Bochs configuration (default bochs-i440fx-2)'
	@echo '  GDB_PORT=n         debug: port of QEMU gdb stub (default 1234)'
	@echo '  MATRIX_GROUPS=g,.. matrix: only configurations in these groups'
	@echo '  MATRIX=name,..     matrix: only these configurations'
	@echo '  QEMU_VERSION=v     matrix/run: 7.2 (the system'"'"'s, default) or 10 for configurations naming none'
	@echo '  MATRIX_JOBS=n      matrix/runner-tests: parallel boots (default 2)'
	@echo '  PYTEST_ARGS=..     matrix: more pytest arguments'
	@echo '  FUZZ_TIME=s        fuzz: seconds per target (default 60)'
	@echo '  FUZZ_MERGE=1       fuzz: merge new inputs into tests/fuzz/corpus'
	@echo '  CHECK_FUZZ_TIME=s  check: seconds per fuzz target (default 10)'
	@echo '  EXTRA_CFLAGS=..    more kernel compiler flags'
	@echo '  OPT=-O2            the kernel'"'"'s optimisation level (use a fresh O=)'
	@echo '  PYTHON=path        the Python for scripts and tests (default /usr/bin/python3)'

include scripts/Makefile.run
include tests/Makefile.tests
include scripts/Makefile.debug
include scripts/Makefile.format
