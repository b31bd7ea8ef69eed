/* test_table.c: cmocka tests for src/report/table.c and fit.c, the layout
 * of every text report: columns as wide as their widest cell, a name cut
 * with "…" to its minimum, low-priority columns stacked under their row,
 * no line wider than the width (CJK counting two columns, colour sequences
 * none), long prose lines broken at spaces with nothing lost. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fit.h"
#include "report/table.h"

/* what f printed (rewound and read whole; malloc'd) */
static char *slurp(FILE *f)
{
	fflush(f);
	long n = ftell(f);
	rewind(f);
	char *s = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

static int widest(const char *s)
{
	int w = 0;
	while (*s) {
		size_t n = strcspn(s, "\n");
		int x = fit_line_width(s, n);
		if (x > w) w = x;
		s += n + (s[n] == '\n');
	}
	return w;
}

static struct tb *sample(void)
{
	struct tb *t = tb_new(2, 2);
	tb_col(t, "criterion", TB_CUT, 9, 12);
	tb_col(t, "units", TB_RIGHT, 8, 0);
	tb_col(t, "alpha", TB_RIGHT, 7, 0);
	tb_col(t, "reading", TB_LEFT, 1, 0);
	tb_row(t);
	tb_cell(t, "factual_correctness_of_every_claim");
	tb_cellf(t, "%d", 12);
	tb_cell(t, "0.830");
	tb_cell(t, "reliable; rubric too vague (kappa < 0.6)");
	tb_row(t);
	tb_cell(t, "丁寧さと分かりやすさ");
	tb_cell(t, "9");
	tb_cell(t, "n/a");
	tb_cell(t, "undefined: see notes");
	return t;
}

static char *render(struct tb *t, int width)
{
	FILE *f = tmpfile();
	tb_print(t, f, width, 1);
	return slurp(f);
}

static void t_wide_enough(void **state)
{
	(void)state;
	struct tb *t = sample();
	char *s = render(t, 200);
	/* 2 + 34 + 2 + 5 + 2 + 5 + 2 + 40 = 92: nothing cut, nothing stacked */
	assert_int_equal(widest(s), 92);
	assert_non_null(strstr(s, "  factual_correctness_of_every_claim     12  0.830  reliable;"));
	assert_non_null(strstr(s, "  丁寧さと分かりやすさ"));
	assert_null(strstr(s, "reading:"));
	assert_null(strstr(s, " \n"));
	free(s);
	tb_free(t);
}

static void t_cut_then_stack(void **state)
{
	(void)state;
	struct tb *t = sample();
	char *s = render(t, 80);   /* 92: the name gives 12 (34 -> 22) */
	assert_true(widest(s) <= 80);
	assert_non_null(strstr(s, "factual_correctness_o…     12"));
	assert_null(strstr(s, "reading:"));
	free(s);
	s = render(t, 40);         /* the reading goes under its row, then the name gives 10 (34 -> 24) */
	assert_true(widest(s) <= 40);
	/* the stacked line is broken at a space too */
	assert_non_null(strstr(s, "\n      reading: reliable; rubric too\n        vague (kappa < 0.6)\n"));
	assert_non_null(strstr(s, "  factual_correctness_of_…     12  0.830\n"));
	free(s);
	/* at 30 the name is 14 wide: a wide character is never split, so
	 * 丁寧さと分か (12 columns), … the 13th and a space */
	s = render(t, 30);
	assert_true(widest(s) <= 30);
	assert_non_null(strstr(s, "  丁寧さと分か…       9    n/a\n"));
	free(s);
	tb_free(t);
}

static void t_prose_wrapped(void **state)
{
	(void)state;
	const char *in = "    - \033[31mone\033[0m two three four five six seven eight nine ten eleven twelve\nshort\n";
	FILE *i = tmpfile(), *o = tmpfile();
	fputs(in, i);
	rewind(i);
	fit_copy(i, o, 30);
	fclose(i);
	char *s = slurp(o);
	assert_true(widest(s) <= 30);
	assert_string_equal(s, "    - \033[31mone\033[0m two three four five\n"
			       "      six seven eight nine ten\n      eleven twelve\nshort\n");
	free(s);
}

static void t_cell_cut(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	fit_cell(f, "abcdef", 4, 0);
	fputc('|', f);
	fit_cell(f, "ab", 4, 1);
	fputc('|', f);
	fit_cell(f, "日本語", 4, 0);
	fputc('|', f);
	/* an emoji ZWJ sequence is one glyph of two columns: kept whole or cut whole */
	fit_cell(f, "\U0001F468\u200D\U0001F469\u200D\U0001F467xy", 3, 0);
	fputc('|', f);
	fit_cell(f, "\U0001F468\u200D\U0001F469\u200D\U0001F467xy", 2, 0);
	char *s = slurp(f);
	assert_string_equal(s, "abc…|  ab|日… |\U0001F468\u200D\U0001F469\u200D\U0001F467…|… ");
	assert_int_equal(fit_line_width("\U0001F468\u200D\U0001F469\u200D\U0001F467", strlen("\U0001F468\u200D\U0001F469\u200D\U0001F467")), 2);
	free(s);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8")) return 77;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_wide_enough),
		cmocka_unit_test(t_cut_then_stack),
		cmocka_unit_test(t_prose_wrapped),
		cmocka_unit_test(t_cell_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
