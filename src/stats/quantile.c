/* quantile.c: the percentile of sorted values that every bootstrap
 * interval in stats/ reads (R's type 7). */
#include "stats/stats.h"

#include <math.h>

double st_quantile(const double *sorted, size_t n, double p)
{
	if (n == 0) return NAN;
	if (p <= 0) return sorted[0];
	if (p >= 1) return sorted[n - 1];
	double h = (double)(n - 1) * p;
	size_t i = (size_t)floor(h);
	if (i + 1 >= n) return sorted[n - 1];
	return sorted[i] + (h - (double)i) * (sorted[i + 1] - sorted[i]);
}
