/* cmd-calibrate.c: `goldset calibrate start|show|report|discuss`, the
 * calibration run (DESIGN "CLI contract"; issue 7):
 *
 *   start NAME --raters A,B [-n 50] [--rubric R] [--seed S] [--stratify KEY]
 *       draws N items into a named batch (round 1 + earlier batches of R);
 *   show NAME [--json]      its items and each rater's progress (counts only);
 *   report NAME [--json] [--force]
 *       agreement per criterion, the disagreements, kappa per round; refuses
 *       (exit 75) until every rater finished, so nobody sees another's labels
 *       before the report is open;
 *   discuss NAME [--names] [--force]
 *       the disagreement walk (src/tui/discuss.c), agreed values stored as
 *       consensus labels.
 *
 * The labels -> table -> statistics work is src/calib.c's. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calib.h"
#include "cmd.h"
#include "discuss_screen.h"
#include "items.h"
#include "jsoncheck.h"
#include "jsonout.h"
#include "labelset.h"
#include "text.h"
#include "ws.h"

#define DEFAULT_N 50
#define MAX_SEED 9007199254740991ULL   /* 2^53 - 1 */
#define CONFUSION_MAX 12      /* print the matrix up to this many values */

struct cal_opts {
	const char *name, *raters, *rubric, *seed, *stratify, *n;
	int json, force, names;
};

/* ---------- shared ---------- */

struct batch {
	struct store_batch b;
	char **raters;
	char **items;
	size_t nitems, cap;
};

static int add_item(void *ctx, const char *ext_id)
{
	struct batch *b = ctx;
	if (b->nitems + 1 >= b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->items = xrealloc(b->items, b->cap * sizeof *b->items);
	}
	b->items[b->nitems++] = xstrdup(ext_id);
	b->items[b->nitems] = NULL;
	return 0;
}

static int batch_load(struct ws *w, const char *name, struct batch *b, struct gs_err *e)
{
	memset(b, 0, sizeof *b);
	if (store_batch_info(w->st, name, &b->b, e)) return e->code;
	if (store_batch_raters(w->st, name, &b->raters, e) || store_batch_items_each(w->st, name, add_item, b, e)) {
		store_batch_free(&b->b);
		strv_free(b->raters);
		strv_free(b->items);
		return e->code;
	}
	return 0;
}

static void batch_free(struct batch *b)
{
	store_batch_free(&b->b);
	strv_free(b->raters);
	if (b->items) strv_free(b->items);
	memset(b, 0, sizeof *b);
}

static void put_escaped(FILE *f, const char *s)
{
	char *x = text_escape(s ? s : "");
	fputs(x, f);
	free(x);
}

/* how far each rater has got; 1 when all finished */
static int batch_progress(struct ws *w, const struct batch *b, long long *done, struct gs_err *e)
{
	int all = 1;
	for (size_t r = 0; b->raters[r]; r++) {
		if (store_batch_done(w->st, b->b.name, b->raters[r], &done[r], e)) return -1;
		all &= done[r] >= (long long)b->nitems;
	}
	return all;
}

/* the one line `report` and `discuss` refuse with */
static int refuse_unfinished(const struct batch *b, const long long *done)
{
	struct sbuf s = {0};
	for (size_t r = 0; b->raters[r]; r++) {
		if (done[r] >= (long long)b->nitems) continue;
		char *x = text_escape(b->raters[r]);
		sb_addf(&s, "%s%s (%lld/%zu)", s.len ? ", " : "", x, done[r], b->nitems);
		free(x);
	}
	char *name = text_escape(b->b.name);
	fprintf(stderr, "goldset calibrate: batch %s is not finished: waiting for %s; the report opens when every "
		"rater has finished (--force to open it now)\n", name, s.p ? s.p : "?");
	free(name);
	sb_free(&s);
	return EX_TEMPFAIL;
}

/* opens the batch; with check, refuses an unfinished one */
static int open_batch(const struct cal_opts *o, int check, struct ws *w, struct batch *b, int *complete)
{
	struct gs_err e = {0};
	if (batch_load(w, o->name, b, &e)) return gs_report(&e);
	long long *done = xcalloc(strv_len(b->raters) + 1, sizeof *done);
	int all = batch_progress(w, b, done, &e);
	int rc = all < 0 ? gs_report(&e) : check && !all && !o->force ? refuse_unfinished(b, done) : 0;
	/* the report is open: the batch's labels may be seen everywhere now */
	if (!rc && check && store_batch_reveal(w->st, o->name, &e)) rc = gs_report(&e);
	free(done);
	*complete = all == 1;
	if (rc) batch_free(b);
	return rc;
}

/* ---------- start ---------- */

struct cand { char *id, *slice; int tier; uint64_t key; };

struct pool {
	struct cand *c;
	size_t n, cap;
	const char *key;              /* --stratify */
	uint64_t seed;
	char **used;                  /* items of earlier batches or labeled by a rater: sorted */
	size_t nused, capused;
};

static void used_add(struct pool *p, const char *id)
{
	if (p->nused == p->capused) {
		p->capused = p->capused ? 2 * p->capused : 64;
		p->used = xrealloc(p->used, p->capused * sizeof *p->used);
	}
	p->used[p->nused++] = xstrdup(id);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int used_has(const struct pool *p, const char *id)
{
	return p->nused && bsearch(&id, p->used, p->nused, sizeof *p->used, cmp_str) != NULL;
}

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int add_cand(void *ctx, const struct store_item *it)
{
	struct pool *p = ctx;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 128;
		p->c = xrealloc(p->c, p->cap * sizeof *p->c);
	}
	struct cand *c = &p->c[p->n++];
	c->id = xstrdup(it->ext_id);
	c->slice = NULL;
	if (p->key) {
		struct item item;
		struct gs_err ignore;
		int parsed = item_from_canon(it->json, &item, &ignore) == 0;
		const char *v = parsed ? item_meta(&item, p->key) : NULL;
		c->slice = xstrdup(v ? v : "(none)");
		if (parsed) item_free(&item);
	}
	c->tier = 0;
	c->key = mix(fnv1a64(it->ext_id, strlen(it->ext_id), p->seed) + p->seed);
	return 0;
}

static int earlier_item(void *ctx, const char *ext_id)
{
	used_add(ctx, ext_id);
	return 0;
}

struct earlier { struct ws *w; struct pool *p; struct gs_err *e; int rc; };

static int earlier_batch(void *ctx, const struct store_batch *b)
{
	struct earlier *x = ctx;
	x->rc = store_batch_items_each(x->w->st, b->name, earlier_item, x->p, x->e);
	return x->rc;
}

struct labeled { struct pool *p; char **raters; };

static int labeled_item(void *ctx, const struct store_label *l)
{
	struct labeled *x = ctx;
	for (size_t i = 0; x->raters[i]; i++)
		if (strcmp(x->raters[i], l->rater) == 0) used_add(x->p, l->ext_id);
	return 0;
}

/* items already in a batch of the rubric or labeled by one of the raters
 * go last, so a second round is labeled fresh */
static int mark_used(struct ws *w, const char *rubric, char **raters, struct pool *p, struct gs_err *e)
{
	struct earlier x = {w, p, e, 0};
	struct labeled l = {p, raters};
	struct store_label_query q = {.rubric = rubric, .include_hidden = 1};
	if (store_batches_each(w->st, rubric, earlier_batch, &x, e) || x.rc ||
	    store_labels_each(w->st, &q, labeled_item, &l, e))
		return e->code;
	if (p->nused) qsort(p->used, p->nused, sizeof *p->used, cmp_str);
	for (size_t i = 0; i < p->n; i++) p->c[i].tier = used_has(p, p->c[i].id);
	return 0;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->tier != y->tier) return x->tier - y->tier;
	int c = strcmp(x->slice ? x->slice : "", y->slice ? y->slice : "");
	if (c) return c;
	if (x->key != y->key) return x->key < y->key ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* round-robin over the slices of one tier [from, to): each slice gives its
 * next item in turn, so every slice is represented as evenly as it can be */
static size_t draw_tier(struct cand *c, size_t from, size_t to, size_t want, char **out, size_t nout)
{
	size_t ng = 0, *head = xmalloc((to - from + 1) * sizeof *head), *end = xmalloc((to - from + 1) * sizeof *end);
	for (size_t i = from; i < to; i++)
		if (i == from || strcmp(c[i].slice ? c[i].slice : "", c[i - 1].slice ? c[i - 1].slice : "") != 0) {
			if (ng) end[ng - 1] = i;
			head[ng++] = i;
		}
	if (ng) end[ng - 1] = to;
	for (int more = 1; more && nout < want;) {
		more = 0;
		for (size_t g = 0; g < ng && nout < want; g++)
			if (head[g] < end[g]) {
				out[nout++] = c[head[g]++].id;
				more = 1;
			}
	}
	free(head);
	free(end);
	return nout;
}

static size_t draw(struct pool *p, size_t want, char **out)
{
	if (p->n > 1) qsort(p->c, p->n, sizeof *p->c, cmp_cand);
	size_t nout = 0;
	for (size_t i = 0; i < p->n && nout < want;) {
		size_t j = i;
		while (j < p->n && p->c[j].tier == p->c[i].tier) j++;
		nout = draw_tier(p->c, i, j, want, out, nout);
		i = j;
	}
	return nout;
}

static void pool_free(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->c[i].id);
		free(p->c[i].slice);
	}
	for (size_t i = 0; i < p->nused; i++) free(p->used[i]);
	free(p->c);
	free(p->used);
}

static int max_round(void *ctx, const struct store_batch *b)
{
	int *r = ctx;
	if (b->round > *r) *r = b->round;
	return 0;
}

/* --raters A,B: at least two distinct, non-empty names */
static char **parse_raters(const char *s)
{
	if (!s) return NULL;
	char **v = split_list(s, ',');
	size_t n = strv_len(v);
	for (size_t i = 0; i < n; i++) {
		char *a = v[i];
		while (*a == ' ') memmove(a, a + 1, strlen(a));
		size_t l = strlen(a);
		while (l && a[l - 1] == ' ') a[--l] = 0;
		for (size_t k = 0; k < i; k++)
			if (strcmp(v[k], a) == 0 || !*a) n = 0;
		if (!*a) n = 0;
	}
	if (n < 2) {
		strv_free(v);
		return NULL;
	}
	return v;
}

static char *raters_json(char **raters)
{
	struct jo *a = jo_array();
	for (size_t i = 0; raters[i]; i++) jo_str(a, NULL, raters[i]);
	char *s = jo_string(a, 0);
	jo_free(a);
	return s;
}

static void print_started(const struct store_batch *b, char **raters, const struct rubric *r, size_t n,
			  size_t asked, size_t available)
{
	printf("calibration batch ");
	put_escaped(stdout, b->name);
	printf(": %zu items of rubric ", n);
	put_escaped(stdout, r->name);
	printf(" v%d (round %d), seed %lld", r->version, b->round, b->seed);
	if (b->stratify) {
		printf(", spread evenly over the values of ");
		put_escaped(stdout, b->stratify);
	}
	printf("\n");
	if (n < asked) printf("(only %zu items of this rubric's kind exist; asked for %zu)\n", available, asked);
	printf("Each rater labels the batch alone, without looking at anyone else's labels:\n");
	for (size_t i = 0; raters[i]; i++) {
		printf("  goldset %s --batch ", strcmp(r->mode, "pairwise") == 0 ? "pair" : "label");
		put_escaped(stdout, b->name);
		printf(" --as ");
		put_escaped(stdout, raters[i]);
		printf("\n");
	}
	printf("Then read the agreement and walk through the disagreements together:\n  goldset calibrate report ");
	put_escaped(stdout, b->name);
	printf("\n  goldset calibrate discuss ");
	put_escaped(stdout, b->name);
	printf("\n");
}

static int start_args(const struct cal_opts *o, char ***raters, long *n, uint64_t *seed)
{
	if (!(*raters = parse_raters(o->raters)))
		return cmd_usage(&cmd_calibrate, "--raters needs two or more different names, comma-separated (A,B)");
	if (o->n && (parse_long(o->n, n) || *n < 1 || *n > 1000000))
		return cmd_usage(&cmd_calibrate, "-n must be a whole number from 1 (not %s)", o->n);
	char *end;
	if (o->seed) {
		/* up to 2^53 - 1: batches/NAME.jsonl keeps it, and every JSON reader reads that exactly */
		*seed = strtoull(o->seed, &end, 10);
		if (!*o->seed || *end || *o->seed == '-' || *seed > MAX_SEED)
			return cmd_usage(&cmd_calibrate, "--seed must be a whole number from 0 to %llu (not %s)",
					 (unsigned long long)MAX_SEED, o->seed);
	} else {
		*seed = mix((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32)) % 1000000;
	}
	return 0;
}

static int do_start(struct ws *w, const struct cal_opts *o, char **raters, long n, uint64_t seed,
		    struct gs_err *e)
{
	struct rubric *r;
	if (ws_rubric_single_first(w, o->rubric, &r, e)) return e->code;
	const char *key = o->stratify && strncmp(o->stratify, "meta.", 5) == 0 ? o->stratify + 5 : o->stratify;
	struct pool p = {.key = key, .seed = seed};
	struct store_item_query q = {.kind = strcmp(r->mode, "pairwise") == 0 ? "pairwise" : "single", .by_id = 1};
	int round = 0, rc = store_items_each(w->st, &q, add_cand, &p, e) || mark_used(w, r->name, raters, &p, e) ||
			       store_batches_each(w->st, r->name, max_round, &round, e);
	if (!rc && p.n == 0) rc = gs_fail(e, EX_NOINPUT, "no %s items to calibrate on (goldset import FILE)", q.kind);
	if (!rc) {
		char **pick = xcalloc((size_t)n + 1, sizeof *pick);
		size_t got = draw(&p, (size_t)n, pick);
		char *rj = raters_json(raters);
		struct store_batch b = {.name = o->name, .rubric = r->name, .raters = rj, .stratify = key,
					.seed = (long long)seed, .round = round + 1};
		rc = store_batch_create(w->st, &b, pick, got, e);
		if (!rc) print_started(&b, raters, r, got, (size_t)n, p.n);
		free(rj);
		free(pick);
	}
	rc = rc ? e->code : 0;
	pool_free(&p);
	rubric_free(r);
	return rc;
}

static int cal_start(struct gs_ctx *ctx, const struct cal_opts *o)
{
	char **raters = NULL;
	long n = DEFAULT_N;
	uint64_t seed = 0;
	int rc = start_args(o, &raters, &n, &seed);
	if (rc) {
		strv_free(raters);   /* -n or --seed refused after --raters was read */
		return rc;
	}
	rc = jsoncheck_usage("calibrate start NAME", o->name);
	for (size_t i = 0; raters[i] && !rc; i++) rc = jsoncheck_usage("--raters", raters[i]);
	char *file = labelset_file_name(o->name);
	size_t flen = strlen(file);
	free(file);
	if (!rc && flen + 6 > NAME_MAX)   /* it names batches/NAME.jsonl */
		rc = cmd_usage(&cmd_calibrate, "the batch NAME is too long for a file name under batches/");
	if (rc) {
		strv_free(raters);
		return rc;
	}
	struct gs_err e = {0};
	rc = do_start(ctx->ws, o, raters, n, seed, &e) ? gs_report(&e) : 0;
	strv_free(raters);
	return rc;
}

/* ---------- show ---------- */

static void show_json(const struct batch *b, const long long *done)
{
	struct jo *o = jo_object();
	jo_str(o, "name", b->b.name);
	jo_str(o, "rubric", b->b.rubric);
	jo_int(o, "round", b->b.round);
	jo_int(o, "seed", b->b.seed);
	jo_str(o, "stratify", b->b.stratify);
	jo_str(o, "created_at", b->b.created_at);
	int all = 1;
	struct jo *ra = jo_add_array(o, "raters");
	for (size_t r = 0; b->raters[r]; r++) {
		struct jo *x = jo_add_object(ra, NULL);
		jo_str(x, "name", b->raters[r]);
		jo_int(x, "done", done[r]);
		jo_int(x, "total", (long long)b->nitems);
		jo_bool(x, "finished", done[r] >= (long long)b->nitems);
		all &= done[r] >= (long long)b->nitems;
	}
	jo_bool(o, "finished", all);
	struct jo *it = jo_add_array(o, "items");
	for (size_t i = 0; i < b->nitems; i++) jo_str(it, NULL, b->items[i]);
	jo_print(o, stdout);
	jo_free(o);
}

static void show_text(const struct batch *b, const long long *done)
{
	printf("batch ");
	put_escaped(stdout, b->b.name);
	printf(": rubric ");
	put_escaped(stdout, b->b.rubric);
	printf(", round %d, %zu items, seed %lld", b->b.round, b->nitems, b->b.seed);
	if (b->b.stratify) {
		printf(", spread over ");
		put_escaped(stdout, b->b.stratify);
	}
	printf("\ncreated %s\nraters (items labeled):\n", b->b.created_at ? b->b.created_at : "?");
	int all = 1;
	for (size_t r = 0; b->raters[r]; r++) {
		char *x = text_escape(b->raters[r]);
		int fin = done[r] >= (long long)b->nitems;
		printf("  %-24s %lld/%zu%s\n", x, done[r], b->nitems, fin ? "  finished" : "");
		all &= fin;
		free(x);
	}
	if (all) {
		printf("Everyone has finished: goldset calibrate report ");
		put_escaped(stdout, b->b.name);
		printf("\n");
	} else {
		printf("The report opens when every rater has finished.\n");
	}
	printf("items:\n");
	for (size_t i = 0; i < b->nitems; i++) {
		printf("  ");
		put_escaped(stdout, b->items[i]);
		printf("\n");
	}
}

static int cal_show(struct gs_ctx *ctx, const struct cal_opts *o)
{
	struct ws *w = ctx->ws;
	struct batch b;
	int complete;
	int rc = open_batch(o, 0, w, &b, &complete);
	if (rc) return rc;
	struct gs_err e = {0};
	long long *done = xcalloc(strv_len(b.raters) + 1, sizeof *done);
	if (batch_progress(w, &b, done, &e) < 0) rc = gs_report(&e);
	else if (o->json) show_json(&b, done);
	else show_text(&b, done);
	free(done);
	batch_free(&b);
	return rc;
}

/* ---------- report ---------- */

struct report {
	struct batch *b;
	struct rubric *r;
	struct calib_table t;
	struct calib_row *rows;
	int complete;
};

static int report_build(struct ws *w, struct report *rp, unsigned resamples, struct gs_err *e)
{
	struct batch *b = rp->b;
	if (calib_rubric(w->st, b->b.rubric, b->raters, b->items, b->nitems, &rp->r, e)) return e->code;
	if (calib_table_build(w->st, rp->r, b->raters, b->items, b->nitems, &rp->t, e)) {
		rubric_free(rp->r);
		rp->r = NULL;
		return e->code;
	}
	rp->rows = calib_rows(&rp->t, resamples, (uint64_t)b->b.seed);
	return 0;
}

static void report_free(struct report *rp)
{
	calib_rows_free(rp->rows, rp->t.nslots);
	calib_table_free(&rp->t);
	rubric_free(rp->r);
}

/* ---- rounds: kappa per criterion for every batch of the rubric ---- */

struct round {
	struct batch b;
	struct report rp;
	int ok;
};

struct rounds { struct ws *w; struct round *r; size_t n; };

static int add_round(void *ctx, const struct store_batch *sb)
{
	struct rounds *x = ctx;
	x->r = xrealloc(x->r, (x->n + 1) * sizeof *x->r);
	struct round *r = &x->r[x->n++];
	memset(r, 0, sizeof *r);
	r->b.b.name = xstrdup(sb->name);   /* loaded after the walk */
	return 0;
}

static void rounds_load(struct ws *w, const char *rubric, struct rounds *x)
{
	struct gs_err e;
	memset(x, 0, sizeof *x);
	x->w = w;
	if (store_batches_each(w->st, rubric, add_round, x, &e)) return;
	for (size_t i = 0; i < x->n; i++) {
		struct round *r = &x->r[i];
		char *name = (char *)r->b.b.name;
		r->rp.b = &r->b;
		int loaded = batch_load(w, name, &r->b, &e) == 0;
		r->ok = loaded && report_build(w, &r->rp, 0, &e) == 0;
		if (loaded && !r->ok) batch_free(&r->b);
		free(name);
	}
}

static void rounds_free(struct rounds *x)
{
	for (size_t i = 0; i < x->n; i++) {
		if (!x->r[i].ok) continue;
		report_free(&x->r[i].rp);
		batch_free(&x->r[i].b);
	}
	free(x->r);
}

/* the kappa of criterion name in a round, NaN when it has none */
static double round_kappa(const struct round *r, const char *name, int *present)
{
	*present = 0;
	for (size_t s = 0; r->ok && s < r->rp.t.nslots; s++)
		if (strcmp(r->rp.rows[s].si.name, name) == 0) {
			*present = 1;
			return r->rp.rows[s].kappa;
		}
	return NAN;
}

static void rounds_json(struct jo *o, const struct rounds *x)
{
	struct jo *arr = jo_add_array(o, "rounds");
	for (size_t i = 0; i < x->n; i++) {
		const struct round *r = &x->r[i];
		if (!r->ok) continue;
		struct jo *ro = jo_add_object(arr, NULL);
		jo_str(ro, "batch", r->b.b.name);
		jo_int(ro, "round", r->b.b.round);
		jo_int(ro, "rubric_version", r->rp.t.rubric_version ? r->rp.t.rubric_version : r->rp.r->version);
		struct jo *k = jo_add_object(ro, "kappa");
		for (size_t s = 0; s < r->rp.t.nslots; s++) jo_num(k, r->rp.rows[s].si.name, r->rp.rows[s].kappa);
	}
}

static void rounds_text(const struct report *cur, const struct rounds *x)
{
	if (x->n < 2) return;
	printf("\nRounds of rubric ");
	put_escaped(stdout, cur->r->name);
	printf(" (%s per criterion; did the rubric change help?):\n  %-24s", cur->t.nraters == 2 ? "Cohen's kappa"
	       : "Fleiss' kappa", "criterion");
	for (size_t i = 0; i < x->n; i++) {
		char head[64];
		snprintf(head, sizeof head, "round %d v%d", x->r[i].b.b.round,
			 x->r[i].ok ? (x->r[i].rp.t.rubric_version ? x->r[i].rp.t.rubric_version : x->r[i].rp.r->version) : 0);
		printf(" %14s", head);
	}
	printf("\n");
	for (size_t s = 0; s < cur->t.nslots; s++) {
		char *n = text_escape(cur->rows[s].si.name);
		printf("  %-24.24s", n);
		free(n);
		for (size_t i = 0; i < x->n; i++) {
			int present;
			double k = round_kappa(&x->r[i], cur->rows[s].si.name, &present);
			if (!present) printf(" %14s", "-");
			else if (isnan(k)) printf(" %14s", "n/a");
			else printf(" %14.3f", k);
		}
		printf("\n");
	}
	printf("  %-24s", "batch");
	for (size_t i = 0; i < x->n; i++) {
		char *n = text_escape(x->r[i].b.b.name ? x->r[i].b.b.name : "?");
		printf(" %14.14s", n);
		free(n);
	}
	printf("\n");
}

/* ---- the report itself ---- */

static void disagreements_json(struct jo *o, const struct calib_table *t)
{
	struct jo *arr = jo_add_array(o, "disagreements");
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t s = 0; s < t->nslots; s++) {
			const struct calib_unit *u = &t->u[i];
			if (!calib_disagree(t, u, s)) continue;
			struct slot_info si;
			rubric_slot_info(t->r, s, &si);
			struct jo *d = jo_add_object(arr, NULL);
			jo_str(d, "id", u->ext_id);
			if (*u->pair_key) {
				struct jo *p = jo_add_array(d, "pair");
				jo_str(p, NULL, u->sys[0]);
				jo_str(p, NULL, u->sys[1]);
			}
			jo_str(d, "criterion", si.name);
			struct jo *v = jo_add_object(d, "values");
			for (size_t r = 0; r < t->nraters; r++) {
				char *j = calib_value_json(t, u, s, calib_val(t, u, r, s));
				jo_raw(v, t->raters[r], j);
				free(j);
			}
		}
}

static void report_json(const struct report *rp, const struct rounds *x)
{
	struct jo *o = jo_object();
	jo_str(o, "batch", rp->b->b.name);
	jo_str(o, "rubric", rp->r->name);
	jo_int(o, "rubric_version", rp->t.rubric_version ? rp->t.rubric_version : rp->r->version);
	jo_int(o, "round", rp->b->b.round);
	struct jo *ra = jo_add_array(o, "raters");
	for (size_t r = 0; r < rp->t.nraters; r++) jo_str(ra, NULL, rp->t.raters[r]);
	jo_int(o, "items", (long long)rp->b->nitems);
	jo_bool(o, "complete", rp->complete);
	struct jo *cr = jo_add_array(o, "criteria");
	for (size_t s = 0; s < rp->t.nslots; s++) calib_row_json(jo_add_object(cr, NULL), &rp->t, &rp->rows[s]);
	disagreements_json(o, &rp->t);
	rounds_json(o, x);
	jo_print(o, stdout);
	jo_free(o);
}

static void print_num(const char *label, double v, int percent)
{
	if (isnan(v)) printf("%s n/a", label);
	else if (percent) printf("%s %.1f%%", label, 100 * v);
	else printf("%s %.3f", label, v);
}

static void print_confusion(const struct report *rp, const struct calib_row *row)
{
	const struct calib_table *t = &rp->t;
	if (t->nraters != 2 || row->k < 2 || row->k > CONFUSION_MAX) return;
	char *a = text_escape(t->raters[0]), *b = text_escape(t->raters[1]);
	printf("    who said what (rows: %s, columns: %s):\n      %8s", a, b, "");
	struct calib_unit none = {.pair_key = ""};
	char buf[32];
	int off = row->si.crit->type == CRIT_SCALE ? row->si.crit->min : 0;
	for (size_t j = 0; j < row->k; j++) {
		char *v = text_escape(calib_value_text(t, &none, row->slot, (int)row->cval[j] - off, buf));
		printf(" %8.8s", v);
		free(v);
	}
	for (size_t i = 0; i < row->k; i++) {
		char *v = text_escape(calib_value_text(t, &none, row->slot, (int)row->cval[i] - off, buf));
		printf("\n      %8.8s", v);
		free(v);
		for (size_t j = 0; j < row->k; j++) printf(" %8ld", row->ccount[i * row->k + j]);
	}
	printf("\n");
	free(a);
	free(b);
}

static void print_row(const struct report *rp, const struct calib_row *row)
{
	const struct st_agree *a = &row->a;
	char *n = text_escape(row->si.name);
	printf("\n%s (%s, %zu items rated)\n    ", n, st_level_name(a->level), a->units);
	free(n);
	print_num(rp->t.nraters == 2 ? "Cohen's kappa" : "Fleiss' kappa", row->kappa, 0);
	if (!isnan(a->cohen_kappa_lo)) printf(" [%.3f, %.3f]", a->cohen_kappa_lo, a->cohen_kappa_hi);
	if (!strcmp(row->verdict, "ok")) printf("  ok (>= %.1f)\n    ", CALIB_KAPPA_OK);
	else if (!strcmp(row->verdict, "too vague"))
		printf("  below %.1f: the rubric is too vague here\n    ", CALIB_KAPPA_OK);
	else printf("  (undefined, see notes)\n    ");
	print_num("agreement", a->percent_agreement, 1);
	if (a->level != ST_NOMINAL && rp->t.nraters == 2) {
		print_num(", weighted kappa linear", a->weighted_kappa_linear, 0);
		print_num(", quadratic", a->weighted_kappa_quadratic, 0);
	}
	print_num(", alpha", a->alpha, 0);
	printf(", %zu disagreement%s\n", row->disagreements, row->disagreements == 1 ? "" : "s");
	print_confusion(rp, row);
	for (size_t i = 0; i < a->notes.n; i++) printf("    note: %s\n", a->notes.text[i]);
}

static void print_disagreement(const struct calib_table *t, const struct calib_unit *u, size_t s, int wid, int wcrit)
{
	struct slot_info si;
	char buf[32];
	rubric_slot_info(t->r, s, &si);
	char *id = text_escape(u->ext_id), *crit = text_escape(si.name);
	printf("  %-*s  %-*s", wid, id, wcrit, crit);
	for (size_t r = 0; r < t->nraters; r++) {
		int v = calib_val(t, u, r, s);
		printf("  ");
		put_escaped(stdout, t->raters[r]);
		printf("=");
		put_escaped(stdout, v < 0 ? "-" : calib_value_text(t, u, s, v, buf));
	}
	printf("\n");
	free(id);
	free(crit);
}

static void print_disagreements(const struct calib_table *t)
{
	size_t n = 0;
	int wid = 0, wcrit = 0;
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t s = 0; s < t->nslots; s++) {
			if (!calib_disagree(t, &t->u[i], s)) continue;
			struct slot_info si;
			rubric_slot_info(t->r, s, &si);
			int a = (int)text_width(t->u[i].ext_id, strlen(t->u[i].ext_id)), b = (int)text_width(si.name, strlen(si.name));
			wid = a > wid ? (a > 40 ? 40 : a) : wid;
			wcrit = b > wcrit ? (b > 40 ? 40 : b) : wcrit;
			n++;
		}
	printf("\n%zu disagreement%s%s\n", n, n == 1 ? "" : "s", n ? ":" : ".");
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t s = 0; s < t->nslots; s++)
			if (calib_disagree(t, &t->u[i], s)) print_disagreement(t, &t->u[i], s, wid, wcrit);
}

static void report_text(const struct report *rp, const struct rounds *x)
{
	printf("Calibration report: batch ");
	put_escaped(stdout, rp->b->b.name);
	printf(", rubric ");
	put_escaped(stdout, rp->r->name);
	printf(" v%d, round %d\n%zu items, raters:", rp->t.rubric_version ? rp->t.rubric_version : rp->r->version,
	       rp->b->b.round, rp->b->nitems);
	for (size_t r = 0; r < rp->t.nraters; r++) {
		printf(" ");
		put_escaped(stdout, rp->t.raters[r]);
	}
	printf("\n%s", rp->complete ? "" : "NOT FINISHED: some raters have not labeled every item (--force).\n");
	if (rp->t.unparsed) printf("%lld labels were made under another rubric text and left out.\n", rp->t.unparsed);
	size_t vague = 0;
	for (size_t s = 0; s < rp->t.nslots; s++) {
		print_row(rp, &rp->rows[s]);
		vague += !strcmp(rp->rows[s].verdict, "too vague");
	}
	printf("\n%zu of %zu criteria below %.1f.", vague, rp->t.nslots, CALIB_KAPPA_OK);
	printf(" Walk through every disagreement together: goldset calibrate discuss ");
	put_escaped(stdout, rp->b->b.name);
	printf("\n");
	rounds_text(rp, x);
	print_disagreements(&rp->t);
}

static int cal_report(struct gs_ctx *ctx, const struct cal_opts *o)
{
	struct ws *w = ctx->ws;
	struct batch b;
	struct report rp = {.b = &b};
	int rc = open_batch(o, 1, w, &b, &rp.complete);
	if (rc) return rc;
	struct gs_err e = {0};
	if (report_build(w, &rp, ST_DEFAULT_BOOTSTRAP, &e)) rc = gs_report(&e);
	else {
		struct rounds x;
		rounds_load(w, b.b.rubric, &x);
		if (o->json) report_json(&rp, &x);
		else report_text(&rp, &x);
		rounds_free(&x);
		report_free(&rp);
	}
	batch_free(&b);
	return rc;
}

/* ---------- discuss ---------- */

static struct discuss_point *points_of(const struct calib_table *t, size_t *n)
{
	struct discuss_point *p = NULL;
	*n = 0;
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t s = 0; s < t->nslots; s++) {
			if (!calib_disagree(t, &t->u[i], s)) continue;
			p = xrealloc(p, (*n + 1) * sizeof *p);
			p[(*n)++] = (struct discuss_point){i, s};
		}
	return p;
}

static void discuss_summary(const struct report *rp, const struct discuss_outcome *out, size_t n)
{
	size_t agreed = 0, cause[ARRAY_LEN(discuss_causes)] = {0};
	for (size_t i = 0; i < n; i++) {
		agreed += out[i].value >= 0;
		if (out[i].cause >= 0) cause[out[i].cause]++;
	}
	printf("%zu of %zu disagreements settled in batch ", agreed, n);
	put_escaped(stdout, rp->b->b.name);
	printf(" (");
	for (size_t c = 0; c < ARRAY_LEN(discuss_causes); c++)
		printf("%s%s %zu", c ? ", " : "", discuss_causes[c], cause[c]);
	printf(").\nAgreed values are consensus labels: goldset export --consensus --rubric ");
	put_escaped(stdout, rp->r->name);
	printf("\n");
}

/* ---- the discussion's record: reviews/calibration-NAME-LOGIN.md ---- */

static void md_cell(struct sbuf *b, const char *s)
{
	char *x = text_escape(s ? s : "");
	for (const char *p = x; *p; p++) {
		if (*p == '|' || *p == '\\' || *p == '<' || *p == '>' || *p == '`' || *p == '*') sb_addc(b, '\\');
		sb_addc(b, *p);
	}
	free(x);
}

static void md_point(struct sbuf *b, const struct calib_table *t, const struct discuss_point *p,
		     const struct discuss_outcome *o)
{
	const struct calib_unit *u = &t->u[p->u];
	struct slot_info si;
	char buf[32];
	rubric_slot_info(t->r, p->slot, &si);
	sb_add(b, "| ");
	md_cell(b, u->ext_id);
	sb_add(b, " | ");
	md_cell(b, si.name);
	for (size_t r = 0; r < t->nraters; r++) {
		int v = calib_val(t, u, r, p->slot);
		sb_add(b, " | ");
		md_cell(b, v < 0 ? "-" : calib_value_text(t, u, p->slot, v, buf));
	}
	sb_add(b, " | ");
	md_cell(b, o->value < 0 ? "(open)" : calib_value_text(t, u, p->slot, o->value, buf));
	sb_add(b, " | ");
	md_cell(b, o->cause >= 0 ? discuss_causes[o->cause] : "");
	sb_add(b, " | ");
	md_cell(b, o->note);
	sb_add(b, " |\n");
}

static char *discuss_md(const struct report *rp, const struct discuss_point *p, const struct discuss_outcome *out,
			size_t n)
{
	const struct calib_table *t = &rp->t;
	struct sbuf b = {0};
	size_t agreed = 0;
	for (size_t i = 0; i < n; i++) agreed += out[i].value >= 0;
	sb_add(&b, "# Calibration discussion: batch ");
	md_cell(&b, rp->b->b.name);
	sb_add(&b, "\n\n- rubric: ");
	md_cell(&b, rp->r->name);
	sb_addf(&b, " v%d, round %d\n- settled: %zu of %zu disagreements\n\n| item | criterion", rp->r->version,
		rp->b->b.round, agreed, n);
	for (size_t r = 0; r < t->nraters; r++) {
		sb_add(&b, " | ");
		md_cell(&b, t->raters[r]);
	}
	sb_add(&b, " | agreed | cause | note |\n|---|---");
	for (size_t r = 0; r < t->nraters + 3; r++) sb_add(&b, "|---");
	sb_add(&b, "|\n");
	for (size_t i = 0; i < n; i++) md_point(&b, t, &p[i], &out[i]);
	return sb_take(&b);
}

/* the whole discussion of the batch so far, rewritten after each session,
 * under a name of its writer's own (LOGIN): teammates who each discuss the
 * batch never add the same path, so no merge can conflict on it */
static int discuss_write(struct ws *w, const struct report *rp, const struct discuss_point *p,
			 const struct discuss_outcome *out, size_t n, struct gs_err *e)
{
	char *dir = ws_path(w, "reviews");
	int rc = mkdir_p(dir) ? gs_fail(e, EX_CANTCREAT, "cannot create reviews/ in the workspace") : 0;
	free(dir);
	if (rc) return rc;
	char *safe = labelset_file_name(rp->b->b.name), *login = labelset_file_name(gs_login());
	char *rel = xasprintf("reviews/calibration-%s-%s.md", safe, login);
	char *path = ws_path(w, rel), *text = discuss_md(rp, p, out, n);
	rc = write_file_atomic(path, text, strlen(text), e);
	if (!rc) printf("The discussion is written to %s (goldset commit adds it).\n", rel);
	free(safe);
	free(login);
	free(rel);
	free(path);
	free(text);
	return rc;
}

static int run_discuss(struct ws *w, struct report *rp, const struct cal_opts *o, struct gs_err *e)
{
	size_t n;
	struct discuss_point *p = points_of(&rp->t, &n);
	if (!n) {
		printf("No disagreements in batch ");
		put_escaped(stdout, rp->b->b.name);
		printf(": nothing to discuss.\n");
		free(p);
		return 0;
	}
	struct discuss_opts d = {w->st, &rp->t, rp->b->b.name, p, n, o->names};
	struct discuss_outcome *out = xcalloc(n, sizeof *out);
	int rc = discuss_screen(&d, out, e);
	size_t agreed = 0;
	for (size_t i = 0; i < n; i++) agreed += out[i].value >= 0;
	if (!rc || rc > 128) discuss_summary(rp, out, n);
	if ((!rc || rc > 128) && agreed) {
		int wrc = discuss_write(w, rp, p, out, n, e);
		if (wrc && !rc) rc = wrc;
	}
	discuss_outcome_free(out, n);
	free(out);
	free(p);
	return rc;
}

static int cal_discuss(struct gs_ctx *ctx, const struct cal_opts *o)
{
	struct ws *w = ctx->ws;
	struct batch b;
	struct report rp = {.b = &b};
	int rc = open_batch(o, 1, w, &b, &rp.complete);
	if (rc) return rc;
	struct gs_err e = {0};
	if (!isatty(0) || !isatty(1))
		rc = gs_die(EX_USAGE, "calibrate discuss is a screen: run it in a terminal (calibrate report lists "
				      "the disagreements as text)");
	else if (report_build(w, &rp, 0, &e)) rc = gs_report(&e);
	else {
		rc = run_discuss(w, &rp, o, &e);
		if (rc && rc < 128) gs_report(&e);
		report_free(&rp);
	}
	batch_free(&b);
	return rc;
}

/* ---------- the subcommands ---------- */

static int start_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct cal_opts o = {.name = a->argv[0], .raters = args_get(a, "raters"), .rubric = args_get(a, "rubric"),
			     .seed = args_get(a, "seed"), .stratify = args_get(a, "stratify"), .n = args_get(a, "n")};
	return cal_start(ctx, &o);
}

static int show_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct cal_opts o = {.name = a->argv[0], .json = args_has(a, "json")};
	return cal_show(ctx, &o);
}

static int report_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct cal_opts o = {.name = a->argv[0], .json = args_has(a, "json"), .force = args_has(a, "force")};
	return cal_report(ctx, &o);
}

static int discuss_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct cal_opts o = {.name = a->argv[0], .names = args_has(a, "names"), .force = args_has(a, "force")};
	return cal_discuss(ctx, &o);
}

static const struct cmd_option start_options[] = {
	{"raters", 0, CMD_ARG_REQUIRED, "A,B", "the raters who label the batch blind (two or more)"},
	{NULL, 'n', CMD_ARG_REQUIRED, "N", "how many items (default 50)"},
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the rubric (default: the only single-mode one)"},
	{"seed", 0, CMD_ARG_REQUIRED, "S", "the seed of the draw (default: a new one, printed)"},
	{"stratify", 0, CMD_ARG_REQUIRED, "KEY", "spread the items over the values of the meta field KEY"},
	{0},
};
static const struct cmd_option json_option[] = {
	{"json", 0, CMD_ARG_NONE, NULL, "one JSON object"},
	{0},
};
static const struct cmd_option report_options[] = {
	{"json", 0, CMD_ARG_NONE, NULL, "one JSON object"},
	{"force", 0, CMD_ARG_NONE, NULL, "open the report before every rater has finished"},
	{0},
};
static const struct cmd_option discuss_options[] = {
	{"names", 0, CMD_ARG_NONE, NULL, "show the raters' names instead of rater 1, rater 2, ..."},
	{"force", 0, CMD_ARG_NONE, NULL, "discuss before every rater has finished"},
	{0},
};

static const struct cmd_entry sub_start = {
	.name = "start",
	.usage = "goldset calibrate start NAME --raters A,B [-n N] [--rubric R] [--seed S] [--stratify KEY]",
	.summary = "draw N items into a named batch that the raters label blind",
	.options = start_options,
	.example = "goldset calibrate start week1 --raters alice,bob -n 30",
	.flags = CMD_WS_WRITE, .min_args = 1, .max_args = 1, .args_missing = "start needs a batch NAME",
	.run = start_run,
};
static const struct cmd_entry sub_show = {
	.name = "show",
	.usage = "goldset calibrate show NAME [--json]",
	.summary = "the batch's items and how far each rater has got",
	.options = json_option,
	.example = "goldset calibrate show week1",
	.flags = CMD_WS_READ, .min_args = 1, .max_args = 1, .args_missing = "show needs a batch NAME",
	.run = show_run,
};
static const struct cmd_entry sub_report = {
	.name = "report",
	.usage = "goldset calibrate report NAME [--json] [--force]",
	.summary = "agreement per criterion, the disagreements, kappa per round",
	.options = report_options,
	.example = "goldset calibrate report week1",
	.flags = CMD_WS_WRITE, .min_args = 1, .max_args = 1, .args_missing = "report needs a batch NAME",
	.run = report_run,
};
static const struct cmd_entry sub_discuss = {
	.name = "discuss",
	.usage = "goldset calibrate discuss NAME [--names] [--force]",
	.summary = "a screen through every disagreement; agreed values become consensus labels",
	.options = discuss_options,
	.example = "goldset calibrate discuss week1 --names",
	.flags = CMD_WS_WRITE, .min_args = 1, .max_args = 1, .args_missing = "discuss needs a batch NAME",
	.run = discuss_run,
};
static const struct cmd_entry *const subs[] = {&sub_start, &sub_show, &sub_report, &sub_discuss, NULL};

const struct cmd_entry cmd_calibrate = {
	.name = "calibrate",
	.usage = "goldset calibrate start NAME --raters A,B [-n N] [--rubric R] [--seed S] [--stratify KEY]\n"
		 "       goldset calibrate show NAME [--json]\n"
		 "       goldset calibrate report NAME [--json] [--force]\n"
		 "       goldset calibrate discuss NAME [--names] [--force]",
	.summary = "calibration run: a blind batch for two or more raters, kappa, the disagreement walk",
	.example = "goldset calibrate start week1 --raters alice,bob -n 30",
	.subs = subs,
};
