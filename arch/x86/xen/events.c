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
 */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
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
/* port -> logical CPU whose timer it is, plus one (0 = not ours). */
static uint8_t timer_port_cpu[256];
static uint64_t stray_events;

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

static void dispatch(uint32_t port)
{
	unsigned cpu = port < sizeof(timer_port_cpu) ? timer_port_cpu[port] : 0;

	if (cpu && cpu - 1 == smp_processor_id())
		timer_event(&timers[cpu - 1]);
	else
		stray_events++;
}

static void xen_upcall(struct trap_frame *f, void *data)
{
	struct xen_shared_info *s = xen_shared_info;
	unsigned v = timers[smp_processor_id()].vcpu;
	struct xen_vcpu_info *vi = &s->vcpu_info[v];

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
				port_clear(port);
				dispatch(port);
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
	if (rc < 0 || b.port >= sizeof(timer_port_cpu)) {
		printk(KERN_WARN "xen: VIRQ_TIMER bind on vCPU %u failed: %ld\n", t->vcpu, rc);
		return -1;
	}
	t->port = b.port;
	timer_port_cpu[b.port] = (uint8_t)(cpu + 1);
	struct xen_evtchn_port u = {b.port};
	xen_hc_event_channel_op(EVTCHNOP_unmask, &u);
	return 0;
}

const char *xen_timer_init_cpu(unsigned hz)
{
	unsigned cpu = smp_processor_id();
	struct xen_timer *t = &timers[cpu];

	if (!hz || xen_events_init() < 0)
		return NULL;
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
