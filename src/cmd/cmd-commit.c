/* cmd-commit.c: `goldset commit -m MSG [--tag NAME]`: writes every rater's
 * labels to labels/<rubric>/<rater>.jsonl and commits golden/, rubrics/,
 * labels/ and reviews/ (nothing else) as one git commit whose message is the
 * user's followed by a generated summary: items added and changed per set,
 * labels added, changed and removed per rubric and rater.
 *
 * All or nothing: the label files are prepared in temporary files, the
 * summary is computed against HEAD, then the files are renamed into place
 * and committed; if the commit fails the old files are put back, so the
 * working tree and the store are as they were.  What the store has not
 * seen of HEAD and of the working tree is loaded first (sync.h), so the
 * files written are merge(store, files): no label is lost or reverted. */
#include <dirent.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "app/labelfiles.h"
#include "app/revision.h"
#include "app/sync.h"
#include "model/items.h"
#include "model/jsoncheck.h"
#include "base/text.h"
#include "vcs/vcs.h"
#include "app/ws.h"

/* ---- blobs at HEAD ---- */

struct blob { char *path; char hex[41]; };
struct blobs { GArray *v; };   /* struct blob, made by the first add; {0}: none */

static size_t blobs_n(const struct blobs *b) { return b->v ? b->v->len : 0; }

static void blob_put(struct blobs *b, const char *path, const char *hex)
{
	struct blob x = {xstrdup(path), ""};
	snprintf(x.hex, sizeof x.hex, "%s", hex);
	if (!b->v) b->v = g_array_new(FALSE, FALSE, sizeof(struct blob));
	g_array_append_val(b->v, x);
}

static int blob_add(const char *path, const char *hex, void *arg)
{
	blob_put(arg, path, hex);
	return 0;
}

static int blob_cmp(const void *a, const void *b)
{
	return strcmp(((const struct blob *)a)->path, ((const struct blob *)b)->path);
}

static void blobs_sort(struct blobs *b)
{
	if (b->v) g_array_sort(b->v, blob_cmp);
}

static const struct blob *blob_find(const struct blobs *b, const char *path)
{
	struct blob key = {(char *)path, ""};
	return blobs_n(b) ? bsearch(&key, b->v->data, b->v->len, sizeof key, blob_cmp) : NULL;
}

static void blobs_free(struct blobs *b)
{
	for (size_t i = 0; i < blobs_n(b); i++) free(g_array_index(b->v, struct blob, i).path);
	if (b->v) g_array_free(b->v, TRUE);
	memset(b, 0, sizeof *b);
}

/* the files under prefix at HEAD (none when there are no commits yet) */
static int blobs_load(struct vcs *r, int have_head, const char *prefix, struct blobs *b, struct gs_err *e)
{
	memset(b, 0, sizeof *b);
	if (!have_head) return 0;
	int rc = vcs_list_files_at(r, "HEAD", prefix, blob_add, b, e);
	if (!rc) blobs_sort(b);
	return rc;
}

/* ---- the summary ---- */

struct group {
	char *rubric, *rater;
	long long added, changed, removed;
};

struct sum {
	struct vcs *r;
	struct ws *w;
	struct gs_err *e;
	struct blobs labels;       /* labels/ at HEAD */
	int labels_clean;          /* labels/ in the working tree is as at HEAD */
	GArray *g;                 /* struct group, made by the first add */
	struct sbuf text;          /* the summary lines */
	struct sbuf shared;        /* summary lines of batches/, consensus/, reviews/ */
	struct blobs written;      /* files written (sorted for lookups once the commit is made) */
};

static size_t groups_n(const struct sum *s) { return s->g ? s->g->len : 0; }
static struct group *group_at(const struct sum *s, size_t i) { return &g_array_index(s->g, struct group, i); }

static struct group *group_add(struct sum *s, const char *rubric, const char *rater)
{
	struct group g = {xstrdup(rubric), xstrdup(rater), 0, 0, 0};
	if (!s->g) s->g = g_array_new(FALSE, FALSE, sizeof(struct group));
	g_array_append_val(s->g, g);
	return group_at(s, s->g->len - 1);
}

static int count_change(void *ctx, const struct la_rec *old, const struct la_rec *neu)
{
	struct group *g = ctx;
	if (!old) g->added++;
	else if (!neu) g->removed++;
	else g->changed++;
	return 0;
}

static int add_line(void *ctx, const struct label_line *l, const char *where)
{
	(void)where;
	la_add_line(ctx, l);
	return 0;
}

/* text as a sorted label set; a broken file (hand-edited) counts as empty */
static void text_set(const char *text, size_t len, const char *rel, struct la_set *s)
{
	struct gs_err ignore;
	labelsat_text_each(text, len, rel, rel, add_line, s, &ignore);
	la_sort(s);
}

/* a label file that differs from HEAD: compare the two versions line by line */
static void group_compare(struct sum *s, struct group *g, const struct lf_file *f)
{
	char *old = NULL;
	size_t olen = 0;
	struct gs_err ignore;
	struct la_set a = {0}, b = {0};
	if (vcs_read_file_at(s->r, "HEAD", f->rel, &old, &olen, &ignore) == 0) text_set(old, olen, f->rel, &a);
	if (f->data) text_set(f->data, f->len, f->rel, &b);
	la_compare(&a, &b, count_change, g);
	la_free(&a);
	la_free(&b);
	free(old);
}

/* the file will hold exactly what the store holds: remembered as absorbed
 * once the commit is made (see absorb_written) */
static void written(struct sum *s, const char *rel) { blob_put(&s->written, rel, ""); }

/* batches/, consensus/, reviews/: a line in the summary when it changed */
static int shared_file(struct sum *s, const struct lf_file *f)
{
	char hex[41], head[41];
	struct gs_err ignore;
	vcs_hash_blob(s->r, f->data, f->len, hex);
	written(s, f->rel);
	int had = vcs_blob_at(s->r, "HEAD", f->rel, head, &ignore) == 0;
	if (had && strcmp(head, hex) == 0) return 0;
	char *esc = text_escape(f->rel);
	sb_addf(&s->shared, "  %s: %s\n", esc, had ? "changed" : "added");
	free(esc);
	return 0;
}

static int on_file(void *ctx, const struct lf_file *f)
{
	struct sum *s = ctx;
	const struct blob *head = blob_find(&s->labels, f->rel);
	char hex[41];
	if (!f->rubric) return shared_file(s, f);
	if (head && f->same_as_disk && s->labels_clean) return 0;
	written(s, f->rel);   /* its blob id is read from the commit */
	if (!head) {
		group_add(s, f->rubric, f->rater)->added = f->nlines;
		return 0;
	}
	vcs_hash_blob(s->r, f->data, f->len, hex);
	if (strcmp(hex, head->hex) == 0) return 0;
	group_compare(s, group_add(s, f->rubric, f->rater), f);
	return 0;
}

static int group_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int c = strcmp(x->rubric, y->rubric);
	return c ? c : strcmp(x->rater, y->rater);
}

static void groups_text(struct sum *s)
{
	if (s->g) g_array_sort(s->g, group_cmp);
	for (size_t i = 0; i < groups_n(s); i++) {
		const struct group *g = group_at(s, i);
		char *ru = text_escape(g->rubric), *ra = text_escape(g->rater);
		if (g->added || g->changed || g->removed)
			sb_addf(&s->text, "  labels %s by %s: %lld added, %lld changed, %lld removed\n", ru, ra,
				g->added, g->changed, g->removed);
		else
			sb_addf(&s->text, "  labels %s by %s: saved again, same values\n", ru, ra);
		free(ru);
		free(ra);
	}
}

/* ---- items per set (golden/SET.jsonl, working tree against HEAD) ---- */

struct ikey { char *id; uint64_t hash; };

static int ikey_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ikey *)a)->id, ((const struct ikey *)b)->id);
}

/* the item id of a line: read directly from the canonical form
 * {"id":"...", else by parsing it; the whole line when it has none */
static char *line_id(const char *line, size_t n)
{
	if (n > 8 && strncmp(line, "{\"id\":\"", 7) == 0) {
		size_t i = 7;
		while (i < n && line[i] != '"') i += line[i] == '\\' ? 2 : 1;
		if (i < n) return xstrndup(line + 7, i - 7);
	}
	char *canon = NULL, *id;
	struct item it;
	struct gs_err ignore;
	if (item_parse_line(line, n, "", 0, NULL, &canon, &it, &ignore) != 0) return xstrndup(line, n);
	id = xstrdup(it.id);
	item_free(&it);
	free(canon);
	return id;
}

static size_t item_keys(const char *text, size_t len, struct ikey **out)
{
	GArray *keys = g_array_new(FALSE, FALSE, sizeof(struct ikey));
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop = nl ? nl : end;
		size_t k = (size_t)(stop - p);
		if (strspn(p, " \t\r") < k) {
			struct ikey key = {line_id(p, k), gs_hash64(p, k, 0)};
			g_array_append_val(keys, key);
		}
		p = stop + 1;
	}
	size_t n = keys->len;
	if (n) qsort(keys->data, n, sizeof(struct ikey), ikey_cmp);
	*out = (struct ikey *)(void *)g_array_free(keys, FALSE);
	return n;
}

static void ikeys_free(struct ikey *k, size_t n)
{
	for (size_t i = 0; i < n; i++) free(k[i].id);
	g_free(k);
}

/* items added and changed between two versions of a set file */
static void set_counts(const char *old, size_t olen, const char *neu, size_t nlen, long long *added,
		       long long *changed)
{
	struct ikey *a, *b;
	size_t na = item_keys(old, olen, &a), nb = item_keys(neu, nlen, &b), i = 0, j = 0;
	*added = *changed = 0;
	while (j < nb) {
		int c = i >= na ? 1 : strcmp(a[i].id, b[j].id);
		if (c < 0) i++;
		else if (c > 0) {
			(*added)++;
			j++;
		}
		else *changed += a[i++].hash != b[j++].hash;
	}
	ikeys_free(a, na);
	ikeys_free(b, nb);
}

static void set_line(struct sum *s, const char *rel, long long added, long long changed)
{
	char *set = xstrndup(rel + 7, strlen(rel) - 13), *esc = text_escape(set);
	sb_addf(&s->text, "  items in %s: %lld added, %lld changed\n", esc, added, changed);
	free(set);
	free(esc);
}

static void golden_one(struct sum *s, struct ws *w, const struct blobs *head, const char *name)
{
	char *rel = xasprintf("golden/%s", name), *path = ws_path(w, rel), *text = NULL, *old = NULL;
	size_t len = 0, olen = 0;
	struct gs_err ignore;
	const struct blob *b = blob_find(head, rel);
	char hex[41];
	if (read_file(path, &text, &len, &ignore) == 0) {
		vcs_hash_blob(s->r, text, len, hex);
		if (!b || strcmp(hex, b->hex) != 0) {
			if (b) vcs_read_file_at(s->r, "HEAD", rel, &old, &olen, &ignore);
			long long added, changed;
			set_counts(old ? old : "", old ? olen : 0, text, len, &added, &changed);
			set_line(s, rel, added, changed);
		}
	}
	free(text);
	free(old);
	free(path);
	free(rel);
}

static int jsonl_file(const char *name, const char *ext)
{
	size_t n = strlen(name), m = strlen(ext);
	return name[0] != '.' && n > m && strcmp(name + n - m, ext) == 0 && !strchr(name, '/');
}

static int golden_summary(struct sum *s, struct ws *w, int have_head, struct gs_err *e)
{
	struct blobs head;
	if (blobs_load(s->r, have_head, "golden/", &head, e)) return e->code;
	char *dir = ws_path(w, "golden");
	struct dirent **names = NULL;
	int k = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < k; i++) {
		if (jsonl_file(names[i]->d_name, ".jsonl")) golden_one(s, w, &head, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	free(dir);
	blobs_free(&head);
	return 0;
}

/* rubric files added or changed */
static int rubric_summary(struct sum *s, struct ws *w, int have_head, struct gs_err *e)
{
	struct blobs head;
	if (blobs_load(s->r, have_head, "rubrics/", &head, e)) return e->code;
	char *dir = ws_path(w, "rubrics");
	struct dirent **names = NULL;
	int k = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < k; i++) {
		const char *name = names[i]->d_name;
		char *rel = xasprintf("rubrics/%s", name), *path = ws_path(w, rel), *text = NULL, hex[41];
		size_t len;
		struct gs_err ignore;
		const struct blob *b = blob_find(&head, rel);
		if (jsonl_file(name, ".json") && read_file(path, &text, &len, &ignore) == 0) {
			vcs_hash_blob(s->r, text, len, hex);
			char *esc = text_escape(name);
			if (!b || strcmp(b->hex, hex) != 0)
				sb_addf(&s->text, "  rubric %s: %s\n", esc, b ? "changed" : "added");
			free(esc);
		}
		free(text);
		free(path);
		free(rel);
		free(names[i]);
	}
	free(names);
	free(dir);
	blobs_free(&head);
	return 0;
}

static void sum_free(struct sum *s)
{
	for (size_t i = 0; i < groups_n(s); i++) {
		free(group_at(s, i)->rubric);
		free(group_at(s, i)->rater);
	}
	if (s->g) g_array_free(s->g, TRUE);
	sb_free(&s->shared);
	blobs_free(&s->written);
	blobs_free(&s->labels);
	sb_free(&s->text);
}

/* ---- the command ---- */

struct opts { const char *msg, *tag; };

static int parse(const struct cmd_args *a, struct opts *o)
{
	o->msg = args_get(a, "message");
	o->tag = args_get(a, "tag");
	if (!o->msg) return cmd_usage(&cmd_commit, "a message is needed (-m MSG)");
	if (o->tag && jsoncheck_usage("--tag", o->tag)) return EX_USAGE;
	return 0;
}

struct job {
	struct ws *w;
	struct vcs *r;
	int lock;
	int have_head;
	char head[41];
	struct sum sum;
	struct labelfiles *lf;
	struct gs_err e;
};

/* what the store has not seen of HEAD (a pull killed halfway, a `git pull`
 * by hand) and of the working tree (files edited by hand or merged by git):
 * loaded first, so the commit writes merge(store, files) and loses nothing */
static int catch_up(struct job *j)
{
	struct sync_stats st;
	int clean = j->sum.labels_clean;
	const char *others[] = {"batches/", "consensus/", "reviews/"};
	for (size_t i = 0; i < ARRAY_LEN(others) && clean && j->have_head; i++)
		if (vcs_status_clean(j->r, others[i], &clean, NULL, &j->e)) return j->e.code;
	int rc = sync_load(j->w, j->r, !clean || !j->have_head, &st, &j->e);
	if (rc) return gs_fail(&j->e, rc, "cannot commit: %s; nothing was changed", j->e.msg);
	if (st.labels_added || st.items_added || st.items_changed)
		fprintf(stderr, "goldset: loaded what the store had not seen of HEAD and the working tree: "
			"%lld item%s, %lld label%s added or changed\n", st.items_added + st.items_changed,
			gs_s(st.items_added + st.items_changed), st.labels_added, gs_s(st.labels_added));
	sync_say_older(&st);
	return sync_share_finished(j->w, &j->e);
}

/* a file of the new commit: absorbed when it is one of those written
 * (the blob ids git computed; no second pass over the data) */
static int absorb_one(const char *path, const char *blob_hex, void *arg)
{
	struct job *j = arg;
	struct gs_err ignore;
	if (blob_find(&j->sum.written, path)) sync_mark_absorbed(j->w, path, blob_hex, &ignore);
	return 0;
}

/* the store holds everything of the files just committed */
static void absorb_written(struct job *j)
{
	static const char *const folders[] = {"labels/", "batches/", "consensus/", "reviews/"};
	struct gs_err ignore;
	blobs_sort(&j->sum.written);
	if (store_begin(j->w->st, &ignore)) return;
	for (size_t i = 0; i < ARRAY_LEN(folders); i++) vcs_list_files_at(j->r, "HEAD", folders[i], absorb_one, j, &ignore);
	store_label_commit_mark(j->w->st, &ignore);
	store_commit(j->w->st, &ignore);
}

static int job_open(struct gs_ctx *ctx, struct job *j)
{
	struct gs_err ignore;
	j->w = ctx->ws;
	if (vcs_open(j->w->root, &j->r, &j->e) || labelfiles_lock(j->w, &j->lock, &j->e)) return j->e.code;
	if (!vcs_branch(j->r))
		return gs_fail(&j->e, EX_CANTCREAT, "cannot commit: HEAD is detached (not on a branch); "
			       "switch to a branch first (git switch BRANCH)");
	j->have_head = vcs_resolve(j->r, "HEAD", j->head, &ignore) == 0;
	j->sum.r = j->r;
	j->sum.w = j->w;
	j->sum.e = &j->e;
	return 0;
}

static char *message(const char *msg, const struct sbuf *summary)
{
	if (!summary->len) return xstrdup(msg);
	return xasprintf("%s\n\ngoldset summary:\n%s", msg, summary->p);
}

/* puts the files in place and commits; on failure puts the old files back */
static int publish(struct job *j, const struct opts *o, struct vcs_commit_result *res)
{
	char *msg = message(o->msg, &j->sum.text);
	struct vcs_commit_opts co = {msg, NULL, o->tag, NULL};
	int rc = labelfiles_apply(j->lf, &j->e);
	if (!rc) {
		rc = vcs_commit_paths(j->r, &co, res, &j->e);
		if (rc > 0 && !res->id[0]) labelfiles_undo(j->lf);
	}
	free(msg);
	return rc;
}

static void report(struct job *j, const struct opts *o, const struct vcs_commit_result *res)
{
	struct gs_err ignore;
	size_t n = strcspn(o->msg, "\n");
	store_setting_set(j->w->st, "git.synced", res->id, &ignore);
	gs_printf(stdout, "[%s %.7s] %.*s\n", res->branch, res->id, (int)n, o->msg);
	if (j->sum.text.len) fputs(j->sum.text.p, stdout);
	gs_printf(stdout, "  %zu file%s changed%s%s\n", res->files_changed, res->files_changed == 1 ? "" : "s",
	       o->tag ? ", tagged " : "", o->tag ? o->tag : "");
	if (res->identity_fallback)
		fprintf(stderr, "goldset: notice: no git identity is configured (git config --global user.name "
			"NAME; git config --global user.email EMAIL); committed as %s\n", res->who);
}

static int run_job(struct gs_ctx *ctx, struct job *j, const struct opts *o)
{
	struct vcs_commit_result res;
	struct gs_err ignore;
	memset(&res, 0, sizeof res);
	int rc = job_open(ctx, j);
	if (!rc) rc = blobs_load(j->r, j->have_head, "labels/", &j->sum.labels, &j->e);
	if (!rc && j->have_head) rc = vcs_status_clean(j->r, "labels/", &j->sum.labels_clean, NULL, &j->e);
	if (!rc) rc = catch_up(j);
	if (!rc) rc = golden_summary(&j->sum, j->w, j->have_head, &j->e);
	if (!rc) rc = labelfiles_prepare(j->w, on_file, &j->sum, &j->lf, &j->e);
	if (!rc) {
		groups_text(&j->sum);
		if (j->sum.shared.len) sb_add(&j->sum.text, j->sum.shared.p);
		rc = rubric_summary(&j->sum, j->w, j->have_head, &j->e);
	}
	if (!rc) rc = publish(j, o, &res);
	if (rc == VCS_NOTHING) {
		if (j->have_head) store_setting_set(j->w->st, "git.synced", j->head, &ignore);
		store_label_commit_mark(j->w->st, &ignore);
		printf("nothing to commit: the labels, items and rubrics are as committed%s%.7s%s\n",
		       j->have_head ? " in " : "", j->have_head ? j->head : "",
		       o->tag ? " (no tag made)" : "");
		return 0;
	}
	if (!rc || res.id[0]) {
		absorb_written(j);
		report(j, o, &res);
	}
	return rc ? gs_report(&j->e) : 0;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct opts o;
	int rc = parse(a, &o);
	if (rc) return rc;
	struct job j;
	memset(&j, 0, sizeof j);
	j.lock = -1;
	rc = run_job(ctx, &j, &o);
	labelfiles_free(j.lf);
	sum_free(&j.sum);
	labelfiles_unlock(j.lock);
	vcs_close(j.r);
	return rc;
}

static const struct cmd_option options[] = {
	{"message", 'm', CMD_ARG_REQUIRED, "MSG", "the commit message (a summary of what changed is added)"},
	{"tag", 0, CMD_ARG_REQUIRED, "NAME", "also tag the commit, for agree --at NAME"},
	{0},
};

const struct cmd_entry cmd_commit = {
	.name = "commit",
	.usage = "goldset commit -m MSG [--tag NAME]",
	.summary = "write every rater's labels to labels/ and commit the workspace's folders as one git commit",
	.options = options,
	.example = "goldset commit -m \"week 3 labels\" --tag labels-v3",
	.flags = CMD_WS_WRITE,
	.run = run,
};
