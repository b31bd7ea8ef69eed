/* fuzz_merge.c: libFuzzer entry for the merge rule of the files a team
 * shares (src/model/lwwmerge.c: lww_merge, lww_is_shared), which `goldset pull`
 * and the git merge driver run on two versions of a file that arrived from
 * teammates.  The input is the file's path in the workspace on its first
 * line (e.g. labels/qa/alice.jsonl), then two or three versions of that
 * file separated by lines "%%".  For every input:
 *   - no crash, leak or undefined behaviour, whatever the bytes;
 *   - a path that is not a shared file is EX_SOFTWARE; a version with a bad
 *     line is EX_DATAERR with a one-line message free of raw controls, and
 *     the merge of A and B fails exactly when A or B alone fails;
 *   - commutative: merge(A,B) == merge(B,A), byte for byte;
 *   - idempotent: merge(A,A) == merge(A,""), and merge(M,M) == M, M being
 *     merge(A,B); absorbing: merge(M,A) == M;
 *   - associative: merge(merge(A,B),C) == merge(A,merge(B,C));
 *   - every line of a result is a line of an input (CRs at its end and a
 *     BOM removed),
 *     and the result has no more lines than the inputs.
 * Built by tests/fuzz/run.sh; replayed by tests/fuzz/replay.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/lwwmerge.h"

struct part { char *p; size_t n; };   /* an exactly sized copy (no NUL) */

static struct part copy_of(const char *p, size_t n)
{
	struct part c = {malloc(n ? n : 1), n};
	memcpy(c.p, p, n);
	return c;
}

/* the merge of a and b into *out (malloc'd, exactly sized); the exit code */
static int merge2(const char *rel, struct part a, struct part b, struct part *out)
{
	struct sbuf sb = {0};
	struct gs_err e = {0};
	int rc = lww_merge(rel, a.p, a.n, b.p, b.n, &sb, &e);
	if (rc) {
		die_if(rc != EX_DATAERR && rc != EX_SOFTWARE);
		die_if(e.code != rc);
		if (!fuzz_unsafe_text(rel)) check_msg(e.msg);
		*out = copy_of("", 0);
	} else {
		*out = copy_of(sb.len ? sb.p : "", sb.len);
	}
	sb_free(&sb);
	return rc;
}

static int same(struct part a, struct part b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* 1 when line (len n) is one of the lines of v, as the merge reads them */
static int has_line(struct part v, const char *line, size_t n)
{
	const char *p = v.p, *end = v.p + v.n;
	if (v.n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end;
		size_t k = (size_t)(stop - p);
		while (k && p[k - 1] == '\r') k--;
		if (k == n && memcmp(p, line, n) == 0) return 1;
		p = stop + 1;
	}
	return 0;
}

static size_t count_lines(struct part v)
{
	size_t k = 0;
	for (size_t i = 0; i < v.n; i++) k += v.p[i] == '\n';
	return k + (v.n && v.p[v.n - 1] != '\n');
}

/* every line of m comes from a or b, and m has no more lines than both */
static void lines_from(struct part m, struct part a, struct part b)
{
	die_if(m.n && m.p[m.n - 1] != '\n');
	die_if(count_lines(m) > count_lines(a) + count_lines(b));
	const char *p = m.p, *end = m.p + m.n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)(nl - p);
		die_if(n == 0);
		die_if(!has_line(a, p, n) && !has_line(b, p, n));
		p = nl + 1;
	}
}

/* the laws of two versions; returns merge(a,b) in *ab (its code: return) */
static int check_pair(const char *rel, struct part a, struct part b, struct part *ab)
{
	struct part ba, none = copy_of("", 0);
	int rab = merge2(rel, a, b, ab), rba = merge2(rel, b, a, &ba);
	die_if(rab != rba);
	die_if(!same(*ab, ba));
	struct part t;
	int ra = merge2(rel, a, none, &t);
	free(t.p);
	int rb = merge2(rel, b, none, &t);
	free(t.p);
	die_if((rab == 0) != (ra == 0 && rb == 0));
	die_if(lww_is_shared(rel) != (rab != EX_SOFTWARE));
	if (rab == 0) {
		lines_from(*ab, a, b);
		struct part mm, ma;
		die_if(merge2(rel, *ab, *ab, &mm) != 0);
		die_if(!same(mm, *ab));                     /* idempotent */
		die_if(merge2(rel, *ab, a, &ma) != 0);
		die_if(!same(ma, *ab));                     /* absorbing */
		free(mm.p);
		free(ma.p);
		struct part aa, a0;
		die_if(merge2(rel, a, a, &aa) != 0 || merge2(rel, a, none, &a0) != 0);
		die_if(!same(aa, a0));
		free(aa.p);
		free(a0.p);
	}
	free(ba.p);
	free(none.p);
	return rab;
}

static void check_three(const char *rel, struct part a, struct part b, struct part c, struct part ab)
{
	struct part bc, ab_c, a_bc;
	if (merge2(rel, b, c, &bc) != 0) {
		free(bc.p);
		return;
	}
	int r1 = merge2(rel, ab, c, &ab_c), r2 = merge2(rel, a, bc, &a_bc);
	die_if(r1 != r2);
	die_if(!same(ab_c, a_bc));                          /* associative */
	free(bc.p);
	free(ab_c.p);
	free(a_bc.p);
}

/* splits [p, end) at lines "%%" into at most 3 parts; the count */
static int split(const char *p, const char *end, struct part v[3])
{
	int k = 0;
	const char *start = p;
	while (k < 2) {
		const char *q = start;
		const char *sep = NULL;
		while (q < end) {
			const char *nl = memchr(q, '\n', (size_t)(end - q)), *stop = nl ? nl : end;
			if (stop - q == 2 && q[0] == '%' && q[1] == '%') { sep = q; break; }
			q = stop + 1;
		}
		if (!sep) break;
		v[k++] = copy_of(start, (size_t)(sep - start));
		start = sep + 2 < end ? sep + 3 : end;
	}
	v[k++] = copy_of(start, start < end ? (size_t)(end - start) : 0);
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	const char *nl = memchr(p, '\n', size);
	if (!nl) return 0;
	char *rel = malloc((size_t)(nl - p) + 1);
	memcpy(rel, p, (size_t)(nl - p));
	rel[nl - p] = 0;
	struct part v[3];
	int k = split(nl + 1, end, v);
	if (k == 1) v[k++] = copy_of("", 0);
	struct part ab;
	if (check_pair(rel, v[0], v[1], &ab) == 0 && k == 3) check_three(rel, v[0], v[1], v[2], ab);
	free(ab.p);
	for (int i = 0; i < k; i++) free(v[i].p);
	free(rel);
	return 0;
}
