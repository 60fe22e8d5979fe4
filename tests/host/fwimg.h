/* SPDX-License-Identifier: MIT */
/*
 * Captured firmware memory images (tests/data/fw/NAME.fwimg, format in
 * tests/data/fw/README.md) as a fw_mem, for the firmware reader tests.
 * Images are loaded into writable memory so a test can corrupt a copy;
 * a "hole" makes the accessor refuse a range, to stand for unreadable
 * memory in the middle of a table.
 */
#ifndef TESTS_HOST_FWIMG_H
#define TESTS_HOST_FWIMG_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <firmware/fwmem.h>

#define FWIMG_MAX_CHUNKS 16

struct fwimg_chunk {
	uint64_t base;
	size_t size;
	uint8_t *data;
};

struct fwimg {
	unsigned int n;
	struct fwimg_chunk chunk[FWIMG_MAX_CHUNKS];
	uint64_t hole_lo, hole_hi; /* map() refuses anything touching [lo, hi) */
	struct fw_mem mem;
};

static inline const void *fwimg_map(void *ctx, uint64_t pa, size_t len)
{
	const struct fwimg *img = ctx;
	unsigned int i;

	if (pa + len < pa)
		return NULL;
	if (img->hole_hi > img->hole_lo && pa < img->hole_hi && pa + len > img->hole_lo)
		return NULL;
	for (i = 0; i < img->n; i++) {
		const struct fwimg_chunk *c = &img->chunk[i];

		if (pa >= c->base && pa - c->base <= c->size && len <= c->size - (pa - c->base))
			return c->data + (pa - c->base);
	}
	return NULL;
}

static inline uint64_t fwimg_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static inline void fwimg_free(struct fwimg *img)
{
	unsigned int i;

	for (i = 0; i < img->n; i++)
		free(img->chunk[i].data);
	memset(img, 0, sizeof(*img));
}

/* Load DIR/NAME.fwimg; 0 on success, else -1 with a message on stderr. */
static inline int fwimg_load(struct fwimg *img, const char *dir, const char *name)
{
	char path[512];
	uint8_t hdr[16], ent[16];
	unsigned int i;
	FILE *f;

	memset(img, 0, sizeof(*img));
	img->mem.map = fwimg_map;
	img->mem.ctx = img;
	snprintf(path, sizeof(path), "%s/%s.fwimg", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	if (fread(hdr, 1, 16, f) != 16 || memcmp(hdr, "FWIMAGE1", 8) ||
	    fwimg_le(hdr + 8, 4) > FWIMG_MAX_CHUNKS)
		goto bad;
	img->n = (unsigned int)fwimg_le(hdr + 8, 4);
	for (i = 0; i < img->n; i++) {
		if (fread(ent, 1, 16, f) != 16)
			goto bad;
		img->chunk[i].base = fwimg_le(ent, 8);
		img->chunk[i].size = (size_t)fwimg_le(ent + 8, 8);
		if (img->chunk[i].size > (64u << 20))
			goto bad;
	}
	for (i = 0; i < img->n; i++) {
		img->chunk[i].data = malloc(img->chunk[i].size ? img->chunk[i].size : 1);
		if (!img->chunk[i].data ||
		    fread(img->chunk[i].data, 1, img->chunk[i].size, f) != img->chunk[i].size)
			goto bad;
	}
	fclose(f);
	return 0;
bad:
	fprintf(stderr, "%s: not a valid fwimg\n", path);
	fclose(f);
	fwimg_free(img);
	return -1;
}

/* Writable bytes of the image at pa, or NULL (tests corrupt tables through this). */
static inline uint8_t *fwimg_ptr(struct fwimg *img, uint64_t pa, size_t len)
{
	return (uint8_t *)fwimg_map(img, pa, len);
}

/* Set p[sum_off] so that the len bytes at p sum to zero. */
static inline void fwimg_fix_sum(uint8_t *p, size_t len, size_t sum_off)
{
	p[sum_off] = 0;
	p[sum_off] = (uint8_t)(0x100 - fw_sum8(p, len));
}

/*
 * Whether every captured image is there: the tests that edit images need
 * them, and say so once instead of failing on each missing table.
 */
static inline bool fwimg_all_present(const char *dir)
{
	static const char *const names[] = {
		"qemu-isapc",	"qemu-pc",	   "qemu-pc-noacpi", "qemu-q35",
		"qemu-q35-ibm", "qemu-pc-smbios3", "qemu-microvm",   "qemu-microvm-noacpi",
		"bochs-i440fx", "bochs-i430fx",
	};
	struct fwimg img;
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (fwimg_load(&img, dir, names[i])) {
			fprintf(stdout,
				"%s: captured images missing (run from the repository root, "
				"pass the directory or set FW_DATA_DIR)\n",
				dir);
			return false;
		}
		fwimg_free(&img);
	}
	return true;
}

/* Test data directory: argv[1], else $FW_DATA_DIR, else tests/data/fw. */
static inline const char *fwimg_dir(int argc, char **argv)
{
	const char *env = getenv("FW_DATA_DIR");

	if (argc > 1)
		return argv[1];
	return env && *env ? env : "tests/data/fw";
}

#endif
