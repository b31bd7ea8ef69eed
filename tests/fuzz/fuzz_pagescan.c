/* fuzz_pagescan.c: libFuzzer entry for src/store/pagescan.c, which decodes the
 * pages of a damaged SQLite file for `goldset init --rebuild`: every byte of
 * it is untrusted. The first input byte picks the page size (0: from the
 * header, else 512 << (byte % 8)); the rest is the file. Checks: nothing is
 * read outside the input (ASan), every record has at most 64 values, texts
 * and blobs have a length the input could hold, and the counts add up.
 * Built by tests/fuzz/run.sh; replayed by tests/fuzz/replay.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "store/pagescan.h"

struct seen { size_t len; long long records; };

static int each(void *ctx, long long rowid, const struct ps_value *v, int n)
{
	struct seen *s = ctx;
	(void)rowid;
	die_if(n < 0 || n > 64);
	for (int i = 0; i < n; i++) {
		die_if(v[i].type != PS_NULL && v[i].type != PS_INT && v[i].type != PS_REAL && v[i].type != PS_TEXT &&
		       v[i].type != PS_BLOB);
		if (v[i].type == PS_TEXT || v[i].type == PS_BLOB) {
			die_if(v[i].n > (size_t)1 << 30);
			volatile char sum = 0;
			for (size_t k = 0; k < v[i].n; k++) sum ^= v[i].p[k];   /* ASan: the bytes are there */
			(void)sum;
		}
	}
	s->records++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	size_t page = data[0] == 0 ? 0 : (size_t)512 << (data[0] % 8);
	struct seen s = {size - 1, 0};
	struct ps_counts c;
	int rc = pagescan_buffer(data + 1, size - 1, page, each, &s, &c);
	die_if(rc != 0);
	die_if(c.records != s.records || c.leaves > c.pages);
	return 0;
}
