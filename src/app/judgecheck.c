/* judgecheck.c: how an LLM judge errs against the humans (what is
 * computed, and why, is in include/app/judgecheck.h). */
#include "app/judgecheck.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rank.h"
#include "stats/corr.h"

/* the series one slot gathers, unit by unit */
struct series {
	GArray *judge, *human, *diff;          /* ordered slots: numbers */
	GArray *len, *ljudge, *lhuman;         /* the units with a known output length */
	GHashTable *sys;                       /* pairwise: system -> GArray of score differences */
};

static GArray *doubles(void) { return g_array_new(FALSE, FALSE, sizeof(double)); }
static void push(GArray *a, double v) { g_array_append_val(a, v); }
static const double *at0(const GArray *a) { return (const double *)(const void *)a->data; }
static void free_doubles(void *a) { g_array_free(a, TRUE); }

static void series_init(struct series *s)
{
	s->judge = doubles(), s->human = doubles(), s->diff = doubles();
	s->len = doubles(), s->ljudge = doubles(), s->lhuman = doubles();
	s->sys = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_doubles);
}

static void series_free(struct series *s)
{
	GArray *a[] = {s->judge, s->human, s->diff, s->len, s->ljudge, s->lhuman};
	for (size_t i = 0; i < ARRAY_LEN(a); i++) g_array_free(a[i], TRUE);
	g_hash_table_destroy(s->sys);
}

/* the humans' mean number in a unit's slot (num: each value's number);
 * NaN when none gave one */
static double human_mean(const struct ratings *t, const struct ratings_unit *u, size_t slot, const size_t *pos,
			 size_t npos, const double *num)
{
	double sum = 0;
	size_t k = 0;
	for (size_t i = 0; i < npos; i++) {
		int v = ratings_val(t, u, pos[i], slot);
		if (v >= 0) sum += num[v], k++;
	}
	return k ? sum / (double)k : NAN;
}

/* a preference value as the first system's score: won 1, tie 1/2, lost 0 */
static double first_score(int v) { return v == 0 ? 1.0 : v == 1 ? 0.0 : 0.5; }

static void sys_push(GHashTable *h, const char *name, double d)
{
	GArray *a = g_hash_table_lookup(h, name);
	if (!a) g_hash_table_insert(h, (char *)name, a = doubles());
	push(a, d);
}

/* a pairwise unit: each of its systems' judge-minus-humans score */
static void pref_unit(const struct ratings *t, const struct ratings_unit *u, size_t slot, int jv, const size_t *pos,
		      size_t npos, struct series *s)
{
	double sum = 0;
	size_t k = 0;
	for (size_t i = 0; i < npos; i++) {
		int v = ratings_val(t, u, pos[i], slot);
		if (v >= 0) sum += first_score(v), k++;
	}
	if (!k || !u->sys[0] || !u->sys[1]) return;
	double d = first_score(jv) - sum / (double)k;
	sys_push(s->sys, u->sys[0], d);
	sys_push(s->sys, u->sys[1], -d);
}

static void ordered_unit(const struct ratings *t, const struct ratings_unit *u, double j, double hm,
			 struct series *s)
{
	push(s->judge, j);
	push(s->human, hm);
	push(s->diff, j - hm);
	long long len = u->item != RATINGS_NO_ITEM ? t->items[u->item].out_len : -1;
	if (len < 0) return;
	push(s->len, (double)len / 100.0);
	push(s->ljudge, j);
	push(s->lhuman, hm);
}

static void unit_into(const struct ratings *t, const struct ratings_unit *u, size_t judge, const size_t *pos,
		      size_t npos, struct jc_crit *c, struct series *s)
{
	int jv = ratings_val(t, u, judge, c->slot), votes, tie;
	if (jv < 0) return;
	if (c->pref) {
		pref_unit(t, u, c->slot, jv, pos, npos, s);
		return;
	}
	int mv = ratings_majority(t, u, c->slot, pos, npos, &votes, &tie);
	if (mv >= 0 && (size_t)jv < c->nvals && (size_t)mv < c->nvals) {
		c->confusion[(size_t)jv * c->nvals + (size_t)mv]++;
		c->nmajor++;
		c->accuracy += jv == mv;
	}
	double hm = c->ordered ? human_mean(t, u, c->slot, pos, npos, c->num) : NAN;
	if (!isnan(hm)) ordered_unit(t, u, c->num[jv], hm, s);
}

static double ratio(long a, long b) { return b ? (double)a / (double)b : NAN; }

/* precision, recall and F1 of each value from the confusion matrix */
static void per_value(struct jc_crit *c)
{
	for (size_t v = 0; v < c->nvals; v++) {
		struct jc_value *x = &c->val[v];
		long tp = c->confusion[v * c->nvals + v];
		for (size_t w = 0; w < c->nvals; w++) {
			x->judge += c->confusion[v * c->nvals + w];
			x->human += c->confusion[w * c->nvals + v];
		}
		x->precision = ratio(tp, x->judge);
		x->recall = ratio(tp, x->human);
		x->f1 = isnan(x->precision) || isnan(x->recall) ? NAN
			: x->precision + x->recall > 0 ? 2 * x->precision * x->recall / (x->precision + x->recall) : 0;
	}
	c->accuracy = c->nmajor ? c->accuracy / (double)c->nmajor : NAN;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct jc_system *)a)->name, ((const struct jc_system *)b)->name);
}

static void systems(struct jc_crit *c, GHashTable *h)
{
	GHashTableIter it;
	void *k, *v;
	c->sys = xcalloc(g_hash_table_size(h) + 1, sizeof *c->sys);
	g_hash_table_iter_init(&it, h);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct jc_system *y = &c->sys[c->nsys++];
		const GArray *a = v;
		y->name = k;
		y->n = a->len;
		y->excess = st_mean_ci95(at0(a), a->len, &y->lo, &y->hi);
	}
	qsort(c->sys, c->nsys, sizeof *c->sys, by_name);
}

static void summarize(struct jc_crit *c, struct series *s)
{
	if (!c->pref) per_value(c);
	c->ndiff = s->diff->len;
	c->diff = st_mean_ci95(at0(s->diff), s->diff->len, &c->diff_lo, &c->diff_hi);
	c->spearman = st_spearman(at0(s->judge), at0(s->human), s->judge->len);
	c->kendall = st_kendall_tau_b(at0(s->judge), at0(s->human), s->judge->len);
	c->nlen = s->len->len;
	c->slope_judge = st_slope(at0(s->len), at0(s->ljudge), s->len->len);
	c->slope_human = st_slope(at0(s->len), at0(s->lhuman), s->len->len);
	if (c->pref) systems(c, s->sys);
}

static void crit_init(const struct ratings *t, size_t slot, struct jc_crit *c)
{
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	memset(c, 0, sizeof *c);
	c->slot = slot;
	snprintf(c->name, sizeof c->name, "%s", si.name);
	c->pref = si.crit->type == CRIT_PREFERENCE;
	c->ordered = !c->pref && (si.level != LEVEL_NOMINAL || si.crit->type == CRIT_BINARY ||
				  si.crit->type == CRIT_CHECKLIST);
	c->nvals = c->pref ? 0 : (size_t)si.nopts;
	c->val = xcalloc(c->nvals + 1, sizeof *c->val);
	c->text = xcalloc(c->nvals + 1, sizeof *c->text);
	c->confusion = xcalloc(c->nvals * c->nvals + 1, sizeof *c->confusion);
	c->num = xcalloc(c->nvals + 1, sizeof *c->num);
	for (size_t v = 0; v < c->nvals; v++) {
		c->val[v].text = ratings_value_text(t, NULL, slot, (int)v, c->text[v]);
		c->num[v] = rubric_value_number(t->r, slot, (int)v);
	}
	c->kappa = NAN;
	c->verdict = "undefined";
}

void jc_check(const struct ratings *t, size_t judge, const size_t *pos, size_t npos, size_t slot, struct jc_crit *c)
{
	struct series s;
	crit_init(t, slot, c);
	series_init(&s);
	for (size_t i = 0; i < t->nunits; i++) unit_into(t, &t->u[i], judge, pos, npos, c, &s);
	summarize(c, &s);
	series_free(&s);
}

void jc_verdict(struct jc_crit *c, const struct ar_row *row)
{
	const char *k = ar_kappa_label(row->verdict_on);
	c->kappa = row->verdict_kappa;
	c->kappa_name = row->verdict_on;
	c->verdict = row->verdict;
	if (isnan(row->verdict_kappa))
		snprintf(c->reason, sizeof c->reason, "%s is undefined on these units", k);
	else if (row->too_few)
		ar_too_few_text(row->kappa_n, row->min_units, row->units_for_ci, c->reason, sizeof c->reason);
	else
		snprintf(c->reason, sizeof c->reason, "%s %.3f %s %.1f", k, row->verdict_kappa,
			 ar_at_least(row->verdict_kappa, AR_JUDGE_DEPLOY) ? ">=" : "<", AR_JUDGE_DEPLOY);
	size_t n = strlen(c->reason);
	if (!isnan(c->spearman) && c->spearman < JC_MIN_CORR)
		snprintf(c->reason + n, sizeof c->reason - n,
			 "; Spearman %.2f with the humans is below %.1f: revise the judge prompt", c->spearman,
			 JC_MIN_CORR);
}

void jc_free(struct jc_crit *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].val);
		free(c[i].text);
		free(c[i].confusion);
		free(c[i].num);
		free(c[i].sys);
	}
	free(c);
}

/* ---- beside agree's rows ---- */

static size_t *human_cols(const struct ratings *t, const struct ar_row *row, size_t *n)
{
	size_t k = 0;
	while (row->humans && row->humans[k]) k++;
	size_t *pos = xcalloc(k + 1, sizeof *pos);
	for (size_t i = 0; i < k; i++) pos[i] = (size_t)ratings_rater_pos(t, row->humans[i]);
	*n = k;
	return pos;
}

/* left-win counts of the judge and of the humans on c's preference */
static void position(store *st, const struct ratings *t, const char *judge, struct jc_crit *c)
{
	struct rank_spec sp = {.criterion = c->name, .bootstrap = 0};
	struct rank_result res;
	struct gs_err e;
	if (rank_labels(st, t->r, &sp, &res, &e) == 0 && res.nfit) {
		const struct rank_fit *f = &res.fit[0];
		for (size_t i = 0; i < f->nrl; i++) {
			const struct rank_rater_left *l = &f->rl[i];
			if (strcmp(l->name, judge) == 0) {
				c->pos.judge_decided = l->decided, c->pos.judge_left = l->won;
				c->pos.judge_lo = l->lo, c->pos.judge_hi = l->hi;
			} else if (!ratings_is_judge(l->name)) {
				c->pos.human_decided += l->decided, c->pos.human_left += l->won;
			}
		}
		for (size_t i = 0; i < res.nflips; i++)
			if (strcmp(res.flips[i].rater, judge) == 0)
				c->pos.pairs = res.flips[i].pairs, c->pos.flips = res.flips[i].flips;
		c->has_position = c->pos.judge_decided > 0;
	}
	rank_result_free(&res);
}

size_t jc_for_rows(store *st, const struct ratings *t, const struct ar_row *rows, size_t n, struct jc_crit **out)
{
	GArray *all = g_array_new(FALSE, FALSE, sizeof(struct jc_crit));
	for (size_t i = 0; i < n; i++) {
		const struct ar_row *row = &rows[i];
		if (!row->judge || row->sliced) continue;
		size_t npos;
		size_t *pos = human_cols(t, row, &npos);
		struct jc_crit c;
		jc_check(t, (size_t)ratings_rater_pos(t, row->judge), pos, npos, row->slot, &c);
		jc_verdict(&c, row);
		if (c.pref && st) position(st, t, row->judge, &c);
		g_array_append_val(all, c);
		free(pos);
	}
	size_t got = all->len;
	*out = (struct jc_crit *)(void *)g_array_free(all, FALSE);
	return got;
}
