// SPDX-License-Identifier: MIT
/*
 * VMI ROM validation (include/firmware/vmi.h). Every check is on bytes
 * already known to be inside the ROM's readable range; the order is the
 * order of trust: the option-ROM frame, the VMI header's own bounds, the
 * image size, the checksum, then the version and arch, then each entry.
 */
#include <firmware/vmi.h>

/*
 * The shape follows VMware's VMI (a PC option ROM the kernel finds by
 * scanning, with a signature, an API version and a table of entry points it
 * calls instead of privileged instructions), but the layout is this
 * kernel's own (include/vmi.h): signature "VMIR" rather than VMware's
 * "cVmi". What this file reads, from the ROM base b:
 *   b[0..1]   0x55 0xAA, the option-ROM signature (PC BIOS convention)
 *   b[2]      size in 512-byte blocks; all size * 512 bytes sum to 0
 *   h = b + 0x20, struct vmi_header:
 *   h+0  signature   h+4  api_major  h+6  api_minor  h+8  arch  h+9  flavour
 *   h+10 header_len  h+12 nr_entries h+14 version string offset
 *   h+16 features    h+20 data_size  h+24 image_size h+28 entry[nr_entries]
 */
static int refuse(struct vmi_rom *out, const char *why)
{
	out->why = why;
	return FW_EINVAL;
}

int vmi_rom_check(const void *buf, size_t len, uint8_t arch, struct vmi_rom *out)
{
	const uint8_t *b = buf;
	uint64_t addr = out->addr;

	memset(out, 0, sizeof(*out));
	out->addr = addr;
	out->why = "not a VMI ROM";
	/* Any other option ROM (VGA BIOS, a NIC's boot ROM) is normal here:
	 * FW_ENOENT, not a refusal. */
	if (len < VMI_HEADER_OFFSET + VMI_HEADER_FIXED || b[0] != VMI_ROM_SIG0 ||
	    b[1] != VMI_ROM_SIG1 || fw_le32(b + VMI_HEADER_OFFSET) != VMI_SIGNATURE)
		return FW_ENOENT;
	/* Checked before the checksum: the checksum covers size bytes, which
	 * must all be readable. */
	out->size = b[2] * (uint32_t)VMI_ROM_BLOCK;
	if (out->size < VMI_HEADER_OFFSET + VMI_HEADER_FIXED)
		return refuse(out, "size byte too small for the VMI header");
	if (out->size > len)
		return refuse(out, "ROM runs past the option-ROM area");

	const uint8_t *h = b + VMI_HEADER_OFFSET;
	/* The size byte is all the BIOS knows of the ROM's extent (what it
	 * shadows and checksums); image_size is what was built. If they differ
	 * the ROM was cut or mis-sized, and an entry could lie in bytes that
	 * are not there even though the checksum over size bytes passes. */
	uint32_t image = fw_le32(h + 24);
	if (image != out->size)
		return refuse(out,
			      "ROM truncated: size byte disagrees with the header's image size");
	if (fw_sum8(b, out->size))
		return refuse(out, "bad checksum");

	out->api_major = fw_le16(h + 4);
	out->api_minor = fw_le16(h + 6);
	out->arch = h[8];
	out->flavour = h[9];
	uint16_t hlen = fw_le16(h + 10);
	out->nr_entries = fw_le16(h + 12);
	uint16_t vers = fw_le16(h + 14);
	out->features = fw_le32(h + 16);
	out->data_size = fw_le32(h + 20);

	/* A minor version only appends entries or feature bits (include/vmi.h),
	 * so any minor of our major is accepted; another major is not ours. */
	if (out->api_major != VMI_API_MAJOR)
		return refuse(out, "API major version is not 1");
	if (out->arch != arch)
		return refuse(out, out->arch == VMI_ARCH_I386 || out->arch == VMI_ARCH_X86_64
					   ? "ROM built for the other arch"
					   : "unknown arch code");
	/* The entry table must lie inside header_len, and header_len inside
	 * the ROM, before any entry is read from it. */
	if (out->nr_entries <= VMI_E_INIT)
		return refuse(out, "no entry table");
	if (hlen < VMI_HEADER_FIXED + 4u * out->nr_entries ||
	    VMI_HEADER_OFFSET + (uint32_t)hlen > out->size)
		return refuse(out,
			      "header length does not cover the entry table or leaves the ROM");
	if (out->data_size > VMI_DATA_MAX)
		return refuse(out, "per-CPU data size over 4 KiB");
	if (vers < VMI_HEADER_OFFSET || vers >= out->size)
		return refuse(out, "version string outside the ROM");
	/* Copied bounded and made printable: it is logged, and it comes from
	 * the ROM, not from us. */
	size_t n = 0;
	while (n < VMI_VERSION_MAX - 1 && vers + n < out->size && b[vers + n]) {
		char c = (char)b[vers + n];
		out->version[n++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	if (vers + n >= out->size || (n == VMI_VERSION_MAX - 1 && b[vers + n]))
		return refuse(out, "version string not terminated");

	/* Entries a newer minor appends are ignored; ours must point inside. */
	for (unsigned i = 0; i < out->nr_entries && i < VMI_NR_ENTRIES; i++) {
		uint32_t e = fw_le32(h + VMI_HEADER_FIXED + 4 * i);
		if (e && (e < VMI_HEADER_OFFSET + (uint32_t)hlen || e >= out->size))
			return refuse(out, "an entry point lies outside the ROM's code");
		out->entry[i] = e;
	}
	if (!out->entry[VMI_E_INIT])
		return refuse(out, "no init entry");
	out->why = "ok";
	return FW_OK;
}

int vmi_rom_scan(const struct fw_mem *m, uint8_t arch, struct vmi_rom *out)
{
	/* The first ROM that is VMI but unusable is kept to be reported, so a
	 * stale or wrong-arch ROM is visible rather than silently skipped. */
	struct vmi_rom refused = {.why = NULL};
	int rc = FW_ENOENT;

	/* Option ROMs start on 2 KiB boundaries in 0xC0000-0xDFFFF (the VGA
	 * BIOS first at 0xC0000); VMware's VMI ROM was found by the same scan. */

	for (uint64_t a = VMI_SCAN_START; a < VMI_SCAN_END; a += VMI_SCAN_STEP) {
		const uint8_t *p = fwmem_map(m, a, VMI_HEADER_OFFSET + VMI_HEADER_FIXED);
		if (!p || p[0] != VMI_ROM_SIG0 || p[1] != VMI_ROM_SIG1)
			continue;
		/* Read as much as the area and the accessor allow; the size byte
		 * is checked against it. */
		size_t len = VMI_SCAN_END - a;
		const void *rom = NULL;
		while (len >= VMI_ROM_BLOCK && !(rom = fwmem_map(m, a, len)))
			len -= VMI_ROM_BLOCK;
		if (!rom)
			continue;
		out->addr = a;
		int r = vmi_rom_check(rom, len, arch, out);
		if (r == FW_OK)
			return FW_OK;
		if (r == FW_EINVAL && rc == FW_ENOENT) {
			refused = *out;
			rc = FW_EINVAL;
		}
		/* Skip the rest of this ROM (other ROMs are whole 2 KiB units). */
		uint32_t size = p[2] * (uint32_t)VMI_ROM_BLOCK;
		if (size > VMI_SCAN_STEP)
			a += (size - 1) / VMI_SCAN_STEP * VMI_SCAN_STEP;
	}
	if (rc == FW_EINVAL)
		*out = refused;
	return rc;
}
