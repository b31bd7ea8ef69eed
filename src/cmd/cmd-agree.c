/* cmd-agree.c: `goldset agree`, how well raters agree (the math is
 * src/stats/, see stats.h).
 *
 *   goldset agree --table FILE.csv [--level L] [--json] [--seed S] [--bootstrap N]
 *                 [--min-kappa X] [--min-alpha X]
 *   goldset agree [--rubric R] [--criterion C] [--raters A,B,...] [--judge judge:NAME]
 *                 [--by KEY] [--level L] [--at REV] ...
 *
 * Table mode reads the CSV (csv_read_ratings), computes one struct st_agree
 * and prints it: a single JSON object with the contract's fields, or a table that
 * says what the numbers mean. Workspace mode loads one table per rubric
 * (agreerows.h: from the store, or with --at from the label files of a git
 * revision through revision.c), turns each into rows (rubric x criterion x
 * slice; with --judge the judge against the human majority), prints them as
 * a JSON array (ar_row_json) or as text (agreeview.h), and checks the gates:
 * every row's kappa (ar_kappa_field: one rule, named in words; the
 * verdict's for a judge) and alpha; an undefined value fails a gate, and so
 * does a row with fewer than --min-units items unless --allow-small. */
#include "app/agreerows.h"
#include "report/agreeview.h"
#include "report/report_judge.h"
#include "report/judgesview.h"
#include "cmd/cmd.h"
#include "model/csv.h"
#include "base/jsonout.h"
#include "app/revision.h"
#include "stats/stats.h"
#include "base/text.h"
#include "base/util.h"
#include "app/ws.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define AGREE_DEFAULT_SEED 1
#define AGREE_MAX_BOOTSTRAP 1000000
#define AGREE_CONFUSION_MAX 12   /* print the confusion matrix up to this many values */

struct agree_opts {
	const char *table;          /* --table FILE: table mode */
	const char *level;          /* --level, or NULL: by the data */
	int json;
	uint64_t seed;
	unsigned bootstrap;
	double min_kappa, min_alpha;   /* NaN: no gate */
	size_t min_units;           /* fewer units: "too few items", and the kappa gate fails */
	int allow_small;            /* --allow-small: the gate judges such rows anyway */
	/* workspace mode */
	const char *rubric, *criterion, *raters, *by, *judge, *at;
};

/* ---------- options ---------- */

static int parse_number_opts(const char *name, const char *v, struct agree_opts *o)
{
	long n;
	double x;
	char *end;
	if (strcmp(name, "--seed") == 0) {
		o->seed = strtoull(v, &end, 10);
		return *v && *end == '\0' && *v != '-' ? 0 : -1;
	}
	if (strcmp(name, "--bootstrap") == 0) {
		if (parse_long(v, &n) || n < 0 || n > AGREE_MAX_BOOTSTRAP) return -1;
		o->bootstrap = (unsigned)n;
		return 0;
	}
	if (strcmp(name, "--min-units") == 0) {
		if (parse_long(v, &n) || n < 0) return -1;
		o->min_units = (size_t)n;
		return 0;
	}
	if (parse_double(v, &x) || isinf(x)) return -1;
	if (strcmp(name, "--min-kappa") == 0) o->min_kappa = x;
	else o->min_alpha = x;
	return 0;
}

static int agree_args(const struct cmd_args *a, struct agree_opts *o)
{
	static const char *const numeric[] = {"--seed", "--bootstrap", "--min-kappa", "--min-alpha", "--min-units"};
	const char *v;
	o->table = args_get(a, "table");
	o->level = args_get(a, "level");
	o->rubric = args_get(a, "rubric");
	o->criterion = args_get(a, "criterion");
	o->raters = args_get(a, "raters");
	o->by = args_get(a, "by");
	o->judge = args_get(a, "judge");
	o->at = args_get(a, "at");
	o->json = args_has(a, "json");
	o->allow_small = args_has(a, "allow-small");
	for (size_t k = 0; k < ARRAY_LEN(numeric); k++)
		for (size_t i = 0; (v = args_nth(a, numeric[k] + 2, i)); i++)
			if (parse_number_opts(numeric[k], v, o))
				return cmd_usage(&cmd_agree, "%s: not a valid number: %s", numeric[k], v);
	enum st_level lv;
	if (o->judge && judges_is_glob(o->judge) && (o->by || o->raters || o->table || args_has(a, "min-kappa")
						       || args_has(a, "min-alpha")))
		return cmd_usage(&cmd_agree, "--judge with a glob compares judge versions; it does not go with "
				 "--by, --raters, --table or the gates (name one judge for those)");
	if (o->level && st_level_parse(o->level, &lv))
		return cmd_usage(&cmd_agree, "--level must be nominal, ordinal, interval or ratio (not %s)", o->level);
	return 0;
}

/* ---------- output shared by both modes ---------- */

static const char *alpha_reading(double a)
{
	if (isnan(a)) return "";
	if (a >= 0.8) return "reliable (>= 0.8)";
	if (a >= 0.667) return "tentative (0.667 - 0.8): draw conclusions with care";
	return "not reliable (< 0.667)";
}

/* what kappa means, by the documented thresholds (at least 0.6: the rubric
 * is clear enough between humans; at least 0.5: a judge can be deployed) */
static const char *kappa_reading(double k)
{
	if (isnan(k)) return "";
	if (ar_at_least(k, 0.8)) return "strong (>= 0.8)";
	if (ar_at_least(k, AR_HUMAN_KAPPA_OK)) return "humans: rubric clear enough (>= 0.6); a judge: deploy";
	if (ar_at_least(k, AR_JUDGE_DEPLOY)) return "humans: rubric too vague (< 0.6); a judge: deploy (>= 0.5)";
	return "humans: rubric too vague (< 0.6); a judge: do not deploy (< 0.5)";
}

static void print_stat(FILE *f, const char *name, double v, int percent, const char *ci, const char *reading)
{
	char num[32];
	if (isnan(v)) {
		snprintf(num, sizeof num, "n/a");
		reading = "(see notes)";
	}
	else if (percent) snprintf(num, sizeof num, "%.1f%%", 100 * v);
	else snprintf(num, sizeof num, "%.3f", v);
	fprintf(f, "  %-27s %8s  %-17s %s\n", name, num, ci, reading);
}

static void fmt_ci(char *out, size_t n, double lo, double hi)
{
	if (isnan(lo) || isnan(hi)) snprintf(out, n, "%s", "");
	else snprintf(out, n, "[%.3f, %.3f]", lo, hi);
}

static void fmt_se(char *out, size_t n, double se)
{
	if (isnan(se)) snprintf(out, n, "SE undefined");
	else snprintf(out, n, "SE %.4f", se);
}

static void print_paradox(FILE *f, const struct st_agree *a, size_t min_units)
{
	char se[32], line[256];
	fmt_se(se, sizeof se, a->gwet_ac1_se);
	print_stat(f, "Gwet's AC1", a->gwet_ac1, 0, se, isnan(a->gwet_ac1) ? "" : "chance-corrected, not thrown by prevalence");
	fmt_se(se, sizeof se, a->gwet_ac2_se);
	if (a->level != ST_NOMINAL) print_stat(f, "Gwet's AC2 (linear weights)", a->gwet_ac2, 0, se, "");
	print_stat(f, "PABAK", a->pabak, 0, "", isnan(a->pabak) ? "" : "kappa as if the values were balanced");
	print_stat(f, "prevalence index", a->prevalence_index, 0, "", "");
	print_stat(f, "bias index", a->bias_index, 0, "", "");
	const char *field = ar_kappa_field(a);
	size_t have = ar_kappa_units(a, field);
	if (ar_paradox(a, ar_kappa_value(a, field), line, sizeof line)) fprintf(f, "\n! %s\n", line);
	if (have < min_units && !isnan(ar_kappa_value(a, field))) {
		ar_too_few_text(have, min_units, ar_units_for_ci(a), line, sizeof line);
		fprintf(f, "\n! %s: no verdict yet\n", line);
	}
}

static void agree_print(FILE *f, const struct st_agree *a, size_t min_units)
{
	char ci[64], se[48];
	int small = ar_kappa_units(a, ar_kappa_field(a)) < min_units;
	const char *few = "too few items: no verdict (see below)";
	fprintf(f, "  %-27s %8s  %-17s %s\n", "statistic", "value", "95% CI", "reading");
	fmt_ci(ci, sizeof ci, a->alpha_lo, a->alpha_hi);
	print_stat(f, "Krippendorff's alpha", a->alpha, 0, ci, alpha_reading(a->alpha));
	print_stat(f, "percent agreement", a->percent_agreement, 1, "", isnan(a->percent_agreement) ? ""
		: "pairs of ratings of a unit that are equal (not chance-corrected)");
	fmt_ci(ci, sizeof ci, a->cohen_kappa_lo, a->cohen_kappa_hi);
	print_stat(f, "kappa (unweighted)", a->cohen_kappa, 0, ci, small ? few : kappa_reading(a->cohen_kappa));
	fmt_ci(ci, sizeof ci, a->weighted_linear_lo, a->weighted_linear_hi);
	print_stat(f, "kappa (linear weights)", a->weighted_kappa_linear, 0, ci,
		isnan(a->weighted_kappa_linear) ? "" : small ? few : kappa_reading(a->weighted_kappa_linear));
	fmt_ci(ci, sizeof ci, a->weighted_quadratic_lo, a->weighted_quadratic_hi);
	print_stat(f, "kappa (quadratic weights)", a->weighted_kappa_quadratic, 0, ci, "");
	print_stat(f, "Fleiss' kappa (unweighted)", a->fleiss_kappa, 0, "", isnan(a->fleiss_kappa) ? ""
		: "chance-corrected, units every rater rated");
	print_paradox(f, a, min_units);
	fprintf(f, "\nHow to read it: alpha >= 0.8 is reliable, >= 0.667 tentative, lower is not.\n"
		   "Kappa of at least 0.6 between two humans: the rubric is clear enough; below it the rubric is too vague;\n"
		   "an LLM judge needs at least 0.5 against the humans to be deployed.\n");
	if (isnan(a->cohen_kappa_se)) snprintf(se, sizeof se, "undefined (see notes)");
	else snprintf(se, sizeof se, "%.4f", a->cohen_kappa_se);
	if (!isnan(a->cohen_kappa))
		fprintf(f, "kappa (unweighted): standard error %s (Fleiss, Cohen & Everitt 1969) on %zu unit%s.\n",
			se, a->kappa_units, gs_s((long long)a->kappa_units));
	if (!isnan(a->alpha_lo) || !isnan(a->cohen_kappa_lo))
		fprintf(f, "Intervals: bootstrap over units, %u resamples, seed %llu.\n",
			a->resamples, (unsigned long long)a->seed);
	if (a->notes.n) fprintf(f, "\nnotes:\n");
	for (size_t i = 0; i < a->notes.n; i++) fprintf(f, "  - %s\n", a->notes.text[i]);
}

/* --min-kappa / --min-alpha: 0 if met (or not asked), 1 if not */
static int gate(const char *what, double v, const char *opt, double min)
{
	if (isnan(min) || ar_at_least(v, min)) return 0;
	if (isnan(v)) fprintf(stderr, "goldset agree: %s is undefined, so %s %g is not met\n", what, opt, min);
	else fprintf(stderr, "goldset agree: %s %.3f is below %s %g\n", what, v, opt, min);
	return 1;
}

/* --min-kappa / --min-alpha: 0 if met (or not asked), 1 if not */
static int agree_gates(const struct agree_opts *o, const struct st_agree *a)
{
	const char *field = ar_kappa_field(a);
	size_t have = ar_kappa_units(a, field);
	if (!isnan(o->min_kappa) && have < o->min_units && !o->allow_small) {
		fprintf(stderr, "goldset agree: too few items (%zu < --min-units %zu), so --min-kappa %g is not met"
			" (--allow-small to judge it anyway)\n", have, o->min_units, o->min_kappa);
		return 1;
	}
	int k = gate(ar_kappa_label(field), ar_kappa_value(a, field), "--min-kappa", o->min_kappa);
	int al = gate("alpha", a->alpha, "--min-alpha", o->min_alpha);
	return k || al;
}

/* ---------- table mode ---------- */

static char *label_of(const struct csv_ratings *t, double v)
{
	if (!t->numeric) return text_escape(t->cat[(size_t)v]);
	return xasprintf("%g", v);
}

/* the two raters' confusion matrix, when the scale is small */
static void print_confusion(FILE *f, const struct csv_ratings *t, const struct st_data *d)
{
	double *val;
	long *cnt;
	size_t k = st_confusion(d, 0, 1, &val, &cnt);
	if (k >= 2 && k <= AGREE_CONFUSION_MAX) {
		char *r0 = text_escape(t->rater[0]), *r1 = text_escape(t->rater[1]);
		fprintf(f, "\nWho said what (rows: %s, columns: %s):\n  %12s", r0, r1, "");
		for (size_t j = 0; j < k; j++) {
			char *s = label_of(t, val[j]);
			fprintf(f, " %8.8s", s);
			free(s);
		}
		for (size_t i = 0; i < k; i++) {
			char *s = label_of(t, val[i]);
			fprintf(f, "\n  %12.12s", s);
			free(s);
			for (size_t j = 0; j < k; j++) fprintf(f, " %8ld", cnt[i * k + j]);
		}
		fprintf(f, "\n");
		free(r0);
		free(r1);
	}
	free(val);
	free(cnt);
}

static enum st_level table_level(const struct agree_opts *o, const struct csv_ratings *t)
{
	enum st_level lv = t->numeric ? ST_ORDINAL : ST_NOMINAL;
	if (o->level) st_level_parse(o->level, &lv);
	return lv;
}

static void table_notes(const struct csv_ratings *t, struct st_agree *a)
{
	if (t->numeric) return;
	if (t->some_numbers) {
		char *s = text_escape(t->first_text);
		st_note(&a->notes, "values read as category names: not all are numbers ('%.40s' on line %ld)",
			s, t->first_text_line);
		free(s);
	}
	if (a->level != ST_NOMINAL)
		st_note(&a->notes, "category names have no order: sorted alphabetically for the %s level",
			st_level_name(a->level));
}

static void table_heading(FILE *f, const char *path, const struct csv_ratings *t,
		const struct st_agree *a, int level_given)
{
	char *p = text_escape(path);
	fprintf(f, "%s: %zu unit%s, %zu value%s, %zu rater%s:", p, a->units, gs_s((long long)a->units), a->values,
		gs_s((long long)a->values), a->raters, gs_s((long long)a->raters));
	for (size_t r = 0; r < t->raters; r++) {
		char *s = text_escape(t->rater[r]);
		fprintf(f, strpbrk(s, " ,'") ? " '%s'" : " %s", s);
		free(s);
	}
	fprintf(f, "\nlevel %s%s\n%zu unit%s two or more values and count%s for alpha.\n\n",
		st_level_name(a->level), level_given ? "" : t->numeric
		? " (numbers; --level interval or ratio if distances matter)" : " (category names)",
		a->pairable_units, a->pairable_units == 1 ? " has" : "s have", a->pairable_units == 1 ? "s" : "");
	free(p);
}

static int agree_table(const struct agree_opts *o)
{
	struct csv_ratings t;
	struct gs_err e;
	if (csv_read_ratings(o->table, &t, &e)) return gs_report(&e);
	struct st_data d = {.units = t.units, .raters = t.raters, .code = t.code,
			    .code_value = t.value, .ncode = t.nvalue};
	struct st_agree a;
	st_agree(&d, table_level(o, &t), o->seed, o->bootstrap, &a);
	table_notes(&t, &a);
	if (o->json) {
		struct jo *j = jo_object();
		ar_design_json(j, &a);
		ar_reading_json(j, &a, ar_kappa_field(&a), o->min_units);
		jo_print(j, stdout);
		jo_free(j);
	} else {
		table_heading(stdout, o->table, &t, &a, o->level != NULL);
		agree_print(stdout, &a, o->min_units);
		if (t.raters == 2) print_confusion(stdout, &t, &d);
	}
	int rc = agree_gates(o, &a);
	csv_ratings_free(&t);
	return rc;
}

/* ---------- workspace mode ---------- */

/* --- checks, rows, output --- */

static int ws_gate(const struct ar_row *row, const char *by, const char *what, double v, double min,
		   const char *opt, int small)
{
	if (isnan(min) || (!small && ar_at_least(v, min))) return 0;
	char *r = text_escape(row->t->r->name), *c = text_escape(row->si.name);
	char *b = text_escape(by ? by : ""), *sl = text_escape(row->slice ? row->slice : "");
	fprintf(stderr, "goldset agree: %s: %s", r, c);
	if (row->sliced && row->slice) fprintf(stderr, " [%s=%s]", b, sl);
	else if (row->sliced) fprintf(stderr, " [no %s]", b);
	fprintf(stderr, ": ");
	if (small) fprintf(stderr, "too few items (%zu < --min-units %zu), so %s %g is not met (--allow-small to judge"
			   " it anyway)\n", row->kappa_n, row->min_units, opt, min);
	else if (isnan(v)) fprintf(stderr, "%s undefined (see the notes), so %s %g is not met\n", what, opt, min);
	else fprintf(stderr, "%s %.3f < %g\n", what, v, min);
	free(r);
	free(c);
	free(sl);
	free(b);
	return 1;
}

static int ws_gates(const struct agree_opts *o, const struct ar_row *rows, size_t n)
{
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name;
		double k = ar_row_kappa(&rows[i], &name);
		int small = rows[i].too_few && !o->allow_small;
		failed |= ws_gate(&rows[i], o->by, ar_kappa_label(name), k, o->min_kappa, "--min-kappa", small);
		failed |= ws_gate(&rows[i], o->by, "alpha", rows[i].a.alpha, o->min_alpha, "--min-alpha", 0);
	}
	return failed;
}

static int env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v && strcmp(v, "0") != 0;
}

struct ws_out {
	struct jo *json;          /* the array, in --json mode */
	struct av_style style;
	int rows, failed;
};

static int ws_rows(store *st, const struct agree_opts *o, char *const *raters, const struct ratings *t,
		   struct ws_out *out, struct gs_err *e)
{
	struct ar_opts ao = {.raters = raters, .judge = o->judge, .criterion = o->criterion, .by = o->by != NULL,
			     .seed = o->seed, .resamples = o->bootstrap, .min_units = o->min_units};
	ao.level_set = o->level && !st_level_parse(o->level, &ao.level);
	const char **sel = ratings_select(t, raters);
	int none = !sel[0];
	free(sel);
	if (none || !ar_criterion_matches(t->r, o->criterion) || (o->judge && ratings_rater_pos(t, o->judge) < 0))
		return 0;   /* nothing to compare under this rubric */
	struct ar_row *rows;
	size_t n;
	if (ar_rows(t, &ao, &rows, &n, e)) return e->code;
	struct jc_crit *jc = NULL;
	size_t njc = o->judge ? jc_for_rows(o->at ? NULL : st, t, rows, n, &jc) : 0;
	for (size_t i = 0, k = 0; out->json && i < n; i++) {
		struct jo *row = jo_add_object(out->json, NULL);
		ar_row_json(row, &rows[i], o->by);
		if (rows[i].judge && !rows[i].sliced && k < njc) rj_json(row, &jc[k++]);
	}
	if (!out->json) av_print_rubric(stdout, t, rows, n, &out->style);
	if (!out->json) rj_print(stdout, o->judge, jc, njc);
	jc_free(jc, njc);
	out->failed |= ws_gates(o, rows, n);
	out->rows += (int)n;
	ar_rows_free(rows, n);
	return 0;
}

/* --judge GLOB: every matching judge version in one table, newest first */
static int agree_judges(struct gs_ctx *ctx, const struct agree_opts *o)
{
	struct gs_err e;
	struct ar_tables ts = {0};
	GArray *rows = NULL;
	struct ar_opts ao = {.criterion = o->criterion, .seed = o->seed, .resamples = o->bootstrap};
	ao.level_set = o->level && !st_level_parse(o->level, &ao.level);
	int rc = ar_tables_load(ctx->ws, o->rubric, o->at, NULL, &ts, &e);
	if (!rc) rc = ar_tables_check(&ts, o->criterion, NULL, NULL, &e);
	if (!rc) rc = judges_rows(ctx->ws->st, &ts, o->judge, &ao, &rows, &e);
	if (rc) gs_report(&e);
	else if (o->json) {
		struct jo *arr = jo_array();
		jv_json(arr, rows);
		jo_print(arr, stdout);
		jo_free(arr);
	} else if (!rows->len) {
		gs_printf(stdout, "nothing to compare: no judge matches %s%s\n", o->judge,
			  o->rubric ? " under that rubric" : "");
	} else jv_print(stdout, rows);
	judges_free(rows);
	ar_tables_free(&ts);
	return rc;
}

static int agree_workspace(struct gs_ctx *ctx, const struct agree_opts *o)
{
	if (o->judge && judges_is_glob(o->judge)) return agree_judges(ctx, o);
	struct gs_err e;
	char **raters = o->raters ? split_list(o->raters, ',') : NULL;
	struct ar_tables ts = {0};
	struct ws_out out = {.json = o->json ? jo_array() : NULL};
	av_style_init(&out.style, ctx->out_tty || env_set("GOLDSET_FORCE_TTY"), ctx->color, o->by);
	int rc = ar_tables_load(ctx->ws, o->rubric, o->at, o->by, &ts, &e);
	for (size_t i = 0; !rc && ts.skipped && ts.skipped[i]; i++) {
		gs_printf(stderr, "goldset agree: labels of rubric \"%s\" left out: no such rubric at %s or now\n",
			  ts.skipped[i], o->at);
	}
	if (!rc) rc = ar_tables_check(&ts, o->criterion, o->judge, raters, &e);
	for (size_t i = 0; !rc && i < ts.n; i++) rc = ws_rows(ctx->ws->st, o, raters, ts.t[i], &out, &e);
	if (rc) gs_report(&e);
	else if (out.json) jo_print(out.json, stdout);
	else if (!out.rows)
		printf("nothing to compare: no labels by %s%s yet\n", o->raters ? "those raters" : "human raters",
		       o->rubric ? " under that rubric" : "");
	else av_print_legend(stdout, o->judge != NULL);
	if (!rc && !out.rows && (!isnan(o->min_kappa) || !isnan(o->min_alpha))) {
		fprintf(stderr, "goldset agree: no rows to check, so the gate is not met\n");
		out.failed = 1;
	}
	jo_free(out.json);
	ar_tables_free(&ts);
	strv_free(raters);
	return rc ? rc : out.failed;
}

static int agree_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct agree_opts o = {.seed = AGREE_DEFAULT_SEED, .bootstrap = ST_DEFAULT_BOOTSTRAP,
			       .min_kappa = NAN, .min_alpha = NAN, .min_units = AR_MIN_UNITS};
	int rc = agree_args(a, &o);
	if (rc) return rc;
	return o.table ? agree_table(&o) : agree_workspace(ctx, &o);
}

static const struct cmd_option options[] = {
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "only that rubric"},
	{"criterion", 0, CMD_ARG_REQUIRED, "C", "only that criterion"},
	{"raters", 0, CMD_ARG_REQUIRED, "A,B,...", "only these raters (default: every human rater)"},
	{"judge", 0, CMD_ARG_REQUIRED, "judge:NAME", "the judge against the human majority, with a verdict;"
	 " a glob ('judge:*'): all versions, newest first"},
	{"by", 0, CMD_ARG_REQUIRED, "META_KEY", "one row per value of the meta field META_KEY"},
	{"level", 0, CMD_ARG_REQUIRED, "L", "nominal, ordinal, interval or ratio (default: by the criterion)"},
	{"at", 0, CMD_ARG_REQUIRED, "REV", "the labels committed at a git revision (a tag, HEAD~1)"},
	{"seed", 0, CMD_ARG_REQUIRED, "S", "the seed of the bootstrap"},
	{"bootstrap", 0, CMD_ARG_REQUIRED, "N", "resamples for alpha's interval (default 1000; 0: none)"},
	{"json", 0, CMD_ARG_NONE, NULL, "an array of objects, one per rubric, criterion and slice"},
	{"min-kappa", 0, CMD_ARG_REQUIRED, "X", "exit 1 if any row's kappa is below X (a gate for CI)"},
	{"min-alpha", 0, CMD_ARG_REQUIRED, "X", "exit 1 if any row's alpha is below X"},
	{"min-units", 0, CMD_ARG_REQUIRED, "N", "fewer items than N: no verdict, and --min-kappa fails (default 20)"},
	{"allow-small", 0, CMD_ARG_NONE, NULL, "let --min-kappa judge rows with fewer than --min-units items"},
	{"table", 0, CMD_ARG_REQUIRED, "FILE.csv", "agreement on a CSV table (unit,rater,...) instead; - reads stdin"},
	{0},
};

const struct cmd_entry cmd_agree = {
	.name = "agree",
	.usage = "goldset agree [--rubric R] [--criterion C] [--raters A,B,...] [--judge judge:NAME]\n"
		 "                     [--by META_KEY] [--level L] [--at REV] [--seed S] [--bootstrap N]\n"
		 "                     [--json] [--min-kappa X] [--min-alpha X] [--min-units N] [--allow-small]\n"
		 "       goldset agree --table FILE.csv [--level L] [--json] [--seed S] [--bootstrap N]\n"
		 "                     [--min-kappa X] [--min-alpha X] [--min-units N] [--allow-small]",
	.summary = "how well raters agree: Krippendorff's alpha, Cohen's and Fleiss' kappa",
	.options = options,
	.example = "goldset agree --judge judge:demo-gpt --min-kappa 0.5",
	.flags = CMD_WS_READ | CMD_FIT,
	.no_ws_with = "table",
	.run = agree_run,
};
