/* corr.h: how two series of numbers go together, for the judge check of
 * `agree --judge` (src/app/judgecheck.c): rank correlations, a least-squares
 * slope, the mean of paired differences with its t interval, and Student's
 * t quantile behind it. Pure math (src/stats/corr.c): no I/O, no names.
 *
 * Definitions (checked in tests/unit/test_corr.c against scipy 1.10's
 * spearmanr, kendalltau (tau-b), linregress and t.ppf, and the worked
 * examples named there):
 *   pearson    the product-moment r (Pearson 1896), two passes
 *   spearman   Pearson's r of the ranks, ties given their mean rank
 *   kendall    tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)), n0 = n(n-1)/2,
 *              n1, n2 the pairs tied in x, in y
 *   slope      ordinary least squares of y on x
 *   mean CI    mean +- t(0.975, n-1) s / sqrt(n)
 * Each returns NaN when it is undefined (fewer than two or three values, a
 * series that never changes); the caller says why. */
#ifndef GOLDSET_CORR_H
#define GOLDSET_CORR_H
#include <stddef.h>

double st_pearson(const double *x, const double *y, size_t n);   /* NaN below 3 values or with no spread */
double st_spearman(const double *x, const double *y, size_t n);
double st_kendall_tau_b(const double *x, const double *y, size_t n);
double st_slope(const double *x, const double *y, size_t n);
/* the mean of d[0..n) and its 95% t interval (NaN bounds below two values
 * or when they all agree, the interval then being the mean itself: 0 width) */
double st_mean_ci95(const double *d, size_t n, double *lo, double *hi);
/* Student's t quantile: P(T <= t) = p with df degrees of freedom */
double st_t_quantile(double p, double df);
#endif
