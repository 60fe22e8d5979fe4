# SPDX-License-Identifier: MIT
#
# Host unit tests of the firmware readers (arch/x86/firmware), included by
# the top Makefile. Each test is a standalone program built from NAME_SRCS:
#   cc -std=gnu11 -Wall -Wextra -Werror -g -fsanitize=address,undefined \
#      -I include $(NAME_SRCS) -o ...
# and run from the repository root; the captured images are read from
# argv[1], else $FW_DATA_DIR, else tests/data/fw. The last line of the output
# is "N passed, N failed"; the exit status is nonzero on any failure.

FIRMWARE_READER_SRCS := $(addprefix arch/x86/firmware/, \
	fwmem.c acpi.c acpi_fadt.c acpi_madt.c acpi_aml.c mptable.c smbios.c)

HOST_TESTS += test_acpi test_acpi_synth test_mptable test_smbios

test_acpi_SRCS       := tests/host/test_acpi.c $(FIRMWARE_READER_SRCS)
test_acpi_synth_SRCS := tests/host/test_acpi_synth.c $(FIRMWARE_READER_SRCS)
# The same with the kernel's CPU limit: ACPI_MAX_CPUS follows CONFIG_NR_CPUS.
HOST_TESTS += test_acpi_synth1024
test_acpi_synth1024_SRCS := $(test_acpi_synth_SRCS)
test_acpi_synth1024_CFLAGS := -DCONFIG_NR_CPUS=1024
test_mptable_SRCS    := tests/host/test_mptable.c $(FIRMWARE_READER_SRCS)
test_smbios_SRCS     := tests/host/test_smbios.c $(FIRMWARE_READER_SRCS)
