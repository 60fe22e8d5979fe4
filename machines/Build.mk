# One object per machine entry. Within a band (include/kernel/machine.h) the
# table is walked in this order, and ties go to the earlier entry.
obj-y += machines/native.o machines/pc.o
obj-$(CONFIG_MACHINE_MICROVM) += machines/microvm.o
obj-$(CONFIG_MACHINE_PC) += machines/pc-acpi.o machines/pc-mps.o machines/pc-legacy.o
obj-$(CONFIG_MACHINE_SUMMIT) += machines/summit.o
# The ES7000 OEM table validator is a firmware reader only this entry uses.
obj-$(CONFIG_MACHINE_ES7000) += machines/es7000.o arch/x86/firmware/es7000_oemtable.o
obj-$(CONFIG_MACHINE_XEN) += machines/xen.o
obj-$(CONFIG_MACHINE_XEN_PV) += machines/xen-pv.o
# Each entry's in-kernel tests, beside it, built with the entry and ktest.
ifeq ($(CONFIG_KTEST),y)
obj-$(CONFIG_MACHINE_XEN) += machines/xen-test.o
obj-$(CONFIG_MACHINE_XEN_PV) += machines/xen-pv-test.o
obj-$(CONFIG_MACHINE_KVM) += machines/kvm-test.o
obj-$(CONFIG_MACHINE_VMWARE) += machines/vmware-test.o
obj-$(CONFIG_MACHINE_VMI) += machines/vmi-test.o
endif
obj-$(CONFIG_MACHINE_KVM) += machines/kvm.o
obj-$(CONFIG_MACHINE_VMWARE) += machines/vmware.o
# The VMI ROM's validator is a firmware reader only this entry uses.
obj-$(CONFIG_MACHINE_VMI) += machines/vmi.o arch/x86/firmware/vmi_rom.o
