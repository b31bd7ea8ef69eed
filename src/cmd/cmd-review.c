/* cmd-review.c: `goldset review [-n 10] [--rubric R] [--from fresh|flagged|
 * disagreements] [--list]`, the weekly eval review.
 *
 * Picking: the items of the rubric's kind (--from narrows them to flagged
 * or disputed ones) are ranked by how many review sessions saw them, fewest
 * first, so nothing repeats until everything was seen; then flagged and
 * disputed (raters, judges included, gave different values) before the
 * rest, then the most recently imported. The picks are spread round-robin
 * over the values of one meta key: query_type when the items have it, else
 * the key with the most distinct values that still averages two items a
 * value. `--list` prints the ids and opens nothing; otherwise the review
 * screen (src/tui/review.c) runs and a Markdown summary is written to
 * reviews/<date>-<login>.md, which `goldset commit` adds: a name of its
 * writer's own, so two teammates reviewing the same day never add the same
 * file (what the session recorded is shared as reviews/SESSION.jsonl, see
 * src/app/shared.c). */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/calib.h"
#include "cmd/cmd.h"
#include "model/items.h"
#include "model/labelline.h"
#include "tui/review.h"
#include "base/text.h"
#include "app/ws.h"

#define DEFAULT_N 10
#define SLICE_KEY "query_type"

enum from { FROM_FRESH, FROM_FLAGGED, FROM_DISPUTED };

struct rev_opts {
	long n;
	const char *rubric;
	enum from from;
	int list;
};

/* ---------- options ---------- */

static int parse_args(const struct cmd_args *a, struct rev_opts *o)
{
	static const char *const froms[] = {"fresh", "flagged", "disagreements"};
	const char *v;
	o->list = args_has(a, "list");
	o->rubric = args_get(a, "rubric");
	for (size_t i = 0; (v = args_nth(a, "n", i)); i++)
		if (parse_long(v, &o->n) || o->n < 1 || o->n > 100000)
			return cmd_usage(&cmd_review, "-n needs a whole number from 1");
	for (size_t i = 0; (v = args_nth(a, "from", i)); i++) {
		size_t k = 0;
		while (k < ARRAY_LEN(froms) && strcmp(v, froms[k]) != 0) k++;
		if (k == ARRAY_LEN(froms)) return cmd_usage(&cmd_review, "--from is fresh, flagged or disagreements");
		o->from = (enum from)k;
	}
	return 0;
}

/* ---------- candidates ---------- */

struct cand {
	char *id, *imported_at;
	struct meta_kv *meta;
	size_t nmeta;
	const char *slice;            /* value of the slice key (in meta), or NULL */
	long long times;              /* review sessions that saw it */
	int flagged, disputed;
	int blind;                    /* in a calibration batch still being labeled */
	uint64_t tie;
};

struct cands { struct cand *c; size_t n; };   /* gathered in a GArray, then kept as is */

static int cmp_id(const void *a, const void *b)
{
	return strcmp(((const struct cand *)a)->id, ((const struct cand *)b)->id);
}

static struct cand *find(struct cands *cs, const char *id)
{
	struct cand key = {.id = (char *)id};
	return cs->n ? bsearch(&key, cs->c, cs->n, sizeof *cs->c, cmp_id) : NULL;
}

static int add_cand(void *ctx, const struct store_item *it)
{
	GArray *all = ctx;
	g_array_set_size(all, all->len + 1);   /* cleared */
	struct cand *c = &g_array_index(all, struct cand, all->len - 1);
	c->id = xstrdup(it->ext_id);
	c->imported_at = xstrdup(it->imported_at ? it->imported_at : "");
	c->tie = gs_hash64(it->ext_id, strlen(it->ext_id), 0x726576696577ULL);
	struct item item;
	struct gs_err ignore;
	if (item_from_canon(it->json, &item, &ignore)) return 0;
	c->meta = item.meta;          /* keep the meta, free the rest */
	c->nmeta = item.nmeta;
	item.meta = NULL;
	item.nmeta = 0;
	item_free(&item);
	return 0;
}

static int on_reviewed(void *ctx, const char *ext_id, long long times, const char *last)
{
	(void)last;
	struct cand *c = find(ctx, ext_id);
	if (c) c->times = times;
	return 0;
}

static int on_flagged(void *ctx, const char *ext_id)
{
	struct cand *c = find(ctx, ext_id);
	if (c) c->flagged = 1;
	return 0;
}

static void mark_disputed(struct cands *cs, const struct ratings *t)
{
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t s = 0; s < t->nslots; s++)
			if (calib_disagree(t, &t->u[i], s)) cs->c[t->u[i].item].disputed = 1;
}

static void cands_free(struct cands *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct cand *c = &cs->c[i];
		for (size_t k = 0; k < c->nmeta; k++) {
			free(c->meta[k].key);
			free(c->meta[k].value);
		}
		free(c->meta);
		free(c->id);
		free(c->imported_at);
	}
	g_free(cs->c);
}

static const char *meta_of(const struct cand *c, const char *key)
{
	for (size_t k = 0; key && k < c->nmeta; k++)
		if (strcmp(c->meta[k].key, key) == 0) return c->meta[k].value;
	return NULL;
}

/* items of a calibration batch not every rater has finished stay out of
 * the review: it shows every label, and calibration is blind until the
 * report opens */
struct blind { struct ws *w; struct cands *cs; struct gs_err *e; int rc; };

static int blind_item(void *ctx, const char *ext_id)
{
	struct cand *c = find(ctx, ext_id);
	if (c) c->blind = 1;
	return 0;
}

static int count_item(void *ctx, const char *ext_id)
{
	(void)ext_id;
	++*(long long *)ctx;
	return 0;
}

static int blind_batch(void *ctx, const struct store_batch *b)
{
	struct blind *x = ctx;
	char **raters = NULL;
	long long items = 0, done = 0;
	int open = 0;
	if (store_batch_raters(x->w->st, b->name, &raters, x->e) ||
	    store_batch_items_each(x->w->st, b->name, count_item, &items, x->e))
		x->rc = x->e->code;
	for (size_t r = 0; !x->rc && raters[r] && !open; r++) {
		if (store_batch_done(x->w->st, b->name, raters[r], &done, x->e)) x->rc = x->e->code;
		open = done < items;
	}
	strv_free(raters);
	if (open && !x->rc) x->rc = store_batch_items_each(x->w->st, b->name, blind_item, x->cs, x->e);
	return x->rc;
}

/* ---------- the slice key ---------- */

static size_t distinct_values(const struct cands *cs, const char *key)
{
	const char **v = xcalloc(cs->n + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < cs->n; i++) {
		const char *x = meta_of(&cs->c[i], key);
		size_t k = 0;
		while (x && k < n && strcmp(v[k], x) != 0) k++;
		if (x && k == n) v[n++] = x;
	}
	free(v);
	return n;
}

/* query_type if present, else the key with the most distinct values that
 * still averages two items a value; NULL when no key splits the items */
static const char *slice_key(const struct cands *cs)
{
	const char *best = NULL;
	size_t best_n = 1;
	for (size_t i = 0; i < cs->n; i++)
		if (meta_of(&cs->c[i], SLICE_KEY)) return SLICE_KEY;
	for (size_t i = 0; i < cs->n; i++)
		for (size_t k = 0; k < cs->c[i].nmeta; k++) {
			const char *key = cs->c[i].meta[k].key;
			if (best && strcmp(best, key) == 0) continue;
			size_t n = distinct_values(cs, key);
			if (n > best_n && 2 * n <= cs->n) {
				best = key;
				best_n = n;
			}
		}
	return best;
}

/* ---------- ranking and the round-robin ---------- */

static int cmp_rank(const void *a, const void *b)
{
	const struct cand *x = *(const struct cand *const *)a, *y = *(const struct cand *const *)b;
	if (x->times != y->times) return x->times < y->times ? -1 : 1;
	int px = x->flagged + x->disputed, py = y->flagged + y->disputed;
	if (px != py) return py - px;
	int c = strcmp(y->imported_at, x->imported_at);
	if (c) return c;
	if (x->tie != y->tie) return x->tie < y->tie ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int keep(const struct cand *c, enum from f)
{
	if (c->blind) return 0;
	return f == FROM_FRESH || (f == FROM_FLAGGED && c->flagged) || (f == FROM_DISPUTED && c->disputed);
}

static int same_slice(const struct cand *a, const struct cand *b)
{
	if (!a->slice || !b->slice) return a->slice == b->slice;
	return strcmp(a->slice, b->slice) == 0;
}

/* one tier (same review count) of ranked candidates r[0..n): slices in
 * the order of their best item; each round takes the next best item of
 * every slice in turn */
static size_t round_robin(struct cand **r, size_t n, size_t want, struct cand **out, size_t got)
{
	size_t *grp = xcalloc(n + 1, sizeof *grp), *lead = xcalloc(n + 1, sizeof *lead);
	size_t *cur = xcalloc(n + 1, sizeof *cur), ng = 0;
	for (size_t i = 0; i < n; i++) {
		size_t g = 0;
		while (g < ng && !same_slice(r[lead[g]], r[i])) g++;
		if (g == ng) {
			lead[ng] = cur[ng] = i;
			ng++;
		}
		grp[i] = g;
	}
	for (int any = 1; any && got < want;) {
		any = 0;
		for (size_t g = 0; g < ng && got < want; g++) {
			while (cur[g] < n && grp[cur[g]] != g) cur[g]++;
			if (cur[g] == n) continue;
			out[got++] = r[cur[g]++];
			any = 1;
		}
	}
	free(grp);
	free(lead);
	free(cur);
	return got;
}

static size_t pick(struct cands *cs, enum from f, size_t want, struct cand **out)
{
	struct cand **r = xcalloc(cs->n + 1, sizeof *r);
	size_t n = 0, got = 0;
	for (size_t i = 0; i < cs->n; i++)
		if (keep(&cs->c[i], f)) r[n++] = &cs->c[i];
	if (n > 1) qsort(r, n, sizeof *r, cmp_rank);
	for (size_t i = 0; i < n && got < want;) {
		size_t j = i;
		while (j < n && r[j]->times == r[i]->times) j++;
		got = round_robin(r + i, j - i, want, out, got);
		i = j;
	}
	free(r);
	return got;
}

/* ---------- gathering ---------- */

struct session {
	struct ws *w;
	struct rubric *r;
	struct cands cs;
	struct ratings *all;      /* every rater's labels on every candidate */
	const char *slice;
	struct cand **picked;
	size_t npicked;
};

static int gather(struct session *S, const struct rev_opts *o, struct gs_err *e)
{
	store *st = S->w->st;
	struct store_item_query q = {.kind = strcmp(S->r->mode, "pairwise") == 0 ? "pairwise" : "single", .by_id = 1};
	GArray *all = g_array_new(FALSE, TRUE, sizeof(struct cand));
	int failed = store_items_each(st, &q, add_cand, all, e);
	S->cs.n = all->len;
	S->cs.c = (struct cand *)(void *)g_array_free(all, FALSE);
	if (failed) return e->code;
	if (S->cs.n > 1) qsort(S->cs.c, S->cs.n, sizeof *S->cs.c, cmp_id);
	struct blind bl = {S->w, &S->cs, e, 0};
	if (store_review_counts_each(st, on_reviewed, &S->cs, e) || store_flagged_each(st, on_flagged, &S->cs, e) ||
	    store_batches_each(st, NULL, blind_batch, &bl, e) || bl.rc)
		return e->code;
	char **ids = xcalloc(S->cs.n + 1, sizeof *ids);
	for (size_t i = 0; i < S->cs.n; i++) ids[i] = S->cs.c[i].id;
	int rc = ratings_load_items(st, S->r, NULL, ids, S->cs.n, &S->all, e);
	free(ids);
	if (rc) return rc;
	mark_disputed(&S->cs, S->all);
	S->slice = slice_key(&S->cs);
	for (size_t i = 0; i < S->cs.n; i++) S->cs.c[i].slice = meta_of(&S->cs.c[i], S->slice);
	S->picked = xcalloc((size_t)o->n + 1, sizeof *S->picked);
	S->npicked = pick(&S->cs, o->from, (size_t)o->n, S->picked);
	return 0;
}

static void session_free(struct session *S)
{
	ratings_free(S->all);
	cands_free(&S->cs);
	free(S->picked);
	rubric_free(S->r);
}


static void print_list(const struct session *S)
{
	for (size_t i = 0; i < S->npicked; i++) {
		char *x = text_escape(S->picked[i]->id);
		puts(x);
		free(x);
	}
}

/* ---------- the summary ---------- */

static void md_text(struct sbuf *b, const char *s)
{
	char *x = text_escape(s ? s : "");
	for (const char *p = x; *p; p++) {
		if (*p == '|' || *p == '<' || *p == '>' || *p == '*' || *p == '`' || *p == '[' || *p == ']' ||
		    *p == '\\')
			sb_addc(b, '\\');
		sb_addc(b, *p);
	}
	free(x);
}

/* "alice: correctness 4, relevance 5; bob: ..." for one unit */
static void md_labels(struct sbuf *b, const struct ratings *t, const struct ratings_unit *u)
{
	char buf[32];
	int any = 0;
	for (size_t r = 0; r < t->nraters; r++) {
		int first = 1;
		for (size_t s = 0; s < t->nslots; s++) {
			int v = ratings_val(t, u, r, s);
			if (v < 0) continue;
			struct slot_info si;
			rubric_slot_info(t->r, s, &si);
			sb_add(b, first ? (any ? "; " : "") : ", ");
			if (first) {
				md_text(b, t->raters[r]);
				sb_add(b, ": ");
			}
			md_text(b, si.name);
			sb_add(b, " ");
			md_text(b, ratings_value_text(t, u, s, v, buf));
			first = 0;
			any = 1;
		}
	}
	if (!any) sb_add(b, "none");
}

static void md_consensus(struct sbuf *b, const struct ratings *t, const struct ratings_unit *u, const int *agreed)
{
	char buf[32];
	int any = 0;
	for (size_t s = 0; agreed && u && s < t->nslots; s++) {
		if (agreed[s] < 0) continue;
		struct slot_info si;
		rubric_slot_info(t->r, s, &si);
		sb_add(b, any ? ", " : "");
		md_text(b, si.name);
		sb_add(b, " ");
		md_text(b, ratings_value_text(t, u, s, agreed[s], buf));
		any = 1;
	}
	if (!any) sb_add(b, "none recorded");
}

static void md_item(struct sbuf *b, const struct session *S, const struct ratings *t, size_t i,
		    const struct review_out *o)
{
	sb_add(b, "\n### ");
	md_text(b, S->picked[i]->id);
	sb_add(b, "\n\n");
	if (S->slice) {
		sb_add(b, "- ");
		md_text(b, S->slice);
		sb_add(b, ": ");
		md_text(b, S->picked[i]->slice ? S->picked[i]->slice : "(none)");
		sb_add(b, "\n");
	}
	for (size_t k = 0; k < t->nunits; k++) {
		if (t->u[k].item != i) continue;
		sb_add(b, "- labels: ");
		md_labels(b, t, &t->u[k]);
		sb_add(b, "\n");
	}
	const struct ratings_unit *u0 = NULL;
	for (size_t k = 0; k < t->nunits && !u0; k++)
		if (t->u[k].item == i) u0 = &t->u[k];
	if (strcmp(t->r->mode, "pairwise") != 0) {
		sb_add(b, "- consensus: ");
		md_consensus(b, t, u0, o->agreed);
		sb_add(b, "\n");
	}
	sb_add(b, "- tags: ");
	md_text(b, o->tags ? o->tags : "none");
	sb_add(b, "\n- note: ");
	md_text(b, o->note ? o->note : "none");
	sb_add(b, "\n");
}

static void md_counts(struct sbuf *b, const struct session *S, const struct review_out *out)
{
	if (!S->slice) return;
	sb_add(b, "\n## Items by ");
	md_text(b, S->slice);
	sb_add(b, "\n\n| ");
	md_text(b, S->slice);
	sb_add(b, " | reviewed |\n|---|---|\n");
	for (size_t i = 0; i < S->npicked; i++) {
		if (!out[i].reviewed) continue;
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++) seen = out[k].reviewed && same_slice(S->picked[k], S->picked[i]);
		if (seen) continue;
		size_t n = 0;
		for (size_t k = i; k < S->npicked; k++) n += out[k].reviewed && same_slice(S->picked[k], S->picked[i]);
		sb_add(b, "| ");
		md_text(b, S->picked[i]->slice ? S->picked[i]->slice : "(none)");
		sb_addf(b, " | %zu |\n", n);
	}
}

/* "a, b ,c" -> {"a", "b", "c"}: trimmed, empty ones dropped */
static char **tag_list(const char *tags)
{
	char **v = split_list(tags ? tags : "", ',');
	size_t n = 0;
	for (size_t i = 0; v[i]; i++) {
		char *s = v[i], *e;
		while (*s == ' ') s++;
		for (e = s + strlen(s); e > s && e[-1] == ' '; e--) {}
		*e = 0;
		memmove(v[i], s, strlen(s) + 1);
		if (*v[i]) v[n++] = v[i];
		else free(v[i]);
	}
	v[n] = NULL;
	return v;
}

static int has_tag(char **tags, const char *t)
{
	for (size_t i = 0; tags[i]; i++)
		if (strcmp(tags[i], t) == 0) return 1;
	return 0;
}

/* every tag with the items that carry it, in the order first used */
static void md_tags(struct sbuf *b, const struct session *S, const struct review_out *out)
{
	char ***tags = xcalloc(S->npicked + 1, sizeof *tags);
	int any = 0;
	for (size_t i = 0; i < S->npicked; i++) tags[i] = tag_list(out[i].reviewed ? out[i].tags : NULL);
	sb_add(b, "\n## Tags\n\n");
	for (size_t i = 0; i < S->npicked; i++)
		for (size_t k = 0; tags[i][k]; k++) {
			int seen = 0;
			for (size_t j = 0; j < i && !seen; j++) seen = has_tag(tags[j], tags[i][k]);
			if (seen) continue;
			sb_add(b, "- ");
			md_text(b, tags[i][k]);
			sb_add(b, ":");
			for (size_t j = i; j < S->npicked; j++)
				if (has_tag(tags[j], tags[i][k])) {
					sb_add(b, " ");
					md_text(b, S->picked[j]->id);
				}
			sb_add(b, "\n");
			any = 1;
		}
	if (!any) sb_add(b, "none\n");
	for (size_t i = 0; i < S->npicked; i++) strv_free(tags[i]);
	free(tags);
}

static char *summary(const struct session *S, const struct ratings *t, const struct review_out *out,
		     const char *date, const char *stamp, enum from f)
{
	static const char *const from_names[] = {"fresh items", "flagged items", "disputed items"};
	struct sbuf b = {0};
	size_t n = 0;
	for (size_t i = 0; i < S->npicked; i++) n += out[i].reviewed;
	sb_addf(&b, "# Review %s\n\n- session: %s\n- rubric: ", date, stamp);
	md_text(&b, S->r->name);
	sb_addf(&b, " v%d\n- reviewed: %zu of %zu item%s shown (%s)\n", S->r->version, n, S->npicked,
		gs_s((long long)S->npicked), from_names[f]);
	md_counts(&b, S, out);
	md_tags(&b, S, out);
	sb_add(&b, "\n## Items\n");
	for (size_t i = 0; i < S->npicked; i++)
		if (out[i].reviewed) md_item(&b, S, t, i, &out[i]);
	return sb_take(&b);
}

/* reviews/DATE-LOGIN.md, or DATE-LOGIN-2.md ... when this login wrote a
 * session that day already: each writer names its own files, so that no
 * two teammates ever add the same path (a git add/add conflict) */
static char *summary_path(struct ws *w, const char *date)
{
	char *login = labelline_file_name(gs_login());
	for (int k = 1;; k++) {
		char *rel = k == 1 ? xasprintf("reviews/%s-%s.md", date, login)
				   : xasprintf("reviews/%s-%s-%d.md", date, login, k);
		char *p = ws_path(w, rel);
		free(rel);
		if (!path_exists(p)) {
			free(login);
			return p;
		}
		free(p);
	}
}

static int write_summary(struct session *S, const struct ratings *t, const struct review_out *out,
			 const char *stamp, enum from f, struct gs_err *e)
{
	char date[16];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	char *dir = ws_path(S->w, "reviews");
	if (mkdir_p(dir)) {
		free(dir);
		return gs_fail(e, EX_CANTCREAT, "cannot create reviews/ in the workspace");
	}
	free(dir);
	char *path = summary_path(S->w, date), *text = summary(S, t, out, date, stamp, f);
	int rc = write_file_atomic(path, text, strlen(text), e);
	if (!rc) {
		const char *rel = strstr(path, "reviews/");
		printf("review summary written to %s (goldset commit adds it)\n", rel ? rel : path);
	}
	free(path);
	free(text);
	return rc;
}

/* ---------- the session ---------- */

static int run_screen(struct session *S, const struct rev_opts *o, struct gs_err *e)
{
	char **ids = xcalloc(S->npicked + 1, sizeof *ids);
	for (size_t i = 0; i < S->npicked; i++) ids[i] = S->picked[i]->id;
	struct ratings *t;
	int rc = ratings_load_items(S->w->st, S->r, NULL, ids, S->npicked, &t, e);
	if (rc) {
		free(ids);
		return rc;
	}
	char stamp[32];
	now_iso8601(stamp);
	struct review_opts ro = {S->w->st, t, ids, S->npicked, stamp, S->slice};
	struct review_out *out = xcalloc(S->npicked + 1, sizeof *out);
	rc = review_screen(&ro, out, e);
	size_t n = 0;
	for (size_t i = 0; i < S->npicked; i++) n += out[i].reviewed;
	if ((!rc || rc > 128) && n) {
		int wrc = write_summary(S, t, out, stamp, o->from, e);
		if (wrc && !rc) rc = wrc;
	} else if (!rc) {
		printf("no item was marked reviewed (Enter marks one), so no summary was written\n");
	}
	review_out_free(out, S->npicked);
	free(out);
	ratings_free(t);
	free(ids);
	return rc;
}

static int nothing_to_review(const struct session *S, enum from f)
{
	static const char *const why[] = {"no items of this rubric's kind (goldset import adds some)",
					  "no flagged items (f in the label screen flags one)",
					  "no items on which raters disagree"};
	fprintf(stderr, "goldset review: %s\n", S->cs.n || f != FROM_FRESH ? why[f] : why[0]);
	return EX_NOINPUT;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct rev_opts o = {.n = DEFAULT_N};
	int rc = parse_args(a, &o);
	if (rc) return rc;
	if (!o.list && (!isatty(0) || !isatty(1)))
		return gs_die(EX_USAGE, "review is a screen: run it in a terminal (--list prints the ids it would show)");
	struct gs_err e = {0};
	struct session S = {.w = ctx->ws};
	if (ws_rubric_single_first(S.w, o.rubric, &S.r, &e)) return gs_report(&e);
	rc = gather(&S, &o, &e);
	if (rc) gs_report(&e);
	else if (!S.npicked) rc = nothing_to_review(&S, o.from);
	else if (o.list) print_list(&S);
	else if ((rc = run_screen(&S, &o, &e)) != 0 && rc < 128) gs_report(&e);
	session_free(&S);
	return rc;
}

static const struct cmd_option options[] = {
	{NULL, 'n', CMD_ARG_REQUIRED, "N", "how many items (default 10)"},
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the single-mode rubric (default: the last one, else the only one)"},
	{"from", 0, CMD_ARG_REQUIRED, "fresh|flagged|disagreements", "which items: all (fresh first), flagged or disputed"},
	{"list", 0, CMD_ARG_NONE, NULL, "print the ids it would show and open nothing"},
	{0},
};

const struct cmd_entry cmd_review = {
	.name = "review",
	.usage = "goldset review [-n N] [--rubric R] [--from fresh|flagged|disagreements] [--list]",
	.summary = "the weekly review: fresh items with every rater's labels; consensus, notes, tags",
	.options = options,
	.example = "goldset review -n 20 --from flagged",
	.flags = CMD_WS_WRITE,
	.run = run,
};
