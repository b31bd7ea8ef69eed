/* judge.c: `goldset judge` (judge.h). Three steps: the setup (the rubric,
 * the template judges/NAME.prompt, created or replaced here), the list of
 * calls to make (every item or comparison whose rendered prompt was not
 * answered before: its prompt is rendered and hashed, then dropped, and
 * rendered again when the call starts, so memory does not grow with the
 * prompts), and the run: a poll() loop over `jobs` calls (judgeproc.h)
 * that saves what ended, all the outcomes of one turn of the loop in one
 * transaction, before it waits again. A kill loses at most the calls in
 * flight; Ctrl-C (SIGINT, SIGTERM, SIGHUP) kills them and saves the rest. */
#include "app/judge.h"
#include "app/judgeproc.h"
#include "app/session.h"
#include "model/jsoncheck.h"
#include "model/judgeprompt.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define JUDGE_TICK_MS 100      /* the longest wait between two looks at the clock */
#define JUDGE_BACKOFF_MAX 60.0 /* seconds: the longest pause before a retry */

void judge_result_free(struct judge_result *r)
{
	free(r->rubric);
	free(r->template_rel);
	memset(r, 0, sizeof *r);
}

int judge_name_check(const char *judge)
{
	if (!judge || strncmp(judge, JUDGE_PREFIX, strlen(JUDGE_PREFIX)) != 0 || !judge[strlen(JUDGE_PREFIX)]) {
		gs_printf(stderr, "goldset judge: --as must name a judge: judge:NAME (not %s)\n", judge ? judge : "given");
		return EX_USAGE;
	}
	return jsoncheck_usage("--as", judge) ? EX_USAGE : 0;
}

/* ---- the setup: rubric and template ---- */

struct jsetup {
	struct rubric *r;
	char *tmpl;
	int pairwise;
};

static void setup_free(struct jsetup *s)
{
	rubric_free(s->r);
	free(s->tmpl);
}

static char *template_rel(const char *judge)
{
	char *name = labelline_file_name(judge + strlen(JUDGE_PREFIX));
	char *rel = xasprintf("judges/%s.prompt", name);
	free(name);
	return rel;
}

/* writes text to the template file unless it holds it already; *created 1 when written */
static int template_put(struct ws *w, const char *path, const char *text, int *created, struct gs_err *e)
{
	char *old = NULL;
	struct gs_err ignore;
	if (read_file(path, &old, NULL, &ignore) == 0 && strcmp(old, text) == 0) {
		free(old);
		return 0;
	}
	free(old);
	char *dir = ws_path(w, "judges");
	int rc = path_nolinks(dir, e);
	if (!rc && mkdir_p(dir) != 0) rc = gs_fail(e, EX_CANTCREAT, "%s: %s", dir, strerror(errno));
	free(dir);
	if (!rc) rc = write_file_atomic(path, text, strlen(text), e);
	*created = !rc;
	return rc;
}

/* the text of --prompt FILE, checked */
static int template_given(const char *file, char **text, struct gs_err *e)
{
	size_t len;
	if (read_file(file, text, &len, e)) return e->code;
	int rc = 0;
	if (strlen(*text) != len || !utf8_valid(*text, len, NULL))
		rc = gs_fail(e, EX_DATAERR, "%s: a prompt template is UTF-8 text (no NUL, no invalid bytes)", file);
	if (!rc) rc = judge_template_check(*text, file, e);
	if (rc) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

static int template_load(struct ws *w, const struct judge_opts *o, struct jsetup *s, struct judge_result *res,
			 struct gs_err *e)
{
	char *rel = template_rel(o->judge), *path = ws_path(w, rel), *given = NULL;
	int rc = 0;
	if (o->prompt_file && (rc = template_given(o->prompt_file, &given, e)) == 0)
		rc = template_put(w, path, given, &res->template_created, e);
	else if (!o->prompt_file && !path_exists(path))
		rc = template_put(w, path, judge_default_template, &res->template_created, e);
	size_t len = 0;
	if (!rc) rc = read_file(path, &s->tmpl, &len, e);
	if (!rc && (strlen(s->tmpl) != len || !utf8_valid(s->tmpl, len, NULL)))
		rc = gs_fail(e, EX_DATAERR, "%s: a prompt template is UTF-8 text (no NUL, no invalid bytes)", rel);
	if (!rc) rc = judge_template_check(s->tmpl, rel, e);
	free(given);
	free(path);
	res->template_rel = rel;
	return rc;
}

static int setup(struct ws *w, const struct judge_opts *o, struct jsetup *s, struct judge_result *res,
		 struct gs_err *e)
{
	memset(s, 0, sizeof *s);
	if (ws_rubric_single_first(w, o->rubric, &s->r, e)) return e->code;
	s->pairwise = strcmp(s->r->mode, "pairwise") == 0;
	res->rubric = xstrdup(s->r->name);
	return template_load(w, o, s, res, e);
}

/* ---- the calls: items and comparisons ---- */

struct jtask {
	char *ext_id;
	long long row;            /* the item version's row */
	char item_hash[33], prompt_hash[33];
	size_t a, b;              /* pairwise: the outputs shown as A and B */
	char *sys_a, *sys_b;      /* and their systems (NULL: single) */
	int tries;                /* failed tries so far */
	double not_before;        /* a retry waits until then */
};

static void task_clear(void *p)
{
	struct jtask *t = p;
	free(t->ext_id);
	free(t->sys_a);
	free(t->sys_b);
}

struct scan {
	const struct judge_opts *o;
	const struct jsetup *s;
	GHashTable *answered;     /* "ITEM_HASH PROMPT_HASH" */
	GArray *tasks;            /* struct jtask */
	long long cached;
	struct gs_err *e;
	GHashTable *drawn;        /* pair key -> comparisons of that pair drawn so far (scan order) */
	const char *only;         /* --show-prompt: the one item whose calls are kept (NULL: all) */
};

static int answered_key(void *ctx, const char *item_hash, const char *prompt_hash)
{
	g_hash_table_add(ctx, xasprintf("%s %s", item_hash, prompt_hash));
	return 0;
}

static void add_call(struct scan *sc, const struct store_item *si, const struct item *it, size_t a, size_t b)
{
	if (sc->only && strcmp(si->ext_id, sc->only) != 0) return;
	struct jtask t = {.row = si->id, .a = a, .b = b};
	char *prompt = judge_prompt_render(sc->s->tmpl, sc->s->r, it, a, b);
	content_hash(prompt, strlen(prompt), t.prompt_hash);
	free(prompt);
	snprintf(t.item_hash, sizeof t.item_hash, "%s", si->hash);
	char key[80];
	snprintf(key, sizeof key, "%s %s", t.item_hash, t.prompt_hash);
	if (g_hash_table_contains(sc->answered, key)) {
		sc->cached++;
		return;
	}
	t.ext_id = xstrdup(si->ext_id);
	if (sc->s->pairwise) {
		t.sys_a = xstrdup(it->outputs[a].system);
		t.sys_b = xstrdup(it->outputs[b].system);
	}
	g_array_append_val(sc->tasks, t);
}

/* every pair of outputs, first shown as the pair screen would show it to
 * the judge (session_x_left: sides balanced per pair of systems over the
 * items in id order), then, with both orders, the other way round */
static void add_comparisons(struct scan *sc, const struct store_item *si, const struct item *it)
{
	for (size_t i = 0; i < it->noutputs; i++)
		for (size_t j = i + 1; j < it->noutputs; j++) {
			const char *x = it->outputs[i].system, *y = it->outputs[j].system;
			size_t first = strcmp(x, y) < 0 ? i : j, second = first == i ? j : i;
			char *key = labelline_pair_key(x, y);
			long drawn = (long)GPOINTER_TO_SIZE(g_hash_table_lookup(sc->drawn, key));
			int x_left = session_x_left(sc->o->judge, key, drawn);
			g_hash_table_insert(sc->drawn, key, GSIZE_TO_POINTER((size_t)drawn + 1));   /* takes key */
			size_t a = x_left ? first : second, b = x_left ? second : first;
			add_call(sc, si, it, a, b);
			if (sc->o->both_orders) add_call(sc, si, it, b, a);
		}
}

static int scan_item(void *ctx, const struct store_item *si)
{
	struct scan *sc = ctx;
	struct item it;
	if (item_from_canon(si->json, &it, sc->e)) return 1;
	if (sc->s->pairwise) add_comparisons(sc, si, &it);
	else add_call(sc, si, &it, 0, 0);
	item_free(&it);
	return 0;
}

static int scan_calls(struct ws *w, const struct judge_opts *o, const struct jsetup *s, struct scan *sc,
		      struct gs_err *e)
{
	const char *only = sc->only;
	*sc = (struct scan){.o = o, .s = s, .e = e, .only = only};
	sc->answered = g_hash_table_new_full(gs_str_hash, gs_str_equal, free, NULL);
	sc->drawn = g_hash_table_new_full(gs_str_hash, gs_str_equal, free, NULL);
	sc->tasks = g_array_new(FALSE, TRUE, sizeof(struct jtask));
	g_array_set_clear_func(sc->tasks, task_clear);
	e->code = 0;
	int rc = only ? 0 : store_judge_answered_each(w->st, o->judge, s->r->name, answered_key, sc->answered, e);
	struct store_item_query q = {.set = o->set, .kind = s->pairwise ? "pairwise" : "single", .by_id = 1};
	if (!rc) rc = store_items_each(w->st, &q, scan_item, sc, e);
	return rc ? rc : e->code;
}

static void scan_free(struct scan *sc)
{
	if (sc->answered) g_hash_table_destroy(sc->answered);
	if (sc->drawn) g_hash_table_destroy(sc->drawn);
	if (sc->tasks) g_array_free(sc->tasks, TRUE);
}

/* ---- the run ---- */

struct outcome {
	struct jtask *t;
	int ok;
	int *slots;
	char *note, *why, *raw;
	double seconds;
};

struct jslot {
	struct jproc p;
	struct jtask *t;          /* NULL: free */
	char *prompt;
};

struct run {
	struct ws *w;
	const struct judge_opts *o;
	const struct jsetup *s;
	const struct judge_hooks *h;
	GArray *tasks;
	size_t next;              /* the next task never tried */
	GPtrArray *retry;         /* struct jtask * waiting for a retry */
	GPtrArray *done;          /* struct outcome * not saved yet */
	struct jslot *slot;
	int running;
	struct judge_progress p;
	double t0;
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void outcome_free(void *p)
{
	struct outcome *oc = p;
	free(oc->slots);
	free(oc->note);
	free(oc->why);
	free(oc->raw);
	free(oc);
}

/* the task to start now: a retry whose pause is over, else the next new one */
static struct jtask *next_task(struct run *R, double now)
{
	for (guint i = 0; i < R->retry->len; i++) {
		struct jtask *t = g_ptr_array_index(R->retry, i);
		if (t->not_before <= now) return g_ptr_array_remove_index(R->retry, i);
	}
	if (R->next < R->tasks->len) return &g_array_index(R->tasks, struct jtask, R->next++);
	return NULL;
}

static int render_task(struct run *R, const struct jtask *t, char **prompt, struct gs_err *e)
{
	struct store_item si;
	struct item it;
	if (store_item_get_id(R->w->st, t->row, &si, e)) return e->code;
	int rc = item_from_canon(si.json, &it, e);
	store_item_free(&si);
	if (rc) return rc;
	*prompt = judge_prompt_render(R->s->tmpl, R->s->r, &it, t->a, t->b);
	item_free(&it);
	return 0;
}

static int start_calls(struct run *R, double now, struct gs_err *e)
{
	for (int i = 0; i < R->o->jobs && !stop_signal; i++) {
		struct jslot *sl = &R->slot[i];
		if (sl->t) continue;
		struct jtask *t = next_task(R, now);
		if (!t) return 0;
		if (render_task(R, t, &sl->prompt, e)) return e->code;
		if (jproc_start(&sl->p, R->o->cmd, sl->prompt, strlen(sl->prompt), e)) {
			free(sl->prompt);
			sl->prompt = NULL;
			return e->code;
		}
		sl->t = t;
		R->running++;
	}
	return 0;
}

/* the outcome of a call that ended */
static struct outcome *judge_outcome(struct run *R, struct jslot *sl)
{
	struct outcome *oc = xcalloc(1, sizeof *oc);
	struct gs_err e;
	oc->t = sl->t;
	oc->seconds = now_seconds() - sl->p.started;
	oc->slots = xcalloc(rubric_slot_count(R->s->r) + 1, sizeof *oc->slots);
	oc->why = jproc_failure(&sl->p, R->o->timeout);
	if (!oc->why && judge_answer_parse(R->s->r, sl->p.out.p ? sl->p.out.p : "", sl->p.out.len, oc->slots,
					   &oc->note, &e) != 0)
		oc->why = xstrdup(e.msg);
	oc->ok = !oc->why;
	if (!oc->ok) oc->raw = xstrndup(sl->p.out.p ? sl->p.out.p : "", sl->p.out.len);
	return oc;
}

/* a failure tried again after a pause, or kept */
static void settle(struct run *R, struct outcome *oc, double now)
{
	struct jtask *t = oc->t;
	if (!oc->ok && t->tries < R->o->retries && !stop_signal) {
		t->tries++;
		double pause = R->o->backoff * pow(2, t->tries - 1);
		t->not_before = now + (pause < JUDGE_BACKOFF_MAX ? pause : JUDGE_BACKOFF_MAX);
		if (R->h->failed) R->h->failed(R->h->ctx, t->ext_id, t->sys_a, t->sys_b, oc->why, t->tries);
		g_ptr_array_add(R->retry, t);
		outcome_free(oc);
		return;
	}
	if (!oc->ok && R->h->failed) R->h->failed(R->h->ctx, t->ext_id, t->sys_a, t->sys_b, oc->why, 0);
	g_ptr_array_add(R->done, oc);
}

static void end_call(struct run *R, struct jslot *sl, double now)
{
	struct outcome *oc = judge_outcome(R, sl);
	jproc_free(&sl->p);
	free(sl->prompt);
	sl->prompt = NULL;
	sl->t = NULL;
	R->running--;
	settle(R, oc, now);
}

static int save_one(struct run *R, const struct outcome *oc, struct gs_err *e)
{
	const struct jtask *t = oc->t;
	long long id = 0;
	if (oc->ok) {
		struct store_item si = {.id = t->row, .ext_id = t->ext_id};
		struct label_save ls = {.r = R->s->r, .slots = oc->slots, .item = &si, .rater = R->o->judge,
					.note = oc->note, .seconds = oc->seconds, .left = t->sys_a, .right = t->sys_b,
					.source = "judge"};
		if (label_save(R->w->st, &ls, &id, e)) return e->code;
	}
	struct store_judge_call c = {.judge = R->o->judge, .rubric = R->s->r->name, .ext_id = t->ext_id,
				     .item_hash = t->item_hash, .prompt_hash = t->prompt_hash, .left_sys = t->sys_a,
				     .right_sys = t->sys_b, .ok = oc->ok, .label_id = id, .error = oc->why, .raw = oc->raw};
	return store_judge_call_add(R->w->st, &c, e);
}

/* the outcomes so far, in one transaction */
static int save_done(struct run *R, struct gs_err *e)
{
	if (!R->done->len) return 0;
	if (store_begin(R->w->st, e)) return e->code;
	for (guint i = 0; i < R->done->len; i++)
		if (save_one(R, g_ptr_array_index(R->done, i), e)) {
			store_rollback(R->w->st);
			return e->code;
		}
	if (store_commit(R->w->st, e)) return e->code;
	for (guint i = 0; i < R->done->len; i++) {
		const struct outcome *oc = g_ptr_array_index(R->done, i);
		R->p.answered += oc->ok;
		R->p.failed += !oc->ok;
	}
	g_ptr_array_set_size(R->done, 0);
	return 0;
}

/* how long poll may wait: until the next thing that is due */
static int wait_ms(const struct run *R, double now)
{
	double ms = JUDGE_TICK_MS;
	for (int i = 0; i < R->o->jobs; i++) {
		const struct jslot *sl = &R->slot[i];
		if (!sl->t) continue;
		if (jproc_draining(&sl->p)) ms = 1;
		double left = (sl->p.started + R->o->timeout - now) * 1000;
		if (left < ms) ms = left;
	}
	for (guint i = 0; !R->running && i < R->retry->len; i++) {
		const struct jtask *t = g_ptr_array_index(R->retry, i);
		double left = (t->not_before - now) * 1000;
		if (left < ms) ms = left;
	}
	return ms < 0 ? 0 : (int)ceil(ms);
}

static void wait_io(struct run *R, double now)
{
	struct pollfd *fds = xcalloc((size_t)R->o->jobs * JPROC_FDS + 1, sizeof *fds);
	size_t *from = xcalloc((size_t)R->o->jobs + 1, sizeof *from), n = 0;
	for (int i = 0; i < R->o->jobs; i++) {
		from[i] = n;
		if (R->slot[i].t) n += jproc_pollfds(&R->slot[i].p, fds + n);
	}
	from[R->o->jobs] = n;
	int k = poll(fds, n, wait_ms(R, now));
	for (int i = 0; k > 0 && i < R->o->jobs; i++)
		if (R->slot[i].t) jproc_service(&R->slot[i].p, fds + from[i], from[i + 1] - from[i]);
	free(fds);
	free(from);
}

static void end_calls(struct run *R)
{
	double now = now_seconds();
	for (int i = 0; i < R->o->jobs; i++) {
		struct jslot *sl = &R->slot[i];
		if (sl->t && jproc_ended(&sl->p, now, R->o->timeout)) end_call(R, sl, now);
	}
}

static void tell_progress(struct run *R)
{
	struct judge_progress *p = &R->p;
	p->running = R->running;
	p->elapsed = now_seconds() - R->t0;
	long long done = p->answered + p->failed, left = p->total - p->cached - done;
	p->eta = done ? p->elapsed / (double)done * (double)left : -1;
	if (R->h->progress) R->h->progress(R->h->ctx, p);
}

static int run_loop(struct run *R, struct gs_err *e)
{
	int rc = start_calls(R, now_seconds(), e);
	while (!rc && !stop_signal && (R->running || R->next < R->tasks->len || R->retry->len)) {
		wait_io(R, now_seconds());
		end_calls(R);
		/* the next calls start before the answers are written: the
		 * commands run while the store waits for the disk */
		rc = start_calls(R, now_seconds(), e);
		if (!rc) rc = save_done(R, e);
		tell_progress(R);
	}
	for (int i = 0; i < R->o->jobs; i++) {   /* stopped: the calls in flight are lost */
		struct jslot *sl = &R->slot[i];
		if (!sl->t) continue;
		jproc_free(&sl->p);
		free(sl->prompt);
		sl->t = NULL;
	}
	int saved = save_done(R, rc ? &(struct gs_err){0} : e);
	return rc ? rc : saved;
}

struct signals { struct sigaction old[4]; };
static const int stop_sigs[] = {SIGINT, SIGTERM, SIGHUP};

static void signals_catch(struct signals *s)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_stop;   /* no SA_RESTART: poll() returns at once */
	sigemptyset(&sa.sa_mask);
	stop_signal = 0;
	for (size_t i = 0; i < ARRAY_LEN(stop_sigs); i++) sigaction(stop_sigs[i], &sa, &s->old[i]);
	sa.sa_handler = SIG_IGN;   /* a command that stops reading is its own failure, not ours */
	sigaction(SIGPIPE, &sa, &s->old[3]);
}

static void signals_restore(const struct signals *s)
{
	for (size_t i = 0; i < ARRAY_LEN(stop_sigs); i++) sigaction(stop_sigs[i], &s->old[i], NULL);
	sigaction(SIGPIPE, &s->old[3], NULL);
}

static int run_calls(struct ws *w, const struct judge_opts *o, const struct jsetup *s, const struct judge_hooks *h,
		     struct scan *sc, struct judge_result *res, struct gs_err *e)
{
	struct run R = {.w = w, .o = o, .s = s, .h = h, .tasks = sc->tasks, .t0 = now_seconds()};
	R.retry = g_ptr_array_new();
	R.done = g_ptr_array_new_with_free_func(outcome_free);
	R.slot = xcalloc((size_t)o->jobs, sizeof *R.slot);
	R.p.total = sc->cached + (long long)sc->tasks->len;
	R.p.cached = sc->cached;
	struct signals sig;
	signals_catch(&sig);
	tell_progress(&R);
	int rc = run_loop(&R, e);
	res->stopped = stop_signal;
	signals_restore(&sig);
	R.p.running = 0;
	res->p = R.p;
	free(R.slot);
	g_ptr_array_free(R.retry, TRUE);
	g_ptr_array_free(R.done, TRUE);
	return rc;
}

int judge_run(struct ws *w, const struct judge_opts *o, const struct judge_hooks *h, struct judge_result *res,
	      struct gs_err *e)
{
	struct jsetup s;
	struct scan sc = {0};
	memset(res, 0, sizeof *res);
	int rc = setup(w, o, &s, res, e);
	if (!rc) rc = scan_calls(w, o, &s, &sc, e);
	int relaxed = !rc && !(rc = store_judge_relaxed_sync(w->st, e));
	if (!rc) rc = run_calls(w, o, &s, h, &sc, res, e);
	if (relaxed) {   /* finished or stopped: what was saved goes to the disk now */
		char at[32];
		struct gs_err e2;
		now_iso8601_ms(at);
		int rc2 = store_judge_run_end(w->st, o->judge, at, rc ? &e2 : e);
		if (!rc) rc = rc2;
	}
	scan_free(&sc);
	setup_free(&s);
	return rc;
}

/* ---- what only reads ---- */

struct show { const struct judge_opts *o; const struct jsetup *s; int (*cb)(void *, const char *); void *ctx; };

static int show_one(struct show *sh, const struct item *it, size_t a, size_t b)
{
	char *prompt = judge_prompt_render(sh->s->tmpl, sh->s->r, it, a, b);
	int stop = sh->cb(sh->ctx, prompt);
	free(prompt);
	return stop;
}

/* the calls of one item, as a run would make them (the sides depend on
 * the items before it, so every item is scanned; answered ones count too) */
static int show_item(struct ws *w, struct show *sh, const char *ext_id, const struct item *it, struct gs_err *e)
{
	struct scan sc = {.only = ext_id};
	int rc = scan_calls(w, sh->o, sh->s, &sc, e);
	for (guint i = 0; !rc && i < sc.tasks->len; i++) {
		const struct jtask *t = &g_array_index(sc.tasks, struct jtask, i);
		if (show_one(sh, it, t->a, t->b)) break;
	}
	scan_free(&sc);
	return rc;
}

int judge_prompts_of(struct ws *w, const struct judge_opts *o, const char *ext_id,
		     int (*cb)(void *ctx, const char *prompt), void *ctx, struct gs_err *e)
{
	struct jsetup s;
	struct judge_result res = {0};
	struct store_item si;
	struct item it;
	int rc = setup(w, o, &s, &res, e);
	if (!rc && store_item_get(w->st, ext_id, &si, e) == 0) {
		rc = item_from_canon(si.json, &it, e);
		if (!rc && s.pairwise != (strcmp(si.kind, "pairwise") == 0))
			rc = gs_fail(e, EX_USAGE, "item \"%s\" is %s, rubric \"%s\" is %s", ext_id, si.kind, s.r->name,
				     s.r->mode);
		else if (!rc) rc = show_item(w, &(struct show){o, &s, cb, ctx}, ext_id, &it, e);
		if (!rc || it.id) item_free(&it);
		store_item_free(&si);
	} else if (!rc) {
		rc = e->code;
	}
	judge_result_free(&res);
	setup_free(&s);
	return rc;
}

int judge_failures_each(struct ws *w, const char *judge, const char *rubric,
			int (*cb)(void *ctx, const struct store_judge_call *c), void *ctx, struct gs_err *e)
{
	return store_judge_failures_each(w->st, judge, rubric, cb, ctx, e);
}
