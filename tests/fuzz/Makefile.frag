# SPDX-License-Identifier: MIT
#
# libFuzzer targets for the firmware readers, included by the top Makefile.
# Build each from NAME_SRCS with Debian's clang 14 (libclang-rt-14-dev):
#   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
#         -I include $(NAME_SRCS) -o ...
# (-fno-sanitize-recover makes UBSan findings crash, so libFuzzer keeps them.)
# Run with the seed corpus and the input size the corpus was made with:
#   fuzz_acpi -max_len=12288 -max_total_time=60 tests/fuzz/corpus/acpi
#   fuzz_mptable -max_len=2048 ... tests/fuzz/corpus/mptable  (same for smbios)
# tests/fuzz/mkseeds.py rebuilds the seed-* files from tests/data/fw.

FUZZ_FIRMWARE_SRCS := $(addprefix arch/x86/firmware/, \
	fwmem.c acpi.c acpi_fadt.c acpi_madt.c acpi_aml.c mptable.c smbios.c)

FUZZ_TARGETS += fuzz_acpi fuzz_mptable fuzz_smbios

fuzz_acpi_SRCS    := tests/fuzz/fuzz_acpi.c $(FUZZ_FIRMWARE_SRCS)
fuzz_mptable_SRCS := tests/fuzz/fuzz_mptable.c $(FUZZ_FIRMWARE_SRCS)
fuzz_smbios_SRCS  := tests/fuzz/fuzz_smbios.c $(FUZZ_FIRMWARE_SRCS)

fuzz_acpi_MAX_LEN    := 12288
fuzz_mptable_MAX_LEN := 2048
fuzz_smbios_MAX_LEN  := 2048

# The other parsers and the consumers of parsed tables (docs/reliability.md).
FUZZ_TARGETS += fuzz_bootinfo fuzz_vmi fuzz_es7000 fuzz_cmdline fuzz_json fuzz_topology
fuzz_bootinfo_SRCS  := tests/fuzz/fuzz_bootinfo.c arch/x86/firmware/bootinfo.c \
	arch/x86/firmware/fwmem.c
fuzz_vmi_SRCS       := tests/fuzz/fuzz_vmi.c arch/x86/firmware/vmi_rom.c arch/x86/firmware/fwmem.c
fuzz_es7000_SRCS    := tests/fuzz/fuzz_es7000.c arch/x86/firmware/es7000_oemtable.c \
	arch/x86/firmware/fwmem.c
fuzz_cmdline_SRCS   := tests/fuzz/fuzz_cmdline.c kernel/cmdline.c kernel/ktest_match.c
fuzz_json_SRCS      := tests/fuzz/fuzz_json.c kernel/json.c
fuzz_topology_SRCS  := tests/fuzz/fuzz_topology.c kernel/topology.c kernel/cmdline.c \
	$(FUZZ_FIRMWARE_SRCS)
fuzz_topology_CFLAGS := -DCONFIG_NR_CPUS=256

fuzz_bootinfo_MAX_LEN := 4096
fuzz_vmi_MAX_LEN      := 4096
fuzz_es7000_MAX_LEN   := 256
fuzz_cmdline_MAX_LEN  := 599
fuzz_json_MAX_LEN     := 2048
fuzz_topology_MAX_LEN := 4096
