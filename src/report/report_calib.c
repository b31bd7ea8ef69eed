/* report_calib.c: the text, JSON and Markdown of `goldset calibrate` and
 * the JSON lines of `export --consensus` (see report_calib.h). Rendering
 * only: the numbers come from calib.c; untrusted text is escaped. */
#include "report/report_calib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/agreerows.h"
#include "base/jsonout.h"
#include "base/text.h"

#define CONFUSION_MAX 12      /* print the matrix up to this many values */

static void put_escaped(FILE *f, const char *s)
{
	char *x = text_escape(s ? s : "");
	fputs(x, f);
	free(x);
}

/* "pair": [first system, second system] of a pairwise unit */
static void pair_json(struct jo *o, const struct ratings_unit *u)
{
	if (!*u->pair_key) return;
	struct jo *p = jo_add_array(o, "pair");
	jo_str(p, NULL, u->sys[0]);
	jo_str(p, NULL, u->sys[1]);
}

/* ---- start and show ---- */

void report_calib_started(FILE *f, const struct calib_started *s, const struct calib_start *asked)
{
	const struct store_batch *b = &s->b;
	fprintf(f, "calibration batch ");
	put_escaped(f, b->name);
	fprintf(f, ": %zu item%s of rubric ", s->got, gs_s((long long)s->got));
	put_escaped(f, s->r->name);
	fprintf(f, " v%d (round %d), seed %lld", s->r->version, b->round, b->seed);
	if (b->stratify) {
		fprintf(f, ", spread evenly over the values of ");
		put_escaped(f, b->stratify);
	}
	fprintf(f, "\n");
	if (s->got < asked->n)
		fprintf(f, "(only %zu item%s of this rubric's kind exist%s; asked for %zu)\n", s->available,
			gs_s((long long)s->available), s->available == 1 ? "s" : "", asked->n);
	fprintf(f, "Each rater labels the batch alone, without looking at anyone else's labels:\n");
	for (size_t i = 0; asked->raters[i]; i++) {
		fprintf(f, "  goldset %s --batch ", strcmp(s->r->mode, "pairwise") == 0 ? "pair" : "label");
		put_escaped(f, b->name);
		fprintf(f, " --as ");
		put_escaped(f, asked->raters[i]);
		fprintf(f, "\n");
	}
	fprintf(f, "Then read the agreement and walk through the disagreements together:\n  goldset calibrate report ");
	put_escaped(f, b->name);
	fprintf(f, "\n  goldset calibrate discuss ");
	put_escaped(f, b->name);
	fprintf(f, "\n");
}

void report_calib_show_json(FILE *f, const struct calib_batch *b)
{
	struct jo *o = jo_object();
	jo_str(o, "name", b->b.name);
	jo_str(o, "rubric", b->b.rubric);
	jo_int(o, "round", b->b.round);
	jo_int(o, "seed", b->b.seed);
	jo_str(o, "stratify", b->b.stratify);
	jo_str(o, "created_at", b->b.created_at);
	struct jo *ra = jo_add_array(o, "raters");
	for (size_t r = 0; b->raters[r]; r++) {
		struct jo *x = jo_add_object(ra, NULL);
		jo_str(x, "name", b->raters[r]);
		jo_int(x, "done", b->done[r]);
		jo_int(x, "total", (long long)b->nitems);
		jo_bool(x, "finished", b->done[r] >= (long long)b->nitems);
	}
	jo_bool(o, "finished", b->finished);
	struct jo *it = jo_add_array(o, "items");
	for (size_t i = 0; i < b->nitems; i++) jo_str(it, NULL, b->items[i]);
	jo_print(o, f);
	jo_free(o);
}

void report_calib_show_text(FILE *f, const struct calib_batch *b)
{
	fprintf(f, "batch ");
	put_escaped(f, b->b.name);
	fprintf(f, ": rubric ");
	put_escaped(f, b->b.rubric);
	fprintf(f, ", round %d, %zu item%s, seed %lld", b->b.round, b->nitems, gs_s((long long)b->nitems), b->b.seed);
	if (b->b.stratify) {
		fprintf(f, ", spread over ");
		put_escaped(f, b->b.stratify);
	}
	fprintf(f, "\ncreated %s\nraters (items labeled):\n", b->b.created_at ? b->b.created_at : "?");
	for (size_t r = 0; b->raters[r]; r++) {
		char *x = text_escape(b->raters[r]);
		int fin = b->done[r] >= (long long)b->nitems;
		fprintf(f, "  %-24s %lld/%zu%s\n", x, b->done[r], b->nitems, fin ? "  finished" : "");
		free(x);
	}
	if (b->finished) {
		fprintf(f, "Everyone has finished: goldset calibrate report ");
		put_escaped(f, b->b.name);
		fprintf(f, "\n");
	} else {
		fprintf(f, "The report opens when every rater has finished.\n");
	}
	fprintf(f, "items:\n");
	for (size_t i = 0; i < b->nitems; i++) {
		fprintf(f, "  ");
		put_escaped(f, b->items[i]);
		fprintf(f, "\n");
	}
}

int report_calib_unfinished(FILE *f, const struct calib_batch *b)
{
	struct sbuf s = {0};
	for (size_t r = 0; b->raters[r]; r++) {
		if (b->done[r] >= (long long)b->nitems) continue;
		char *x = text_escape(b->raters[r]);
		sb_addf(&s, "%s%s (%lld/%zu)", s.len ? ", " : "", x, b->done[r], b->nitems);
		free(x);
	}
	char *name = text_escape(b->b.name);
	fprintf(f, "goldset calibrate: batch %s is not finished: waiting for %s; the report opens when every "
		"rater has finished (--force to open it now)\n", name, s.p ? s.p : "?");
	free(name);
	sb_free(&s);
	return EX_TEMPFAIL;
}

/* ---- the report as JSON ---- */

/* the confusion of the first two raters; preferences as first/second/tie */
static void confusion_json(struct jo *o, const struct ratings *t, const struct calib_row *r)
{
	if (t->nraters < 2 || !r->k) return;
	struct jo *c = jo_add_object(o, "confusion");
	jo_str(c, "rows", t->raters[0]);
	jo_str(c, "columns", t->raters[1]);
	struct jo *vals = jo_add_array(c, "values"), *counts = jo_add_array(c, "counts");
	for (size_t i = 0; i < r->k; i++) {
		int v = (int)r->cval[i];
		if (r->si.crit->type == CRIT_SCALE) v -= r->si.crit->min;
		char *j = ratings_value_json(t, NULL, r->slot, v);
		if (jo_raw(vals, NULL, j)) jo_num(vals, NULL, r->cval[i]);
		free(j);
		struct jo *row = jo_add_array(counts, NULL);
		for (size_t k = 0; k < r->k; k++) jo_int(row, NULL, r->ccount[i * r->k + k]);
	}
}

void report_calib_row_json(struct jo *o, const struct ratings *t, const struct calib_row *r)
{
	jo_str(o, "criterion", r->si.name);
	ar_design_json(o, &r->a);   /* the agree row's fixed fields (the contract), written in one place */
	jo_str(o, "verdict", r->verdict);
	jo_str(o, "verdict_on", r->kappa_on);
	jo_num(o, "verdict_threshold", CALIB_KAPPA_OK);
	ar_reading_json(o, &r->a, r->kappa_on, r->min_units);
	jo_int(o, "disagreements", (long long)r->disagreements);
	confusion_json(o, t, r);
}

static void rounds_json(struct jo *o, const struct calib_rounds *x)
{
	struct jo *arr = jo_add_array(o, "rounds");
	for (size_t i = 0; i < x->n; i++) {
		const struct calib_round *r = &x->r[i];
		if (!r->ok) continue;
		struct jo *ro = jo_add_object(arr, NULL);
		jo_str(ro, "batch", r->b.b.name);
		jo_int(ro, "round", r->b.b.round);
		jo_int(ro, "rubric_version", calib_report_version(&r->rp));
		struct jo *k = jo_add_object(ro, "kappa");
		for (size_t s = 0; s < r->rp.t->nslots; s++) jo_num(k, r->rp.rows[s].si.name, r->rp.rows[s].kappa);
	}
}

static void disagreements_json(struct jo *o, const struct ratings *t)
{
	struct jo *arr = jo_add_array(o, "disagreements");
	size_t n;
	struct calib_point *p = calib_disagreements(t, &n);
	for (size_t i = 0; i < n; i++) {
		const struct ratings_unit *u = &t->u[p[i].u];
		struct slot_info si;
		rubric_slot_info(t->r, p[i].slot, &si);
		struct jo *d = jo_add_object(arr, NULL);
		jo_str(d, "id", u->ext_id);
		pair_json(d, u);
		jo_str(d, "criterion", si.name);
		struct jo *v = jo_add_object(d, "values");
		for (size_t r = 0; r < t->nraters; r++) {
			char *j = ratings_value_json(t, u, p[i].slot, ratings_val(t, u, r, p[i].slot));
			jo_raw(v, t->raters[r], j);
			free(j);
		}
	}
	free(p);
}

void report_calib_json(FILE *f, const struct calib_report *rp, const struct calib_rounds *x)
{
	struct jo *o = jo_object();
	jo_str(o, "batch", rp->b->b.name);
	jo_str(o, "rubric", rp->r->name);
	jo_int(o, "rubric_version", calib_report_version(rp));
	jo_int(o, "round", rp->b->b.round);
	struct jo *ra = jo_add_array(o, "raters");
	for (size_t r = 0; r < rp->t->nraters; r++) jo_str(ra, NULL, rp->t->raters[r]);
	jo_int(o, "items", (long long)rp->b->nitems);
	jo_bool(o, "complete", rp->b->finished);
	struct jo *cr = jo_add_array(o, "criteria");
	for (size_t s = 0; s < rp->t->nslots; s++) report_calib_row_json(jo_add_object(cr, NULL), rp->t, &rp->rows[s]);
	disagreements_json(o, rp->t);
	rounds_json(o, x);
	jo_print(o, f);
	jo_free(o);
}

/* ---- the report as text ---- */


static void print_num(FILE *f, const char *label, double v, int percent)
{
	if (isnan(v)) fprintf(f, "%s n/a", label);
	else if (percent) fprintf(f, "%s %.1f%%", label, 100 * v);
	else fprintf(f, "%s %.3f", label, v);
}

/* a confusion value's text, escaped (malloc'd) */
static char *confusion_value(const struct ratings *t, const struct calib_row *row, double v)
{
	char buf[32];
	int off = row->si.crit->type == CRIT_SCALE ? row->si.crit->min : 0;
	return text_escape(ratings_value_text(t, NULL, row->slot, (int)v - off, buf));
}

static void print_confusion(FILE *f, const struct ratings *t, const struct calib_row *row)
{
	if (t->nraters != 2 || row->k < 2 || row->k > CONFUSION_MAX) return;
	char *a = text_escape(t->raters[0]), *b = text_escape(t->raters[1]);
	fprintf(f, "    who said what (rows: %s, columns: %s):\n      %8s", a, b, "");
	for (size_t j = 0; j < row->k; j++) {
		char *v = confusion_value(t, row, row->cval[j]);
		fprintf(f, " %8.8s", v);
		free(v);
	}
	for (size_t i = 0; i < row->k; i++) {
		char *v = confusion_value(t, row, row->cval[i]);
		fprintf(f, "\n      %8.8s", v);
		free(v);
		for (size_t j = 0; j < row->k; j++) fprintf(f, " %8ld", row->ccount[i * row->k + j]);
	}
	fprintf(f, "\n");
	free(a);
	free(b);
}

/* the interval of the kappa a row shows (none for Fleiss') */
static void print_kappa_ci(FILE *f, const struct calib_row *row)
{
	const struct st_agree *a = &row->a;
	double lo = a->cohen_kappa_lo, hi = a->cohen_kappa_hi;
	if (strcmp(row->kappa_on, "weighted_kappa_linear") == 0) lo = a->weighted_linear_lo, hi = a->weighted_linear_hi;
	else if (strcmp(row->kappa_on, "fleiss_kappa") == 0) lo = hi = NAN;
	if (!isnan(lo)) fprintf(f, " [%.3f, %.3f]", lo, hi);
}

static void print_verdict(FILE *f, const struct calib_row *row)
{
	char line[256];
	if (!strcmp(row->verdict, "ok")) fprintf(f, "  ok (>= %.1f)\n    ", CALIB_KAPPA_OK);
	else if (!strcmp(row->verdict, "too vague"))
		fprintf(f, "  below %.1f: the rubric is too vague here\n    ", CALIB_KAPPA_OK);
	else if (!strcmp(row->verdict, "too few items")) {
		ar_too_few_text(ar_kappa_units(&row->a, row->kappa_on), row->min_units, ar_units_for_ci(&row->a),
				line, sizeof line);
		fprintf(f, "  %s: no verdict yet\n    ", line);
	} else fprintf(f, "  (undefined, see notes)\n    ");
}

/* AC1/AC2, PABAK, prevalence and bias, and the paradox when it shows */
static void print_paradox(FILE *f, const struct ratings *t, const struct calib_row *row)
{
	const struct st_agree *a = &row->a;
	char line[256];
	fprintf(f, "    ");
	print_num(f, "Gwet's AC1", a->gwet_ac1, 0);
	if (!isnan(a->gwet_ac1_se)) fprintf(f, " (SE %.4f)", a->gwet_ac1_se);
	if (a->level != ST_NOMINAL) {
		print_num(f, ", AC2 (linear weights)", a->gwet_ac2, 0);
		if (!isnan(a->gwet_ac2_se)) fprintf(f, " (SE %.4f)", a->gwet_ac2_se);
	}
	if (t->nraters == 2) {
		print_num(f, "; PABAK", a->pabak, 0);
		print_num(f, ", prevalence index", a->prevalence_index, 0);
		print_num(f, ", bias index", a->bias_index, 0);
	}
	fprintf(f, "\n");
	if (ar_paradox(a, row->kappa, line, sizeof line)) fprintf(f, "    ! %s\n", line);
}

static void print_row(FILE *f, const struct ratings *t, const struct calib_row *row)
{
	const struct st_agree *a = &row->a;
	char *n = text_escape(row->si.name);
	fprintf(f, "\n%s (%s, %zu item%s rated)\n    ", n, st_level_name(a->level), a->units, gs_s((long long)a->units));
	free(n);
	print_num(f, ar_kappa_label(row->kappa_on), row->kappa, 0);
	print_kappa_ci(f, row);
	print_verdict(f, row);
	print_num(f, "agreement", a->percent_agreement, 1);
	if (a->level != ST_NOMINAL && t->nraters == 2) {
		print_num(f, ", kappa (unweighted)", a->cohen_kappa, 0);
		print_num(f, ", kappa (quadratic weights)", a->weighted_kappa_quadratic, 0);
	}
	print_num(f, ", alpha", a->alpha, 0);
	fprintf(f, ", %zu disagreement%s\n", row->disagreements, row->disagreements == 1 ? "" : "s");
	print_paradox(f, t, row);
	print_confusion(f, t, row);
	for (size_t i = 0; i < a->notes.n; i++) fprintf(f, "    note: %s\n", a->notes.text[i]);
}

static void rounds_head(FILE *f, const struct calib_report *cur, const struct calib_rounds *x)
{
	fprintf(f, "\nRounds of rubric ");
	put_escaped(f, cur->r->name);
	fprintf(f, " (each criterion's kappa as above; did the rubric change help?):\n  %-24s", "criterion");
	for (size_t i = 0; i < x->n; i++) {
		char head[64];
		snprintf(head, sizeof head, "round %d v%d", x->r[i].b.b.round,
			 x->r[i].ok ? calib_report_version(&x->r[i].rp) : 0);
		fprintf(f, " %14s", head);
	}
	fprintf(f, "\n");
}

static void rounds_text(FILE *f, const struct calib_report *cur, const struct calib_rounds *x)
{
	if (x->n < 2) return;
	rounds_head(f, cur, x);
	for (size_t s = 0; s < cur->t->nslots; s++) {
		char *n = text_escape(cur->rows[s].si.name);
		fprintf(f, "  %-24.24s", n);
		free(n);
		for (size_t i = 0; i < x->n; i++) {
			int present;
			double k = calib_round_kappa(&x->r[i], cur->rows[s].si.name, &present);
			if (!present) fprintf(f, " %14s", "-");
			else if (isnan(k)) fprintf(f, " %14s", "n/a");
			else fprintf(f, " %14.3f", k);
		}
		fprintf(f, "\n");
	}
	fprintf(f, "  %-24s", "batch");
	for (size_t i = 0; i < x->n; i++) {
		char *n = text_escape(x->r[i].b.b.name ? x->r[i].b.b.name : "?");
		fprintf(f, " %14.14s", n);
		free(n);
	}
	fprintf(f, "\n");
}

static void print_disagreement(FILE *f, const struct ratings *t, const struct calib_point *p, int wid, int wcrit)
{
	const struct ratings_unit *u = &t->u[p->u];
	struct slot_info si;
	char buf[32];
	rubric_slot_info(t->r, p->slot, &si);
	char *id = text_escape(u->ext_id), *crit = text_escape(si.name);
	fprintf(f, "  %-*s  %-*s", wid, id, wcrit, crit);
	for (size_t r = 0; r < t->nraters; r++) {
		int v = ratings_val(t, u, r, p->slot);
		fprintf(f, "  ");
		put_escaped(f, t->raters[r]);
		fprintf(f, "=");
		put_escaped(f, v < 0 ? "-" : ratings_value_text(t, u, p->slot, v, buf));
	}
	fprintf(f, "\n");
	free(id);
	free(crit);
}

static int capped_width(const char *s)
{
	int w = (int)text_width(s, strlen(s));
	return w > 40 ? 40 : w;
}

static void print_disagreements(FILE *f, const struct ratings *t)
{
	size_t n;
	struct calib_point *p = calib_disagreements(t, &n);
	int wid = 0, wcrit = 0;
	for (size_t i = 0; i < n; i++) {
		struct slot_info si;
		rubric_slot_info(t->r, p[i].slot, &si);
		int a = capped_width(t->u[p[i].u].ext_id), b = capped_width(si.name);
		wid = a > wid ? a : wid;
		wcrit = b > wcrit ? b : wcrit;
	}
	fprintf(f, "\n%zu disagreement%s%s\n", n, n == 1 ? "" : "s", n ? ":" : ".");
	for (size_t i = 0; i < n; i++) print_disagreement(f, t, &p[i], wid, wcrit);
	free(p);
}

void report_calib_text(FILE *f, const struct calib_report *rp, const struct calib_rounds *x)
{
	const struct ratings *t = rp->t;
	fprintf(f, "Calibration report: batch ");
	put_escaped(f, rp->b->b.name);
	fprintf(f, ", rubric ");
	put_escaped(f, rp->r->name);
	fprintf(f, " v%d, round %d\n%zu item%s, raters:", calib_report_version(rp), rp->b->b.round, rp->b->nitems,
		gs_s((long long)rp->b->nitems));
	for (size_t r = 0; r < t->nraters; r++) {
		fprintf(f, " ");
		put_escaped(f, t->raters[r]);
	}
	fprintf(f, "\n%s", rp->b->finished ? "" : "NOT FINISHED: some raters have not labeled every item (--force).\n");
	if (t->unparsed) fprintf(f, "%lld label%s made under another rubric text and left out.\n", t->unparsed,
			       t->unparsed == 1 ? " was" : "s were");
	size_t vague = 0, few = 0;
	for (size_t s = 0; s < t->nslots; s++) {
		print_row(f, t, &rp->rows[s]);
		vague += !strcmp(rp->rows[s].verdict, "too vague");
		few += !strcmp(rp->rows[s].verdict, "too few items");
	}
	fprintf(f, "\n%zu of %zu %s below %.1f.", vague, t->nslots, t->nslots == 1 ? "criterion" : "criteria", CALIB_KAPPA_OK);
	if (few) fprintf(f, " %zu with too few items for a verdict.", few);
	fprintf(f, " Walk through every disagreement together: goldset calibrate discuss ");
	put_escaped(f, rp->b->b.name);
	fprintf(f, "\n");
	rounds_text(f, rp, x);
	print_disagreements(f, t);
}

/* ---- the discussion ---- */

void report_calib_discussed(FILE *f, const struct calib_report *rp, const struct discuss_outcome *out, size_t n)
{
	size_t agreed = 0, cause[ARRAY_LEN(discuss_causes)] = {0};
	for (size_t i = 0; i < n; i++) {
		agreed += out[i].value >= 0;
		if (out[i].cause >= 0) cause[out[i].cause]++;
	}
	fprintf(f, "%zu of %zu disagreement%s settled in batch ", agreed, n, gs_s((long long)n));
	put_escaped(f, rp->b->b.name);
	fprintf(f, " (");
	for (size_t c = 0; c < ARRAY_LEN(discuss_causes); c++)
		fprintf(f, "%s%s %zu", c ? ", " : "", discuss_causes[c], cause[c]);
	fprintf(f, ").\nAgreed values are consensus labels: goldset export --consensus --rubric ");
	put_escaped(f, rp->r->name);
	fprintf(f, "\n");
}

static void md_cell(struct sbuf *b, const char *s)
{
	char *x = text_escape(s ? s : "");
	for (const char *p = x; *p; p++) {
		if (*p == '|' || *p == '\\' || *p == '<' || *p == '>' || *p == '`' || *p == '*') sb_addc(b, '\\');
		sb_addc(b, *p);
	}
	free(x);
}

static void md_point(struct sbuf *b, const struct ratings *t, const struct calib_point *p,
		     const struct discuss_outcome *o)
{
	const struct ratings_unit *u = &t->u[p->u];
	struct slot_info si;
	char buf[32];
	rubric_slot_info(t->r, p->slot, &si);
	sb_add(b, "| ");
	md_cell(b, u->ext_id);
	sb_add(b, " | ");
	md_cell(b, si.name);
	for (size_t r = 0; r < t->nraters; r++) {
		int v = ratings_val(t, u, r, p->slot);
		sb_add(b, " | ");
		md_cell(b, v < 0 ? "-" : ratings_value_text(t, u, p->slot, v, buf));
	}
	sb_add(b, " | ");
	md_cell(b, o->value < 0 ? "(open)" : ratings_value_text(t, u, p->slot, o->value, buf));
	sb_add(b, " | ");
	md_cell(b, o->cause >= 0 ? discuss_causes[o->cause] : "");
	sb_add(b, " | ");
	md_cell(b, o->note);
	sb_add(b, " |\n");
}

char *report_calib_discussion_md(const struct calib_report *rp, const struct calib_point *p,
				 const struct discuss_outcome *out, size_t n)
{
	const struct ratings *t = rp->t;
	struct sbuf b = {0};
	size_t agreed = 0;
	for (size_t i = 0; i < n; i++) agreed += out[i].value >= 0;
	sb_add(&b, "# Calibration discussion: batch ");
	md_cell(&b, rp->b->b.name);
	sb_add(&b, "\n\n- rubric: ");
	md_cell(&b, rp->r->name);
	sb_addf(&b, " v%d, round %d\n- settled: %zu of %zu disagreement%s\n\n| item | criterion", rp->r->version,
		rp->b->b.round, agreed, n, gs_s((long long)n));
	for (size_t r = 0; r < t->nraters; r++) {
		sb_add(&b, " | ");
		md_cell(&b, t->raters[r]);
	}
	sb_add(&b, " | agreed | cause | note |\n|---|---");
	for (size_t r = 0; r < t->nraters + 3; r++) sb_add(&b, "|---");
	sb_add(&b, "|\n");
	for (size_t i = 0; i < n; i++) md_point(&b, t, &p[i], &out[i]);
	return sb_take(&b);
}

/* ---- a golden answer ---- */

struct jo *report_calib_answer(const struct calib_answer *a)
{
	const struct ratings *t = a->t;
	const struct calib_cons *c = a->cons;
	struct slot_info si;
	rubric_slot_info(t->r, a->slot, &si);
	struct jo *o = jo_object();
	jo_str(o, "id", a->u->ext_id);
	jo_str(o, "rubric", t->r->name);
	jo_int(o, "rubric_version", c ? c->version : t->r->version);
	pair_json(o, a->u);
	jo_str(o, "criterion", si.name);
	char *val = c ? xstrdup(c->value) : ratings_value_json(t, a->u, a->slot, a->value);
	if (jo_raw(o, "value", val)) jo_null(o, "value");
	free(val);
	jo_str(o, "status", calib_status_name(c ? CALIB_CONSENSUS : a->status));
	jo_int(o, "raters", a->votes);
	return o;
}
