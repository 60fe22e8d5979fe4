/* SPDX-License-Identifier: MIT */
/*
 * The parts of Xen's guest ABI this kernel uses, written from the public
 * interface's facts (hypercall and sub-op numbers, structure layouts; see
 * docs/machines.md "xen"). Layouts that contain an unsigned long follow the
 * guest's word size, which is what Xen expects from a guest in that mode.
 */
#ifndef ASM_XEN_INTERFACE_H
#define ASM_XEN_INTERFACE_H

#include <kernel/compiler.h>

/* Hypercall numbers (the hypercall page holds one 32-byte stub each). */
#define __HYPERVISOR_set_trap_table    0
#define __HYPERVISOR_mmu_update	       1
#define __HYPERVISOR_memory_op	       12
#define __HYPERVISOR_multicall	       13
#define __HYPERVISOR_update_va_mapping 14
#define __HYPERVISOR_iret	       23
#define __HYPERVISOR_mmuext_op	       26
#define __HYPERVISOR_callback_op       30
#define __HYPERVISOR_physdev_op	       33
#define __HYPERVISOR_xen_version       17
#define __HYPERVISOR_console_io	       18
#define __HYPERVISOR_vcpu_op	       24
#define __HYPERVISOR_sched_op	       29
#define __HYPERVISOR_event_channel_op  32
#define __HYPERVISOR_hvm_op	       34

#define XEN_DOMID_SELF 0x7ff0u

/* CPUID leaves, relative to the base where "XenVMMXenVMM" was found. */
#define XEN_CPUID_VERSION	      1 /* eax = major << 16 | minor */
#define XEN_CPUID_HYPERCALL	      2 /* eax = pages, ebx = MSR */
#define XEN_CPUID_HVM		      4 /* eax flags, ebx = vcpu id */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT (1u << 3)

/* xen_version */
#define XENVER_version	    0
#define XENVER_extraversion 1 /* char[16] */

/* console_io */
#define CONSOLEIO_write 0

/* sched_op */
#define SCHEDOP_block	  1 /* until an event; clears the upcall mask atomically */
#define SCHEDOP_shutdown  2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot	  1
#define SHUTDOWN_crash	  3

struct xen_sched_shutdown {
	uint32_t reason;
};

/* memory_op */
#define XENMEM_add_to_physmap	7
#define XENMEM_memory_map	9
#define XENMAPSPACE_shared_info 0

struct xen_add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	unsigned long idx;
	unsigned long gpfn;
};

/* The buffer is a guest handle: a pointer, 8 bytes aligned on x86_64. */
struct xen_memory_map {
	uint32_t nr_entries;
#ifdef CONFIG_X86_64
	uint32_t pad;
	uint64_t buffer;
#else
	uint32_t buffer;
#endif
};

/* One E820 entry as XENMEM_memory_map writes it: 20 bytes, packed. */
#define XEN_E820_ENTRY_SIZE 20

/* hvm_op */
#define HVMOP_set_param	       0
#define HVM_PARAM_CALLBACK_IRQ 0
/* Callback "type 2": inject this vector on the vCPU with an upcall pending. */
#define HVM_PARAM_CALLBACK_TYPE_VECTOR (2ull << 56)

struct xen_hvm_param {
	uint16_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};

/* vcpu_op */
#define VCPUOP_initialise	     0
#define VCPUOP_up		     1
#define VCPUOP_is_up		     3 /* 1 up, 0 down, -ENOENT: no such vCPU */
#define VCPUOP_stop_periodic_timer   7
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9
#define VCPUOP_send_nmi		     11
#define VCPUOP_register_vcpu_info    10

/* Where a vCPU's vcpu_info lives from now on: a frame and offset of ours. */
struct xen_vcpu_register_vcpu_info {
	uint64_t mfn;
	uint32_t offset;
	uint32_t rsvd;
};

struct xen_vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags;
	uint32_t pad;
};

/* event_channel_op */
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_send	   4
#define EVTCHNOP_bind_ipi  7
#define EVTCHNOP_unmask	   9
#define VIRQ_TIMER	   0

struct xen_evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	uint32_t port; /* out */
};

struct xen_evtchn_bind_ipi {
	uint32_t vcpu;
	uint32_t port; /* out */
};

struct xen_evtchn_port {
	uint32_t port;
};

/* shared_info: 32 vcpu_info slots of 64 bytes, then the 2-level event bitmaps. */
#define XEN_LEGACY_MAX_VCPUS 32

struct xen_vcpu_time_info {
	uint32_t version; /* odd while Xen updates the record */
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time; /* ns at tsc_timestamp */
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad1[2];
};

struct xen_vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	unsigned long evtchn_pending_sel;
	unsigned long cr2;
	unsigned long pad[sizeof(long) == 8 ? 1 : 5];
	struct xen_vcpu_time_info time; /* at offset 32 in both modes */
};

#define XEN_BITS_PER_LONG (8 * sizeof(unsigned long))
#define XEN_NR_EVTCHNS	  (XEN_BITS_PER_LONG * XEN_BITS_PER_LONG)

struct xen_shared_info {
	struct xen_vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	unsigned long evtchn_pending[XEN_BITS_PER_LONG]; /* at 2048 */
	unsigned long evtchn_mask[XEN_BITS_PER_LONG];	 /* 2176 / 2560 */
	uint32_t wc_version;				 /* 2304 / 3072 */
	uint32_t wc_sec;
	uint32_t wc_nsec;
};

_Static_assert(sizeof(struct xen_vcpu_info) == 64, "vcpu_info is 64 bytes");
_Static_assert(__builtin_offsetof(struct xen_shared_info, evtchn_pending) == 2048,
	       "evtchn_pending at 2048");
_Static_assert(__builtin_offsetof(struct xen_shared_info, wc_version) ==
		       (sizeof(long) == 8 ? 3072 : 2304),
	       "wallclock offset");

/* ---- classic PV (x86_64): arch/x86/xen/pv*.c ---- */

/* Xen's flat selectors for a 64-bit PV kernel (RPL 3: it runs at CPL 3). */
#define FLAT_KERNEL_CS64 0xe033
#define FLAT_KERNEL_SS64 0xe02b

/* start_info (xen/include/public/xen.h), x86_64 offsets as measured. */
#define XEN_START_INFO_MAGIC "xen-3.0-x86_64"
#define XEN_SI_NR_PAGES	     32
#define XEN_SI_SHARED_INFO   40 /* machine address */
#define XEN_SI_FLAGS	     48
#define XEN_SI_PT_BASE	     88 /* virtual address of the bootstrap L4 */
#define XEN_SI_NR_PT_FRAMES  96
#define XEN_SI_MFN_LIST	     104 /* virtual address of the p2m: one u64 mfn per pfn */
#define XEN_SI_MOD_START     112
#define XEN_SI_MOD_LEN	     120
#define XEN_SI_CMD_LINE	     128
#define XEN_SI_CMDLINE_SIZE  1024
#define XEN_SI_SIZE	     (XEN_SI_CMD_LINE + XEN_SI_CMDLINE_SIZE)
#define SIF_PRIVILEGED	     (1u << 0)
#define SIF_INITDOMAIN	     (1u << 1)

/* The read-only machine-to-physical table every PV guest sees. */
#define XEN_M2P_BASE 0xffff800000000000ull

/* set_trap_table: one entry per vector, a zero address ends the list. */
struct xen_trap_info {
	uint8_t vector;
	uint8_t flags; /* DPL in bits 0-1; bit 2: mask events on entry */
	uint16_t cs;
	unsigned long address;
};
#define XEN_TI_MASK_EVENTS 4

/* callback_op */
#define CALLBACKOP_register   0
#define CALLBACKTYPE_event    0
#define CALLBACKTYPE_failsafe 1
#define CALLBACKTYPE_nmi      4
#define CALLBACKF_mask_events (1u << 0)

struct xen_callback_register {
	uint16_t type;
	uint16_t flags;
	uint32_t pad;
	unsigned long address;
};

/* physdev_op */
#define PHYSDEVOP_set_iopl 6

/* mmu_update: ptr = machine address of the entry | MMU_NORMAL_PT_UPDATE. */
#define MMU_NORMAL_PT_UPDATE 0
struct xen_mmu_update {
	uint64_t ptr, val;
};

/* mmuext_op */
#define MMUEXT_PIN_L1_TABLE    0
#define MMUEXT_PIN_L4_TABLE    3
#define MMUEXT_UNPIN_TABLE     4
#define MMUEXT_NEW_BASEPTR     5
#define MMUEXT_TLB_FLUSH_LOCAL 6
#define MMUEXT_INVLPG_LOCAL    7
struct xen_mmuext_op {
	uint32_t cmd;
	uint32_t pad;
	uint64_t arg1; /* mfn or linear address */
	uint64_t arg2;
};

/* update_va_mapping flags */
#define UVMF_INVLPG 2
#endif
