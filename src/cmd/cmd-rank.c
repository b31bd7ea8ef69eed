/* cmd-rank.c: `goldset rank`, a Bradley–Terry ranking of systems from
 * pairwise comparisons (the math is src/stats/bt.c).
 *
 *   goldset rank --pairs FILE.csv [--json] [--bootstrap N] [--seed S]
 *   goldset rank [--rubric R] [--criterion C] [--by META_KEY] [--json]
 *                [--bootstrap N] [--seed S]
 *
 * Both modes reduce to one list of comparisons {a, b, winner, left} handed
 * to rank_report(), which fits, then prints JSON or a table (plus, on a
 * terminal, a forest plot) and the head-to-head table. --pairs reads a CSV
 * with header a,b,winner (winner = the name in a, the name in b, or "tie")
 * and an optional `left` column naming the system shown on the left; other
 * columns are ignored. Without a `left` column left_win_rate is null.
 * The CSV itself is read by csv.h (RFC 4180); `-` reads standard input.
 *
 * Workspace mode (rank_workspace) builds the same list from the current
 * pairwise labels of a rubric: one comparison per (item, pair, rater), the
 * winner of one preference criterion (the first unless --criterion), left
 * = the system shown left, and the rater, so that the report adds the
 * left-win rate per rater. --by KEY makes one report per value of the
 * items' meta KEY (JSON: an array of reports, each with "slice"). Labels
 * made both ways round (pair --both-orders) add how often the choice
 * changed (store_pair_flips_each). */
#include "bt.h"
#include "cmd.h"
#include "csv.h"
#include "jsonout.h"
#include "rubric.h"
#include "text.h"
#include "util.h"
#include "ws.h"

#include <errno.h>
#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define RANK_DEFAULT_SEED 1
#define RANK_MAX_BOOTSTRAP 1000000

/* One comparison as the CSV or the store gives it. winner is a's name,
 * b's name or "tie"; left names the system shown on the left, or NULL;
 * rater who made it, or NULL (CSV). */
struct rank_cmp { const char *a, *b, *winner, *left, *rater; };

/* --both-orders: per rater, comparisons labeled both ways round and how
 * many changed winner */
struct rank_flips { char **rater; long long *pairs, *flips; size_t n; };

/* what workspace mode adds to a report */
struct rank_extra {
	const char *rubric, *criterion;
	const char *other_prefs;      /* the rubric's other preference criteria, or NULL */
	const char *by, *slice;       /* --by KEY and this report's value (NULL: items without it) */
	const struct rank_flips *flips;
	struct jo *into;              /* --by --json: reports are added to this array */
};

struct rank_opts {
	const char *pairs;    /* --pairs FILE, or NULL: workspace mode */
	const char *rubric;
	const char *criterion, *by;
	int json;
	int bootstrap;
	uint64_t seed;
	const struct rank_extra *x;   /* workspace mode, else NULL */
};

/* ---------- systems by name ---------- */

struct names {
	const char **v;       /* index -> name (owned only when own) */
	size_t n, cap;
	uint32_t *slot;       /* open addressing: index + 1, 0 = empty */
	size_t nslot;         /* a power of two */
	int own;              /* names are copied in (and freed) */
};

static void names_grow(struct names *s)
{
	size_t nslot = s->nslot ? s->nslot * 2 : 64;
	uint32_t *slot = xcalloc(nslot, sizeof *slot);
	for (size_t k = 0; k < s->n; k++) {
		size_t h = fnv1a64(s->v[k], strlen(s->v[k]), 0) & (nslot - 1);
		while (slot[h]) h = (h + 1) & (nslot - 1);
		slot[h] = (uint32_t)k + 1;
	}
	free(s->slot);
	s->slot = slot;
	s->nslot = nslot;
}

static uint32_t names_intern(struct names *s, const char *name)
{
	if (2 * (s->n + 1) > s->nslot) names_grow(s);
	size_t h = fnv1a64(name, strlen(name), 0) & (s->nslot - 1);
	for (; s->slot[h]; h = (h + 1) & (s->nslot - 1))
		if (strcmp(s->v[s->slot[h] - 1], name) == 0) return s->slot[h] - 1;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n] = s->own ? xstrdup(name) : name;
	s->slot[h] = (uint32_t)++s->n;
	return (uint32_t)(s->n - 1);
}

static void names_free(struct names *s)
{
	for (size_t k = 0; s->own && k < s->n; k++) free((char *)s->v[k]);
	free(s->v);
	free(s->slot);
}

/* ---------- comparisons to the model's form ---------- */

static int to_model(const struct rank_cmp *c, size_t n, struct names *sys,
		    struct st_bt_cmp *out, int *has_left, struct gs_err *e)
{
	*has_left = 0;
	for (size_t k = 0; k < n; k++) {
		const char *a = c[k].a, *b = c[k].b, *w = c[k].winner, *l = c[k].left;
		if (strcmp(a, b) == 0)
			return gs_fail(e, EX_DATAERR, "comparison %zu: a and b are the same system (b)", k + 1);
		out[k].a = names_intern(sys, a);
		out[k].b = names_intern(sys, b);
		if (strcmp(w, "tie") == 0) out[k].outcome = ST_BT_TIE;
		else if (strcmp(w, a) == 0) out[k].outcome = ST_BT_A_WINS;
		else if (strcmp(w, b) == 0) out[k].outcome = ST_BT_B_WINS;
		else return gs_fail(e, EX_DATAERR, "comparison %zu: winner is neither a, b nor tie (winner)", k + 1);
		if (!l) out[k].left = ST_BT_LEFT_UNKNOWN;
		else if (strcmp(l, a) == 0) out[k].left = ST_BT_LEFT_A;
		else if (strcmp(l, b) == 0) out[k].left = ST_BT_LEFT_B;
		else return gs_fail(e, EX_DATAERR, "comparison %zu: left is neither a nor b (left)", k + 1);
		if (l) *has_left = 1;
	}
	return 0;
}

/* ---------- order: best first ---------- */

static const struct st_bt_result *order_r;
static const struct names *order_names;

static int by_rank(const void *x, const void *y)
{
	const struct st_bt_system *a = &order_r->sys[*(const size_t *)x], *b = &order_r->sys[*(const size_t *)y];
	if (a->group != b->group) return a->group < b->group ? -1 : 1;
	double sa = isnan(a->group_score) ? -HUGE_VAL : a->group_score;
	double sb = isnan(b->group_score) ? -HUGE_VAL : b->group_score;
	if (sa != sb) return sa > sb ? -1 : 1;
	return strcmp(order_names->v[*(const size_t *)x], order_names->v[*(const size_t *)y]);
}

/* indices sorted by group, then score (group_score = score when finite) */
static size_t *rank_order(const struct st_bt_result *r, const struct names *sys)
{
	size_t *ord = xmalloc(r->n * sizeof *ord);
	for (size_t i = 0; i < r->n; i++) ord[i] = i;
	order_r = r;
	order_names = sys;
	if (r->n > 1) qsort(ord, r->n, sizeof *ord, by_rank);
	return ord;
}

/* ---------- notes ---------- */

struct notes { char **v; size_t n, cap; };

static void note(struct notes *ns, char *s)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 8;
		ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
	}
	ns->v[ns->n++] = s;
}

static void notes_free(struct notes *ns)
{
	for (size_t i = 0; i < ns->n; i++) free(ns->v[i]);
	free(ns->v);
}

/* "a, b, c": the systems (best first, escaped) whose group, or piece when
 * by_piece, is id */
static void add_members(struct sbuf *b, const struct st_bt_result *r, const struct names *sys,
			const size_t *ord, int by_piece, int id)
{
	int first = 1;
	for (size_t k = 0; k < r->n; k++) {
		const struct st_bt_system *s = &r->sys[ord[k]];
		if ((by_piece ? s->piece : s->group) != id) continue;
		char *nm = text_escape(sys->v[ord[k]]);
		sb_addf(b, "%s%s", first ? "" : ", ", nm);
		free(nm);
		first = 0;
	}
}

/* the systems never compared with each other, even through others */
static void note_pieces(struct notes *ns, const struct st_bt_result *r, const struct names *sys,
			const size_t *ord)
{
	if (r->pieces < 2) return;
	struct sbuf b = {0};
	sb_addf(&b, "the comparisons form %zu separate pieces that never met, even through others:", r->pieces);
	for (size_t p = 0; p < r->pieces; p++) {
		sb_add(&b, p ? " | " : " ");
		add_members(&b, r, sys, ord, 1, (int)p);
	}
	note(ns, sb_take(&b));
}

static void note_separation(struct notes *ns, const struct st_bt_result *r, const struct names *sys,
			    const size_t *ord)
{
	note(ns, xasprintf("no finite Bradley-Terry estimate: the comparisons split the systems into "
			   "%zu groups that cannot be put on one scale, so score, elo and ci95 are null; "
			   "group_score ranks systems within a group of two or more", r->groups));
	for (size_t i = 0; i < r->n; i++) {
		const struct st_bt_system *s = &r->sys[i];
		char *nm = text_escape(sys->v[i]);
		if (s->never_lost)
			note(ns, xasprintf("%s never lost: %ld win%s, no loss, no tie (a tie counts as half a loss)",
					   nm, s->wins, s->wins == 1 ? "" : "s"));
		if (s->never_won)
			note(ns, xasprintf("%s never won: %ld loss%s, no win, no tie", nm, s->losses,
					   s->losses == 1 ? "" : "es"));
		if (!s->wins && !s->losses && !s->ties) note(ns, xasprintf("%s has no comparisons", nm));
		free(nm);
	}
	note_pieces(ns, r, sys, ord);
	struct sbuf b = {0};
	sb_add(&b, "groups, in an order where no group beat or tied an earlier one:");
	for (size_t g = 0; g < r->groups; g++) {
		sb_addf(&b, " %zu [", g + 1);
		add_members(&b, r, sys, ord, 0, (int)g);
		sb_addc(&b, ']');
	}
	note(ns, sb_take(&b));
}

static void note_bootstrap(struct notes *ns, const struct st_bt_result *r)
{
	if (!r->finite || r->n < 2) return;
	if (r->resamples == 0) {
		note(ns, xasprintf("no intervals: --bootstrap 0"));
		return;
	}
	int dropped = r->resamples - r->resamples_used;
	if (dropped == 0) return;
	int unbounded = isnan(r->sys[0].ci_lo);
	note(ns, xasprintf("%d of %d bootstrap resamples had no finite estimate (some system never lost "
			   "or never won in them); they count as unbounded in both tails%s", dropped,
			   r->resamples, unbounded ? ", too many to bound any 95% interval (ci95 null): "
			   "more comparisons would help" : ", which widens every interval"));
}

static void note_left(struct notes *ns, const struct st_bt_result *r, int has_left, int pairs_mode)
{
	if (!has_left) {
		if (pairs_mode) note(ns, xasprintf("left_win_rate is null: the CSV has no left column"));
		return;
	}
	if (r->left_decided == 0) {
		note(ns, xasprintf("left_win_rate is null: no decided comparison with a known left side"));
		return;
	}
	if (r->left_biased)
		note(ns, xasprintf("position bias: the left side won %.1f%% of %ld decided comparisons "
				   "(95%% interval %.1f%%-%.1f%%, ties left out), far from 50%%",
				   100 * r->left_rate, r->left_decided, 100 * r->left_lo, 100 * r->left_hi));
}

/* ---------- position bias per rater ---------- */

struct rater_left { const char *name; long decided, won; double lo, hi; };

static int by_rater_name(const void *x, const void *y)
{
	return strcmp(((const struct rater_left *)x)->name, ((const struct rater_left *)y)->name);
}

/* how often the left side won each rater's decided comparisons, by name */
static struct rater_left *left_by_rater(const struct rank_cmp *c, size_t n, size_t *count)
{
	struct names rs = {0};
	struct rater_left *v = NULL;
	size_t cap = 0;
	for (size_t k = 0; k < n; k++) {
		if (!c[k].rater || !c[k].left || strcmp(c[k].winner, "tie") == 0) continue;
		size_t before = rs.n;
		uint32_t i = names_intern(&rs, c[k].rater);
		if (rs.n > before) {
			if (rs.n > cap) v = xrealloc(v, (cap = cap ? cap * 2 : 8) * sizeof *v);
			v[i] = (struct rater_left){c[k].rater, 0, 0, NAN, NAN};
		}
		v[i].decided++;
		v[i].won += strcmp(c[k].winner, c[k].left) == 0;
	}
	for (size_t i = 0; i < rs.n; i++) st_bt_wilson95(v[i].won, v[i].decided, &v[i].lo, &v[i].hi);
	if (rs.n) qsort(v, rs.n, sizeof *v, by_rater_name);
	*count = rs.n;
	names_free(&rs);
	return v;
}

static int rater_biased(const struct rater_left *l) { return l->decided && (l->lo > 0.5 || l->hi < 0.5); }

/* with several raters, each one whose left side wins far from half the time */
static void note_rater_left(struct notes *ns, const struct rater_left *rl, size_t nrl)
{
	for (size_t i = 0; nrl > 1 && i < nrl; i++) {
		if (!rater_biased(&rl[i])) continue;
		char *nm = text_escape(rl[i].name);
		note(ns, xasprintf("position bias of rater %s: the left side won %.1f%% of %ld decided comparisons "
				   "(95%% interval %.1f%%-%.1f%%), far from 50%%", nm,
				   100.0 * (double)rl[i].won / (double)rl[i].decided, rl[i].decided, 100 * rl[i].lo,
				   100 * rl[i].hi));
		free(nm);
	}
}

static void make_notes(struct notes *ns, const struct st_bt_result *r, const struct names *sys,
		       const size_t *ord, int has_left, int pairs_mode)
{
	if (r->comparisons == 0) {
		note(ns, xasprintf("no comparisons: nothing to rank"));
		return;
	}
	if (!r->finite) note_separation(ns, r, sys, ord);
	if (r->finite && r->max_gradient > 1e-6)
		note(ns, xasprintf("the fit did not fully converge (gradient %g)", r->max_gradient));
	note_bootstrap(ns, r);
	note_left(ns, r, has_left, pairs_mode);
}

/* ---------- one report, fitted ---------- */

struct report {
	const struct st_bt_result *r;
	const struct names *sys;
	const size_t *ord;            /* best first */
	const struct notes *ns;
	int has_left;
	const struct rater_left *rl;  /* left-win rate per rater (workspace mode) */
	size_t nrl;
};

/* ---------- JSON ---------- */

static void json_raters(struct jo *o, const struct report *rp)
{
	if (!rp->nrl) return;
	struct jo *arr = jo_add_array(o, "left_win_by_rater");
	for (size_t i = 0; i < rp->nrl; i++) {
		const struct rater_left *l = &rp->rl[i];
		struct jo *e = jo_add_object(arr, NULL);
		jo_str(e, "rater", l->name);
		jo_int(e, "decided", l->decided);
		jo_int(e, "left_won", l->won);
		jo_num(e, "left_win_rate", l->decided ? (double)l->won / (double)l->decided : NAN);
		jo_pair(e, "left_win_ci95", l->lo, l->hi);
	}
}

static double ratio(long long a, long long b) { return b ? (double)a / (double)b : NAN; }

static void json_flips(struct jo *o, const struct rank_flips *f)
{
	long long pairs = 0, flips = 0;
	for (size_t i = 0; i < f->n; i++) pairs += f->pairs[i], flips += f->flips[i];
	struct jo *b = jo_add_object(o, "both_orders");
	jo_int(b, "comparisons", pairs);
	jo_int(b, "changed", flips);
	jo_num(b, "change_rate", ratio(flips, pairs));
	struct jo *arr = jo_add_array(b, "by_rater");
	for (size_t i = 0; i < f->n; i++) {
		struct jo *e = jo_add_object(arr, NULL);
		jo_str(e, "rater", f->rater[i]);
		jo_int(e, "comparisons", f->pairs[i]);
		jo_int(e, "changed", f->flips[i]);
		jo_num(e, "change_rate", ratio(f->flips[i], f->pairs[i]));
	}
}

static void print_json(const struct report *rp, const struct rank_opts *opt)
{
	const struct st_bt_result *r = rp->r;
	const struct names *sys = rp->sys;
	const size_t *ord = rp->ord;
	const struct notes *ns = rp->ns;
	const struct rank_extra *x = opt->x;
	int has_left = rp->has_left;
	struct jo *o = jo_object(), *arr;
	if (x && x->by) jo_str(o, "slice", x->slice);
	jo_int(o, "comparisons", (long long)r->comparisons);
	arr = jo_add_array(o, "systems");
	for (size_t k = 0; k < r->n; k++) {
		const struct st_bt_system *s = &r->sys[ord[k]];
		struct jo *e = jo_add_object(arr, NULL);
		jo_str(e, "name", sys->v[ord[k]]);
		jo_num(e, "score", s->score);
		jo_num(e, "elo", s->elo);
		jo_pair(e, "ci95", s->ci_lo, s->ci_hi);     /* on the score's scale */
		jo_int(e, "wins", s->wins);
		jo_int(e, "losses", s->losses);
		jo_int(e, "ties", s->ties);
		if (!r->finite) {
			jo_int(e, "group", s->group + 1);
			jo_num(e, "group_score", s->group_score);
		}
	}
	jo_num(o, "left_win_rate", has_left ? r->left_rate : NAN);
	jo_pair(o, "left_win_ci95", has_left ? r->left_lo : NAN, r->left_hi);
	if (x) {
		jo_str(o, "rubric", x->rubric);
		jo_str(o, "criterion", x->criterion);
		json_raters(o, rp);
		if (x->flips && x->flips->n) json_flips(o, x->flips);
	}
	arr = jo_add_array(o, "notes");
	for (size_t i = 0; i < ns->n; i++) jo_str(arr, NULL, ns->v[i]);
	if (x && x->into) {
		jo_add(x->into, NULL, o);
		return;
	}
	jo_print(o, stdout);
	jo_free(o);
}

/* ---------- text ---------- */

static int utf8_out(void) { return strcmp(nl_langinfo(CODESET), "UTF-8") == 0; }

static int term_width(void)
{
	struct winsize ws;
	long v;
	const char *c = getenv("COLUMNS");
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
	if (c && parse_long(c, &v) == 0 && v >= 20 && v <= 1000) return (int)v;
	return 80;
}

static size_t width_of(const char *s) { return text_width(s, strlen(s)); }

/* s, then spaces up to w columns */
static void put_padded(const char *s, size_t w)
{
	fputs(s, stdout);
	for (size_t k = width_of(s); k < w; k++) putchar(' ');
}

static char **escape_all(const struct names *sys, size_t *maxw)
{
	char **v = xmalloc((sys->n + 1) * sizeof *v);
	*maxw = 6;                                   /* "system" */
	for (size_t i = 0; i < sys->n; i++) {
		v[i] = text_escape(sys->v[i]);
		if (width_of(v[i]) > *maxw) *maxw = width_of(v[i]);
	}
	v[sys->n] = NULL;
	return v;
}

static double to_elo(double theta) { return 1000 + 400 * theta / log(10); }

static void print_table_finite(const struct st_bt_result *r, char **nm, size_t nw, const size_t *ord)
{
	printf("   #  ");
	put_padded("system", nw);
	printf("   score      elo  elo 95%% interval      wins  losses    ties\n");
	for (size_t k = 0; k < r->n; k++) {
		const struct st_bt_system *s = &r->sys[ord[k]];
		char ci[64] = "-";
		if (!isnan(s->ci_lo)) snprintf(ci, sizeof ci, "[%.1f, %.1f]", to_elo(s->ci_lo), to_elo(s->ci_hi));
		printf("%4zu  ", k + 1);
		put_padded(nm[ord[k]], nw);
		printf("  %6.3f  %7.1f  %-18s  %6ld  %6ld  %6ld\n", s->score, s->elo, ci, s->wins, s->losses, s->ties);
	}
}

static void print_table_groups(const struct st_bt_result *r, char **nm, size_t nw, const size_t *ord)
{
	printf("group  ");
	put_padded("system", nw);
	printf("  in-group score    wins  losses    ties\n");
	for (size_t k = 0; k < r->n; k++) {
		const struct st_bt_system *s = &r->sys[ord[k]];
		char gs[32] = "-";
		if (!isnan(s->group_score)) snprintf(gs, sizeof gs, "%.3f", s->group_score);
		printf("%5d  ", s->group + 1);
		put_padded(nm[ord[k]], nw);
		printf("  %14s  %6ld  %6ld  %6ld\n", gs, s->wins, s->losses, s->ties);
	}
}

/* the elo range every interval (or point) fits in */
static void forest_range(const struct st_bt_result *r, double *lo, double *hi)
{
	*lo = HUGE_VAL;
	*hi = -HUGE_VAL;
	for (size_t i = 0; i < r->n; i++) {
		const struct st_bt_system *s = &r->sys[i];
		double a = to_elo(isnan(s->ci_lo) ? s->score : s->ci_lo);
		double b = to_elo(isnan(s->ci_hi) ? s->score : s->ci_hi);
		if (a < *lo) *lo = a;
		if (b > *hi) *hi = b;
	}
	if (*hi - *lo < 1) { *lo -= 1; *hi += 1; }
}

static int forest_col(double x, double lo, double hi, int w)
{
	int c = (int)lround((x - lo) / (hi - lo) * (w - 1));
	return c < 0 ? 0 : c >= w ? w - 1 : c;
}

static void forest_row(const struct st_bt_system *s, double lo, double hi, int w, int u8, const char **cell)
{
	for (int k = 0; k < w; k++) cell[k] = " ";
	if (1000 >= lo && 1000 <= hi) cell[forest_col(1000, lo, hi, w)] = u8 ? "┆" : ":";
	if (!isnan(s->ci_lo)) {
		int a = forest_col(to_elo(s->ci_lo), lo, hi, w), b = forest_col(to_elo(s->ci_hi), lo, hi, w);
		for (int k = a; k <= b; k++) cell[k] = u8 ? "─" : "-";
		cell[a] = u8 ? "├" : "|";
		cell[b] = u8 ? "┤" : "|";
	}
	cell[forest_col(s->elo, lo, hi, w)] = u8 ? "●" : "o";
	int last = w;
	while (last > 0 && strcmp(cell[last - 1], " ") == 0) last--;
	for (int k = 0; k < last; k++) fputs(cell[k], stdout);
	putchar('\n');
}

/* axis under the plot: the low end, 1000 (the average) and the high end */
static void forest_axis(size_t indent, double lo, double hi, int w)
{
	char *line = xmalloc((size_t)w + 1);
	memset(line, ' ', (size_t)w);
	line[w] = 0;
	double at[3] = { lo, 1000, hi };
	for (int t = 0; t < 3; t++) {
		char lab[32];
		int len = snprintf(lab, sizeof lab, "%.0f", at[t]);
		if (at[t] < lo || at[t] > hi) continue;
		int c = forest_col(at[t], lo, hi, w) - len / 2;
		if (c < 0) c = 0;
		if (c + len > w) c = w - len;
		if (t == 1 && (c < len + 1 || c + 2 * len + 1 > w)) continue;   /* crowds an end */
		if (c >= 0) memcpy(line + c, lab, (size_t)len);
	}
	printf("%*s%s\n", (int)indent, "", line);
	free(line);
}

static void print_forest(const struct st_bt_result *r, char **nm, size_t nw, const size_t *ord)
{
	int u8 = utf8_out(), w = term_width() - (int)nw - 8;
	if (w < 20) w = 20;
	double lo, hi;
	forest_range(r, &lo, &hi);
	const char **cell = xmalloc((size_t)w * sizeof *cell);
	printf("\nelo%s (%s marks 1000, the average)\n", isnan(r->sys[0].ci_lo) ? "" : " with 95% intervals",
	       u8 ? "┆" : ":");
	for (size_t k = 0; k < r->n; k++) {
		printf("%4zu  ", k + 1);
		put_padded(nm[ord[k]], nw);
		printf("  ");
		forest_row(&r->sys[ord[k]], lo, hi, w, u8, cell);
	}
	forest_axis(nw + 8, lo, hi, w);
	free(cell);
}

static void print_h2h(const struct st_bt_result *r, char **nm, size_t nw, const size_t *ord)
{
	size_t n = r->n, cw = 3;
	char buf[96];
	for (size_t i = 0; i < n * n; i++) {
		size_t a = i / n, b = i % n;
		int len = snprintf(buf, sizeof buf, "%ld-%ld-%ld", r->h2h_wins[a * n + b],
				   r->h2h_wins[b * n + a], r->h2h_ties[a * n + b]);
		if ((size_t)len > cw) cw = (size_t)len;
	}
	printf("\nhead to head: wins-losses-ties of the row against the column\n%*s", (int)nw + 6, "");
	for (size_t k = 0; k < n; k++) printf("  %*zu", (int)cw, k + 1);
	putchar('\n');
	for (size_t k = 0; k < n; k++) {
		size_t a = ord[k];
		printf("%4zu  ", k + 1);
		put_padded(nm[a], nw);
		for (size_t q = 0; q < n; q++) {
			size_t b = ord[q];
			if (a == b) snprintf(buf, sizeof buf, "-");
			else if (!r->h2h_wins[a * n + b] && !r->h2h_wins[b * n + a] && !r->h2h_ties[a * n + b])
				snprintf(buf, sizeof buf, ".");
			else snprintf(buf, sizeof buf, "%ld-%ld-%ld", r->h2h_wins[a * n + b],
				      r->h2h_wins[b * n + a], r->h2h_ties[a * n + b]);
			printf("  %*s", (int)cw, buf);
		}
		putchar('\n');
	}
}

/* "rubric R, criterion C (...)", and the slice */
static void print_what(const struct rank_extra *x)
{
	char *rb = text_escape(x->rubric), *cr = text_escape(x->criterion);
	printf("rubric %s, preference criterion %s", rb, cr);
	if (x->other_prefs) {
		char *ot = text_escape(x->other_prefs);
		printf(" (--criterion picks another: %s)", ot);
		free(ot);
	}
	putchar('\n');
	if (x->by) {
		char *k = text_escape(x->by), *v = x->slice ? text_escape(x->slice) : NULL;
		if (v) printf("slice %s = %s\n", k, v);
		else printf("slice: items without %s\n", k);
		free(k);
		free(v);
	}
	free(rb);
	free(cr);
}

static void print_rater_left(const struct report *rp)
{
	if (rp->nrl < 2) return;
	printf("left side won, by rater (ties left out):\n");
	for (size_t i = 0; i < rp->nrl; i++) {
		const struct rater_left *l = &rp->rl[i];
		char *nm = text_escape(l->name);
		printf("  %-20s %5.1f%% of %ld (95%% interval %.1f%%-%.1f%%)%s\n", nm,
		       100.0 * (double)l->won / (double)l->decided, l->decided, 100 * l->lo, 100 * l->hi,
		       rater_biased(l) ? "  far from 50%" : "");
		free(nm);
	}
}

static void print_flips(const struct rank_flips *f)
{
	long long pairs = 0, flips = 0;
	for (size_t i = 0; i < f->n; i++) pairs += f->pairs[i], flips += f->flips[i];
	printf("\nshown both ways round (pair --both-orders): %lld comparison%s, the choice changed in %lld (%.1f%%)\n",
	       pairs, pairs == 1 ? "" : "s", flips, 100 * ratio(flips, pairs));
	for (size_t i = 0; f->n > 1 && i < f->n; i++) {
		char *nm = text_escape(f->rater[i]);
		printf("  %-20s %lld of %lld (%.1f%%)\n", nm, f->flips[i], f->pairs[i],
		       100 * ratio(f->flips[i], f->pairs[i]));
		free(nm);
	}
}

static void print_text(const struct gs_ctx *ctx, const struct report *rp, const struct rank_opts *o)
{
	const struct st_bt_result *r = rp->r;
	const size_t *ord = rp->ord;
	const struct notes *ns = rp->ns;
	int has_left = rp->has_left;
	size_t nw;
	char **nm = escape_all(rp->sys, &nw);
	if (o->x) print_what(o->x);
	printf("Bradley-Terry ranking: %zu comparisons, %zu systems", r->comparisons, r->n);
	if (r->finite && r->resamples && r->n > 1)
		printf("; 95%% intervals from %d bootstrap resamples (seed %llu)", r->resamples,
		       (unsigned long long)o->seed);
	printf("\n\n");
	if (r->n) {
		if (r->finite) print_table_finite(r, nm, nw, ord);
		else print_table_groups(r, nm, nw, ord);
	}
	if (r->finite && r->n > 1 && ctx->out_tty) print_forest(r, nm, nw, ord);
	if (r->n > 1) print_h2h(r, nm, nw, ord);
	if (has_left && r->left_decided && !r->left_biased)   /* else a note says it */
		printf("\nleft side won %.1f%% of %ld decided comparisons (95%% interval %.1f%%-%.1f%%; ties left out)\n",
		       100 * r->left_rate, r->left_decided, 100 * r->left_lo, 100 * r->left_hi);
	print_rater_left(rp);
	if (o->x && o->x->flips && o->x->flips->n) print_flips(o->x->flips);
	if (ns->n) putchar('\n');
	for (size_t i = 0; i < ns->n; i++) printf("note: %s\n", ns->v[i]);
	strv_free(nm);
}

/* ---------- the report: both modes end here ---------- */

static int rank_report(struct gs_ctx *ctx, const struct rank_cmp *c, size_t n,
		       const struct rank_opts *o, struct gs_err *e)
{
	struct names sys = {0};
	struct st_bt_cmp *m = xmalloc(n * sizeof *m);
	struct st_bt_opts bo = { o->bootstrap, o->seed };
	struct st_bt_result r;
	struct notes ns = {0};
	int has_left, rc = to_model(c, n, &sys, m, &has_left, e);
	if (rc == 0 && st_bt_fit(sys.n, m, n, &bo, &r) != 0)
		rc = gs_fail(e, EX_SOFTWARE, "rank: comparisons rejected by the model");
	if (rc == 0) {
		size_t *ord = rank_order(&r, &sys), nrl;
		struct rater_left *rl = left_by_rater(c, n, &nrl);
		make_notes(&ns, &r, &sys, ord, has_left, o->pairs != NULL);
		note_rater_left(&ns, rl, nrl);
		struct report rp = {&r, &sys, ord, &ns, has_left, rl, nrl};
		if (o->json) print_json(&rp, o);
		else print_text(ctx, &rp, o);
		free(rl);
		free(ord);
		notes_free(&ns);
		st_bt_result_free(&r);
	}
	free(m);
	names_free(&sys);
	return rc;
}

/* ---------- --pairs FILE.csv ---------- */

enum { COL_A, COL_B, COL_WINNER, COL_LEFT, NCOL };
static const char *const col_name[NCOL] = { "a", "b", "winner", "left" };

static int read_header(struct csv *c, int *col, struct gs_err *e)
{
	int rc = csv_next(c, e);
	if (rc < 0) return e->code;
	if (rc == 0) return gs_fail(e, EX_DATAERR, "%s:1: empty file, expected the header a,b,winner (header)", csv_name(c));
	for (int k = 0; k < NCOL; k++) col[k] = -1;
	for (size_t i = 0; i < csv_nfields(c); i++)
		for (int k = 0; k < NCOL; k++) {
			if (strcmp(csv_field(c, i), col_name[k]) != 0) continue;
			if (col[k] >= 0)
				return gs_fail(e, EX_DATAERR, "%s:%ld: column %s appears twice (header)", csv_name(c),
					       csv_line(c), col_name[k]);
			col[k] = (int)i;
		}
	for (int k = 0; k < COL_LEFT; k++)
		if (col[k] < 0)
			return gs_fail(e, EX_DATAERR, "%s:%ld: no column %s: the header must name a,b,winner (header)",
				       csv_name(c), csv_line(c), col_name[k]);
	return 0;
}

/* one escaped and shortened value for an error message */
static char *shown(const char *v)
{
	char *s = text_escape(v);
	if (strlen(s) > 40) strcpy(s + 37, "...");
	return s;
}

static int check_row(const struct csv *c, const struct rank_cmp *r, struct gs_err *e)
{
	const char *what = NULL, *field = NULL, *bad = NULL;
	if (!*r->a) what = "empty system name", field = "a";
	else if (!*r->b) what = "empty system name", field = "b";
	else if (strcmp(r->a, "tie") == 0) what = "\"tie\" cannot name a system", field = "a";
	else if (strcmp(r->b, "tie") == 0) what = "\"tie\" cannot name a system", field = "b";
	else if (strcmp(r->a, r->b) == 0) what = "a and b name the same system", field = "b";
	if (what) return gs_fail(e, EX_DATAERR, "%s:%ld: %s (%s)", csv_name(c), csv_line(c), what, field);
	if (strcmp(r->winner, "tie") && strcmp(r->winner, r->a) && strcmp(r->winner, r->b))
		bad = r->winner, what = "is neither a, b nor tie", field = "winner";
	else if (r->left && strcmp(r->left, r->a) && strcmp(r->left, r->b))
		bad = r->left, what = "is neither a nor b", field = "left";
	if (!bad) return 0;
	char *v = shown(bad);
	gs_fail(e, EX_DATAERR, "%s:%ld: \"%s\" %s (%s)", csv_name(c), csv_line(c), v, what, field);
	free(v);
	return e->code;
}

/* the current record as a comparison whose strings live in pool */
static int read_row(const struct csv *c, const int *col, struct names *pool, struct rank_cmp *r,
		    struct gs_err *e)
{
	struct rank_cmp raw = { csv_field(c, (size_t)col[COL_A]), csv_field(c, (size_t)col[COL_B]),
				csv_field(c, (size_t)col[COL_WINNER]), NULL, NULL };
	if (col[COL_LEFT] >= 0 && *csv_field(c, (size_t)col[COL_LEFT])) raw.left = csv_field(c, (size_t)col[COL_LEFT]);
	int rc = check_row(c, &raw, e);
	if (rc) return rc;
	uint32_t ia = names_intern(pool, raw.a), ib = names_intern(pool, raw.b);   /* may move pool->v */
	r->a = pool->v[ia];
	r->b = pool->v[ib];
	r->winner = strcmp(raw.winner, "tie") == 0 ? "tie" : strcmp(raw.winner, raw.a) == 0 ? r->a : r->b;
	r->left = !raw.left ? NULL : strcmp(raw.left, raw.a) == 0 ? r->a : r->b;
	r->rater = NULL;
	return 0;
}

/* reads every comparison; their strings are owned by pool */
static int load_pairs(const char *path, struct names *pool, struct rank_cmp **out, size_t *n,
		      struct gs_err *e)
{
	size_t cap = 1024;
	int col[NCOL], rc;
	struct csv *c = csv_open(path, CSV_SKIP_BLANK | CSV_SAME_WIDTH, e);
	*out = NULL;
	*n = 0;
	if (!c) return e->code;
	pool->own = 1;
	if ((rc = read_header(c, col, e)) == 0) {
		*out = xmalloc(cap * sizeof **out);
		while ((rc = csv_next(c, e)) > 0) {
			if (*n == cap) *out = xrealloc(*out, (cap *= 2) * sizeof **out);
			if ((rc = read_row(c, col, pool, &(*out)[*n], e))) break;
			(*n)++;
		}
		rc = rc < 0 ? e->code : rc;
	}
	csv_close(c);
	return rc;
}

/* ---------- workspace mode ---------- */

/* the current pairwise labels of one rubric as comparisons */
struct ws_load {
	const struct rubric *r;
	size_t nslots, slot;          /* the criterion's slot */
	store *st;
	const char *by;
	struct names *pool;           /* owns every string */
	struct rank_cmp *c;
	const char **slice;           /* with --by: each comparison's value (NULL: none) */
	size_t n, cap;
	long long unread;             /* labels the rubric cannot read */
	int failed;
	struct gs_err err;
};

static const char *pooled(struct names *pool, const char *s)
{
	uint32_t i = names_intern(pool, s);   /* may move pool->v */
	return pool->v[i];
}

static void load_grow(struct ws_load *w)
{
	if (w->n < w->cap) return;
	w->cap = w->cap ? w->cap * 2 : 256;
	w->c = xrealloc(w->c, w->cap * sizeof *w->c);
	w->slice = xrealloc(w->slice, w->cap * sizeof *w->slice);
}

/* the criterion's answer: 0 left won, 1 right won, 2 tie; -1 none */
static int label_value(struct ws_load *w, const struct store_label *l)
{
	struct gs_err e;
	int *slots = xmalloc(w->nslots * sizeof *slots), v = -1;
	if (rubric_values_from_json(w->r, l->vals, l->left_sys, l->right_sys, 0, slots, "", &e) == 0)
		v = slots[w->slot];
	else w->unread++;
	free(slots);
	return v;
}

static int load_cb(void *ctx, const struct store_label *l)
{
	struct ws_load *w = ctx;
	if (!l->pair_key || !*l->pair_key || !l->left_sys || !l->right_sys || !l->vals) return 0;
	int v = label_value(w, l);
	if (v < 0) return 0;
	load_grow(w);
	const char *a = pooled(w->pool, l->left_sys), *b = pooled(w->pool, l->right_sys);
	w->c[w->n] = (struct rank_cmp){a, b, v == 0 ? a : v == 1 ? b : "tie", a, pooled(w->pool, l->rater)};
	w->slice[w->n] = NULL;
	if (w->by) {
		char *val = NULL;
		if (store_item_meta_text(w->st, l->ext_id, w->by, &val, &w->err)) {
			w->failed = 1;
			return 1;
		}
		if (val) w->slice[w->n] = pooled(w->pool, val);
		free(val);
	}
	w->n++;
	return 0;
}

/* the criterion to rank by: --criterion, else the first preference one */
static int pick_criterion(const struct rubric *r, const char *want, size_t *slot, const char **found,
			  struct sbuf *others, struct gs_err *e)
{
	*found = NULL;
	for (size_t i = 0, sl = 0; i < r->ncrit; sl += r->crit[i].type == CRIT_CHECKLIST ? r->crit[i].noptions : 1, i++) {
		const struct criterion *c = &r->crit[i];
		if (want && strcmp(c->id, want) == 0 && c->type != CRIT_PREFERENCE)
			return gs_fail(e, EX_USAGE, "criterion %s of rubric %s is not a preference (A/B/tie) criterion",
				       want, r->name);
		if (c->type != CRIT_PREFERENCE) continue;
		if (!*found && (!want || strcmp(c->id, want) == 0)) {
			*found = c->id;
			*slot = sl;
		} else {
			sb_addf(others, "%s%s", others->len ? ", " : "", c->id);
		}
	}
	if (*found) return 0;
	if (want) return gs_fail(e, EX_USAGE, "rubric %s has no criterion %s", r->name, want);
	return gs_fail(e, EX_DATAERR, "rubric %s has no preference criterion", r->name);
}

static int flips_cb(void *ctx, const char *rater, long long pairs, long long flips)
{
	struct rank_flips *f = ctx;
	f->rater = xrealloc(f->rater, (f->n + 1) * sizeof *f->rater);
	f->pairs = xrealloc(f->pairs, (f->n + 1) * sizeof *f->pairs);
	f->flips = xrealloc(f->flips, (f->n + 1) * sizeof *f->flips);
	f->rater[f->n] = xstrdup(rater);
	f->pairs[f->n] = pairs;
	f->flips[f->n++] = flips;
	return 0;
}

static void flips_free(struct rank_flips *f)
{
	for (size_t i = 0; i < f->n; i++) free(f->rater[i]);
	free(f->rater);
	free(f->pairs);
	free(f->flips);
}

static int by_slice(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	if (!a || !b) return (a == NULL) - (b == NULL);   /* items without the key last */
	return strcmp(a, b);
}

/* the distinct slice values, sorted (NULL last) */
static const char **slices_of(const struct ws_load *w, size_t *n)
{
	const char **v = xmalloc((w->n + 1) * sizeof *v);
	memcpy(v, w->slice, w->n * sizeof *v);
	qsort(v, w->n, sizeof *v, by_slice);
	size_t k = 0;
	for (size_t i = 0; i < w->n; i++)
		if (!k || by_slice(&v[k - 1], &v[i]) != 0) v[k++] = v[i];
	*n = k;
	return v;
}

/* one report per slice of --by */
static int report_slices(struct gs_ctx *ctx, const struct ws_load *w, struct rank_opts *o, struct rank_extra *x,
			 struct gs_err *e)
{
	size_t ns;
	int rc = 0;
	const char **sl = slices_of(w, &ns);
	struct rank_cmp *sub = xmalloc((w->n + 1) * sizeof *sub);
	if (o->json) x->into = jo_array();
	for (size_t s = 0; s < ns && !rc; s++) {
		size_t k = 0;
		for (size_t i = 0; i < w->n; i++)
			if (by_slice(&w->slice[i], &sl[s]) == 0) sub[k++] = w->c[i];
		x->slice = sl[s];
		if (!o->json && s) printf("\n");
		rc = rank_report(ctx, sub, k, o, e);
	}
	if (!ns && !o->json) printf("no comparisons: nothing to rank\n");
	if (o->json) {
		if (!rc) jo_print(x->into, stdout);
		jo_free(x->into);
	}
	free(sub);
	free(sl);
	return rc;
}

static int rank_labels(struct gs_ctx *ctx, struct ws *wsp, const struct rubric *r, struct rank_opts *o,
		       struct gs_err *e)
{
	struct sbuf others = {0};
	struct names pool = {.own = 1};
	struct rank_flips flips = {0};
	struct ws_load w = {.r = r, .nslots = rubric_slot_count(r), .st = wsp->st, .by = o->by, .pool = &pool};
	struct store_label_query q = {.rubric = r->name};
	const char *crit = NULL;
	int rc = pick_criterion(r, o->criterion, &w.slot, &crit, &others, e);
	if (!rc) rc = store_labels_each(wsp->st, &q, load_cb, &w, e);
	if (!rc && w.failed) rc = gs_fail(e, w.err.code, "%s", w.err.msg);
	if (!rc && !o->by) rc = store_pair_flips_each(wsp->st, r->name, crit, flips_cb, &flips, e);
	if (!rc) {
		struct rank_extra x = {.rubric = r->name, .criterion = crit, .other_prefs = others.len ? others.p : NULL,
				       .by = o->by, .flips = &flips};
		o->x = &x;
		if (w.unread) fprintf(stderr, "goldset rank: %lld label%s could not be read under rubric %s v%d (left out)\n",
				      w.unread, w.unread == 1 ? "" : "s", r->name, r->version);
		rc = o->by ? report_slices(ctx, &w, o, &x, e) : rank_report(ctx, w.c, w.n, o, e);
		o->x = NULL;
	}
	flips_free(&flips);
	free(w.c);
	free(w.slice);
	names_free(&pool);
	sb_free(&others);
	return rc;
}

/* pairwise labels of the workspace (o->rubric, or the only pairwise
 * rubric) ranked by one preference criterion */
static int rank_workspace(struct gs_ctx *ctx, struct rank_opts *o)
{
	struct gs_err e = {0};
	struct rubric *r = NULL;
	int rc = ws_rubric(ctx->ws, o->rubric, "pairwise", &r, &e);
	if (!rc) rc = rank_labels(ctx, ctx->ws, r, o, &e);
	rubric_free(r);
	return rc ? gs_report(&e) : 0;
}

/* ---------- options ---------- */

static int parse_seed(const char *s, uint64_t *out)
{
	if (!s || *s < '0' || *s > '9') return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end) return -1;
	*out = v;
	return 0;
}

/* the value of --name, the last one given; each one given must not be empty */
static int text_opt(const struct cmd_args *a, const char *name, const char *what, const char **out)
{
	const char *v;
	for (size_t i = 0; (v = args_nth(a, name, i)); i++)
		if (!*v) return cmd_usage(&cmd_rank, "--%s needs %s", name, what);
	*out = args_get(a, name);
	return 0;
}

static int parse_args(const struct cmd_args *a, struct rank_opts *o)
{
	const char *v;
	long n;
	o->json = args_has(a, "json");
	if (text_opt(a, "pairs", "a file", &o->pairs) || text_opt(a, "rubric", "a name", &o->rubric) ||
	    text_opt(a, "criterion", "a preference criterion's id", &o->criterion) ||
	    text_opt(a, "by", "a key of the items' meta", &o->by))
		return EX_USAGE;
	for (size_t i = 0; (v = args_nth(a, "bootstrap", i)); i++) {
		if (parse_long(v, &n) || n < 0 || n > RANK_MAX_BOOTSTRAP)
			return cmd_usage(&cmd_rank, "--bootstrap needs a number of resamples, 0 to %d", RANK_MAX_BOOTSTRAP);
		o->bootstrap = (int)n;
	}
	for (size_t i = 0; (v = args_nth(a, "seed", i)); i++)
		if (parse_seed(v, &o->seed)) return cmd_usage(&cmd_rank, "--seed needs a non-negative integer");
	if (o->pairs && (o->rubric || o->criterion || o->by))
		return cmd_usage(&cmd_rank, "--pairs reads a CSV: --rubric, --criterion and --by are for the workspace's labels");
	return 0;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct rank_opts o = {.bootstrap = ST_BT_DEFAULT_BOOTSTRAP, .seed = RANK_DEFAULT_SEED};
	int rc = parse_args(a, &o);
	if (rc) return rc;
	if (!o.pairs) return rank_workspace(ctx, &o);
	struct gs_err e = {0};
	struct names pool = {0};
	struct rank_cmp *list;
	size_t n;
	rc = load_pairs(o.pairs, &pool, &list, &n, &e);
	if (rc == 0) rc = rank_report(ctx, list, n, &o, &e);
	free(list);
	names_free(&pool);
	return rc ? gs_report(&e) : 0;
}

static const struct cmd_option options[] = {
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the pairwise rubric (default: the only one)"},
	{"criterion", 0, CMD_ARG_REQUIRED, "C", "the preference criterion to rank by (default: the rubric's first)"},
	{"by", 0, CMD_ARG_REQUIRED, "META_KEY", "one ranking per value of the meta field META_KEY"},
	{"json", 0, CMD_ARG_NONE, NULL, "an object with comparisons, systems, left_win_rate, ... and notes"},
	{"bootstrap", 0, CMD_ARG_REQUIRED, "N", "resamples for the intervals (default 1000; 0: none)"},
	{"seed", 0, CMD_ARG_REQUIRED, "S", "the seed of the bootstrap"},
	{"pairs", 0, CMD_ARG_REQUIRED, "FILE.csv", "rank the comparisons of a CSV file (a,b,winner) instead"},
	{0},
};

const struct cmd_entry cmd_rank = {
	.name = "rank",
	.usage = "goldset rank [--rubric R] [--criterion C] [--by META_KEY] [--json] [--bootstrap N] [--seed S]"
		 " | --pairs FILE.csv [--json] [--bootstrap N] [--seed S]",
	.summary = "rank systems from pairwise comparisons (Bradley-Terry, bootstrap intervals)",
	.options = options,
	.example = "goldset rank --rubric pairwise-preference --by query_type",
	.flags = CMD_WS_READ,
	.no_ws_with = "pairs",
	.run = run,
};
