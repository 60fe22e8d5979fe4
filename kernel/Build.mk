obj-y += kernel/main.o kernel/console.o kernel/cmdline.o kernel/panic.o kernel/symbols.o
obj-y += kernel/exit.o kernel/machine.o kernel/report.o kernel/json.o kernel/physmem.o
obj-y += kernel/ktest.o kernel/ktest_match.o kernel/stackprotector.o kernel/time.o
obj-y += kernel/firmware.o kernel/topology.o kernel/smp.o kernel/irq.o kernel/bench.o kernel/nmi_watchdog.o
obj-y += kernel/lib/string.o kernel/lib/vsnprintf.o
obj-$(CONFIG_X86_32) += kernel/lib/divdi3.o
obj-y += kernel/mm/memmap.o kernel/mm/page_alloc.o kernel/mm/heap.o
obj-$(CONFIG_KTEST_SELFTEST) += kernel/tests/selftest.o
obj-$(CONFIG_KTEST) += kernel/tests/core.o kernel/tests/conformance.o
obj-$(CONFIG_KTEST) += kernel/tests/protection.o kernel/tests/storm.o
# The pvops tables exist only with paravirt, so do their tests. A machine
# entry's own tests are beside it (machines/<entry>-test.c, machines/Build.mk).
ifeq ($(CONFIG_PARAVIRT),y)
obj-$(CONFIG_KTEST) += kernel/tests/pvops.o
endif
obj-$(CONFIG_KTEST) += kernel/tests/apic_modes.o
