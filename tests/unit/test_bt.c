/* test_bt.c: Bradley–Terry (src/stats/bt.c) against published worked
 * examples and an independent implementation, plus the conventions goldset
 * chose (ties, separation, disconnected graphs, bootstrap, position bias,
 * the pair design). Every expected value states where it came from.
 *
 * Reference values from R's BradleyTerry2 (Debian r-cran-bradleyterry2
 * 1.1-2-2, R 4.2.2), computed once; R is not needed to run this test:
 *
 *   library(BradleyTerry2)
 *   data(citations); cit <- countsToBinomial(citations)
 *   m <- BTm(cbind(win1, win2), player1, player2, ~ journal, id = "journal",
 *            data = cit, control = glm.control(epsilon = 1e-15, maxit = 100))
 *   s <- BTabilities(m)[, 1]; print(s - mean(s), digits = 12)
 *   data(baseball)
 *   b <- BTm(cbind(home.wins, away.wins), home.team, away.team, data = baseball,
 *            id = "team", control = glm.control(epsilon = 1e-15, maxit = 100))
 *   s <- BTabilities(b)[, 1]; print(s - mean(s), digits = 12)
 *
 * BradleyTerry2 reports abilities against a reference system (0); they are
 * re-centred to mean 0 above, which is goldset's convention. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stats/bt.h"
#include "stats/stats.h"

#define near(a, b, tol) do { \
	double a_ = (a), b_ = (b); \
	if (!(fabs(a_ - b_) <= (tol))) \
		fail_msg("%s = %.15g, expected %.15g (tolerance %g)", #a, a_, b_, (double)(tol)); \
} while (0)

/* a growing list of comparisons */
struct cl { struct st_bt_cmp *v; size_t n, cap; };

static void add(struct cl *l, uint32_t a, uint32_t b, int outcome, int left, long times)
{
	for (long t = 0; t < times; t++) {
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 64;
			l->v = realloc(l->v, l->cap * sizeof *l->v);
			assert_non_null(l->v);
		}
		l->v[l->n++] = (struct st_bt_cmp){ a, b, (int8_t)outcome, (int8_t)left };
	}
}

/* a beat b `wins` times and b beat a `losses` times */
static void games(struct cl *l, uint32_t a, uint32_t b, long wins, long losses)
{
	add(l, a, b, ST_BT_A_WINS, ST_BT_LEFT_UNKNOWN, wins);
	add(l, a, b, ST_BT_B_WINS, ST_BT_LEFT_UNKNOWN, losses);
}

static void fit(size_t n, struct cl *l, int boot, struct st_bt_result *r)
{
	struct st_bt_opts o = { boot, 7 };
	assert_int_equal(st_bt_fit(n, l->v, l->n, &o, r), 0);
}

static double score_sum(const struct st_bt_result *r)
{
	double s = 0;
	for (size_t i = 0; i < r->n; i++) s += r->sys[i].score;
	return s;
}

/* choix (github.com/lucasmaystre/choix) tests/data/testcase-pairwise-2.json:
 * "Cycle on three items", data [[0,1],[0,1],[1,2],[2,0]] (winner, loser),
 * ml_est [1.43586088, 0.62035049, 0.94378863] in exp scale; log and centre:
 * [0.419617624, -0.419617616, -8e-9]. Exactly: by symmetry theta = (x, -x, 0)
 * with 2 = 2 sigma(2x) + sigma(x), x = 0.419617624991098 (scipy brentq). */
static void t_choix_cycle(void **st)
{
	(void)st;
	struct cl l = {0};
	struct st_bt_result r;
	games(&l, 0, 1, 2, 0);
	games(&l, 1, 2, 1, 0);
	games(&l, 2, 0, 1, 0);
	fit(3, &l, 0, &r);
	assert_int_equal(r.finite, 1);
	near(r.sys[0].score, 0.419617624991098, 1e-12);
	near(r.sys[1].score, -0.419617624991098, 1e-12);
	near(r.sys[2].score, 0, 1e-12);
	near(r.sys[0].score, 0.41961762414772197, 1e-7);   /* choix, to its 8 digits */
	near(r.sys[0].elo, 1000 + 400 * 0.419617624991098 / log(10), 1e-9);
	assert_true(r.max_gradient < 1e-10);
	st_bt_result_free(&r);
	/* choix testcase-pairwise-1.json: the plain 3-cycle, all equal */
	l.n = 0;
	games(&l, 0, 1, 1, 0);
	games(&l, 1, 2, 1, 0);
	games(&l, 2, 0, 1, 0);
	fit(3, &l, 0, &r);
	for (int i = 0; i < 3; i++) near(r.sys[i].score, 0, 1e-12);
	st_bt_result_free(&r);
	free(l.v);
}

/* Agresti, Categorical Data Analysis (2nd ed., 2002), table 10.? / BradleyTerry2's
 * `citations`: cross-citations among four statistics journals; "i beat j"
 * = i was cited by j. Order: Biometrika, Comm Statist, JASA, JRSS-B. */
static void t_citations(void **st)
{
	(void)st;
	static const long cited[4][4] = {   /* cited[i][j]: i cited by j */
		{ 714, 730, 498, 221 }, { 33, 425, 68, 17 },
		{ 320, 813, 1072, 142 }, { 284, 276, 325, 188 } };
	static const double want[4] = { 0.789922052694, -2.159150444150,
					0.310352282942, 1.058876108514 };
	struct cl l = {0};
	struct st_bt_result r;
	for (uint32_t i = 0; i < 4; i++)
		for (uint32_t j = i + 1; j < 4; j++) games(&l, i, j, cited[i][j], cited[j][i]);
	fit(4, &l, 0, &r);
	assert_int_equal(r.finite, 1);
	for (int i = 0; i < 4; i++) near(r.sys[i].score, want[i], 1e-9);
	near(score_sum(&r), 0, 1e-12);
	assert_int_equal(r.comparisons, 3727);   /* off-diagonal total */
	assert_int_equal(r.sys[0].wins, 730 + 498 + 221);
	assert_int_equal(r.sys[0].losses, 33 + 320 + 284);
	assert_int_equal(r.h2h_wins[1 * 4 + 0], 33);
	st_bt_result_free(&r);
	free(l.v);
}

/* Agresti (2002) section 10.6 / BradleyTerry2's `baseball`: 1987 American
 * League East, home.wins/away.wins per (home, away) fixture, home advantage
 * not modelled. Teams as BradleyTerry2 orders them. */
enum { BAL, BOS, CLE, DET, MIL, NY, TOR };
static const int fixtures[42][4] = {
	{MIL,DET,4,3},{MIL,TOR,4,2},{MIL,NY,4,3},{MIL,BOS,6,1},{MIL,CLE,4,2},{MIL,BAL,6,0},
	{DET,MIL,3,3},{DET,TOR,4,2},{DET,NY,4,3},{DET,BOS,6,0},{DET,CLE,6,1},{DET,BAL,4,3},
	{TOR,MIL,2,5},{TOR,DET,4,3},{TOR,NY,2,4},{TOR,BOS,4,3},{TOR,CLE,4,2},{TOR,BAL,6,0},
	{NY,MIL,3,3},{NY,DET,5,1},{NY,TOR,2,5},{NY,BOS,4,3},{NY,CLE,4,2},{NY,BAL,6,1},
	{BOS,MIL,5,1},{BOS,DET,2,5},{BOS,TOR,3,3},{BOS,NY,4,2},{BOS,CLE,5,2},{BOS,BAL,6,0},
	{CLE,MIL,2,5},{CLE,DET,3,3},{CLE,TOR,3,4},{CLE,NY,4,3},{CLE,BOS,4,2},{CLE,BAL,2,4},
	{BAL,MIL,2,5},{BAL,DET,1,5},{BAL,TOR,1,6},{BAL,NY,2,4},{BAL,BOS,1,6},{BAL,CLE,3,4}};

static void t_baseball(void **st)
{
	(void)st;
	static const double want[7] = { -1.0502025360093, 0.0574951693694, -0.3663497668501,
		0.3862058958032, 0.5311533406521, 0.1974153091321, 0.2442825879025 };
	struct cl l = {0};
	struct st_bt_result r;
	for (int k = 0; k < 42; k++)
		games(&l, (uint32_t)fixtures[k][0], (uint32_t)fixtures[k][1], fixtures[k][2], fixtures[k][3]);
	fit(7, &l, 200, &r);
	assert_int_equal(r.finite, 1);
	for (int i = 0; i < 7; i++) near(r.sys[i].score, want[i], 1e-10);
	assert_true(r.max_gradient < 1e-10);
	assert_true(r.iterations < 20);
	/* bootstrap: every interval holds its estimate */
	for (int i = 0; i < 7; i++) {
		assert_true(r.sys[i].ci_lo < r.sys[i].score);
		assert_true(r.sys[i].ci_hi > r.sys[i].score);
	}
	st_bt_result_free(&r);
	free(l.v);
}

/* Ties count half a win for each side: A beat B 3 times and they tied
 * once, so w(A,B) = 3.5, w(B,A) = 0.5 and theta_A - theta_B = ln 7 exactly
 * (two systems: the MLE of the win share p is 3.5/4 = 7/8). */
static void t_ties_half(void **st)
{
	(void)st;
	struct cl l = {0};
	struct st_bt_result r;
	games(&l, 0, 1, 3, 0);
	add(&l, 1, 0, ST_BT_TIE, ST_BT_LEFT_UNKNOWN, 1);
	fit(2, &l, 0, &r);
	assert_int_equal(r.finite, 1);             /* wins + a tie: finite */
	assert_int_equal(r.sys[0].never_lost, 0);
	assert_int_equal(r.sys[0].ties, 1);
	assert_int_equal(r.h2h_ties[0 * 2 + 1], 1);
	assert_int_equal(r.h2h_ties[1 * 2 + 0], 1);
	near(r.sys[0].score, log(7) / 2, 1e-12);
	near(r.sys[1].score, -log(7) / 2, 1e-12);
	st_bt_result_free(&r);
	/* only ties: everyone equal */
	l.n = 0;
	add(&l, 0, 1, ST_BT_TIE, ST_BT_LEFT_UNKNOWN, 2);
	add(&l, 1, 2, ST_BT_TIE, ST_BT_LEFT_UNKNOWN, 1);
	fit(3, &l, 0, &r);
	assert_int_equal(r.finite, 1);
	for (int i = 0; i < 3; i++) near(r.sys[i].score, 0, 1e-12);
	st_bt_result_free(&r);
	free(l.v);
}

/* Separation: A beat B and C and never lost, D lost every game; B and C
 * split theirs 2-1. No finite MLE: groups {A} > {B, C} > {D}; B and C get a
 * within-group score (+-ln2/2, from their own 2-1 record). */
static void t_separation(void **st)
{
	(void)st;
	struct cl l = {0};
	struct st_bt_result r;
	games(&l, 0, 1, 2, 0);
	games(&l, 0, 2, 1, 0);
	games(&l, 1, 2, 2, 1);
	games(&l, 3, 1, 0, 1);
	games(&l, 3, 2, 0, 2);
	fit(4, &l, 100, &r);
	assert_int_equal(r.finite, 0);
	assert_int_equal(r.groups, 3);
	assert_int_equal(r.pieces, 1);
	assert_int_equal(r.sys[0].never_lost, 1);
	assert_int_equal(r.sys[3].never_won, 1);
	assert_int_equal(r.sys[1].never_lost + r.sys[1].never_won, 0);
	assert_int_equal(r.sys[0].group, 0);
	assert_int_equal(r.sys[1].group, 1);
	assert_int_equal(r.sys[2].group, 1);
	assert_int_equal(r.sys[3].group, 2);
	for (int i = 0; i < 4; i++) {
		assert_true(isnan(r.sys[i].score));
		assert_true(isnan(r.sys[i].elo));
		assert_true(isnan(r.sys[i].ci_lo));
	}
	near(r.sys[1].group_score, log(2) / 2, 1e-12);
	near(r.sys[2].group_score, -log(2) / 2, 1e-12);
	assert_true(isnan(r.sys[0].group_score));
	st_bt_result_free(&r);
	/* no loss but a tie is not "never lost" (and is finite) */
	l.n = 0;
	games(&l, 0, 1, 5, 0);
	add(&l, 0, 1, ST_BT_TIE, ST_BT_LEFT_UNKNOWN, 1);
	games(&l, 1, 2, 1, 1);
	fit(3, &l, 0, &r);
	assert_int_equal(r.finite, 1);
	assert_int_equal(r.sys[0].never_lost, 0);
	st_bt_result_free(&r);
	free(l.v);
}

/* A graph in two pieces: {0,1} and {2,3} never met. Both pieces are fitted
 * on their own; the two groups have no order between them. A system with no
 * comparison at all (4) is a group of its own. */
static void t_disconnected(void **st)
{
	(void)st;
	struct cl l = {0};
	struct st_bt_result r;
	games(&l, 0, 1, 3, 1);
	games(&l, 2, 3, 1, 1);
	fit(5, &l, 0, &r);
	assert_int_equal(r.finite, 0);
	assert_int_equal(r.groups, 3);
	assert_int_equal(r.pieces, 3);
	/* a piece's groups are numbered together, pieces by their first system */
	assert_int_equal(r.sys[0].group, 0);
	assert_int_equal(r.sys[2].group, 1);
	assert_int_equal(r.sys[4].group, 2);
	assert_int_equal(r.sys[4].piece, 2);
	assert_int_equal(r.sys[0].group, r.sys[1].group);
	assert_int_equal(r.sys[2].group, r.sys[3].group);
	assert_int_not_equal(r.sys[0].group, r.sys[2].group);
	assert_int_not_equal(r.sys[4].group, r.sys[0].group);
	assert_int_not_equal(r.sys[4].group, r.sys[2].group);
	near(r.sys[0].group_score, log(3) / 2, 1e-12);
	near(r.sys[2].group_score, 0, 1e-12);
	for (int i = 0; i < 4; i++) assert_int_equal(r.sys[i].never_lost + r.sys[i].never_won, 0);
	st_bt_result_free(&r);
	free(l.v);
}

/* The components' order: no edge (beat or tied) from a later group to an
 * earlier one. */
static void t_components_order(void **st)
{
	(void)st;
	/* 3 -> 1 -> {0 <-> 2}: 3 beat 1, 1 beat 0 and 2, 0 and 2 split */
	double w[16] = {0};
	int comp[4];
	w[3 * 4 + 1] = 1;
	w[1 * 4 + 0] = 1;
	w[1 * 4 + 2] = 1;
	w[0 * 4 + 2] = 1;
	w[2 * 4 + 0] = 1;
	assert_int_equal(st_bt_components(4, w, comp), 3);
	assert_int_equal(comp[3], 0);
	assert_int_equal(comp[1], 1);
	assert_int_equal(comp[0], 2);
	assert_int_equal(comp[2], 2);
	double th[4] = {0};
	assert_int_equal(st_bt_mle(4, w, th), -1);
}

/* The bootstrap is reproducible from its seed, changes with it, and an
 * interval is unbounded (NaN) when too many resamples lose the finite MLE:
 * system 0 lost once in 41 games, so about e^-1 of resamples never draw
 * that loss. */
static void t_bootstrap(void **st)
{
	(void)st;
	/* standard errors of the centred baseball scores: sqrt(diag(pinv(I)))
	 * with I the Fisher information at BradleyTerry2's estimate (numpy;
	 * the same I gives BradleyTerry2's s.e. 0.333878 for Boston - Baltimore) */
	static const double se[7] = { 0.2324623, 0.20091907, 0.20504432, 0.20415656,
				      0.20741948, 0.20160375, 0.20206152 };
	struct cl l = {0};
	struct st_bt_result r1, r2, r3;
	struct st_bt_opts o1 = { 300, 11 }, o3 = { 300, 12 };
	for (int k = 0; k < 42; k++)
		games(&l, (uint32_t)fixtures[k][0], (uint32_t)fixtures[k][1], fixtures[k][2], fixtures[k][3]);
	assert_int_equal(st_bt_fit(7, l.v, l.n, &o1, &r1), 0);
	assert_int_equal(st_bt_fit(7, l.v, l.n, &o1, &r2), 0);
	assert_int_equal(st_bt_fit(7, l.v, l.n, &o3, &r3), 0);
	assert_int_equal(r1.resamples, 300);
	assert_int_equal(r1.resamples_used, 300);
	for (int i = 0; i < 7; i++) {
		assert_true(r1.sys[i].ci_lo == r2.sys[i].ci_lo && r1.sys[i].ci_hi == r2.sys[i].ci_hi);
		assert_true(r1.sys[i].ci_lo != r3.sys[i].ci_lo);
		/* about 1.96 asymptotic standard errors of the centred score */
		double half = (r1.sys[i].ci_hi - r1.sys[i].ci_lo) / 2, want = 1.959964 * se[i];
		if (!(fabs(half - want) < 0.25 * want)) fail_msg("half width %g, want about %g", half, want);
	}
	st_bt_result_free(&r1);
	st_bt_result_free(&r2);
	st_bt_result_free(&r3);
	l.n = 0;
	games(&l, 0, 1, 20, 1);
	games(&l, 0, 2, 20, 0);
	games(&l, 1, 2, 10, 10);
	assert_int_equal(st_bt_fit(3, l.v, l.n, &o1, &r1), 0);
	assert_int_equal(r1.finite, 1);
	assert_true(r1.resamples_used < 250 && r1.resamples_used > 120);
	assert_true(isnan(r1.sys[0].ci_lo) && isnan(r1.sys[0].ci_hi));
	st_bt_result_free(&r1);
	/* no bootstrap: no intervals */
	struct st_bt_opts o0 = { 0, 1 };
	assert_int_equal(st_bt_fit(3, l.v, l.n, &o0, &r1), 0);
	assert_true(isnan(r1.sys[1].ci_lo));
	assert_int_equal(r1.resamples, 0);
	st_bt_result_free(&r1);
	free(l.v);
}

/* Wilson intervals: statsmodels proportion_confint(k, n, method='wilson')
 * (Debian python3-statsmodels) gives (0, 0.27753279986288926) for 0/10,
 * (0.23659309051256394, 0.7634069094874361) for 5/10,
 * (0.2552885198782742, 0.36620957698280004) for 81/263 and
 * (0.5020025867910618, 0.6905987135675411) for 60/100. */
static void t_wilson(void **st)
{
	(void)st;
	static const struct { long k, n; double lo, hi; } c[] = {
		{ 0, 10, 0.0, 0.27753279986288926 }, { 5, 10, 0.23659309051256394, 0.7634069094874361 },
		{ 81, 263, 0.2552885198782742, 0.36620957698280004 },
		{ 60, 100, 0.5020025867910618, 0.6905987135675411 } };
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		double lo, hi;
		st_bt_wilson95(c[i].k, c[i].n, &lo, &hi);
		near(lo, c[i].lo, 1e-12);
		near(hi, c[i].hi, 1e-12);
	}
	double lo, hi;
	st_bt_wilson95(0, 0, &lo, &hi);
	assert_true(isnan(lo) && isnan(hi));
}

/* Position bias: the left side won 60 of 100 decided comparisons (ties are
 * left out), Wilson [0.502, 0.691] excludes 0.5: flagged. */
static void t_position_bias(void **st)
{
	(void)st;
	struct cl l = {0};
	struct st_bt_result r;
	add(&l, 0, 1, ST_BT_A_WINS, ST_BT_LEFT_A, 30);   /* left won */
	add(&l, 0, 1, ST_BT_B_WINS, ST_BT_LEFT_B, 30);   /* left won */
	add(&l, 0, 1, ST_BT_A_WINS, ST_BT_LEFT_B, 20);   /* right won */
	add(&l, 0, 1, ST_BT_B_WINS, ST_BT_LEFT_A, 20);   /* right won */
	add(&l, 0, 1, ST_BT_TIE, ST_BT_LEFT_A, 7);
	add(&l, 0, 1, ST_BT_A_WINS, ST_BT_LEFT_UNKNOWN, 5);
	fit(2, &l, 0, &r);
	assert_int_equal(r.left_known, 107);
	assert_int_equal(r.left_decided, 100);
	assert_int_equal(r.left_won, 60);
	near(r.left_rate, 0.6, 1e-15);
	near(r.left_lo, 0.5020025867910618, 1e-12);
	assert_int_equal(r.left_biased, 1);
	st_bt_result_free(&r);
	l.n = 0;
	add(&l, 0, 1, ST_BT_A_WINS, ST_BT_LEFT_A, 5);
	add(&l, 0, 1, ST_BT_A_WINS, ST_BT_LEFT_B, 5);
	fit(2, &l, 0, &r);   /* 0 never lost: no score, but the rate is there */
	near(r.left_rate, 0.5, 1e-15);
	assert_int_equal(r.left_biased, 0);
	st_bt_result_free(&r);
	l.n = 0;
	add(&l, 0, 1, ST_BT_A_WINS, ST_BT_LEFT_UNKNOWN, 1);
	fit(2, &l, 0, &r);
	assert_true(isnan(r.left_rate));
	st_bt_result_free(&r);
	free(l.v);
}

static void t_bad_input(void **st)
{
	(void)st;
	struct st_bt_result r;
	struct st_bt_cmp same = { 1, 1, ST_BT_A_WINS, ST_BT_LEFT_UNKNOWN };
	struct st_bt_cmp out = { 0, 3, ST_BT_A_WINS, ST_BT_LEFT_UNKNOWN };
	struct st_bt_cmp bad = { 0, 1, 5, ST_BT_LEFT_UNKNOWN };
	assert_int_equal(st_bt_fit(3, &same, 1, NULL, &r), -1);
	assert_int_equal(st_bt_fit(3, &out, 1, NULL, &r), -1);
	assert_int_equal(st_bt_fit(3, &bad, 1, NULL, &r), -1);
	/* nothing at all is not an error */
	assert_int_equal(st_bt_fit(0, NULL, 0, NULL, &r), 0);
	assert_int_equal(r.n, 0);
	st_bt_result_free(&r);
}

/* A larger random tournament: the fit recovers the true strengths within
 * sampling error and the gradient vanishes at the solution. */
static void t_random_recovery(void **st)
{
	(void)st;
	enum { N = 20, M = 40000 };
	double truth[N], mean = 0;
	struct rng g;
	struct cl l = {0};
	struct st_bt_result r;
	rng_seed(&g, 99);
	for (int i = 0; i < N; i++) mean += truth[i] = (double)i / 10;
	mean /= N;
	for (int k = 0; k < M; k++) {
		uint32_t a = (uint32_t)rng_below(&g, N), b = (uint32_t)rng_below(&g, N - 1);
		if (b >= a) b++;
		double p = 1 / (1 + exp(truth[b] - truth[a]));
		double u = (double)(rng_next(&g) >> 11) / 9007199254740992.0;
		add(&l, a, b, u < p ? ST_BT_A_WINS : ST_BT_B_WINS, ST_BT_LEFT_UNKNOWN, 1);
	}
	fit(N, &l, 0, &r);
	assert_int_equal(r.finite, 1);
	assert_true(r.max_gradient < 1e-8);
	for (int i = 0; i < N; i++) near(r.sys[i].score, truth[i] - mean, 0.15);
	st_bt_result_free(&r);
	free(l.v);
}

/* Hard shapes with exact answers. Two systems at 100000 to 1: the gap is
 * ln 100000. A path of 30 systems, each beating the next 9 times to 1:
 * the likelihood factorises over the path's edges, so every step is ln 9
 * and the scores span 29 ln 9 = 63.7 (win probabilities down to e^-63). */
static void t_extreme(void **st)
{
	(void)st;
	struct cl l = {0};
	struct st_bt_result r;
	games(&l, 0, 1, 100000, 1);
	fit(2, &l, 0, &r);
	near(r.sys[0].score - r.sys[1].score, log(100000), 1e-9);
	st_bt_result_free(&r);
	l.n = 0;
	for (uint32_t i = 0; i + 1 < 30; i++) games(&l, i, i + 1, 9, 1);
	fit(30, &l, 0, &r);
	assert_int_equal(r.finite, 1);
	for (int i = 0; i < 30; i++) near(r.sys[i].score, (14.5 - i) * log(9), 1e-9);
	assert_true(r.max_gradient < 1e-9);
	st_bt_result_free(&r);
	free(l.v);
}

/* The shared PRNG (stats.h) as bt.c uses it: reproducible, in range,
 * roughly uniform. */
static void t_rng(void **st)
{
	(void)st;
	struct rng a, b;
	long count[7] = {0};
	rng_seed(&a, 5);
	rng_seed(&b, 5);
	for (int i = 0; i < 70000; i++) {
		uint64_t x = rng_below(&a, 7);
		assert_true(x < 7);
		assert_int_equal(x, rng_below(&b, 7));
		count[x]++;
	}
	for (int i = 0; i < 7; i++) assert_true(count[i] > 9500 && count[i] < 10500);
	assert_int_equal(rng_below(&a, 1), 0);
	assert_true(rng_below(&a, (uint64_t)1 << 40) < (uint64_t)1 << 40);
}

/* Pair design: every pair for k <= 4; for k = 7 and 3 pairs an item, over
 * 21 consecutive items (one cycle) every pair comes up exactly 3 times and
 * so every system 18 times; an item never repeats a pair; the design
 * follows names, not their order in the item. */
static void t_pair_design(void **st)
{
	(void)st;
	const char *four[] = { "d", "b", "a", "c" };
	uint32_t out[8][2];
	assert_int_equal(st_bt_pairs_for_item(four, 4, 0, 2, 1, out), 6);
	assert_int_equal(st_bt_pairs_for_item(four, 2, 0, 2, 1, out), 1);
	assert_int_equal(st_bt_pairs_for_item(four, 1, 0, 2, 1, out), 0);
	const char *seven[] = { "g", "a", "f", "b", "e", "c", "d" };
	const char *shuffled[] = { "a", "b", "c", "d", "e", "f", "g" };
	int pair_seen[7][7] = {{0}}, sys_seen[7] = {0};
	for (size_t t = 0; t < 21; t++) {
		size_t m = st_bt_pairs_for_item(seven, 7, t, 3, 42, out);
		uint32_t other[8][2];
		assert_int_equal(m, 3);
		assert_int_equal(st_bt_pairs_for_item(shuffled, 7, t, 3, 42, other), 3);
		for (size_t s = 0; s < m; s++) {
			uint32_t x = out[s][0], y = out[s][1];
			assert_true(x != y && x < 7 && y < 7);
			assert_string_equal(seven[x], shuffled[other[s][0]]);
			assert_string_equal(seven[y], shuffled[other[s][1]]);
			for (size_t q = 0; q < s; q++)
				assert_false((out[q][0] == x && out[q][1] == y) || (out[q][0] == y && out[q][1] == x));
			pair_seen[x < y ? x : y][x < y ? y : x]++;
			sys_seen[x]++;
			sys_seen[y]++;
		}
	}
	for (int i = 0; i < 7; i++) {
		assert_int_equal(sys_seen[i], 18);
		for (int j = i + 1; j < 7; j++) assert_int_equal(pair_seen[i][j], 3);
	}
	/* another seed, another design; more pairs asked than exist: all of them */
	uint32_t a[8][2], b[8][2];
	st_bt_pairs_for_item(seven, 7, 0, 3, 1, a);
	st_bt_pairs_for_item(seven, 7, 0, 3, 2, b);
	assert_true(memcmp(a, b, 3 * sizeof a[0]) != 0);
	uint32_t (*all)[2] = calloc(21, sizeof *all);
	assert_int_equal(st_bt_pairs_for_item(seven, 7, 5, 50, 1, all), 21);
	free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_choix_cycle),
		cmocka_unit_test(t_citations),
		cmocka_unit_test(t_baseball),
		cmocka_unit_test(t_ties_half),
		cmocka_unit_test(t_separation),
		cmocka_unit_test(t_disconnected),
		cmocka_unit_test(t_components_order),
		cmocka_unit_test(t_bootstrap),
		cmocka_unit_test(t_wilson),
		cmocka_unit_test(t_position_bias),
		cmocka_unit_test(t_bad_input),
		cmocka_unit_test(t_random_recovery),
		cmocka_unit_test(t_extreme),
		cmocka_unit_test(t_rng),
		cmocka_unit_test(t_pair_design),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
