# Objects from arch/x86: entry code first (the Multiboot header must be in the
# first 8 KiB), then the CPU and the drivers, then the firmware readers.
obj-y += arch/x86/boot/header.o arch/x86/boot/entry.o
# Starting APs: the real-mode trampoline and the registers it loads.
obj-$(CONFIG_SMP) += arch/x86/boot/trampoline.o arch/x86/kernel/smpboot.o
obj-y += arch/x86/kernel/isr.o arch/x86/kernel/probe.o arch/x86/kernel/desc.o
obj-y += arch/x86/kernel/traps.o arch/x86/kernel/cpu.o arch/x86/kernel/paging.o
obj-y += arch/x86/kernel/uart.o arch/x86/kernel/debugcon.o arch/x86/kernel/platform.o
obj-y += arch/x86/kernel/pic.o arch/x86/kernel/pit.o arch/x86/kernel/hpet.o
obj-y += arch/x86/kernel/pmtimer.o arch/x86/kernel/rtc.o arch/x86/kernel/tsc.o
obj-y += arch/x86/kernel/lapic.o arch/x86/kernel/lapic_timer.o arch/x86/kernel/apic.o
obj-y += arch/x86/kernel/ioapic.o
obj-y += arch/x86/firmware/fwmem.o arch/x86/firmware/bootinfo.o
obj-y += arch/x86/firmware/acpi.o arch/x86/firmware/acpi_madt.o arch/x86/firmware/acpi_fadt.o
obj-y += arch/x86/firmware/acpi_aml.o arch/x86/firmware/mptable.o arch/x86/firmware/smbios.o
obj-$(CONFIG_MACHINE_XEN) += arch/x86/xen/hypercall.o arch/x86/xen/console.o
obj-$(CONFIG_MACHINE_XEN) += arch/x86/xen/e820.o arch/x86/xen/time.o arch/x86/xen/events.o
obj-$(CONFIG_MACHINE_XEN_PV) += arch/x86/xen/pv-entry.o arch/x86/xen/pv-ops.o arch/x86/xen/pv.o
ifeq ($(CONFIG_SMP),y)
obj-$(CONFIG_MACHINE_XEN_PV) += arch/x86/xen/pv-smp.o
endif
# pvclock arithmetic: shared by kvmclock and Xen's vcpu_time_info.
obj-y += arch/x86/kernel/pvclock.o
obj-$(CONFIG_MACHINE_KVM) += arch/x86/kernel/kvm.o
