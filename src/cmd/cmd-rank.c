/* cmd-rank.c: `goldset rank`, a Bradley–Terry ranking of systems from
 * pairwise comparisons (the math is src/stats/bt.c).
 *
 *   goldset rank --pairs FILE.csv [--json] [--bootstrap N] [--seed S]
 *   goldset rank [--rubric R] [--json] [--bootstrap N] [--seed S]
 *
 * Both modes reduce to one list of comparisons {a, b, winner, left} handed
 * to rank_report(), which fits, then prints JSON or a table (plus, on a
 * terminal, a forest plot) and the head-to-head table. --pairs reads a CSV
 * with header a,b,winner (winner = the name in a, the name in b, or "tie")
 * and an optional `left` column naming the system shown on the left; other
 * columns are ignored. Without a `left` column left_win_rate is null.
 * Workspace mode (pairwise labels from the store) plugs in at
 * rank_workspace(): it only has to build the same list.
 * The CSV itself is read by csv.h (RFC 4180); `-` reads standard input. */
#include "bt.h"
#include "cmd.h"
#include "csv.h"
#include "jsonout.h"
#include "text.h"
#include "util.h"

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
 * b's name or "tie"; left names the system shown on the left, or NULL. */
struct rank_cmp { const char *a, *b, *winner, *left; };

struct rank_opts {
	const char *pairs;    /* --pairs FILE, or NULL: workspace mode */
	const char *rubric;
	int json;
	int bootstrap;
	uint64_t seed;
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
	qsort(ord, r->n, sizeof *ord, by_rank);
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

/* ---------- JSON ---------- */

static void print_json(const struct st_bt_result *r, const struct names *sys, const size_t *ord,
		       const struct notes *ns, int has_left)
{
	struct jo *o = jo_object(), *arr;
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
	arr = jo_add_array(o, "notes");
	for (size_t i = 0; i < ns->n; i++) jo_str(arr, NULL, ns->v[i]);
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

static void print_text(const struct gs_ctx *ctx, const struct st_bt_result *r, const struct names *sys,
		       const size_t *ord, const struct notes *ns, int has_left, const struct rank_opts *o)
{
	size_t nw;
	char **nm = escape_all(sys, &nw);
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
		size_t *ord = rank_order(&r, &sys);
		make_notes(&ns, &r, &sys, ord, has_left, o->pairs != NULL);
		if (o->json) print_json(&r, &sys, ord, &ns, has_left);
		else print_text(ctx, &r, &sys, ord, &ns, has_left, o);
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
				csv_field(c, (size_t)col[COL_WINNER]), NULL };
	if (col[COL_LEFT] >= 0 && *csv_field(c, (size_t)col[COL_LEFT])) raw.left = csv_field(c, (size_t)col[COL_LEFT]);
	int rc = check_row(c, &raw, e);
	if (rc) return rc;
	uint32_t ia = names_intern(pool, raw.a), ib = names_intern(pool, raw.b);   /* may move pool->v */
	r->a = pool->v[ia];
	r->b = pool->v[ib];
	r->winner = strcmp(raw.winner, "tie") == 0 ? "tie" : strcmp(raw.winner, raw.a) == 0 ? r->a : r->b;
	r->left = !raw.left ? NULL : strcmp(raw.left, raw.a) == 0 ? r->a : r->b;
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

/* To come: pairwise labels of the workspace (o->rubric, or the only
 * pairwise rubric) become rank_cmp entries ({left, right} systems, the
 * preference criterion's winner or "tie", left = the system shown left),
 * then rank_report(ctx, list, n, o, &e). */
static int rank_workspace(struct gs_ctx *ctx, const struct rank_opts *o)
{
	(void)ctx;
	(void)o;
	fprintf(stderr, "goldset rank: workspace mode not built yet\n");
	return EX_UNAVAILABLE;
}

/* ---------- options ---------- */

/* --name VALUE or --name=VALUE at argv[*i]; 1 if it matched */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t len = strlen(name);
	if (strncmp(argv[*i], name, len) != 0) return 0;
	if (argv[*i][len] == '=') { *val = argv[*i] + len + 1; return 1; }
	if (argv[*i][len] != 0) return 0;
	*val = *i + 1 < argc ? argv[++*i] : NULL;
	return 1;
}

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

static int parse_args(int argc, char **argv, struct rank_opts *o)
{
	const char *v;
	long n;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) o->json = 1;
		else if (opt_value(argc, argv, &i, "--pairs", &v)) {
			if (!v || !*v) return cmd_usage(&cmd_rank, "--pairs needs a file");
			o->pairs = v;
		} else if (opt_value(argc, argv, &i, "--rubric", &v)) {
			if (!v || !*v) return cmd_usage(&cmd_rank, "--rubric needs a name");
			o->rubric = v;
		} else if (opt_value(argc, argv, &i, "--bootstrap", &v)) {
			if (!v || parse_long(v, &n) || n < 0 || n > RANK_MAX_BOOTSTRAP)
				return cmd_usage(&cmd_rank, "--bootstrap needs a number of resamples, 0 to %d", RANK_MAX_BOOTSTRAP);
			o->bootstrap = (int)n;
		} else if (opt_value(argc, argv, &i, "--seed", &v)) {
			if (parse_seed(v, &o->seed)) return cmd_usage(&cmd_rank, "--seed needs a non-negative integer");
		} else {
			return cmd_usage(&cmd_rank, "unknown argument %s", argv[i]);
		}
	}
	if (o->pairs && o->rubric) return cmd_usage(&cmd_rank, "--pairs and --rubric do not go together");
	return 0;
}

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	struct rank_opts o = { NULL, NULL, 0, ST_BT_DEFAULT_BOOTSTRAP, RANK_DEFAULT_SEED };
	int rc = parse_args(argc, argv, &o);
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

const struct cmd_entry cmd_rank = {
	"rank",
	"goldset rank [--rubric R] [--json] [--bootstrap N] [--seed S] | --pairs FILE.csv [--json] [--bootstrap N] [--seed S]",
	"rank systems from pairwise comparisons (Bradley-Terry, bootstrap intervals)",
	run,
};
