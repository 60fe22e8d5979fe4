obj-$(CONFIG_PARAVIRT) += pvops/pvops.o pvops/patch.o pvops/native.o pvops/templates.o
