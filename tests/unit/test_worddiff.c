/* test_worddiff.c: cmocka tests for src/base/worddiff.c, the word diff behind the
 * pair screen's `d` highlight: the longest common subsequence against a
 * plain dynamic-programming count on many random sequences (and that what
 * it keeps really is a common subsequence), which cells get marked for
 * words, punctuation, escaped forms, wide characters and spacing, and the
 * fallback for texts too big to search. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/util.h"
#include "base/worddiff.h"

/* ---- helpers ---- */

static struct wd_tok *toks_of(const char *s, size_t *n)
{
	*n = strlen(s);
	struct wd_tok *t = xmalloc((*n + 1) * sizeof *t);
	for (size_t i = 0; i < *n; i++) t[i] = (struct wd_tok){s + i, 1};
	return t;
}

/* LCS length by the textbook table */
static size_t dp_lcs(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	size_t *t = xcalloc((na + 1) * (nb + 1), sizeof *t);
	for (size_t i = 1; i <= na; i++)
		for (size_t j = 1; j <= nb; j++) {
			size_t up = t[(i - 1) * (nb + 1) + j], left = t[i * (nb + 1) + j - 1];
			t[i * (nb + 1) + j] = a[i - 1] == b[j - 1] ? t[(i - 1) * (nb + 1) + j - 1] + 1 : up > left ? up : left;
		}
	size_t r = t[na * (nb + 1) + nb];
	free(t);
	return r;
}

/* the kept tokens of a, in order (malloc'd) */
static char *kept(const char *a, const unsigned char *k)
{
	size_t n = strlen(a), m = 0;
	char *s = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		if (k[i]) s[m++] = a[i];
	s[m] = 0;
	return s;
}

static size_t lcs_str(const char *a, const char *b, char **ka, char **kb)
{
	size_t na, nb;
	struct wd_tok *ta = toks_of(a, &na), *tb = toks_of(b, &nb);
	unsigned char *ma = xmalloc(na + 1), *mb = xmalloc(nb + 1);
	size_t len = wd_lcs(ta, na, tb, nb, ma, mb);
	*ka = kept(a, ma);
	*kb = kept(b, mb);
	free(ta);
	free(tb);
	free(ma);
	free(mb);
	return len;
}

/* cells of a one-line text */
static struct text_cell *cells_of(const char *s, size_t *n)
{
	size_t len = strlen(s);
	struct text_cell *c = xcalloc(len * 12 + 1, sizeof *c);
	int used;
	*n = (size_t)text_line_cells(s, len, (int)(len * 12 + 1), c, &used);
	return c;
}

/* the diff as a string of '^' (changed) and ' ' per cell of each side */
static void diff_marks(const char *a, const char *b, char **ma, char **mb)
{
	size_t na, nb;
	struct text_cell *ca = cells_of(a, &na), *cb = cells_of(b, &nb);
	unsigned char *xa = xmalloc(na + 1), *xb = xmalloc(nb + 1);
	assert_int_equal(wd_cells(ca, na, cb, nb, xa, xb), 0);
	*ma = xcalloc(na + 1, 1);
	*mb = xcalloc(nb + 1, 1);
	for (size_t i = 0; i < na; i++) (*ma)[i] = xa[i] ? '^' : ' ';
	for (size_t i = 0; i < nb; i++) (*mb)[i] = xb[i] ? '^' : ' ';
	free(ca);
	free(cb);
	free(xa);
	free(xb);
}

static void expect_diff(const char *a, const char *b, const char *want_a, const char *want_b)
{
	char *ma, *mb;
	diff_marks(a, b, &ma, &mb);
	assert_string_equal(ma, want_a);
	assert_string_equal(mb, want_b);
	free(ma);
	free(mb);
}

/* ---- the common subsequence ---- */

static void lcs_small(void **state)
{
	(void)state;
	char *ka, *kb;
	assert_int_equal(lcs_str("abcd", "acde", &ka, &kb), 3);
	assert_string_equal(ka, "acd");
	assert_string_equal(kb, "acd");
	free(ka);
	free(kb);
	assert_int_equal(lcs_str("", "abc", &ka, &kb), 0);
	assert_string_equal(kb, "");
	free(ka);
	free(kb);
	assert_int_equal(lcs_str("abc", "abc", &ka, &kb), 3);
	free(ka);
	free(kb);
	assert_int_equal(lcs_str("abc", "xyz", &ka, &kb), 0);
	free(ka);
	free(kb);
	/* the classic example of Myers (1986): ABCABBA against CBABAC, D = 5 */
	assert_int_equal(lcs_str("ABCABBA", "CBABAC", &ka, &kb), 4);
	assert_string_equal(ka, kb);
	free(ka);
	free(kb);
}

/* random strings over small alphabets: the length matches the table and
 * the kept tokens of both sides spell the same subsequence */
static void lcs_random(void **state)
{
	(void)state;
	uint64_t x = 88172645463325252ULL;
	char a[80], b[80];
	for (int round = 0; round < 3000; round++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t na = x % 60, nb = (x >> 8) % 60, alpha = 2 + (x >> 16) % 5;
		for (size_t i = 0; i < na; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			a[i] = (char)('a' + x % alpha);
		}
		for (size_t i = 0; i < nb; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			b[i] = (char)('a' + x % alpha);
		}
		a[na] = b[nb] = 0;
		char *ka, *kb;
		size_t len = lcs_str(a, b, &ka, &kb);
		assert_int_equal(len, dp_lcs(a, b));
		assert_string_equal(ka, kb);
		assert_int_equal(strlen(ka), len);
		free(ka);
		free(kb);
	}
}

/* tokens of different lengths and bytes that hash alike are never equal */
static void lcs_compares_bytes(void **state)
{
	(void)state;
	struct wd_tok a[] = {{"ab", 2}, {"c", 1}, {"", 0}}, b[] = {{"a", 1}, {"bc", 2}, {"", 0}};
	unsigned char ka[3], kb[3];
	assert_int_equal(wd_lcs(a, 3, b, 3, ka, kb), 1);
	assert_int_equal(ka[0] + ka[1], 0);
	assert_int_equal(ka[2], 1);
}

/* above the work limit only the common ends are kept, and it says so */
static void lcs_too_big(void **state)
{
	(void)state;
	size_t n = 7000;   /* 7000 * 7000 > WD_MAX_WORK */
	struct wd_tok *a = xmalloc(n * sizeof *a), *b = xmalloc(n * sizeof *b);
	static const char ab[] = "ab";
	for (size_t i = 0; i < n; i++) {
		a[i] = (struct wd_tok){ab + (i % 2), 1};
		b[i] = (struct wd_tok){ab + ((i / 3) % 2), 1};
	}
	b[0] = a[0];
	unsigned char *ka = xmalloc(n), *kb = xmalloc(n);
	assert_true(wd_lcs(a, n, b, n, ka, kb) == (size_t)-1);
	assert_int_equal(ka[0], 1);
	assert_int_equal(kb[0], 1);
	free(a);
	free(b);
	free(ka);
	free(kb);
}

/* ---- words on cells ---- */

static void words_changed(void **state)
{
	(void)state;
	expect_diff("Go to Settings and click Save", "Go to Settings then click Save.",
		    "               ^^^           ",
		    "               ^^^^           ^");
	/* numbers inside words: only the word that differs */
	expect_diff("due in 30 days", "due in 14 days", "       ^^     ", "       ^^     ");
	/* the same text: nothing; an empty side: everything on the other */
	expect_diff("a b c", "a b c", "     ", "     ");
	expect_diff("", "new text", "", "^^^^^^^^");
	/* a changed phrase reads as one; a kept word between breaks it */
	expect_diff("the old  red car", "the new blue car", "    ^^^^^^^^    ", "    ^^^^^^^^    ");
	expect_diff("x a b y", "x b y", "  ^    ", "     ");
}

static void spacing_is_not_a_difference(void **state)
{
	(void)state;
	expect_diff("one  two   three", "one two three", "                ", "             ");
}

static void punctuation_apart(void **state)
{
	(void)state;
	expect_diff("Yes, it works.", "Yes it works!", "   ^         ^", "            ^");
}

/* an escaped form differs from the same characters typed */
static void escapes_marked(void **state)
{
	(void)state;
	expect_diff("a \x1b b", "a ^[ b", "  ^^  ", "  ^^  ");
	expect_diff("x\x1b[31my", "x[31my", " ^^     ", "      ");
}

/* a wide character is a word of its own; accented letters join words */
static void wide_and_accents(void **state)
{
	(void)state;
	char *ma, *mb;
	diff_marks("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe8\xaa\x9e", &ma, &mb);   /* 日本 vs 日語 */
	assert_string_equal(ma, " ^");
	assert_string_equal(mb, " ^");
	free(ma);
	free(mb);
	expect_diff("caf\xc3\xa9 ok", "cafe ok", "^^^^   ", "^^^^   ");
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8")) return 77;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lcs_small),
		cmocka_unit_test(lcs_random),
		cmocka_unit_test(lcs_compares_bytes),
		cmocka_unit_test(lcs_too_big),
		cmocka_unit_test(words_changed),
		cmocka_unit_test(spacing_is_not_a_difference),
		cmocka_unit_test(punctuation_apart),
		cmocka_unit_test(escapes_marked),
		cmocka_unit_test(wide_and_accents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
