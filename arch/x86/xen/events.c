// SPDX-License-Identifier: MIT
/*
 * Event channels (the 2-level ABI in shared_info) and the per-vCPU timer.
 *
 * Xen raises an event by setting the port's bit in evtchn_pending, the
 * word's bit in the target vCPU's evtchn_pending_sel and its
 * evtchn_upcall_pending, then injects the callback vector (HVM_PARAM_
 * CALLBACK_IRQ, type "vector") on that vCPU. The vector is not a LAPIC
 * interrupt: it takes no EOI. A port whose evtchn_mask bit is set stays
 * pending without an upcall until unmasked.
 *
 * The tick: each vCPU binds its own VIRQ_TIMER port (Xen refuses to arm
 * another vCPU's timer) and re-arms a one-shot timer from each expiry,
 * at absolute deadlines one period apart, so the rate does not drift with
 * the handler's latency.
 *
 * IPIs: each vCPU binds one IPI port (EVTCHNOP_bind_ipi). The machine's
 * send_ipi(cpu, vector) sets the vector's bit in the target's pending
 * bitmap and notifies its port; the target's upcall runs the handler of
 * every vector it finds set, as if the LAPIC had delivered it (no EOI).
 * Until a CPU has bound its port, IPIs to it go through the emulated LAPIC.
 */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/pv.h>
#include <asm/irqflags.h>
#include <asm/trap.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#define PORT_NONE 0

struct xen_timer {
	uint32_t port;
	unsigned vcpu;
	uint64_t period_ns, next_ns;
};

static struct xen_timer timers[NR_CPUS];
static unsigned callback_vector;
/* What each port we bound is for, and on which CPU (a port is one vCPU's). */
enum port_use { PORT_UNUSED, PORT_TIMER, PORT_IPI };
static struct {
	uint8_t use; /* enum port_use */
	uint8_t cpu;
} ports[256];
static uint64_t stray_events;

struct xen_ipi {
	uint32_t port; /* PORT_NONE until bound: the LAPIC carries the IPI */
	unsigned long pending[256 / XEN_BITS_PER_LONG];
};

static struct xen_ipi ipis[NR_CPUS];

static void port_clear(uint32_t port)
{
	__atomic_fetch_and(&xen_shared_info->evtchn_pending[port / XEN_BITS_PER_LONG],
			   ~(1ul << (port % XEN_BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}

static void arm(struct xen_timer *t)
{
	struct xen_vcpu_set_singleshot_timer s = {.timeout_abs_ns = t->next_ns};

	/* No "future" flag: a deadline already past fires at once. */
	xen_hc_vcpu_op(VCPUOP_set_singleshot_timer, t->vcpu, &s);
}

static void timer_event(struct xen_timer *t)
{
	uint64_t now = xen_clock_ns();

	if (!t->period_ns)
		return;
	t->next_ns += t->period_ns;
	/* Far behind (the vCPU was descheduled): resynchronise, don't burst. */
	if (now > t->next_ns + 8 * t->period_ns)
		t->next_ns = now + t->period_ns;
	arm(t);
	timer_tick();
}

static void ipi_event(struct trap_frame *f, struct xen_ipi *ipi)
{
	for (unsigned w = 0; w < ARRAY_SIZE(ipi->pending); w++) {
		unsigned long bits = __atomic_exchange_n(&ipi->pending[w], 0, __ATOMIC_SEQ_CST);
		while (bits) {
			unsigned b = (unsigned)__builtin_ctzl(bits);
			bits &= bits - 1;
			irq_run_vector(f, w * XEN_BITS_PER_LONG + b);
		}
	}
}

static void bind_port(uint32_t port, enum port_use use, unsigned cpu)
{
	ports[port].cpu = (uint8_t)cpu;
	ports[port].use = (uint8_t)use;
}

/* Only called for ports that are not another CPU's (see xen_upcall). */
static void dispatch(struct trap_frame *f, uint32_t port)
{
	unsigned self = smp_processor_id();
	unsigned use = port < ARRAY_SIZE(ports) ? ports[port].use : PORT_UNUSED;

	if (use == PORT_TIMER)
		timer_event(&timers[self]);
	else if (use == PORT_IPI)
		ipi_event(f, &ipis[self]);
	else
		stray_events++;
}

bool xen_send_ipi(unsigned cpu, unsigned vector)
{
	struct xen_ipi *ipi = cpu < NR_CPUS ? &ipis[cpu] : NULL;
	uint32_t port = ipi ? __atomic_load_n(&ipi->port, __ATOMIC_ACQUIRE) : PORT_NONE;

	if (port == PORT_NONE || vector >= 256)
		return false;
	unsigned long *word = &ipi->pending[vector / XEN_BITS_PER_LONG];
	unsigned long bit = 1ul << (vector % XEN_BITS_PER_LONG);
	__atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST);
	struct xen_evtchn_port s = {port};
	if (xen_hc_event_channel_op(EVTCHNOP_send, &s) == 0)
		return true;
	/* Not notified: the caller's LAPIC IPI carries it instead. */
	__atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST);
	return false;
}

int xen_ipi_init_cpu(void)
{
	unsigned cpu = smp_processor_id();
	struct xen_evtchn_bind_ipi b = {.vcpu = xen_this_vcpu()};

	if (ipis[cpu].port != PORT_NONE)
		return 0;
	if (b.vcpu >= XEN_LEGACY_MAX_VCPUS || xen_events_init() < 0)
		return -1;
	long rc = xen_hc_event_channel_op(EVTCHNOP_bind_ipi, &b);
	if (rc < 0 || b.port == PORT_NONE || b.port >= ARRAY_SIZE(ports)) {
		printk(KERN_WARN "xen: IPI port for vCPU %u: bind failed (%ld)\n", b.vcpu, rc);
		return -1;
	}
	bind_port(b.port, PORT_IPI, cpu);
	struct xen_evtchn_port u = {b.port};
	xen_hc_event_channel_op(EVTCHNOP_unmask, &u);
	__atomic_store_n(&ipis[cpu].port, b.port, __ATOMIC_RELEASE);
	return 1;
}

static void xen_upcall(struct trap_frame *f, void *data)
{
	struct xen_shared_info *s = xen_shared_info;
	struct xen_vcpu_info *vi = xen_vcpu_info_this();

	while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
		unsigned long sel =
			__atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned w = (unsigned)__builtin_ctzl(sel);
			sel &= sel - 1;
			unsigned long bits =
				__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_ACQUIRE) &
				~__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_ACQUIRE);
			while (bits) {
				unsigned b = (unsigned)__builtin_ctzl(bits);
				bits &= bits - 1;
				uint32_t port = (uint32_t)(w * XEN_BITS_PER_LONG + b);
				/* The pending bitmap is the domain's, not this vCPU's:
				 * another vCPU's port is left for that vCPU's upcall
				 * (taking it here would lose its tick or IPI). */
				if (port < ARRAY_SIZE(ports) && ports[port].use != PORT_UNUSED &&
				    ports[port].cpu != smp_processor_id())
					continue;
				port_clear(port);
				dispatch(f, port);
			}
		}
	}
}

int xen_events_init(void)
{
	struct xen_hvm_param p = {
		.domid = XEN_DOMID_SELF,
		.index = HVM_PARAM_CALLBACK_IRQ,
	};

	if (callback_vector)
		return 0;
#ifdef CONFIG_MACHINE_XEN_PV
	if (xen_pv_booted) {
		/* Classic PV: the event callback registered at entry lands on a
		 * fixed vector (arch/x86/xen/pv-entry.S). */
		irq_set_handler_flags(XEN_PV_UPCALL_VECTOR, xen_upcall, NULL, IRQF_NO_EOI);
		callback_vector = XEN_PV_UPCALL_VECTOR;
		printk("xen: event channel upcall through the PV event callback\n");
		return 0;
	}
#endif
	unsigned vec = irq_alloc_vector(xen_upcall, NULL);
	if (!vec)
		return -1;
	irq_set_handler_flags(vec, xen_upcall, NULL, IRQF_NO_EOI);
	p.value = HVM_PARAM_CALLBACK_TYPE_VECTOR | vec;
	long rc = xen_hc_hvm_op(HVMOP_set_param, &p);
	if (rc < 0) {
		printk(KERN_WARN "xen: HVM_PARAM_CALLBACK_IRQ vector %#x refused: %ld\n", vec, rc);
		irq_set_handler(vec, NULL, NULL);
		return -1;
	}
	callback_vector = vec;
	printk("xen: event channel upcall on vector %#x\n", vec);
	return 0;
}

static int bind_timer(struct xen_timer *t, unsigned cpu)
{
	struct xen_evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = t->vcpu};

	/* Xen's default periodic timer would tick on top of ours. */
	xen_hc_vcpu_op(VCPUOP_stop_periodic_timer, t->vcpu, NULL);
	long rc = xen_hc_event_channel_op(EVTCHNOP_bind_virq, &b);
	if (rc < 0 || b.port >= ARRAY_SIZE(ports)) {
		printk(KERN_WARN "xen: VIRQ_TIMER bind on vCPU %u failed: %ld\n", t->vcpu, rc);
		return -1;
	}
	t->port = b.port;
	bind_port(b.port, PORT_TIMER, cpu);
	struct xen_evtchn_port u = {b.port};
	xen_hc_event_channel_op(EVTCHNOP_unmask, &u);
	return 0;
}

const char *xen_timer_init_cpu(unsigned hz)
{
	unsigned cpu = smp_processor_id();
	struct xen_timer *t = &timers[cpu];

	if (xen_events_init() < 0)
		return NULL;
	if (!hz) {
		/* Stopped: timer_event re-arms nothing while period_ns is 0. */
		unsigned long flags = local_irq_save();
		t->period_ns = 0;
		if (t->port != PORT_NONE)
			xen_hc_vcpu_op(VCPUOP_stop_singleshot_timer, t->vcpu, NULL);
		local_irq_restore(flags);
		return "xen-timer";
	}
	if (t->port == PORT_NONE) {
		t->vcpu = xen_this_vcpu();
		if (t->vcpu >= XEN_LEGACY_MAX_VCPUS || bind_timer(t, cpu) < 0)
			return NULL;
	}
	unsigned long flags = local_irq_save();
	t->period_ns = NSEC_PER_SEC / hz;
	t->next_ns = xen_clock_ns() + t->period_ns;
	arm(t);
	local_irq_restore(flags);
	return "xen-timer";
}
