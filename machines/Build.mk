# One object per machine entry. Within a band (include/kernel/machine.h) the
# table is walked in this order, and ties go to the earlier entry.
obj-y += machines/native.o machines/pc.o
obj-$(CONFIG_MACHINE_MICROVM) += machines/microvm.o
obj-$(CONFIG_MACHINE_PC) += machines/pc-acpi.o machines/pc-mps.o machines/pc-legacy.o
