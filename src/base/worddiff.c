/* worddiff.c: the word diff behind the pair screen's `d` highlight (see
 * worddiff.h). Tokens are compared by a 64-bit hash first, then by their
 * bytes; the common subsequence is found by Hirschberg's algorithm, which
 * needs two rows of counts however long the texts are. Pure: no I/O. */
#include "base/worddiff.h"
#include "base/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct lcs {
	const struct wd_tok *a, *b;
	uint64_t *ha, *hb;          /* token hashes */
	unsigned char *ka, *kb;     /* kept (in the common subsequence) */
	size_t *fw, *bw;            /* one row each, nb + 1 entries */
	size_t len;
};

static int eq(const struct lcs *c, size_t i, size_t j)
{
	const struct wd_tok *x = &c->a[i], *y = &c->b[j];
	return c->ha[i] == c->hb[j] && x->n == y->n && (x->n == 0 || memcmp(x->p, y->p, x->n) == 0);
}

static void keep(struct lcs *c, size_t i, size_t j)
{
	c->ka[i] = c->kb[j] = 1;
	c->len++;
}

/* row[j] = LCS length of a[a0, a1) and b[b0, b0 + j) */
static void forward_row(const struct lcs *c, size_t a0, size_t a1, size_t b0, size_t b1, size_t *row)
{
	size_t m = b1 - b0;
	memset(row, 0, (m + 1) * sizeof *row);
	for (size_t i = a0; i < a1; i++) {
		size_t diag = 0;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			if (eq(c, i, b0 + j - 1)) row[j] = diag + 1;
			else if (row[j - 1] > row[j]) row[j] = row[j - 1];
			diag = up;
		}
	}
}

/* row[j] = LCS length of a[a0, a1) and b[b0 + j, b1) */
static void backward_row(const struct lcs *c, size_t a0, size_t a1, size_t b0, size_t b1, size_t *row)
{
	size_t m = b1 - b0;
	memset(row, 0, (m + 1) * sizeof *row);
	for (size_t i = a1; i-- > a0;) {
		size_t diag = 0;
		for (size_t j = m; j-- > 0;) {
			size_t up = row[j];
			if (eq(c, i, b0 + j)) row[j] = diag + 1;
			else if (row[j + 1] > row[j]) row[j] = row[j + 1];
			diag = up;
		}
	}
}

/* where b splits so that a[a0, mid) and a[mid, a1) share the most with
 * the two halves of b */
static size_t best_split(struct lcs *c, size_t a0, size_t mid, size_t a1, size_t b0, size_t b1)
{
	forward_row(c, a0, mid, b0, b1, c->fw);
	backward_row(c, mid, a1, b0, b1, c->bw);
	size_t best = 0, at = 0;
	for (size_t j = 0; j <= b1 - b0; j++)
		if (c->fw[j] + c->bw[j] > best || j == 0) {
			best = c->fw[j] + c->bw[j];
			at = j;
		}
	return b0 + at;
}

static void hirschberg(struct lcs *c, size_t a0, size_t a1, size_t b0, size_t b1)
{
	while (a0 < a1 && b0 < b1 && eq(c, a0, b0)) keep(c, a0++, b0++);
	while (a0 < a1 && b0 < b1 && eq(c, a1 - 1, b1 - 1)) keep(c, --a1, --b1);
	if (a0 == a1 || b0 == b1) return;
	if (a1 - a0 == 1) {
		for (size_t j = b0; j < b1; j++)
			if (eq(c, a0, j)) {
				keep(c, a0, j);
				break;
			}
		return;
	}
	size_t mid = a0 + (a1 - a0) / 2;
	size_t split = best_split(c, a0, mid, a1, b0, b1);
	hirschberg(c, a0, mid, b0, split);
	hirschberg(c, mid, a1, split, b1);
}

static uint64_t *hashes(const struct wd_tok *t, size_t n)
{
	uint64_t *h = xmalloc((n ? n : 1) * sizeof *h);
	for (size_t i = 0; i < n; i++) h[i] = gs_hash64(t[i].p, t[i].n, 0);
	return h;
}

/* the common prefix and suffix only; 1 when a middle part is left */
static int trim_only(struct lcs *c, size_t na, size_t nb)
{
	size_t a0 = 0, b0 = 0, a1 = na, b1 = nb;
	while (a0 < a1 && b0 < b1 && eq(c, a0, b0)) keep(c, a0++, b0++);
	while (a0 < a1 && b0 < b1 && eq(c, a1 - 1, b1 - 1)) keep(c, --a1, --b1);
	return a0 < a1 && b0 < b1;
}

size_t wd_lcs(const struct wd_tok *a, size_t na, const struct wd_tok *b, size_t nb, unsigned char *keep_a,
	      unsigned char *keep_b)
{
	struct lcs c = {a, b, hashes(a, na), hashes(b, nb), keep_a, keep_b, NULL, NULL, 0};
	if (na) memset(keep_a, 0, na);
	if (nb) memset(keep_b, 0, nb);
	int too_big = 0;
	if ((unsigned long long)na * nb > WD_MAX_WORK) {
		too_big = trim_only(&c, na, nb);
	} else {
		c.fw = xmalloc((nb + 1) * sizeof *c.fw);
		c.bw = xmalloc((nb + 1) * sizeof *c.bw);
		hirschberg(&c, 0, na, 0, nb);
	}
	free(c.ha);
	free(c.hb);
	free(c.fw);
	free(c.bw);
	return too_big ? (size_t)-1 : c.len;
}

/* ---- cells to words ---- */

#define NORM 6   /* uint32 per cell: the code points, then the flags */

static int blank(const struct text_cell *c) { return c->cp[0] == ' ' && c->cp[1] == 0 && !c->flags; }

static int wordy(const struct text_cell *c)
{
	uint32_t u = c->cp[0];
	if (c->flags) return 0;
	if (u >= 0x80) return c->width == 1;   /* a wide character is a word of its own */
	return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_';
}

struct words {
	uint32_t *norm;        /* NORM per cell: a padding-free copy to compare */
	struct wd_tok *tok;
	size_t *first, *count; /* cells of each word */
	size_t n;
};

static void split_words(const struct text_cell *c, size_t n, struct words *w)
{
	w->norm = xcalloc((n ? n : 1) * NORM, sizeof *w->norm);
	w->tok = xmalloc((n ? n : 1) * sizeof *w->tok);
	w->first = xmalloc((n ? n : 1) * sizeof *w->first);
	w->count = xmalloc((n ? n : 1) * sizeof *w->count);
	w->n = 0;
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < TEXT_CELL_CPS && k < NORM - 1; k++) w->norm[i * NORM + k] = c[i].cp[k];
		w->norm[i * NORM + NORM - 1] = c[i].flags;
	}
	for (size_t i = 0; i < n;) {
		if (blank(&c[i])) {
			i++;
			continue;
		}
		size_t j = i + 1;
		if (wordy(&c[i]))
			while (j < n && wordy(&c[j])) j++;
		w->first[w->n] = i;
		w->count[w->n] = j - i;
		w->tok[w->n].p = w->norm + i * NORM;
		w->tok[w->n].n = (j - i) * NORM * sizeof *w->norm;
		w->n++;
		i = j;
	}
}

/* marks the cells of words not kept, and the blanks between two of them */
static void mark_changed(const struct words *w, const unsigned char *kept, size_t ncells, unsigned char *chg)
{
	if (ncells) memset(chg, 0, ncells);
	for (size_t t = 0; t < w->n; t++) {
		if (kept[t]) continue;
		memset(chg + w->first[t], 1, w->count[t]);
		if (t + 1 < w->n && !kept[t + 1]) {
			size_t end = w->first[t] + w->count[t];
			memset(chg + end, 1, w->first[t + 1] - end);
		}
	}
}

static void words_free(struct words *w)
{
	free(w->norm);
	free(w->tok);
	free(w->first);
	free(w->count);
}

int wd_cells(const struct text_cell *a, size_t na, const struct text_cell *b, size_t nb, unsigned char *chg_a,
	     unsigned char *chg_b)
{
	struct words wa, wb;
	split_words(a, na, &wa);
	split_words(b, nb, &wb);
	unsigned char *ka = xmalloc(wa.n + 1), *kb = xmalloc(wb.n + 1);
	size_t len = wd_lcs(wa.tok, wa.n, wb.tok, wb.n, ka, kb);
	mark_changed(&wa, ka, na, chg_a);
	mark_changed(&wb, kb, nb, chg_b);
	free(ka);
	free(kb);
	words_free(&wa);
	words_free(&wb);
	return len == (size_t)-1;
}
