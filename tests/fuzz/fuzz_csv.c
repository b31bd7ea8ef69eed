/* fuzz_csv.c: libFuzzer entry for the CSV reader (src/model/csv.c) and what reads
 * through it: the `agree --table` loader (csv_read_ratings_mem) with the
 * agreement statistics it feeds (src/stats/), and the `rank --pairs` shape
 * (header a,b,winner[,left]) with the Bradley-Terry fit it feeds
 * (src/stats/bt.c). The pairs loader of cmd-rank.c is private to that
 * command, so the comparisons are built here with the same rules.
 *
 * The first input byte picks the reader flags and options; the rest is the
 * CSV text. Checks: every field is NUL-terminated at its length; the file
 * reader (64 KiB chunks; with bits 4 to 7 set the text is pushed across
 * a chunk boundary) gives the same records as the memory reader; a ratings table
 * holds finite numbers or in-range category indices with the categories
 * sorted; statistics never crash and report only finite numbers or NaN.
 * Built by tests/fuzz/run.sh; replayed by tests/fuzz/replay.c. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "stats/bt.h"
#include "model/csv.h"
#include "stats/stats.h"

#define CHUNK 65536
#define MAX_SYSTEMS 16   /* the fit is O(n^3) a step: keep executions fast */

/* every record of c as one flat string: fields joined by \x1f, records by \x1e */
static char *records(struct csv *c, int *rc_out, struct gs_err *e)
{
	size_t cap = 256, len = 0;
	char *s = malloc(cap);
	int rc;
	while ((rc = csv_next(c, e)) == 1) {
		size_t nf = csv_nfields(c);
		die_if(nf < 1 || csv_line(c) < 1);
		die_if(csv_field(c, nf)[0] != 0 || csv_field_len(c, nf) != 0);
		for (size_t i = 0; i < nf; i++) {
			const char *f = csv_field(c, i);
			size_t fl = csv_field_len(c, i);
			die_if(strlen(f) != fl);
			while (len + fl + 2 >= cap) s = realloc(s, cap *= 2);
			memcpy(s + len, f, fl);
			len += fl;
			s[len++] = i + 1 < nf ? '\x1f' : '\x1e';
		}
	}
	if (rc < 0) {
		die_if(e->code != EX_DATAERR || !e->msg[0]);
		check_msg(e->msg);
	}
	s[len] = 0;
	*rc_out = rc;
	return s;
}

/* the same text through the file reader, via a memfd */
static void file_vs_mem(const char *text, size_t len, int flags)
{
	int fd = memfd_create("fuzz_csv", 0);
	if (fd < 0) return;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct gs_err e1 = {0}, e2 = {0};
	struct csv *a = csv_open_mem("x.csv", text, len, flags);
	struct csv *b = csv_open(path, flags, &e2);
	if (b) {
		int r1, r2;
		char *s1 = records(a, &r1, &e1), *s2 = records(b, &r2, &e2);
		die_if(r1 != r2 || strcmp(s1, s2) != 0);
		if (r1 < 0) die_if(strcmp(strchr(e1.msg, ':'), strchr(e2.msg, ':')) != 0);
		free(s1);
		free(s2);
		csv_close(b);
	}
	csv_close(a);
	close(fd);
}

static void check_ratings(const struct csv_ratings *t, int opt)
{
	die_if(t->raters < 1);
	for (size_t i = 0; i < t->nvalue; i++) {
		die_if(!isfinite(t->value[i]));
		if (i) die_if(t->value[i - 1] >= t->value[i]);
		if (!t->numeric) die_if(t->value[i] != (double)i);
	}
	if (!t->numeric) die_if(t->ncat != t->nvalue);
	for (size_t i = 0; i < t->units * t->raters; i++) die_if(t->code[i] != CSV_MISSING && t->code[i] >= t->nvalue);
	for (size_t i = 1; i < t->ncat; i++) die_if(strcmp(t->cat[i - 1], t->cat[i]) >= 0);
	for (size_t i = 0; i < t->units; i++) die_if(!t->unit[i][0]);
	if (t->units * t->raters > 20000) return;
	struct st_data d = {.units = t->units, .raters = t->raters, .code = t->code,
			    .code_value = t->value, .ncode = t->nvalue};
	struct st_agree a;
	st_agree(&d, (enum st_level)(opt & 3), 7, (opt & 4) && t->units * t->raters <= 2000 ? 20 : 0, &a);
	die_if(a.notes.n > ST_NOTES_MAX);
	double stats[] = {a.alpha, a.percent_agreement, a.cohen_kappa, a.fleiss_kappa, a.weighted_kappa_linear};
	for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++) die_if(isinf(stats[i]));
	if (!isnan(a.percent_agreement)) die_if(a.percent_agreement < 0 || a.percent_agreement > 1 + 1e-9);
	/* the same table as plain doubles gives the same statistics */
	double *v = malloc((t->units * t->raters + 1) * sizeof *v);
	for (size_t i = 0; i < t->units * t->raters; i++) v[i] = st_cell(&d, i);
	struct st_data dv = {.units = t->units, .raters = t->raters, .v = v};
	struct st_agree b;
	st_agree(&dv, (enum st_level)(opt & 3), 7, 0, &b);
	die_if(!(a.alpha == b.alpha || (isnan(a.alpha) && isnan(b.alpha))) && fabs(a.alpha - b.alpha) > 1e-9);
	if (t->raters == 2 && t->nvalue <= 200) {
		double *vals;
		long *counts;
		size_t k = st_confusion(&d, 0, 1, &vals, &counts);
		long total = 0;
		for (size_t i = 0; i < k * k; i++) total += counts[i];
		die_if(total < 0 || (size_t)total > t->units);
		free(vals);
		free(counts);
	}
	free(v);
}

/* the rank --pairs shape: header a,b,winner[,left], then comparisons */
static void pairs(const char *text, size_t len, int opt)
{
	struct csv *c = csv_open_mem("p.csv", text, len, CSV_SKIP_BLANK | CSV_SAME_WIDTH);
	struct gs_err e;
	int col[4] = {-1, -1, -1, -1};
	static const char *const names[4] = {"a", "b", "winner", "left"};
	if (csv_next(c, &e) != 1) goto out;
	for (size_t i = 0; i < csv_nfields(c); i++)
		for (int k = 0; k < 4; k++)
			if (strcmp(csv_field(c, i), names[k]) == 0 && col[k] < 0) col[k] = (int)i;
	if (col[0] < 0 || col[1] < 0 || col[2] < 0) goto out;
	char *sys[MAX_SYSTEMS];
	size_t nsys = 0, n = 0, cap = 64;
	struct st_bt_cmp *cmp = malloc(cap * sizeof *cmp);
	while (csv_next(c, &e) == 1) {
		const char *a = csv_field(c, (size_t)col[0]), *b = csv_field(c, (size_t)col[1]);
		const char *w = csv_field(c, (size_t)col[2]);
		const char *l = col[3] >= 0 ? csv_field(c, (size_t)col[3]) : "";
		if (!*a || !*b || strcmp(a, b) == 0 || strcmp(a, "tie") == 0 || strcmp(b, "tie") == 0) break;
		if (strcmp(w, a) && strcmp(w, b) && strcmp(w, "tie")) break;
		uint32_t ix[2];
		const char *ab[2] = {a, b};
		for (int k = 0; k < 2; k++) {
			size_t j = 0;
			while (j < nsys && strcmp(sys[j], ab[k]) != 0) j++;
			if (j == nsys) {
				if (nsys == MAX_SYSTEMS) goto fit;
				sys[nsys++] = strdup(ab[k]);
			}
			ix[k] = (uint32_t)j;
		}
		if (n == cap) cmp = realloc(cmp, (cap *= 2) * sizeof *cmp);
		cmp[n].a = ix[0];
		cmp[n].b = ix[1];
		cmp[n].outcome = strcmp(w, "tie") == 0 ? ST_BT_TIE : strcmp(w, a) == 0 ? ST_BT_A_WINS : ST_BT_B_WINS;
		cmp[n].left = !*l ? ST_BT_LEFT_UNKNOWN : strcmp(l, a) == 0 ? ST_BT_LEFT_A : ST_BT_LEFT_B;
		n++;
	}
fit:;
	struct st_bt_opts o = {(opt & 8) && n <= 300 ? 10 : 0, 3};
	struct st_bt_result r;
	die_if(st_bt_fit(nsys, cmp, n, &o, &r) != 0);
	die_if(r.n != nsys || r.comparisons != n);
	for (size_t i = 0; i < nsys; i++) {
		die_if(isinf(r.sys[i].score) || isinf(r.sys[i].elo));
		die_if(r.sys[i].wins + r.sys[i].losses + r.sys[i].ties > (long)n);
		if (r.finite) die_if(isnan(r.sys[i].score));
	}
	st_bt_result_free(&r);
	for (size_t i = 0; i < nsys; i++) free(sys[i]);
	free(cmp);
out:
	csv_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	int opt = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	int flags = opt & 3;

	struct gs_err e = {0};
	int rc;
	struct csv *c = csv_open_mem("x.csv", text, len, flags);
	char *s = records(c, &rc, &e);
	free(s);
	csv_close(c);

	if ((opt & 0xf0) == 0xf0) {
		/* push the text across the reader's chunk boundary (one input in
		 * 16: it reads 64 KiB twice) */
		size_t pad = CHUNK - 1 - (len % 7);
		char *buf = malloc(pad + len);
		memset(buf, 'x', pad);
		for (size_t i = 63; i < pad; i += 64) buf[i] = (i / 64) % 3 ? '\n' : '\r';
		memcpy(buf + pad, text, len);
		file_vs_mem(buf, pad + len, flags);
		free(buf);
	} else {
		file_vs_mem(text, len, flags);
	}

	struct csv_ratings t;
	if (csv_read_ratings_mem("t.csv", text, len, &t, &e) == 0) {
		check_ratings(&t, opt >> 2);
		csv_ratings_free(&t);
	} else {
		die_if(e.code != EX_DATAERR || !e.msg[0]);
		check_msg(e.msg);
	}
	pairs(text, len, opt);
	return 0;
}
