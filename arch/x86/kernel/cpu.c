// SPDX-License-Identifier: MIT
#include <asm/cpufeature.h>
#include <asm/paravirt.h>
#include <string.h>

extern uint32_t boot_has_cpuid; /* arch/x86/boot/entry.S: EFLAGS.ID toggles */

struct cpu_info boot_cpu;
bool cpu_deprivileged;

static void sig12(char *dst, uint32_t a, uint32_t b, uint32_t c)
{
	memcpy(dst, &a, 4);
	memcpy(dst + 4, &b, 4);
	memcpy(dst + 8, &c, 4);
	dst[12] = '\0';
}

uint32_t cpu_hypervisor_base(const char *sig)
{
	struct cpuid_regs r;
	uint32_t want[3] = {0}, mask[3] = {0};
	size_t n = strlen(sig);

	if (!cpu_has(X86_FEATURE_HYPERVISOR) || n > 12)
		return 0;
	/* The signature as EBX, ECX, EDX, with its NUL where it is shorter than
	 * 12 bytes (what comparing it as a string with the 12 register bytes
	 * asks): three masked compares a leaf, not a string built and compared
	 * (256 leaves were 18 us of boot under -icount per probe that scans). */
	for (size_t i = 0; i < 12 && i <= n; i++) {
		want[i / 4] |= (uint32_t)(uint8_t)(i < n ? sig[i] : 0) << (8 * (i % 4));
		mask[i / 4] |= 0xffu << (8 * (i % 4));
	}
	/* Xen moves its leaves up when it also offers Viridian at 0x40000000. */
	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		cpuid(base, 0, &r);
		if ((r.ebx & mask[0]) == want[0] && (r.ecx & mask[1]) == want[1] &&
		    (r.edx & mask[2]) == want[2] && r.eax >= base)
			return base;
	}
	return 0;
}

void cpu_early_init(void)
{
	struct cpu_info *c = &boot_cpu;
	struct cpuid_regs r;

	c->has_cpuid = boot_has_cpuid;
	if (!c->has_cpuid) {
		memcpy(c->vendor, "no-cpuid", 9);
		return;
	}
	cpuid(0, 0, &r);
	c->max_leaf = r.eax;
	sig12(c->vendor, r.ebx, r.edx, r.ecx);
	if (c->max_leaf >= 1) {
		cpuid(1, 0, &r);
		c->words[CPUID_1_EDX] = r.edx;
		c->words[CPUID_1_ECX] = r.ecx;
		c->family = (r.eax >> 8) & 0xf;
		c->model = (r.eax >> 4) & 0xf;
		c->stepping = r.eax & 0xf;
		if (c->family == 0xf)
			c->family += (r.eax >> 20) & 0xff;
		if (c->family >= 6)
			c->model |= ((r.eax >> 16) & 0xf) << 4;
	}
	if (c->max_leaf >= 6) {
		cpuid(6, 0, &r);
		c->words[CPUID_6_EAX] = r.eax;
	}
	if (c->max_leaf >= 7) {
		cpuid(7, 0, &r);
		c->words[CPUID_7_EBX] = r.ebx;
		c->words[CPUID_7_ECX] = r.ecx;
		c->words[CPUID_7_EDX] = r.edx;
	}
	cpuid(0x80000000, 0, &r);
	c->max_ext_leaf = (r.eax & 0xffff0000) == 0x80000000 ? r.eax : 0;
	if (c->max_ext_leaf >= 0x80000001) {
		cpuid(0x80000001, 0, &r);
		c->words[CPUID_81_EDX] = r.edx;
		c->words[CPUID_81_ECX] = r.ecx;
	}
	if (c->max_ext_leaf >= 0x80000004) {
		uint32_t *b = (uint32_t *)c->brand;
		for (uint32_t l = 0; l < 3; l++) {
			cpuid(0x80000002 + l, 0, &r);
			b[l * 4 + 0] = r.eax;
			b[l * 4 + 1] = r.ebx;
			b[l * 4 + 2] = r.ecx;
			b[l * 4 + 3] = r.edx;
		}
		c->brand[48] = '\0';
	}
	if (c->max_ext_leaf >= 0x80000007) {
		cpuid(0x80000007, 0, &r);
		c->words[CPUID_87_EDX] = r.edx;
	}
	if (cpu_has(X86_FEATURE_HYPERVISOR)) {
		cpuid(0x40000000, 0, &r);
		c->hv_base = 0x40000000;
		c->hv_max = r.eax;
		sig12(c->hv_signature, r.ebx, r.ecx, r.edx);
	}
}

/*
 * SMEP, SMAP and UMIP where the CPU has them. The kernel has no user pages,
 * so they only catch bugs (and the memory-protection tests prove they are
 * on). SMAP never needs STAC/CLAC here, which matters: this machine's
 * kvm_pvm cannot run those instructions in ring 0.
 */
void cpu_protect_init(void)
{
	unsigned long cr4 = read_cr4();

	if (cpu_has(X86_FEATURE_SMEP))
		cr4 |= X86_CR4_SMEP;
	if (cpu_has(X86_FEATURE_SMAP))
		cr4 |= X86_CR4_SMAP;
	if (cpu_has(X86_FEATURE_UMIP))
		cr4 |= X86_CR4_UMIP;
	write_cr4(cr4);
}
