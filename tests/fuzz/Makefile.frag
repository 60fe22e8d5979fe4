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
