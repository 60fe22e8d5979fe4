# Host unit tests of the kernel's pure code: one program per test file.
# <name>_SRCS lists the kernel sources it links against.
HOST_TESTS += test_cmdline test_memmap test_vsnprintf test_rtc
test_cmdline_SRCS := tests/host/test_cmdline.c kernel/cmdline.c kernel/ktest_match.c
test_memmap_SRCS := tests/host/test_memmap.c kernel/mm/memmap.c arch/x86/firmware/bootinfo.c \
	arch/x86/firmware/fwmem.c
test_vsnprintf_SRCS := tests/host/test_vsnprintf.c kernel/lib/vsnprintf.c
test_vsnprintf_CFLAGS := -Dvsnprintf=kvsnprintf -Dsnprintf=ksnprintf -fno-builtin
test_rtc_SRCS := tests/host/test_rtc.c arch/x86/kernel/rtc.c
HOST_TESTS += test_es7000
test_es7000_SRCS := tests/host/test_es7000.c arch/x86/firmware/es7000_oemtable.c \
	arch/x86/firmware/fwmem.c
HOST_TESTS += test_pvclock
test_pvclock_SRCS := tests/host/test_pvclock.c arch/x86/kernel/pvclock.c
# The same checks over i386's 32x32 multiply path of pvclock_scale.
HOST_TESTS += test_pvclock32
test_pvclock32_SRCS := $(test_pvclock_SRCS)
test_pvclock32_CFLAGS := -DPVCLOCK_SCALE_32BIT
# The patcher, with the templates the kernel links (pvops/templates.S) and the
# independently written reference instructions (tests/host/pvinsn.S).
HOST_TESTS += test_pvpatch
test_pvpatch_SRCS := tests/host/test_pvpatch.c tests/host/pvinsn.S pvops/patch.c \
	pvops/templates.S
# Also checks build/<arch>/vmi*.rom when make vmi-rom has built them.
HOST_TESTS += test_vmi
test_vmi_SRCS := tests/host/test_vmi.c arch/x86/firmware/vmi_rom.c arch/x86/firmware/fwmem.c
HOST_TESTS += test_json
test_json_SRCS := tests/host/test_json.c kernel/json.c
# The APIC addressing-mode choice (kernel/topology.c topo_choose_apic_mode).
HOST_TESTS += test_apic_choice
test_apic_choice_SRCS := tests/host/test_apic_choice.c kernel/topology.c kernel/cmdline.c \
	kernel/ktest_match.c
test_apic_choice_CFLAGS := -DCONFIG_NR_CPUS=256
