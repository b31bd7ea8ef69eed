/* bt.c: Bradley–Terry by maximum likelihood, its bootstrap intervals, the
 * position-bias rate and the pair design of the pair screen (see bt.h for
 * the model and conventions). Pure math: no I/O, no names, no store.
 *
 * Work plan for speed: one O(comparisons) pass aggregates everything into
 * an n x n win matrix (ties split 0.5/0.5); Newton's method then works on
 * the matrix alone (O(n^2) per gradient, O(n^3) per solve). The bootstrap
 * resamples comparisons with replacement (O(comparisons) per resample, so
 * time grows linearly with resamples): comparisons are grouped into cells
 * (pair, outcome) and each draw picks a cell with probability count/total
 * through an alias table, which is the same distribution as drawing a
 * comparison index; the counts rebuild the matrix, and Newton refits from
 * the full-data estimate (2-4 steps). */
#include "stats/bt.h"
#include "stats/compare.h"
#include "stats/stats.h"   /* st_rng: the generator every bootstrap in src/stats/ shares */
#include "base/util.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BT_MAX_NEWTON 200
#define BT_STEP_TOL 1e-12

/* ---------- small numeric helpers ---------- */

static double log_sigmoid(double x)
{
	return x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x));
}

static double sigmoid(double x)
{
	if (x >= 0) return 1 / (1 + exp(-x));
	double e = exp(x);
	return e / (1 + e);
}

static void centre(size_t n, double *v)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) s += v[i];
	s /= (double)n;
	for (size_t i = 0; i < n; i++) v[i] -= s;
}

void st_bt_wilson95(long k, long m, double *lo, double *hi)
{
	st_wilson95((double)k, (double)m, lo, hi);
}

/* ---------- strongly connected components (Kosaraju, iterative) ---------- */

static int edge(size_t n, const double *w, size_t u, size_t v, int rev)
{
	return rev ? w[v * n + u] > 0 : w[u * n + v] > 0;
}

/* depth-first from s; appends vertices to order[] as they finish */
static void dfs_finish(size_t n, const double *w, size_t s, char *seen,
		       size_t *next, size_t *stack, size_t *order, size_t *norder)
{
	size_t sp = 0;
	stack[sp++] = s;
	seen[s] = 1;
	while (sp) {
		size_t u = stack[sp - 1];
		while (next[u] < n && (seen[next[u]] || !edge(n, w, u, next[u], 0))) next[u]++;
		if (next[u] < n) {
			size_t v = next[u]++;
			seen[v] = 1;
			stack[sp++] = v;
		} else {
			order[(*norder)++] = u;
			sp--;
		}
	}
}

/* marks with component c every unmarked vertex that reaches s */
static void flood_back(size_t n, const double *w, size_t s, int c, int *comp, size_t *stack)
{
	size_t sp = 0;
	stack[sp++] = s;
	comp[s] = c;
	while (sp) {
		size_t u = stack[--sp];
		for (size_t v = 0; v < n; v++)
			if (comp[v] < 0 && edge(n, w, u, v, 1)) {
				comp[v] = c;
				stack[sp++] = v;
			}
	}
}

size_t st_bt_components(size_t n, const double *w, int *comp)
{
	char *seen = xcalloc(n, 1);
	size_t *next = xcalloc(n, sizeof *next), *stack = xmalloc(n * sizeof *stack);
	size_t *order = xmalloc(n * sizeof *order), norder = 0, ncomp = 0;
	for (size_t s = 0; s < n; s++)
		if (!seen[s]) dfs_finish(n, w, s, seen, next, stack, order, &norder);
	for (size_t i = 0; i < n; i++) comp[i] = -1;
	/* latest finisher first: components come out sources first */
	for (size_t k = n; k-- > 0;)
		if (comp[order[k]] < 0) flood_back(n, w, order[k], (int)ncomp++, comp, stack);
	free(seen);
	free(next);
	free(stack);
	free(order);
	return ncomp;
}

/* ---------- Newton's method on the win matrix ---------- */

static double loglik(size_t n, const double *w, const double *th)
{
	double ll = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (w[i * n + j] > 0) ll += w[i * n + j] * log_sigmoid(th[i] - th[j]);
	return ll;
}

/* g = gradient of the log-likelihood; h = minus its Hessian (if h) */
static void grad_hess(size_t n, const double *w, const double *th, double *g, double *h)
{
	memset(g, 0, n * sizeof *g);
	if (h) memset(h, 0, n * n * sizeof *h);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double wij = w[i * n + j], wji = w[j * n + i], nij = wij + wji;
			if (nij <= 0) continue;
			double p = sigmoid(th[i] - th[j]);
			g[i] += wij - nij * p;
			g[j] += wji - nij * (1 - p);
			if (!h) continue;
			double c = nij * p * (1 - p);
			h[i * n + i] += c;
			h[j * n + j] += c;
			h[i * n + j] -= c;
			h[j * n + i] -= c;
		}
}

/* Cholesky factorisation in place (lower triangle); 0 or -1 if not
 * positive definite */
static int cholesky(size_t n, double *a)
{
	for (size_t j = 0; j < n; j++) {
		double d = a[j * n + j];
		for (size_t k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
		if (!(d > 0)) return -1;
		d = sqrt(d);
		a[j * n + j] = d;
		for (size_t i = j + 1; i < n; i++) {
			double s = a[i * n + j];
			for (size_t k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
			a[i * n + j] = s / d;
		}
	}
	return 0;
}

static void chol_solve(size_t n, const double *l, double *x)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < i; k++) x[i] -= l[i * n + k] * x[k];
		x[i] /= l[i * n + i];
	}
	for (size_t i = n; i-- > 0;) {
		for (size_t k = i + 1; k < n; k++) x[i] -= l[k * n + i] * x[k];
		x[i] /= l[i * n + i];
	}
}

/* Newton direction d solving H d = g with 1'd = 0. H is singular along the
 * constant vector and g sums to 0, so (H + c 11') d = g gives exactly that
 * d for any c > 0. A tiny ridge is added only if rounding breaks Cholesky. */
static int newton_dir(size_t n, double *h, const double *g, double *d)
{
	double tr = 0;
	for (size_t i = 0; i < n; i++) tr += h[i * n + i];
	double c = tr > 0 ? tr / ((double)n * (double)n) : 1;
	for (size_t i = 0; i < n * n; i++) h[i] += c;
	double *a = xmalloc(n * n * sizeof *a);
	for (double ridge = 0; ridge < tr + 1; ridge = ridge ? ridge * 100 : tr * 1e-14 + 1e-300) {
		memcpy(a, h, n * n * sizeof *a);
		for (size_t i = 0; i < n; i++) a[i * n + i] += ridge;
		if (cholesky(n, a) == 0) {
			memcpy(d, g, n * sizeof *d);
			chol_solve(n, a, d);
			free(a);
			return 0;
		}
	}
	free(a);
	return -1;
}

static double max_abs(size_t n, const double *v)
{
	double m = 0;
	for (size_t i = 0; i < n; i++)
		if (fabs(v[i]) > m) m = fabs(v[i]);
	return m;
}

/* backtracking: the largest step 2^-k whose likelihood is not lower */
static void line_step(size_t n, const double *w, double *th, const double *d, double *tmp)
{
	double ll0 = loglik(n, w, th), slack = 1e-13 * (fabs(ll0) + 1);
	for (double t = 1; t > 1e-12; t /= 2) {
		for (size_t i = 0; i < n; i++) tmp[i] = th[i] + t * d[i];
		if (loglik(n, w, tmp) >= ll0 - slack) break;
	}
	memcpy(th, tmp, n * sizeof *th);
}

static int is_strongly_connected(size_t n, const double *w)
{
	int *comp = xmalloc(n * sizeof *comp);
	size_t k = st_bt_components(n, w, comp);
	free(comp);
	return k <= 1;
}

/* Newton iterations from th (a finite MLE must exist); returns steps */
static int newton(size_t n, const double *w, double *th)
{
	double *g = xmalloc(n * sizeof *g), *h = xmalloc(n * n * sizeof *h);
	double *d = xmalloc(n * sizeof *d), *tmp = xmalloc(n * sizeof *tmp);
	int it = 0;
	while (it < BT_MAX_NEWTON) {
		it++;
		grad_hess(n, w, th, g, h);
		if (newton_dir(n, h, g, d) != 0) break;
		if (max_abs(n, d) < BT_STEP_TOL) {
			for (size_t i = 0; i < n; i++) th[i] += d[i];
			break;
		}
		line_step(n, w, th, d, tmp);
	}
	centre(n, th);
	free(g);
	free(h);
	free(d);
	free(tmp);
	return it;
}

int st_bt_mle(size_t n, const double *w, double *theta)
{
	if (n == 0) return 0;
	if (!is_strongly_connected(n, w)) return -1;
	if (n == 1) { theta[0] = 0; return 0; }
	return newton(n, w, theta);
}

/* ---------- aggregation ---------- */

static int valid(size_t n, const struct st_bt_cmp *c, size_t ncmp)
{
	if (ncmp > UINT32_MAX || n > UINT32_MAX) return 0;    /* the resampler counts in 32 bits */
	for (size_t k = 0; k < ncmp; k++)
		if (c[k].a >= n || c[k].b >= n || c[k].a == c[k].b ||
		    c[k].outcome < ST_BT_A_WINS || c[k].outcome > ST_BT_TIE)
			return 0;
	return 1;
}

static void count_left(const struct st_bt_cmp *c, struct st_bt_result *r)
{
	if (c->left == ST_BT_LEFT_UNKNOWN) return;
	r->left_known++;
	if (c->outcome == ST_BT_TIE) return;
	r->left_decided++;
	if ((c->left == ST_BT_LEFT_A) == (c->outcome == ST_BT_A_WINS)) r->left_won++;
}

/* one pass: per-system counts, head-to-head tables, w, position counts */
static void aggregate(size_t n, const struct st_bt_cmp *c, size_t ncmp,
		      struct st_bt_result *r, double *w)
{
	for (size_t k = 0; k < ncmp; k++) {
		size_t a = c[k].a, b = c[k].b;
		if (c[k].outcome == ST_BT_TIE) {
			r->sys[a].ties++;
			r->sys[b].ties++;
			r->h2h_ties[a * n + b]++;
			r->h2h_ties[b * n + a]++;
			w[a * n + b] += 0.5;
			w[b * n + a] += 0.5;
		} else {
			size_t win = c[k].outcome == ST_BT_A_WINS ? a : b, lose = win == a ? b : a;
			r->sys[win].wins++;
			r->sys[lose].losses++;
			r->h2h_wins[win * n + lose]++;
			w[win * n + lose] += 1;
		}
		count_left(&c[k], r);
	}
}

static void position_bias(struct st_bt_result *r)
{
	r->left_rate = r->left_decided ? (double)r->left_won / (double)r->left_decided : NAN;
	st_bt_wilson95(r->left_won, r->left_decided, &r->left_lo, &r->left_hi);
	r->left_biased = r->left_decided > 0 && (r->left_lo > 0.5 || r->left_hi < 0.5);
}

/* ---------- groups (no finite MLE) ---------- */

/* fits each group of two or more on its own comparisons */
static void fit_groups(size_t n, const double *w, struct st_bt_result *r)
{
	size_t *idx = xmalloc(n * sizeof *idx);
	double *sub = xmalloc(n * n * sizeof *sub), *th = xmalloc(n * sizeof *th);
	for (size_t g = 0; g < r->groups; g++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (r->sys[i].group == (int)g) idx[m++] = i;
		if (m < 2) continue;
		for (size_t i = 0; i < m; i++)
			for (size_t j = 0; j < m; j++) sub[i * m + j] = w[idx[i] * n + idx[j]];
		memset(th, 0, m * sizeof *th);
		newton(m, sub, th);
		for (size_t i = 0; i < m; i++) r->sys[idx[i]].group_score = th[i];
	}
	free(idx);
	free(sub);
	free(th);
}

/* ---------- bootstrap ---------- */

/* Comparisons grouped into cells (pair i < j, outcome: i wins, j wins,
 * tie) with their counts. Drawing a comparison uniformly is drawing a cell
 * with probability count / ncmp: an alias table (Walker 1977, Vose 1991)
 * in exact integer form does that in O(1) from a table of a few KB, where
 * drawing comparison indices would wander over megabytes. */
struct cells {
	size_t ncells;       /* 3 per pair that occurs */
	uint32_t *pi, *pj;   /* per pair */
	uint32_t *count;     /* per cell */
	uint32_t *keep;      /* alias table: column j keeps cell j when t < keep[j] (t uniform < ncmp) */
	uint32_t *alias;     /* ... else gives cell alias[j] */
};

/* the pairs and cells are gathered in GArrays, then kept as plain arrays
 * for the draws */
static void count_cells(size_t n, const struct st_bt_cmp *c, size_t ncmp, struct cells *cl)
{
	int32_t *pid = xmalloc(n * n * sizeof *pid);
	GArray *pi = g_array_new(FALSE, FALSE, sizeof(uint32_t)), *pj = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	GArray *count = g_array_new(FALSE, TRUE, sizeof(uint32_t));   /* cleared as it grows */
	memset(cl, 0, sizeof *cl);
	for (size_t i = 0; i < n * n; i++) pid[i] = -1;
	for (size_t k = 0; k < ncmp; k++) {
		uint32_t i = c[k].a < c[k].b ? c[k].a : c[k].b;
		uint32_t j = c[k].a < c[k].b ? c[k].b : c[k].a;
		if (pid[i * n + j] < 0) {
			pid[i * n + j] = (int32_t)pi->len;
			g_array_append_val(pi, i);
			g_array_append_val(pj, j);
			g_array_set_size(count, count->len + 3);
		}
		uint32_t o = c[k].outcome == ST_BT_TIE ? 2 : (c[k].outcome == ST_BT_A_WINS) == (c[k].a == i) ? 0 : 1;
		g_array_index(count, uint32_t, (size_t)pid[i * n + j] * 3 + o)++;
	}
	free(pid);
	cl->ncells = count->len;
	cl->pi = (uint32_t *)(void *)g_array_free(pi, FALSE);
	cl->pj = (uint32_t *)(void *)g_array_free(pj, FALSE);
	cl->count = (uint32_t *)(void *)g_array_free(count, FALSE);
}

/* Vose's construction with integers: cell c has weight count[c] * K out of
 * K columns of capacity ncmp each, so P(c) = count[c] / ncmp exactly. */
static void build_alias(struct cells *cl, size_t ncmp)
{
	size_t K = cl->ncells, ns = 0, nl = 0;
	uint64_t *left = xmalloc(K * sizeof *left);
	uint32_t *small = xmalloc(K * sizeof *small), *large = xmalloc(K * sizeof *large);
	cl->keep = xmalloc(K * sizeof *cl->keep);
	cl->alias = xmalloc(K * sizeof *cl->alias);
	for (size_t c = 0; c < K; c++) {
		left[c] = (uint64_t)cl->count[c] * K;
		if (left[c] < ncmp) small[ns++] = (uint32_t)c;
		else large[nl++] = (uint32_t)c;
	}
	while (ns && nl) {
		uint32_t s = small[--ns], l = large[nl - 1];
		cl->keep[s] = (uint32_t)left[s];
		cl->alias[s] = l;
		left[l] -= ncmp - left[s];
		if (left[l] < ncmp) {
			nl--;
			small[ns++] = l;
		}
	}
	while (nl) { uint32_t l = large[--nl]; cl->keep[l] = (uint32_t)ncmp; cl->alias[l] = l; }
	while (ns) { uint32_t s = small[--ns]; cl->keep[s] = (uint32_t)ncmp; cl->alias[s] = s; }   /* rounding: none left */
	free(left);
	free(small);
	free(large);
}

static void free_cells(struct cells *cl)
{
	g_free(cl->pi);
	g_free(cl->pj);
	g_free(cl->count);
	free(cl->keep);
	free(cl->alias);
}

/* uniform in [0, bound) from 32 random bits x, more drawn only on the rare
 * rejection (Lemire 2019): no modulo bias */
static inline uint32_t below32(struct rng *g, uint32_t x, uint32_t bound)
{
	uint64_t m = (uint64_t)x * bound;
	if ((uint32_t)m < bound) {
		uint32_t lim = (uint32_t)(-bound % bound);
		while ((uint32_t)m < lim) m = (rng_next(g) >> 32) * bound;
	}
	return (uint32_t)(m >> 32);
}

/* one resample of ncmp comparisons with replacement, counted per cell,
 * then the win matrix rebuilt from the counts */
static void resample(size_t n, size_t ncmp, const struct cells *cl, struct rng *g,
		     uint32_t *cnt, double *w)
{
	uint32_t K = (uint32_t)cl->ncells, M = (uint32_t)ncmp;
	memset(cnt, 0, K * sizeof *cnt);
	for (size_t k = 0; k < ncmp; k++) {
		uint64_t x = rng_next(g);
		uint32_t j = below32(g, (uint32_t)(x >> 32), K), t = below32(g, (uint32_t)x, M);
		uint32_t other = cl->alias[j], stay = t < cl->keep[j];
		cnt[stay * j + (1 - stay) * other]++;      /* no branch: it would be mispredicted */
	}
	memset(w, 0, n * n * sizeof *w);
	for (size_t p = 0; p < K / 3; p++) {
		size_t i = cl->pi[p], j = cl->pj[p];
		double tie = 0.5 * cnt[3 * p + 2];
		w[i * n + j] = cnt[3 * p] + tie;
		w[j * n + i] = cnt[3 * p + 1] + tie;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* type-7 quantile of m sorted values padded with pad copies of -inf
 * (side < 0) or +inf (side > 0) */
static double padded_quantile(const double *v, size_t m, size_t pad, int side, double p)
{
	size_t total = m + pad;
	double h = (double)(total - 1) * p;
	size_t lo = (size_t)floor(h);
	size_t hi = lo + 1 < total ? lo + 1 : lo;
	size_t first = side < 0 ? pad : 0;    /* where the finite values start */
	if (lo < first || hi >= first + m) return NAN;
	return v[lo - first] + (h - (double)lo) * (v[hi - first] - v[lo - first]);
}

/* Percentile intervals. A resample without a finite estimate (a system
 * never lost or never won in it) counts as infinitely far out in both
 * tails, which widens every interval; if that reaches a 2.5% tail the
 * interval is NaN (unbounded). */
static void intervals(size_t n, const double *samp, int used, int dropped, struct st_bt_result *r)
{
	double *col = xmalloc((size_t)used * sizeof *col);
	for (size_t i = 0; i < n; i++) {
		for (int b = 0; b < used; b++) col[b] = samp[(size_t)b * n + i];
		qsort(col, (size_t)used, sizeof *col, cmp_double);
		r->sys[i].ci_lo = used ? padded_quantile(col, (size_t)used, (size_t)dropped, -1, 0.025) : NAN;
		r->sys[i].ci_hi = used ? padded_quantile(col, (size_t)used, (size_t)dropped, 1, 0.975) : NAN;
		if (isnan(r->sys[i].ci_lo) || isnan(r->sys[i].ci_hi)) r->sys[i].ci_lo = r->sys[i].ci_hi = NAN;
	}
	free(col);
}

static void bootstrap(size_t n, const struct st_bt_cmp *c, size_t ncmp, const double *theta,
		      const struct st_bt_opts *o, struct st_bt_result *r)
{
	struct cells cl;
	struct rng g;
	count_cells(n, c, ncmp, &cl);
	build_alias(&cl, ncmp);
	rng_seed(&g, o->seed);
	uint32_t *cnt = xmalloc(cl.ncells * sizeof *cnt);
	double *w = xmalloc(n * n * sizeof *w);
	double *samp = xmalloc((size_t)o->bootstrap * n * sizeof *samp);
	int used = 0;
	for (int b = 0; b < o->bootstrap; b++) {
		resample(n, ncmp, &cl, &g, cnt, w);
		if (!is_strongly_connected(n, w)) continue;
		double *th = samp + (size_t)used * n;
		memcpy(th, theta, n * sizeof *th);
		newton(n, w, th);
		used++;
	}
	r->resamples_used = used;
	intervals(n, samp, used, o->bootstrap - used, r);
	free(cnt);
	free(w);
	free(samp);
	free_cells(&cl);
}

/* ---------- the whole fit ---------- */

static void alloc_result(size_t n, size_t ncmp, struct st_bt_result *r)
{
	memset(r, 0, sizeof *r);
	r->n = n;
	r->comparisons = ncmp;
	r->sys = xcalloc(n, sizeof *r->sys);
	r->h2h_wins = xcalloc(n * n, sizeof *r->h2h_wins);
	r->h2h_ties = xcalloc(n * n, sizeof *r->h2h_ties);
	for (size_t i = 0; i < n; i++) {
		struct st_bt_system *s = &r->sys[i];
		s->score = s->elo = s->ci_lo = s->ci_hi = s->group_score = NAN;
	}
	r->left_rate = r->left_lo = r->left_hi = NAN;
}

/* union-find root, halving the path */
static size_t root_of(size_t *up, size_t i)
{
	while (up[i] != i) i = up[i] = up[up[i]];
	return i;
}

/* pieces: systems joined by any comparison (ties or wins, either way);
 * numbered in the order their first system appears. Returns the count. */
static size_t find_pieces(size_t n, const double *w, int *piece)
{
	size_t *up = xmalloc(n * sizeof *up), count = 0;
	for (size_t i = 0; i < n; i++) up[i] = i;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (w[i * n + j] > 0) up[root_of(up, i)] = root_of(up, j);
	for (size_t i = 0; i < n; i++) piece[i] = -1;
	for (size_t i = 0; i < n; i++) {
		size_t rt = root_of(up, i);
		if (piece[rt] < 0) piece[rt] = (int)count++;
		piece[i] = piece[rt];
	}
	free(up);
	return count;
}

/* Renumbers groups so that each piece's groups are consecutive (pieces in
 * order, groups keeping their order within a piece: still no edge from a
 * later group to an earlier one, as pieces share no edge). */
static void order_groups(size_t n, size_t ngroups, int *comp, const int *piece, size_t npieces)
{
	int *gpiece = xmalloc(ngroups * sizeof *gpiece), *renum = xmalloc(ngroups * sizeof *renum);
	for (size_t i = 0; i < n; i++) gpiece[comp[i]] = piece[i];
	int next = 0;
	for (size_t p = 0; p < npieces; p++)
		for (size_t g = 0; g < ngroups; g++)
			if (gpiece[g] == (int)p) renum[g] = next++;
	for (size_t i = 0; i < n; i++) comp[i] = renum[comp[i]];
	free(gpiece);
	free(renum);
}

static void flag_systems(size_t n, const double *w, int *comp, struct st_bt_result *r)
{
	int *piece = xmalloc(n * sizeof *piece);
	r->pieces = find_pieces(n, w, piece);
	order_groups(n, r->groups, comp, piece, r->pieces);
	for (size_t i = 0; i < n; i++) {
		struct st_bt_system *s = &r->sys[i];
		s->group = comp[i];
		s->piece = piece[i];
		s->never_lost = s->wins > 0 && s->losses == 0 && s->ties == 0;
		s->never_won = s->losses > 0 && s->wins == 0 && s->ties == 0;
	}
	free(piece);
}

static void fit_all(size_t n, const double *w, const struct st_bt_cmp *c, size_t ncmp,
		    const struct st_bt_opts *o, struct st_bt_result *r)
{
	double *th = xcalloc(n, sizeof *th), *g = xmalloc(n * sizeof *g);
	r->finite = 1;
	r->iterations = n > 1 ? newton(n, w, th) : 0;
	grad_hess(n, w, th, g, NULL);
	r->max_gradient = max_abs(n, g);
	for (size_t i = 0; i < n; i++) {
		r->sys[i].score = r->sys[i].group_score = th[i];
		r->sys[i].elo = 1000 + 400 * th[i] / log(10);
	}
	r->resamples = o && o->bootstrap > 0 ? o->bootstrap : 0;
	if (r->resamples && n > 1) bootstrap(n, c, ncmp, th, o, r);
	free(th);
	free(g);
}

int st_bt_fit(size_t n, const struct st_bt_cmp *c, size_t ncmp,
	      const struct st_bt_opts *o, struct st_bt_result *r)
{
	memset(r, 0, sizeof *r);
	if (!valid(n, c, ncmp)) return -1;
	alloc_result(n, ncmp, r);
	double *w = xcalloc(n * n, sizeof *w);
	int *comp = xmalloc(n * sizeof *comp);
	aggregate(n, c, ncmp, r, w);
	position_bias(r);
	r->groups = st_bt_components(n, w, comp);
	flag_systems(n, w, comp, r);
	if (n > 0 && r->groups == 1)
		fit_all(n, w, c, ncmp, o, r);
	else
		fit_groups(n, w, r);
	free(w);
	free(comp);
	return 0;
}

void st_bt_result_free(struct st_bt_result *r)
{
	free(r->sys);
	free(r->h2h_wins);
	free(r->h2h_ties);
	memset(r, 0, sizeof *r);
}

/* ---------- pair design for the pair screen ---------- */

/* indices 0..k-1 in the order of their names (insertion sort: k is small) */
static uint32_t *by_name(const char *const *names, size_t k)
{
	uint32_t *v = xmalloc(k * sizeof *v);
	for (size_t i = 0; i < k; i++) {
		size_t j = i;
		for (; j > 0 && strcmp(names[v[j - 1]], names[i]) > 0; j--) v[j] = v[j - 1];
		v[j] = (uint32_t)i;
	}
	return v;
}

static void shuffle(uint32_t *v, size_t m, struct rng *g)
{
	for (size_t i = m; i > 1; i--) {
		size_t j = (size_t)rng_below(g, i);
		uint32_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* Round-robin schedule (circle method) over k positions, rounds in a
 * seeded order: each round is a matching, so any run of consecutive pairs
 * spreads over the systems. Fills sched with k(k-1)/2 position pairs. */
static void round_robin(size_t k, struct rng *g, uint32_t (*sched)[2])
{
	size_t even = k + (k & 1), rounds = even - 1, m = 0;
	uint32_t *order = xmalloc(rounds * sizeof *order);
	for (size_t r = 0; r < rounds; r++) order[r] = (uint32_t)r;
	shuffle(order, rounds, g);
	for (size_t q = 0; q < rounds; q++) {
		size_t r = order[q];
		for (size_t s = 0; s < even / 2; s++) {
			size_t x = s == 0 ? even - 1 : (r + s) % rounds;
			size_t y = s == 0 ? r : (r + rounds - s) % rounds;
			if (x >= k || y >= k) continue;     /* the bye of an odd k */
			sched[m][0] = (uint32_t)x;
			sched[m++][1] = (uint32_t)y;
		}
	}
	free(order);
}

size_t st_bt_pairs_for_item(const char *const *names, size_t k, size_t item_index,
			    size_t pairs_per_item, uint64_t seed, uint32_t (*out)[2])
{
	if (k < 2) return 0;
	uint32_t *canon = by_name(names, k);
	size_t total = k * (k - 1) / 2, m = 0;
	if (k <= 4) {
		for (size_t i = 0; i < k; i++)
			for (size_t j = i + 1; j < k; j++) {
				out[m][0] = canon[i];
				out[m++][1] = canon[j];
			}
		free(canon);
		return m;
	}
	struct rng g;
	rng_seed(&g, seed);
	shuffle(canon, k, &g);                 /* which system takes which position */
	uint32_t (*sched)[2] = xmalloc(total * sizeof *sched);
	round_robin(k, &g, sched);
	m = pairs_per_item == 0 ? 1 : pairs_per_item > total ? total : pairs_per_item;
	size_t start = (size_t)((item_index % total) * (m % total) % total);
	for (size_t s = 0; s < m; s++) {
		out[s][0] = canon[sched[(start + s) % total][0]];
		out[s][1] = canon[sched[(start + s) % total][1]];
	}
	free(sched);
	free(canon);
	return m;
}
