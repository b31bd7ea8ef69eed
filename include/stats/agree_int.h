/* agree_int.h: what the agreement files in src/stats/ share and nobody else
 * sees: reliability data prepared once (values replaced by their rank among
 * the distinct values, pairable units packed) so that alpha, the kappas and
 * the bootstrap all work on small integers. Built by prep.c; used by
 * alpha.c, boot.c, kappa.c and agree.c. Public API: include/stats/stats.h. */
#ifndef GOLDSET_STATS_AGREE_INT_H
#define GOLDSET_STATS_AGREE_INT_H
#include "stats/stats.h"

#include <stddef.h>
#include <stdint.h>

#define STP_MISSING UINT32_MAX

struct stp {
	size_t units, raters;
	size_t nval;          /* V: distinct values */
	double *val;          /* V, ascending */
	uint32_t *cell;       /* units*raters: index into val; >= nval = missing */
	int borrowed;         /* cell is the caller's st_data.code: never written */
	size_t values;        /* cells with a value */
	size_t infinite;      /* infinite cells, treated as missing */
	/* pairable units (two or more values), each unit's indices ascending */
	size_t pu;            /* their number */
	size_t *off;          /* pu+1: unit k holds idx[off[k] .. off[k+1]) */
	uint32_t *idx;
	size_t n;             /* off[pu]: pairable values */
	double *runsq;        /* pu: sum over the unit's distinct values of count^2 */
	double *count;        /* V: n_c, how often value c occurs in pairable units */
	size_t distinct;      /* values with n_c > 0 */
};

void stp_build(struct stp *p, const struct st_data *d);
void stp_free(struct stp *p);
/* notes when there is nothing to compute on; returns 0 if alpha can proceed */
int stp_alpha_check(const struct stp *p, struct st_notes *notes);

/* alpha.c: Krippendorff's alpha and the pieces the bootstrap reuses */
size_t stp_unit_len(const struct stp *p, size_t k);
/* unit k's share of sum_ck o_ck d_ck; x: each value's coordinate (the
 * values, or ordinal mid-ranks); rv, rc: scratch for `raters` entries */
double stp_unit_do(const struct stp *p, enum st_level lv, size_t k,
		const double *x, uint32_t *rv, double *rc);
/* sum_ck n_c n_k d_ck over marginals cnt (n values in all) */
double stp_expected(enum st_level lv, size_t nval, const double *cnt, double n, const double *x);
/* coordinates for lv: p->val, or mid-ranks of cnt written into t */
const double *stp_coords(const struct stp *p, enum st_level lv, const double *cnt, double *t);
double stp_alpha_from(double n, double dobs, double dexp);   /* NaN if dexp <= 0 */
int stp_ratio_check(const struct stp *p, struct st_notes *notes);
double stp_alpha(const struct stp *p, enum st_level lv, struct st_notes *notes);
/* boot.c */
void stp_alpha_ci(const struct stp *p, enum st_level lv, uint64_t seed,
		unsigned resamples, double *lo, double *hi, struct st_notes *notes);
struct st_kappa stp_cohen(const struct stp *p, size_t r1, size_t r2, struct st_notes *notes);
double stp_weighted(const struct stp *p, size_t r1, size_t r2, enum st_weights w, struct st_notes *notes);
/* sum_i sum_j row_i col_j d(x_i, x_j), d = |.| or (.)^2, in O(V) */
double stp_expected_linear(size_t nval, const double *x, const double *row, const double *col);
double stp_expected_quadratic(size_t nval, const double *x, const double *row, const double *col, double n);
/* boot.c: bootstrap intervals of Cohen's kappa and both weighted kappas
 * of raters r1, r2 (weighted ones only when weighted) into o */
void stp_kappa_ci(const struct stp *p, size_t r1, size_t r2, int weighted, uint64_t seed,
		unsigned resamples, struct st_agree *o);
/* gwet.c: the categories of d (its scale's values and every value
 * observed, ascending; malloc'd); PABAK, prevalence and bias of r1, r2 into o */
size_t stp_categories(const struct st_data *d, const struct stp *p, double **out);
struct st_gwet stp_gwet(const struct st_data *d, const struct stp *p, int weighted, struct st_notes *notes);
void stp_pabak(const struct st_data *d, const struct stp *p, size_t r1, size_t r2, struct st_agree *o);
/* kappa.c: the position of x in ascending v[0..k) (k if above all) */
size_t stp_find_value(const double *v, size_t k, double x);
/* kappa.c: Po and Pe of Cohen's kappa of r1, r2 (NaN when undefined) */
void stp_cohen_parts(const struct stp *p, size_t r1, size_t r2, double *po, double *pe);
/* *po, *pe: Fleiss' observed and chance agreement (NaN when undefined) */
double stp_fleiss(const struct stp *p, size_t *used, double *po, double *pe, struct st_notes *notes);
double stp_percent(const struct stp *p, struct st_notes *notes);
#endif
