// SPDX-License-Identifier: MIT
/*
 * Multiboot v1 info (Multiboot spec 0.6.96, section 3.3) and the PVH
 * hvm_start_info (Xen public/arch-x86/hvm/start_info.h). Every field is read
 * through fw_mem and checked against its presence flag and length.
 */
#include <firmware/bootinfo.h>
#include <asm/boot.h>
#include <kernel/minmax.h>
#include <string.h>

/*
 * Multiboot information structure (spec 3.3, "Boot information format"):
 * one 32-bit flags word, and each field counts only when its bit is set.
 *    0  flags
 *    4  mem_lower, 8 mem_upper (bit 0): KiB below 640 KiB / from 1 MiB to
 *       the first hole, so they never describe memory above a hole
 *   16  cmdline (bit 2): physical address of a NUL-terminated string
 *   20  mods_count, 24 mods_addr (bit 3): 16-byte entries, mod_start,
 *       mod_end (taken as exclusive), string, reserved
 *   44  mmap_length, 48 mmap_addr (bit 6): the BIOS e820 map, see below
 *   64  boot_loader_name (bit 9)
 * MBI_SIZE (88) bytes, through the VBE fields, are mapped at once; a field
 * whose flag is clear is never used, whatever it holds.
 */
#define MBI_MEM	    (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)
#define MBI_LOADER  (1u << 9)
#define MBI_SIZE    88

/*
 * PVH hvm_start_info (Xen public/arch-x86/hvm/start_info.h); all addresses
 * physical, entered in 32-bit protected mode with paging off:
 *    0  magic 0x336ec578 ("xEn3" with bit 7 of the 'E' set)
 *    4  version (0, or 1 with the memory map)
 *   12  nr_modules, 16 modlist_paddr: 32-byte entries, paddr, size, cmdline
 *   24  cmdline_paddr (0: none), 32 rsdp_paddr (0: none given)
 *   40  memmap_paddr, 48 memmap_entries (version 1 only): 24-byte entries,
 *       addr, size, type (the e820 / ACPI address range types), reserved
 */
#define HVM_INFO_SIZE_V0 40 /* through rsdp_paddr */
#define HVM_INFO_SIZE_V1 56
#define HVM_MEMMAP_ENTRY 24
#define HVM_MOD_ENTRY	 32

/* type is the e820 / ACPI "System Address Map" type (1 usable, 2 reserved,
 * 3 ACPI reclaim, 4 ACPI NVS, 5 unusable); both protocols pass it as is. */
static void add_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
	if (!len)
		return; /* qboot ends its map with a zero-size entry */
	if (base + len < base)
		len = UINT64_MAX - base; /* ends past 2^64: clamped (found by fuzz_bootinfo) */
	if (bi->n_mmap == BOOT_MMAP_MAX) {
		bi->mmap_dropped++;
		return;
	}
	bi->mmap[bi->n_mmap++] = (struct boot_mem_region){base, len, type};
}

static void add_module(struct boot_info *bi, uint64_t start, uint64_t end)
{
	if (bi->n_mods < BOOT_MODS_MAX && end > start)
		bi->mods[bi->n_mods++] = (struct boot_module){start, end};
}

/*
 * QEMU puts the image's file name first on the Multiboot command line ("path
 * args"); GRUB 2 passes only the arguments, GRUB Legacy the path too. Drop
 * the first word when the loader is QEMU or the word is a path ('/' or a GRUB
 * device "(hd0)..."): no kernel option starts with either.
 */
static void strip_image_name(char *s, const char *loader)
{
	char *p = s;

	while (*p == ' ')
		p++;
	if (strncmp(loader, "qemu", 4) && *p != '/' && *p != '(')
		return;

	while (*p == ' ')
		p++;
	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	memmove(s, p, strlen(p) + 1);
}

/*
 * A command line cut at the buffer's end can end in half an option
 * ("maxcpus=12" read as "maxcpus=1"): when it was cut, drop back to the last
 * space outside double quotes, so every word kept is whole.
 */
static void cut_at_word(char *s, bool truncated)
{
	size_t cut = 0;
	bool quoted = false;

	if (!truncated)
		return;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == ' ' && !quoted)
			cut = i;
	}
	while (cut && s[cut - 1] == ' ')
		cut--;
	s[cut] = '\0';
}

int multiboot_parse(const struct fw_mem *m, uint64_t info_pa, struct boot_info *bi)
{
	const uint8_t *mbi = fwmem_map(m, info_pa, MBI_SIZE);

	memset(bi, 0, sizeof(*bi));
	bi->entry = BOOT_ENTRY_MULTIBOOT;
	if (!mbi) {
		bi->why = "multiboot info not readable";
		return -1;
	}
	uint32_t flags = fw_le32(mbi);

	if (flags & MBI_LOADER)
		fwmem_strcpy(m, fw_le32(mbi + 64), bi->loader, sizeof(bi->loader), NULL);
	if (flags & MBI_CMDLINE) {
		fwmem_strcpy(m, fw_le32(mbi + 16), bi->cmdline, sizeof(bi->cmdline),
			     &bi->cmdline_truncated);
		cut_at_word(bi->cmdline, bi->cmdline_truncated);
		strip_image_name(bi->cmdline, bi->loader);
	}
	if (flags & MBI_MODS) {
		uint32_t n = fw_le32(mbi + 20), addr = fw_le32(mbi + 24);
		for (uint32_t i = 0; i < n && i < BOOT_MODS_MAX; i++) {
			const uint8_t *mod = fwmem_map(m, addr + 16ull * i, 16);
			if (!mod)
				break;
			add_module(bi, fw_le32(mod), fw_le32(mod + 4));
		}
	}
	if (flags & MBI_MMAP) {
		uint64_t p = fw_le32(mbi + 48), end = p + fw_le32(mbi + 44);
		/* Each entry: size (not counting itself), base, length, type.
		 * The size field sits before the entry proper and may be larger
		 * than 20 (spec 3.3): step by it, never by sizeof an entry. A
		 * size under 20 cannot hold an entry: the walk stops there. */
		while (p + 4 <= end) {
			const uint8_t *e = fwmem_map(m, p, 4);
			if (!e)
				break;
			uint32_t size = fw_le32(e);
			if (size < 20 || p + 4 + size > end)
				break;
			e = fwmem_map(m, p, 24);
			if (!e)
				break;
			add_region(bi, fw_le64(e + 4), fw_le64(e + 12), fw_le32(e + 20));
			p += 4 + size;
		}
		bi->mmap_source = "multiboot-mmap";
	}
	/* No e820 map: lower and upper memory are the only facts. Upper
	 * memory stops at the first hole (often 15 MiB or the PCI hole), so
	 * this undercounts rather than invents RAM. */
	if (!bi->n_mmap && (flags & MBI_MEM)) {
		add_region(bi, 0, (uint64_t)fw_le32(mbi + 4) << 10, MEM_USABLE);
		add_region(bi, 0x100000, (uint64_t)fw_le32(mbi + 8) << 10, MEM_USABLE);
		bi->mmap_source = "multiboot-lower-upper";
	}
	if (!bi->n_mmap) {
		bi->why = "multiboot info has no memory map";
		return -1;
	}
	return 0;
}

int pvh_parse(const struct fw_mem *m, uint64_t info_pa, struct boot_info *bi)
{
	const uint8_t *si = fwmem_map(m, info_pa, HVM_INFO_SIZE_V0);

	memset(bi, 0, sizeof(*bi));
	bi->entry = BOOT_ENTRY_PVH;
	bi->mmap_source = "pvh";
	if (!si) {
		bi->why = "hvm_start_info not readable";
		return -1;
	}
	if (fw_le32(si) != HVM_START_MAGIC) {
		bi->why = "hvm_start_info: bad magic";
		return -1;
	}
	bi->pvh_version = fw_le32(si + 4);
	uint64_t cmdline = fw_le64(si + 24);
	if (cmdline) {
		fwmem_strcpy(m, cmdline, bi->cmdline, sizeof(bi->cmdline), &bi->cmdline_truncated);
		cut_at_word(bi->cmdline, bi->cmdline_truncated);
	}
	/* A Xen PVH guest has no BIOS area to scan: there this pointer is the
	 * only way to the ACPI tables. */
	bi->rsdp = fw_le64(si + 32);
	uint32_t nmods = fw_le32(si + 12);
	uint64_t modlist = fw_le64(si + 16);
	for (uint32_t i = 0; i < nmods && i < BOOT_MODS_MAX; i++) {
		const uint8_t *mod = fwmem_map(m, modlist + (uint64_t)HVM_MOD_ENTRY * i, 16);
		if (!mod)
			break;
		add_module(bi, fw_le64(mod), fw_le64(mod) + fw_le64(mod + 8));
	}
	/* Version 0 (Xen's PVH dom0) has no memory map: the caller asks the
	 * hypervisor for one. */
	if (bi->pvh_version >= 1) {
		si = fwmem_map(m, info_pa, HVM_INFO_SIZE_V1);
		if (!si) {
			bi->why = "hvm_start_info v1 truncated";
			return -1;
		}
		uint64_t map = fw_le64(si + 40);
		uint32_t n = fw_le32(si + 48);
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *e = fwmem_map(m, map + (uint64_t)HVM_MEMMAP_ENTRY * i,
						     HVM_MEMMAP_ENTRY);
			if (!e)
				break;
			add_region(bi, fw_le64(e), fw_le64(e + 8), fw_le32(e + 16));
		}
	}
	return 0;
}

/* Offsets in start_info (x86_64), as in <asm/xen/interface.h>; repeated here
 * because firmware readers include no arch headers.
 *
 * Xen PV start_info (Xen public/xen.h, "Start-of-day memory layout"): a
 * 32-byte magic string ("xen-3.0-x86_64"), then mostly 64-bit fields.
 * Addresses in it are virtual addresses of Xen's initial mapping, equal to
 * pseudo-physical ones here (ELF note VIRT_BASE 0, arch/x86/boot/header.S).
 * After the kernel image Xen places, each 4 KiB aligned and in this order:
 * the initrd (mod_start), the p2m list (mfn_list, nr_pages entries of 8
 * bytes), start_info, the page tables (pt_base, nr_pt_frames), the boot
 * stack. start_info carries no memory map, only nr_pages of pseudo-physical
 * RAM from 0, so this file derives one from that layout. */
#define SI_NR_PAGES	32
#define SI_FLAGS	48
#define SI_PT_BASE	88
#define SI_NR_PT_FRAMES 96
#define SI_MFN_LIST	104
#define SI_MOD_START	112
#define SI_MOD_LEN	120
#define SI_CMD_LINE	128
#define SI_CMDLINE_SIZE 1024
#define SI_MAX_PAGES	(1ull << 20) /* what one 4 GiB identity map can hold */

static uint64_t end_of(uint64_t start, uint64_t len)
{
	return start + len < start ? UINT64_MAX : start + len;
}

int xen_pv_parse(const struct fw_mem *m, uint64_t info_pa, uint64_t kernel_end,
		 struct boot_info *bi)
{
	const uint8_t *si = fwmem_map(m, info_pa, SI_CMD_LINE + SI_CMDLINE_SIZE);

	memset(bi, 0, sizeof(*bi));
	bi->entry = BOOT_ENTRY_XEN_PV;
	bi->mmap_source = "xen-pv start_info";
	if (!si) {
		bi->why = "start_info not readable";
		return -1;
	}
	if (memcmp(si, "xen-3.0-x86_64", 14)) {
		bi->why = "start_info: magic is not xen-3.0-x86_64";
		return -1;
	}
	memcpy(bi->loader, "xen-pv", sizeof("xen-pv"));
	/* Everything from the kernel's end to boot_end belongs to Xen's boot
	 * objects and is reserved; the rest of nr_pages is free RAM. The checks
	 * refuse a layout in which the kernel and those objects do not fit in
	 * the memory given, in that order. */
	uint64_t nr_pages = fw_le64(si + SI_NR_PAGES);
	uint64_t top = MIN(nr_pages, SI_MAX_PAGES) << 12;
	uint64_t pt_end = end_of(fw_le64(si + SI_PT_BASE), fw_le64(si + SI_NR_PT_FRAMES) << 12);
	/* nr_pages * 8 saturates: a wrapped product would shrink the p2m
	 * list's reserved range below what Xen wrote (found in review). */
	uint64_t p2m_len = nr_pages > UINT64_MAX / 8 ? UINT64_MAX : nr_pages * 8;
	uint64_t p2m_end = end_of(fw_le64(si + SI_MFN_LIST), p2m_len);
	/* Xen's boot stack is the page after the page tables; rounded up to a
	 * page, saturating (a saturated end is refused below as past top). */
	uint64_t boot_end = end_of(MAX(MAX(pt_end, p2m_end), end_of(info_pa, 4096)), 4096 + 4095);
	boot_end &= ~4095ull;
	if (!nr_pages || kernel_end >= top || boot_end > top || boot_end <= kernel_end) {
		bi->why = "start_info: nr_pages, the page tables or the p2m list are "
			  "inconsistent with the kernel's place";
		return -1;
	}
	/* The command line: NUL-terminated within its 1024 bytes, or cut. */
	const char *cl = (const char *)si + SI_CMD_LINE;
	size_t n = strnlen(cl, SI_CMDLINE_SIZE);
	bi->cmdline_truncated = n >= sizeof(bi->cmdline);
	n = MIN(n, sizeof(bi->cmdline) - 1);
	memcpy(bi->cmdline, cl, n);
	bi->cmdline[n] = 0;
	uint64_t mod = fw_le64(si + SI_MOD_START), mod_len = fw_le64(si + SI_MOD_LEN);
	if (mod && mod_len)
		add_module(bi, mod, end_of(mod, mod_len));
	add_region(bi, 0, kernel_end, MEM_USABLE);
	add_region(bi, kernel_end, boot_end - kernel_end, MEM_RESERVED);
	add_region(bi, boot_end, top - boot_end, MEM_USABLE);
	return 0;
}
