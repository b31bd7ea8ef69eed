/* agree.c: the public face of the agreement statistics (stats.h): level
 * names, notes, one-statistic entry points, and st_agree(), which prepares
 * the data once (prep.c) and fills every field of an `agree --json` row
 * from alpha.c and kappa.c. Commands call st_agree(); the single-statistic
 * functions are for tests and for callers that need just one number. */
#include "stats/agree_int.h"
#include "base/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const level_names[] = {"nominal", "ordinal", "interval", "ratio"};

const char *st_level_name(enum st_level lv)
{
	return (unsigned)lv < ARRAY_LEN(level_names) ? level_names[lv] : "?";
}

int st_level_parse(const char *s, enum st_level *out)
{
	for (size_t i = 0; s && i < ARRAY_LEN(level_names); i++)
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum st_level)i;
			return 0;
		}
	return -1;
}

void st_note(struct st_notes *notes, const char *fmt, ...)
{
	if (!notes || notes->n >= ST_NOTES_MAX) return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(notes->text[notes->n], ST_NOTE_LEN, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < notes->n; i++)           /* say each thing once */
		if (strcmp(notes->text[i], notes->text[notes->n]) == 0) return;
	notes->n++;
}

double st_cell(const struct st_data *d, size_t i)
{
	if (!d->code) return d->v[i];
	return d->code[i] < d->ncode ? d->code_value[d->code[i]] : NAN;
}

double st_alpha(const struct st_data *d, enum st_level lv, struct st_notes *notes)
{
	struct stp p;
	stp_build(&p, d);
	double a = stp_alpha(&p, lv, notes);
	stp_free(&p);
	return a;
}

void st_alpha_ci(const struct st_data *d, enum st_level lv, uint64_t seed,
		unsigned resamples, double *lo, double *hi, struct st_notes *notes)
{
	struct stp p;
	stp_build(&p, d);
	stp_alpha_ci(&p, lv, seed, resamples, lo, hi, notes);
	stp_free(&p);
}

struct st_kappa st_cohen_kappa(const struct st_data *d, size_t r1, size_t r2, struct st_notes *notes)
{
	struct stp p;
	stp_build(&p, d);
	struct st_kappa k = stp_cohen(&p, r1, r2, notes);
	stp_free(&p);
	return k;
}

double st_weighted_kappa(const struct st_data *d, size_t r1, size_t r2,
		enum st_weights w, struct st_notes *notes)
{
	struct stp p;
	stp_build(&p, d);
	double k = stp_weighted(&p, r1, r2, w, notes);
	stp_free(&p);
	return k;
}

double st_fleiss_kappa(const struct st_data *d, size_t *used, size_t *dropped, struct st_notes *notes)
{
	struct stp p;
	stp_build(&p, d);
	size_t n;
	double po, pe;
	double k = stp_fleiss(&p, &n, &po, &pe, notes);
	if (used) *used = n;
	if (dropped) *dropped = d->units - n;
	stp_free(&p);
	return k;
}

double st_percent_agreement(const struct st_data *d, struct st_notes *notes)
{
	struct stp p;
	stp_build(&p, d);
	double a = stp_percent(&p, notes);
	stp_free(&p);
	return a;
}

/* Cohen's kappa and the weighted ones, their intervals, PABAK, the
 * prevalence and bias indices: only for exactly two raters */
static void agree_kappas(const struct st_data *d, const struct stp *p, enum st_level lv, struct st_agree *o)
{
	struct st_notes *notes = &o->notes;
	if (p->raters != 2) {
		st_note(notes, "Cohen's kappa (plain and weighted) needs exactly two raters (%zu here), "
			"and so do PABAK and the prevalence and bias indices", p->raters);
		return;
	}
	struct st_kappa k = stp_cohen(p, 0, 1, notes);
	o->cohen_kappa = k.kappa;
	o->cohen_kappa_se = k.se;
	o->kappa_units = k.n;
	stp_cohen_parts(p, 0, 1, &o->kappa_po, &o->kappa_pe);
	if (k.n > 0 && k.n < p->units)
		st_note(notes, "Cohen's kappa: on the %zu unit%s both raters rated (%zu left out)",
			k.n, gs_s((long long)k.n), p->units - k.n);
	stp_pabak(d, p, 0, 1, o);
	if (lv == ST_NOMINAL)
		st_note(notes, "weighted kappa: not for nominal data (its categories have no order)");
	else {
		o->weighted_kappa_linear = stp_weighted(p, 0, 1, ST_LINEAR, notes);
		o->weighted_kappa_quadratic = stp_weighted(p, 0, 1, ST_QUADRATIC, notes);
	}
	stp_kappa_ci(p, 0, 1, lv != ST_NOMINAL, o->seed, o->resamples, o);
}

static void agree_fleiss(const struct stp *p, struct st_agree *o)
{
	double po, pe;
	o->fleiss_kappa = stp_fleiss(p, &o->fleiss_units, &po, &pe, &o->notes);
	if (p->raters > 2) {
		o->kappa_po = po;
		o->kappa_pe = pe;
	}
	if (o->fleiss_units > 0 && o->fleiss_units < p->units)
		st_note(&o->notes, "Fleiss' kappa: on the %zu unit%s every rater rated (%zu dropped)",
			o->fleiss_units, gs_s((long long)o->fleiss_units), p->units - o->fleiss_units);
}

static void agree_gwet(const struct st_data *d, const struct stp *p, enum st_level lv, struct st_agree *o)
{
	struct st_gwet g = stp_gwet(d, p, 0, &o->notes);
	o->gwet_ac1 = g.coef;
	o->gwet_ac1_se = g.se;
	if (lv == ST_NOMINAL) return;
	g = stp_gwet(d, p, 1, &o->notes);
	o->gwet_ac2 = g.coef;
	o->gwet_ac2_se = g.se;
}

static double top_share(const struct stp *p)
{
	double top = 0;
	for (size_t c = 0; c < p->nval; c++) top = p->count[c] > top ? p->count[c] : top;
	return p->n ? top / (double)p->n : NAN;
}

static void agree_init(struct st_agree *o, enum st_level lv, uint64_t seed, unsigned resamples)
{
	memset(o, 0, sizeof *o);
	o->level = lv;
	o->seed = seed;
	o->resamples = resamples;
	o->alpha = o->alpha_lo = o->alpha_hi = NAN;
	o->percent_agreement = NAN;
	o->cohen_kappa = o->cohen_kappa_se = o->cohen_kappa_lo = o->cohen_kappa_hi = NAN;
	o->weighted_kappa_linear = o->weighted_kappa_quadratic = NAN;
	o->fleiss_kappa = NAN;
	o->weighted_linear_lo = o->weighted_linear_hi = o->weighted_quadratic_lo = o->weighted_quadratic_hi = NAN;
	o->gwet_ac1 = o->gwet_ac1_se = o->gwet_ac2 = o->gwet_ac2_se = NAN;
	o->pabak = o->prevalence_index = o->bias_index = NAN;
	o->kappa_po = o->kappa_pe = o->top_share = NAN;
}

void st_agree(const struct st_data *d, enum st_level lv, uint64_t seed,
		unsigned resamples, struct st_agree *o)
{
	agree_init(o, lv, seed, resamples);
	struct stp p;
	stp_build(&p, d);
	o->units = p.units;
	o->raters = p.raters;
	o->pairable_units = p.pu;
	o->values = p.values;
	if (p.infinite)
		st_note(&o->notes, "%zu infinite value%s treated as missing", p.infinite, gs_s((long long)p.infinite));
	o->alpha = stp_alpha(&p, lv, &o->notes);
	if (!isnan(o->alpha)) {
		stp_alpha_ci(&p, lv, seed, resamples, &o->alpha_lo, &o->alpha_hi, &o->notes);
		if (resamples == 0) st_note(&o->notes, "alpha_ci95 not computed (0 resamples)");
	}
	o->percent_agreement = stp_percent(&p, &o->notes);
	agree_kappas(d, &p, lv, o);
	agree_fleiss(&p, o);
	agree_gwet(d, &p, lv, o);
	o->top_share = top_share(&p);
	stp_free(&p);
}
