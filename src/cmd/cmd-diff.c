/* cmd-diff.c: `goldset diff [REV [REV]]`: which labels were added, changed
 * and removed: between the last commit and the working store (no REV),
 * between REV and the store, or between two revisions.  The store side is
 * what `goldset commit` would write; revisions are read through libgit2
 * without touching the working tree.  One line per label added or removed,
 * one per criterion changed:
 *     + q-017 support-answer alice correctness=4 relevance=5
 *     ~ q-017 support-answer alice correctness 3 → 4
 *     - q-017 support-answer alice correctness=2
 * A pairwise label names its two systems after the id: "q-3 (m1 vs m2)".
 * Every id, name and value is printed escaped (text_escape): they come from
 * item files and other people. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "app/revision.h"
#include "base/text.h"
#include "app/ws.h"

/* the counts, and the rubrics met so far (name -> struct rubric *, NULL
 * when the store has none by that name) for the order of the criteria */
struct counts { long long added, changed, removed; struct ws *w; GHashTable *rubrics; };

static const struct rubric *rubric_of(struct counts *c, const char *name)
{
	gpointer r;
	if (g_hash_table_lookup_extended(c->rubrics, name, NULL, &r)) return r;
	r = la_rubric(c->w, name);
	g_hash_table_insert(c->rubrics, xstrdup(name), r);
	return r;
}

static void rubric_free_any(gpointer r)
{
	if (r) rubric_free(r);
}

/* "id (a vs b) rubric rater" (one system labeled: "id (a) ..."), escaped */
static char *head(const struct la_rec *r)
{
	char *id = text_escape(r->id), *ru = text_escape(r->rubric), *ra = text_escape(r->rater), *s;
	if (*r->sys_a && !*r->sys_b) {
		char *a = text_escape(r->sys_a);
		s = xasprintf("%s (%s) %s %s", id, a, ru, ra);
		free(a);
	} else if (*r->sys_a) {
		char *a = text_escape(r->sys_a), *b = text_escape(r->sys_b);
		s = xasprintf("%s (%s vs %s) %s %s", id, a, b, ru, ra);
		free(a);
		free(b);
	} else {
		s = xasprintf("%s %s %s", id, ru, ra);
	}
	free(id);
	free(ru);
	free(ra);
	return s;
}

/* "name=value name=value ..." (and note="..."), escaped, in the rubric's order */
static void print_values(const struct la_rec *r, const struct rubric *rb)
{
	struct la_kv *kv;
	size_t n = la_flatten(r->labels, &kv);
	la_kv_rubric_order(kv, n, rb);
	for (size_t i = 0; i < n; i++) {
		char *k = text_escape(kv[i].name), *v = text_escape(kv[i].value);
		printf(" %s=%s", k, v);
		free(k);
		free(v);
	}
	if (*r->note) {
		char *note = text_escape(r->note);
		printf(" note=\"%s\"", note);
		free(note);
	}
	if (!n && !*r->note) printf(" (no values)");
	la_kv_free(kv, n);
}

static void print_change(const char *h, const char *name, const char *old, const char *neu, int quote)
{
	char *k = text_escape(name), *a = old ? text_escape(old) : NULL, *b = neu ? text_escape(neu) : NULL;
	const char *q = quote ? "\"" : "";
	printf("~ %s %s %s%s%s → %s%s%s\n", h, k, a ? q : "", a ? a : "(none)", a ? q : "", b ? q : "",
	       b ? b : "(none)", b ? q : "");
	free(k);
	free(a);
	free(b);
}

/* a criterion whose value differs: where it stands in the rubric */
struct change { const char *name, *was, *now; long rank; };

static int change_cmp(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	return x->rank != y->rank ? (x->rank < y->rank ? -1 : 1) : strcmp(x->name, y->name);
}

/* one "~" line per criterion whose value differs, in the rubric's order,
 * and one for the note */
static void print_changed(const char *h, const struct la_rec *a, const struct la_rec *b, const struct rubric *rb)
{
	struct la_kv *x, *y;
	size_t nx = la_flatten(a->labels, &x), ny = la_flatten(b->labels, &y), i = 0, j = 0;
	GArray *ch = g_array_new(FALSE, FALSE, sizeof(struct change));
	while (i < nx || j < ny) {
		int c = i >= nx ? 1 : j >= ny ? -1 : strcmp(x[i].name, y[j].name);
		struct change d = {c > 0 ? y[j].name : x[i].name, c > 0 ? NULL : x[i].value, c < 0 ? NULL : y[j].value, 0};
		if (!d.was || !d.now || strcmp(d.was, d.now) != 0) {
			d.rank = la_rubric_rank(rb, d.name);
			g_array_append_val(ch, d);
		}
		i += c <= 0;
		j += c >= 0;
	}
	g_array_sort(ch, change_cmp);
	for (guint k = 0; k < ch->len; k++) {
		const struct change *d = &g_array_index(ch, struct change, k);
		print_change(h, d->name, d->was, d->now, 0);
	}
	g_array_free(ch, TRUE);
	if (strcmp(a->note, b->note) != 0) print_change(h, "note", *a->note ? a->note : NULL, *b->note ? b->note : NULL, 1);
	la_kv_free(x, nx);
	la_kv_free(y, ny);
}

static int show(void *ctx, const struct la_rec *old, const struct la_rec *neu)
{
	struct counts *c = ctx;
	char *h = head(neu ? neu : old);
	const struct rubric *rb = rubric_of(c, (neu ? neu : old)->rubric);
	if (!old || !neu) {
		printf("%s %s", old ? "-" : "+", h);
		print_values(neu ? neu : old, rb);
		putchar('\n');
		c->added += !old;
		c->removed += !neu;
	} else {
		print_changed(h, old, neu, rb);
		c->changed++;
	}
	free(h);
	return 0;
}

static int add_line(void *ctx, const struct label_line *l, const char *where)
{
	(void)where;
	la_add_line(ctx, l);
	return 0;
}

static int add_label(void *ctx, const struct store_label *l)
{
	la_add_label(ctx, l);
	return 0;
}

/* one side: a revision, or (rev NULL) what commit would write from the store */
static int load_side(struct ws *w, struct vcs *r, const char *rev, struct la_set *s, struct gs_err *e)
{
	struct store_label_query q = {.include_stale = 1};
	int rc = rev ? labelsat_each(r, rev, NULL, add_line, s, e) : store_labels_each(w->st, &q, add_label, s, e);
	la_sort(s);
	return rc;
}

static int diff(struct ws *w, struct vcs *r, const char *a, const char *b, struct gs_err *e)
{
	struct la_set old = {0}, neu = {0};
	struct counts c = {0, 0, 0, w, g_hash_table_new_full(gs_str_hash, gs_str_equal, free, rubric_free_any)};
	char id[41];
	struct gs_err ignore;
	/* no REV and no commits yet: everything in the store is new */
	int none = !a && vcs_resolve(r, "HEAD", id, &ignore) != 0;
	int rc = none ? 0 : load_side(w, r, a ? a : "HEAD", &old, e);
	if (!rc) rc = load_side(w, r, b, &neu, e);
	if (!rc) la_compare(&old, &neu, show, &c);
	if (!rc)
		gs_printf(stderr, "%lld added, %lld changed, %lld removed (%s → %s)\n", c.added, c.changed, c.removed,
			none ? "nothing committed" : a ? a : "HEAD", b ? b : "working store");
	la_free(&old);
	la_free(&neu);
	g_hash_table_destroy(c.rubrics);
	return rc;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct gs_err e = {0};
	struct vcs *r = NULL;
	int rc = vcs_open(ctx->ws->root, &r, &e);
	if (!rc) rc = diff(ctx->ws, r, a->argv[0], a->argc > 1 ? a->argv[1] : NULL, &e);
	if (rc) gs_report(&e);
	vcs_close(r);
	return rc;
}

const struct cmd_entry cmd_diff = {
	.name = "diff",
	.usage = "goldset diff [REV [REV]]",
	.summary = "list the labels added, changed and removed between two versions, or a version and the store",
	.example = "goldset diff labels-v1 HEAD",
	.flags = CMD_WS_READ | CMD_FIT,
	.max_args = 2,
	.run = run,
};
