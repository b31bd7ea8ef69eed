/* test_shared.c: the shared files (src/app/shared.c): batches/NAME.jsonl,
 * consensus/RUBRIC.jsonl and reviews/SESSION.jsonl written from a store
 * byte for byte as expected; loaded into a fresh store they write the same
 * bytes again; loading twice changes nothing; per key the later "at" wins
 * (as a time: .5Z after Z), equal times by the line bytes; a withdrawn
 * consensus loads as withdrawn; a batch started twice under one name is
 * decided by its "at" and said on stderr; bad lines are "REL:LINE: what
 * (field)" and leave the store as it was; a caller's transaction is used.
 *
 * Also the harness of tests/sh/t-shared.sh (no hidden command in goldset):
 *   test_shared dump WORKSPACE OUTDIR   writes every shared file under OUTDIR
 *   test_shared load WORKSPACE INDIR    loads INDIR's shared files, in path order */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/lwwmerge.h"
#include "app/shared.h"
#include "store/store.h"
#include "app/workspace.h"

static char dir[64];
static int nws;

/* a workspace of its own under dir: ROOT/goldset.db */
static struct ws *ws_new(void)
{
	struct ws *w = xcalloc(1, sizeof *w);
	w->root = xasprintf("%s/w%d", dir, nws++);
	assert_int_equal(mkdir_p(w->root), 0);
	char *path = path_join(w->root, "goldset.db");
	struct gs_err e;
	assert_int_equal(store_open(path, &w->st, &e), 0);
	free(path);
	return w;
}

static void ws_free(struct ws *w)
{
	store_close(w->st);
	free(w->root);
	free(w);
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/gs-shared-XXXXXX");
	assert_non_null(mkdtemp(dir));
	nws = 0;
	*state = ws_new();
	return 0;
}

static int teardown(void **state)
{
	ws_free(*state);
	char *cmd = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

/* ---- helpers ---- */

struct got { char **rel, **data; size_t n; };

static int collect(void *ctx, const char *rel, const char *data, size_t len)
{
	struct got *g = ctx;
	g->rel = xrealloc(g->rel, (g->n + 1) * sizeof *g->rel);
	g->data = xrealloc(g->data, (g->n + 1) * sizeof *g->data);
	g->rel[g->n] = xstrdup(rel);
	g->data[g->n++] = xstrndup(data, len);
	return 0;
}

static struct got files(struct ws *w)
{
	struct got g = {0};
	struct gs_err e = {0};
	int rc = shared_files_each(w, collect, &g, &e);
	if (rc) fail_msg("shared_files_each: %s", e.msg);
	return g;
}

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->rel[i]);
		free(g->data[i]);
	}
	free(g->rel);
	free(g->data);
	memset(g, 0, sizeof *g);
}

static const char *file_of(const struct got *g, const char *rel)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->rel[i], rel) == 0) return g->data[i];
	return NULL;
}

static void load_ok(struct ws *w, const char *rel, const char *data)
{
	struct gs_err e = {0};
	int rc = shared_file_load(w, rel, data, strlen(data), &e);
	if (rc) fail_msg("load %s: %s", rel, e.msg);
}

static void load_all(struct ws *w, const struct got *g)
{
	for (size_t i = 0; i < g->n; i++) load_ok(w, g->rel[i], g->data[i]);
}

/* rows in the tables the shared files fill, read behind the store's back */
static long long rows(struct ws *w)
{
	char *path = path_join(w->root, "goldset.db");
	sqlite3 *db;
	sqlite3_stmt *st;
	long long n = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM consensus) + (SELECT count(*) FROM reviews)"
					    " + (SELECT count(*) FROM batches) + (SELECT count(*) FROM batch_items)", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
	return n;
}

static void batch(struct ws *w, const char *name, const char *raters, char *const *items, size_t n, long long seed,
		  const char *stratify, int round, const char *created_at)
{
	struct gs_err e = {0};
	struct store_batch b = {.name = name, .rubric = "qa", .raters = raters, .stratify = stratify,
				.created_at = created_at, .seed = seed, .round = round};
	assert_int_equal(store_batch_create(w->st, &b, items, n, &e), 0);
}

static void cons(struct ws *w, const char *rubric, const char *id, const char *crit, const char *value,
		 const char *cause, const char *note, const char *source, const char *at)
{
	struct gs_err e = {0};
	struct store_consensus c = {id, rubric, crit, value, cause, note, source, at, 1};
	assert_int_equal(store_consensus_add(w->st, &c, &e), 0);
}

static void review(struct ws *w, const char *id, const char *session, const char *tags, const char *note,
		   const char *at)
{
	struct gs_err e = {0};
	struct store_review r = {id, session, "qa", tags, note, at};
	assert_int_equal(store_review_add(w->st, &r, &e), 0);
}

/* the current consensus value of (qa, id, crit), "-" if none */
static char *cons_value(struct ws *w, const char *id, const char *crit)
{
	struct store_consensus c;
	struct gs_err e;
	if (store_consensus_current(w->st, "qa", id, crit, &c, &e)) return xstrdup("-");
	char *v = xstrdup(c.value);
	store_consensus_free(&c);
	return v;
}

static void assert_value(struct ws *w, const char *id, const char *crit, const char *want)
{
	char *v = cons_value(w, id, crit);
	assert_string_equal(v, want);
	free(v);
}

/* ---- a store with a bit of everything, and the files it gives ---- */

static void fill(struct ws *w)
{
	struct gs_err e = {0};
	char *cal[] = {"i3", "i1", "i2"};
	batch(w, "cal", "[\"ann\",\"ben\"]", cal, 3, 11, "query_type", 1, "2026-12-06T10:00:00Z");
	assert_int_equal(store_batch_reveal_at(w->st, "cal", "2026-12-06T11:00:00.250Z", &e), 0);
	batch(w, "b 2/x", "[\"judge:x\",\"ann\"]", NULL, 0, 9007199254740991LL, NULL, 2, "2026-12-07T00:00:00Z");
	cons(w, "qa", "i1", "ok", "\"no\"", NULL, NULL, "discuss:cal", "2026-12-06T12:00:00.000Z");
	cons(w, "qa", "i1", "ok", "\"yes\"", "rubric unclear", "needs an example", "discuss:cal", "2026-12-06T12:00:01.000Z");
	cons(w, "qa", "i1", "stars", "3", NULL, NULL, "review:S1", "2026-12-06T12:00:02Z");
	cons(w, "qa", "i2", "ok", "null", NULL, NULL, "discuss:cal", "2026-12-06T12:00:03.5Z");
	cons(w, "pw", "i9", "better [\"a\",\"b\"]", "\"a\"", NULL, "tie-ish", "review:S2", "2026-12-08T09:00:01.000Z");
	review(w, "i2", "2026-12-06T13:00:00Z", "[\"pricing\"]", "bidi \xe2\x80\xae and \x1b[31m here", "2026-12-06T13:00:05.000Z");
	review(w, "i1", "2026-12-06T13:00:00Z", NULL, NULL, "2026-12-06T13:00:01Z");
	review(w, "i1", "2026-12-06T13:00:00Z", "[\"x\"]", "again", "2026-12-06T13:00:09Z");
	review(w, "i3", "2026-12-08T09:00:00Z", NULL, NULL, "2026-12-08T09:00:07.000Z");
}

static const char *const want_rel[] = {
	"batches/b%202%2Fx.jsonl",
	"batches/cal.jsonl",
	"consensus/pw.jsonl",
	"consensus/qa.jsonl",
	"reviews/2026-12-06T13%3A00%3A00Z.jsonl",
	"reviews/2026-12-08T09%3A00%3A00Z.jsonl",
};

static const char *const want_data[] = {
	"{\"kind\":\"batch\",\"name\":\"b 2/x\",\"rubric\":\"qa\",\"raters\":[\"judge:x\",\"ann\"],\"items\":[],"
	"\"seed\":9007199254740991,\"stratify\":null,\"round\":2,\"created_at\":\"2026-12-07T00:00:00Z\","
	"\"at\":\"2026-12-07T00:00:00Z\"}\n",

	"{\"kind\":\"batch\",\"name\":\"cal\",\"rubric\":\"qa\",\"raters\":[\"ann\",\"ben\"],\"items\":[\"i3\",\"i1\",\"i2\"],"
	"\"seed\":11,\"stratify\":\"query_type\",\"round\":1,\"created_at\":\"2026-12-06T10:00:00Z\","
	"\"at\":\"2026-12-06T10:00:00Z\"}\n"
	"{\"kind\":\"revealed\",\"batch_at\":\"2026-12-06T10:00:00Z\",\"at\":\"2026-12-06T11:00:00.250Z\"}\n",

	"{\"id\":\"i9\",\"rubric\":\"pw\",\"rubric_version\":1,\"criterion\":\"better [\\\"a\\\",\\\"b\\\"]\",\"value\":\"a\","
	"\"cause\":null,\"note\":\"tie-ish\",\"source\":\"review:S2\",\"at\":\"2026-12-08T09:00:01.000Z\"}\n",

	"{\"id\":\"i1\",\"rubric\":\"qa\",\"rubric_version\":1,\"criterion\":\"ok\",\"value\":\"yes\",\"cause\":\"rubric unclear\","
	"\"note\":\"needs an example\",\"source\":\"discuss:cal\",\"at\":\"2026-12-06T12:00:01.000Z\"}\n"
	"{\"id\":\"i1\",\"rubric\":\"qa\",\"rubric_version\":1,\"criterion\":\"stars\",\"value\":3,\"cause\":null,"
	"\"note\":null,\"source\":\"review:S1\",\"at\":\"2026-12-06T12:00:02Z\"}\n"
	"{\"id\":\"i2\",\"rubric\":\"qa\",\"rubric_version\":1,\"criterion\":\"ok\",\"value\":null,\"cause\":null,"
	"\"note\":null,\"source\":\"discuss:cal\",\"at\":\"2026-12-06T12:00:03.5Z\"}\n",

	"{\"id\":\"i1\",\"session\":\"2026-12-06T13:00:00Z\",\"rubric\":\"qa\",\"tags\":[\"x\"],\"note\":\"again\","
	"\"at\":\"2026-12-06T13:00:09Z\"}\n"
	"{\"id\":\"i2\",\"session\":\"2026-12-06T13:00:00Z\",\"rubric\":\"qa\",\"tags\":[\"pricing\"],"
	"\"note\":\"bidi \\u202e and \\u001b[31m here\",\"at\":\"2026-12-06T13:00:05.000Z\"}\n",

	"{\"id\":\"i3\",\"session\":\"2026-12-08T09:00:00Z\",\"rubric\":\"qa\",\"tags\":null,\"note\":null,"
	"\"at\":\"2026-12-08T09:00:07.000Z\"}\n",
};

static void writes_expected_files(void **state)
{
	struct ws *w = *state;
	fill(w);
	struct got g = files(w);
	assert_int_equal(g.n, ARRAY_LEN(want_rel));
	for (size_t i = 0; i < g.n; i++) {
		assert_string_equal(g.rel[i], want_rel[i]);
		assert_string_equal(g.data[i], want_data[i]);
	}
	got_free(&g);
}

static void round_trip_and_idempotent(void **state)
{
	struct ws *a = *state;
	fill(a);
	struct got ga = files(a);
	struct ws *b = ws_new();
	load_all(b, &ga);
	struct got gb = files(b);
	assert_int_equal(gb.n, ga.n);
	for (size_t i = 0; i < ga.n; i++) {
		assert_string_equal(gb.rel[i], ga.rel[i]);
		assert_string_equal(gb.data[i], ga.data[i]);   /* byte-identical */
	}
	long long before = rows(b);
	assert_true(before > 0);
	load_all(b, &ga);   /* again: nothing changes */
	assert_int_equal(rows(b), before);
	struct got gc = files(b);
	for (size_t i = 0; i < ga.n; i++) assert_string_equal(gc.data[i], ga.data[i]);
	/* and loading its own files into the store they came from changes nothing either */
	long long in_a = rows(b);
	load_all(b, &gb);
	assert_int_equal(rows(b), in_a);
	/* what the commands read: the batch (items in order, blind or not), consensus */
	struct store_batch sb;
	struct gs_err e;
	assert_int_equal(store_batch_info(b->st, "cal", &sb, &e), 0);
	assert_int_equal(sb.seed, 11);
	assert_string_equal(sb.revealed_at, "2026-12-06T11:00:00.250Z");
	store_batch_free(&sb);
	assert_int_equal(store_batch_info(b->st, "b 2/x", &sb, &e), 0);
	assert_null(sb.revealed_at);
	assert_int_equal(sb.seed, 9007199254740991LL);
	store_batch_free(&sb);
	assert_value(b, "i1", "ok", "\"yes\"");
	got_free(&ga);
	got_free(&gb);
	got_free(&gc);
	ws_free(b);
}

static char *cons_line(const char *value, const char *at)
{
	return xasprintf("{\"id\":\"i1\",\"rubric\":\"qa\",\"rubric_version\":1,\"criterion\":\"ok\",\"value\":%s,"
			 "\"cause\":null,\"note\":null,\"source\":\"review:S\",\"at\":\"%s\"}\n", value, at);
}

static void load_line(struct ws *w, const char *value, const char *at)
{
	char *l = cons_line(value, at);
	load_ok(w, "consensus/qa.jsonl", l);
	free(l);
}

static void newer_wins_older_ignored(void **state)
{
	struct ws *w = *state;
	cons(w, "qa", "i1", "ok", "\"no\"", NULL, NULL, "review:S", "2026-12-06T12:00:01.000Z");
	load_line(w, "\"yes\"", "2026-12-06T12:00:00.999Z");    /* older */
	assert_value(w, "i1", "ok", "\"no\"");
	load_line(w, "\"yes\"", "2026-12-06T12:00:01Z");        /* the same time: "yes" > "no" in bytes */
	assert_value(w, "i1", "ok", "\"yes\"");
	load_line(w, "\"no\"", "2026-12-06T12:00:01.000Z");     /* the same time again: "no" < "yes" */
	assert_value(w, "i1", "ok", "\"yes\"");
	load_line(w, "\"maybe\"", "2026-12-06T12:00:01.5Z");    /* newer, though its bytes sort before ...01Z */
	assert_value(w, "i1", "ok", "\"maybe\"");
	load_line(w, "\"no\"", "2026-12-06T12:00:01Z");         /* bytes after ...01.5Z, but older */
	assert_value(w, "i1", "ok", "\"maybe\"");
	/* two lines of one key in a file (a union merge): the newer wins, either order */
	char *a = cons_line("1", "2026-12-06T13:00:00Z"), *b = cons_line("2", "2026-12-06T14:00:00Z");
	char *ab = xasprintf("%s%s", b, a);
	load_ok(w, "consensus/qa.jsonl", ab);
	assert_value(w, "i1", "ok", "2");
	free(a);
	free(b);
	free(ab);
	/* reviews: the same rule */
	review(w, "i1", "S", NULL, "first", "2026-12-06T13:00:00.100Z");
	load_ok(w, "reviews/S.jsonl", "{\"id\":\"i1\",\"session\":\"S\",\"rubric\":\"qa\",\"tags\":null,\"note\":\"older\","
				       "\"at\":\"2026-12-06T13:00:00Z\"}");
	struct store_review r;
	struct gs_err e;
	assert_int_equal(store_review_current(w->st, "i1", "S", &r, &e), 0);
	assert_string_equal(r.note, "first");
	store_review_free(&r);
	load_ok(w, "reviews/S.jsonl", "{\"id\":\"i1\",\"session\":\"S\",\"rubric\":\"qa\",\"tags\":[\"t\"],\"note\":\"newer\","
				       "\"at\":\"2026-12-06T13:00:00.2Z\"}");
	assert_int_equal(store_review_current(w->st, "i1", "S", &r, &e), 0);
	assert_string_equal(r.note, "newer");
	assert_string_equal(r.tags, "[\"t\"]");
	store_review_free(&r);
}

static int count_cons(void *ctx, const struct store_consensus *c)
{
	(void)c;
	++*(int *)ctx;
	return 0;
}

static void withdrawn_loads_withdrawn(void **state)
{
	struct ws *w = *state;
	struct gs_err e;
	cons(w, "qa", "i1", "ok", "\"yes\"", NULL, NULL, "review:S", "2026-12-06T12:00:00Z");
	int n = 0;
	assert_int_equal(store_consensus_each(w->st, "qa", NULL, count_cons, &n, &e), 0);
	assert_int_equal(n, 1);
	load_line(w, "null", "2026-12-06T12:30:00.000Z");
	n = 0;
	assert_int_equal(store_consensus_each(w->st, "qa", NULL, count_cons, &n, &e), 0);
	assert_int_equal(n, 0);   /* what export --consensus and the screens read: withdrawn */
	assert_value(w, "i1", "ok", "null");
	struct got g = files(w);
	assert_string_equal(file_of(&g, "consensus/qa.jsonl"), "{\"id\":\"i1\",\"rubric\":\"qa\",\"rubric_version\":1,"
			    "\"criterion\":\"ok\",\"value\":null,\"cause\":null,\"note\":null,\"source\":\"review:S\","
			    "\"at\":\"2026-12-06T12:30:00.000Z\"}\n");
	got_free(&g);
}

/* runs f with stderr going to a file; returns what it printed */
static char *stderr_of(struct ws *w, const char *rel, const char *data)
{
	char *path = xasprintf("%s/stderr", dir);
	fflush(stderr);
	int saved = dup(2);
	FILE *f = fopen(path, "w+");
	assert_non_null(f);
	dup2(fileno(f), 2);
	load_ok(w, rel, data);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fclose(f);
	char *text;
	size_t len;
	struct gs_err e;
	assert_int_equal(read_file(path, &text, &len, &e), 0);
	free(path);
	return text;
}

static int add_id(void *ctx, const char *id)
{
	struct sbuf *b = ctx;
	sb_add(b, id);
	sb_addc(b, ' ');
	return 0;
}

static char *items_of(struct ws *w, const char *name)
{
	struct sbuf b = {0};
	struct gs_err e;
	assert_int_equal(store_batch_items_each(w->st, name, add_id, &b, &e), 0);
	return sb_take(&b);
}

static char *revealed_at(struct ws *w, const char *name)
{
	struct store_batch sb;
	struct gs_err e;
	assert_int_equal(store_batch_info(w->st, name, &sb, &e), 0);
	char *r = xstrdup(sb.revealed_at ? sb.revealed_at : "blind");
	store_batch_free(&sb);
	return r;
}

static void assert_revealed(struct ws *w, const char *name, const char *want)
{
	char *r = revealed_at(w, name);
	assert_string_equal(r, want);
	free(r);
}

#define CAL_LINE(raters, items, seed, stratify, created, at) \
	"{\"kind\":\"batch\",\"name\":\"cal\",\"rubric\":\"qa\",\"raters\":" raters ",\"items\":" items ",\"seed\":" seed \
	",\"stratify\":" stratify ",\"round\":1,\"created_at\":\"" created "\",\"at\":\"" at "\"}\n"
#define REVEALED(batch_at, at) "{\"kind\":\"revealed\",\"batch_at\":\"" batch_at "\",\"at\":\"" at "\"}\n"
#define OLDER CAL_LINE("[\"cy\",\"dee\"]", "[\"i5\"]", "3", "null", "2026-12-06T09:00:00Z", "2026-12-06T09:00:00Z")
#define NEWER CAL_LINE("[\"cy\",\"dee\"]", "[\"i6\",\"i5\"]", "3", "\"k\"", "2026-12-06T10:30:00Z", "2026-12-06T10:30:00.001Z")

static void batch_started_twice(void **state)
{
	struct ws *w = *state;
	struct gs_err e;
	char *mine[] = {"i1", "i2"};
	batch(w, "cal", "[\"ann\",\"ben\"]", mine, 2, 11, NULL, 1, "2026-12-06T10:00:00Z");
	assert_int_equal(store_batch_reveal_at(w->st, "cal", "2026-12-06T10:45:00Z", &e), 0);
	/* an older batch of the name, opened later: ours is kept, and so is our opening */
	char *err = stderr_of(w, "batches/cal.jsonl", OLDER REVEALED("2026-12-06T09:00:00Z", "2026-12-06T23:00:00Z"));
	assert_string_equal(err, "goldset: batches/cal.jsonl: two calibration batches named \"cal\" differ (started "
			    "twice?): this workspace's (at 2026-12-06T10:00:00Z) is newer and is kept; the shared one "
			    "(at 2026-12-06T09:00:00Z) is not\n");
	free(err);
	char *ids = items_of(w, "cal");
	assert_string_equal(ids, "i1 i2 ");
	free(ids);
	assert_revealed(w, "cal", "2026-12-06T10:45:00Z");
	/* a newer one replaces ours, and is blind: our opening was of our batch */
	err = stderr_of(w, "batches/cal.jsonl", NEWER REVEALED("2026-12-06T10:00:00Z", "2026-12-06T10:45:00Z"));
	assert_string_equal(err, "goldset: batches/cal.jsonl: two calibration batches named \"cal\" differ (started "
			    "twice?): the shared one (at 2026-12-06T10:30:00.001Z) is newer and replaces this workspace's "
			    "(at 2026-12-06T10:00:00Z)\n");
	free(err);
	ids = items_of(w, "cal");
	assert_string_equal(ids, "i6 i5 ");
	free(ids);
	assert_revealed(w, "cal", "blind");
	char **raters;
	assert_int_equal(store_batch_raters(w->st, "cal", &raters, &e), 0);
	assert_string_equal(raters[0], "cy");
	assert_string_equal(raters[1], "dee");
	assert_null(raters[2]);
	strv_free(raters);
	/* its own opening reveals it; the same file again says and changes nothing */
	const char *opened = NEWER REVEALED("2026-12-06T10:30:00.001Z", "2026-12-06T12:00:00Z");
	err = stderr_of(w, "batches/cal.jsonl", opened);
	assert_string_equal(err, "");
	free(err);
	assert_revealed(w, "cal", "2026-12-06T12:00:00Z");
	long long before = rows(w);
	err = stderr_of(w, "batches/cal.jsonl", opened);
	assert_string_equal(err, "");
	free(err);
	assert_int_equal(rows(w), before);
	struct got g = files(w);
	assert_string_equal(file_of(&g, "batches/cal.jsonl"), opened);
	got_free(&g);
	/* an earlier opening of the same batch does not replace the time; a later one does */
	load_ok(w, "batches/cal.jsonl", NEWER REVEALED("2026-12-06T10:30:00.001Z", "2026-12-06T11:59:00Z"));
	assert_revealed(w, "cal", "2026-12-06T12:00:00Z");
	load_ok(w, "batches/cal.jsonl", REVEALED("2026-12-06T10:30:00.001Z", "2026-12-06T12:30:00Z") NEWER);
	assert_revealed(w, "cal", "2026-12-06T12:30:00Z");
}

struct bad { const char *rel, *data, *msg; };

#define CL(rest) "{\"id\":\"i1\",\"rubric\":\"qa\",\"rubric_version\":1," rest "}"
#define GOOD CL("\"criterion\":\"ok\",\"value\":1,\"source\":\"s\",\"at\":\"2026-12-06T12:00:00Z\"")
#define BL(rest) "{\"kind\":\"batch\",\"name\":\"cal\",\"rubric\":\"qa\"," rest "}"
#define BGOOD_TAIL "\"seed\":1,\"stratify\":null,\"round\":1,\"created_at\":\"2026-12-06T10:00:00Z\",\"at\":\"2026-12-06T10:00:00Z\""

static const struct bad bads[] = {
	{"consensus/qa.jsonl", GOOD "\n" CL("\"value\":1,\"source\":\"s\",\"at\":\"2026-12-06T12:00:00Z\""),
	 "consensus/qa.jsonl:2: missing criterion (criterion)"},
	{"consensus/qa.jsonl", GOOD "\n\n" CL("\"criterion\":\"ok\",\"value\":1,\"source\":\"s\",\"at\":\"yesterday\""),
	 "consensus/qa.jsonl:3: at must be a UTC time like 2026-12-06T23:05:01.123Z (at)"},
	{"consensus/qa.jsonl", CL("\"criterion\":\"ok\",\"value\":1,\"source\":\"s\",\"at\":\"2026-12-06 12:00:00\""),
	 "consensus/qa.jsonl:1: at must be a UTC time like 2026-12-06T23:05:01.123Z (at)"},
	{"consensus/qa.jsonl", CL("\"criterion\":\"ok\",\"source\":\"s\",\"at\":\"2026-12-06T12:00:00Z\""),
	 "consensus/qa.jsonl:1: missing value (null withdraws one) (value)"},
	{"consensus/other.jsonl", GOOD, "consensus/other.jsonl:1: rubric \"qa\" does not belong in consensus/other.jsonl (rubric)"},
	{"consensus/qa.jsonl", "{\"id\":\"i1\",\"rubric\":\"qa\",\"rubric_version\":1.5}",
	 "consensus/qa.jsonl:1: rubric_version must be a whole number from 0 to 2147483647 (rubric_version)"},
	{"consensus/qa.jsonl", "{\"id\":7}", "consensus/qa.jsonl:1: id must be a string (id)"},
	{"consensus/qa.jsonl", "{\"id\":\"i1\",", "consensus/qa.jsonl:1: invalid JSON at column 11 (line)"},
	{"consensus/qa.jsonl", "[1]", "consensus/qa.jsonl:1: a line must be a JSON object (line)"},
	{"consensus/qa.jsonl", "{} x", "consensus/qa.jsonl:1: invalid JSON at column 4 (line)"},
	{"consensus/qa.jsonl", "{\"id\":\"\xff\"}", "consensus/qa.jsonl:1: invalid UTF-8 in a string (id)"},
	{"reviews/S.jsonl", "{\"id\":\"i1\",\"session\":\"S\",\"tags\":\"x\",\"at\":\"2026-12-06T12:00:00Z\"}",
	 "reviews/S.jsonl:1: tags must be a list of strings or null (tags)"},
	{"reviews/S.jsonl", "{\"id\":\"i1\",\"session\":\"T\",\"at\":\"2026-12-06T12:00:00Z\"}",
	 "reviews/S.jsonl:1: session \"T\" does not belong in reviews/S.jsonl (session)"},
	{"batches/cal.jsonl", "{\"kind\":\"mystery\"}", "batches/cal.jsonl:1: kind must be \"batch\" or \"revealed\" (kind)"},
	{"batches/cal.jsonl", REVEALED("2026-12-06T12:00:00Z", "2026-12-06T12:00:00Z"),
	 "batches/cal.jsonl: no \"batch\" line (kind)"},
	{"batches/cal.jsonl", "{\"kind\":\"revealed\",\"at\":\"2026-12-06T12:00:00Z\"}",
	 "batches/cal.jsonl:1: missing batch_at (batch_at)"},
	{"batches/cal.jsonl", "", "batches/cal.jsonl: no \"batch\" line (kind)"},
	{"batches/cal.jsonl", BL("\"raters\":[\"ann\"],\"items\":[]," BGOOD_TAIL),
	 "batches/cal.jsonl:1: raters must be a list of two or more different names (raters)"},
	{"batches/cal.jsonl", BL("\"raters\":[\"ann\",\"ann\"],\"items\":[]," BGOOD_TAIL),
	 "batches/cal.jsonl:1: raters lists \"ann\" twice (raters)"},
	{"batches/cal.jsonl", BL("\"raters\":[\"a\",\"b\"],\"items\":[\"i1\",2]," BGOOD_TAIL),
	 "batches/cal.jsonl:1: items must be a list of different item ids (items)"},
	{"batches/cal.jsonl", BL("\"raters\":[\"a\",\"b\"],\"items\":[],\"seed\":9007199254740992,\"round\":1"),
	 "batches/cal.jsonl:1: seed must be a whole number from 0 to 9007199254740991 (seed)"},
	{"batches/cal.jsonl", "{\"kind\":\"batch\",\"name\":\"other\"}",
	 "batches/cal.jsonl:1: name \"other\" does not belong in batches/cal.jsonl (name)"},
	{"notes/cal.jsonl", "{}", "notes/cal.jsonl: not a file goldset shares (batches/NAME.jsonl, consensus/RUBRIC.jsonl, "
				  "reviews/SESSION.jsonl)"},
	{"batches/cal.json", "{}", NULL},
	{"batches/a/cal.jsonl", "{}", NULL},
	{"reviews/.jsonl", "{}", NULL},
};

static void bad_lines(void **state)
{
	struct ws *w = *state;
	long long before = rows(w);
	for (size_t i = 0; i < ARRAY_LEN(bads); i++) {
		struct gs_err e = {0};
		int rc = shared_file_load(w, bads[i].rel, bads[i].data, strlen(bads[i].data), &e);
		if (rc != EX_DATAERR) fail_msg("%s %s: rc %d, wanted EX_DATAERR", bads[i].rel, bads[i].data, rc);
		if (bads[i].msg && strcmp(e.msg, bads[i].msg) != 0)
			fail_msg("%s: got\n  %s\nwanted\n  %s", bads[i].data, e.msg, bads[i].msg);
	}
	assert_int_equal(rows(w), before);   /* all or nothing: no first line of a bad file was kept */
	/* BOM, CRLF and blank lines are fine */
	load_ok(w, "consensus/qa.jsonl", "\xef\xbb\xbf" GOOD "\r\n\r\n  \n");
	assert_value(w, "i1", "ok", "1");
}

static void callers_transaction(void **state)
{
	struct ws *w = *state;
	struct gs_err e = {0};
	assert_int_equal(store_begin(w->st, &e), 0);
	load_ok(w, "consensus/qa.jsonl", GOOD);
	assert_true(store_in_tx(w->st));   /* not committed behind the caller's back */
	store_rollback(w->st);
	assert_value(w, "i1", "ok", "-");
	assert_int_equal(store_begin(w->st, &e), 0);
	load_ok(w, "consensus/qa.jsonl", GOOD);
	assert_int_equal(store_commit(w->st, &e), 0);
	assert_value(w, "i1", "ok", "1");
	assert_false(store_in_tx(w->st));
}

static void names_keys_times(void **state)
{
	(void)state;
	assert_true(shared_is_file("batches/cal.jsonl"));
	assert_true(shared_is_file("consensus/support-answer.jsonl"));
	assert_true(shared_is_file("reviews/2026-12-06T13%3A00%3A00Z.jsonl"));
	assert_false(shared_is_file("reviews/2026-12-06-tester.md"));
	assert_false(shared_is_file("labels/qa/ann.jsonl"));
	assert_false(shared_is_file("batches/x/y.jsonl"));
	assert_false(shared_is_file("batches/.jsonl"));
	const char *const *k = lww_key_fields("batches/cal.jsonl");
	assert_string_equal(k[0], "kind");
	assert_null(k[1]);
	k = lww_key_fields("consensus/qa.jsonl");
	assert_string_equal(k[0], "id");
	assert_string_equal(k[1], "criterion");
	assert_null(k[2]);
	k = lww_key_fields("reviews/S.jsonl");
	assert_string_equal(k[0], "id");
	assert_string_equal(k[1], "session");
	assert_null(k[2]);
	assert_false(lww_is_shared("batches/x/y.jsonl"));
	assert_false(lww_is_shared("labels/qa/x/y.jsonl"));
	char now[32];
	now_iso8601_ms(now);
	assert_true(gs_at_ms(now) >= 0);
}

/* ---- the harness for tests/sh/t-shared.sh ---- */

static int write_out(void *ctx, const char *rel, const char *data, size_t len)
{
	char *path = path_join(ctx, rel), *slash = strrchr(path, '/');
	*slash = 0;
	mkdir_p(path);
	*slash = '/';
	struct gs_err e;
	int rc = write_file_atomic(path, data, len, &e);
	if (rc) fprintf(stderr, "%s\n", e.msg);
	free(path);
	return rc;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int load_dir(struct ws *w, const char *in)
{
	static const char *const sub[] = {"batches", "consensus", "reviews"};
	char **rels = NULL;
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(sub); i++) {
		char *d = path_join(in, sub[i]);
		DIR *dh = opendir(d);
		for (struct dirent *de; dh && (de = readdir(dh));) {
			char *rel = xasprintf("%s/%s", sub[i], de->d_name);
			if (!shared_is_file(rel)) {
				free(rel);
				continue;
			}
			rels = xrealloc(rels, (n + 1) * sizeof *rels);
			rels[n++] = rel;
		}
		if (dh) closedir(dh);
		free(d);
	}
	if (n > 1) qsort(rels, n, sizeof *rels, cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(in, rels[i]), *data = NULL;
		size_t len;
		struct gs_err e = {0};
		if (!rc && (read_file(path, &data, &len, &e) || shared_file_load(w, rels[i], data, len, &e)))
			rc = gs_report(&e);
		free(data);
		free(path);
		free(rels[i]);
	}
	free(rels);
	return rc;
}

static int harness(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: test_shared dump|load WORKSPACE DIR\n");
		return EX_USAGE;
	}
	struct ws w;
	struct gs_err e = {0};
	if (workspace_open(argv[2], &w, &e)) return gs_report(&e);
	int rc;
	if (strcmp(argv[1], "dump") == 0) rc = shared_files_each(&w, write_out, argv[3], &e) ? EX_IOERR : 0;
	else rc = load_dir(&w, argv[3]);
	ws_close(&w);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1) return harness(argc, argv);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_expected_files, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip_and_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_wins_older_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(withdrawn_loads_withdrawn, setup, teardown),
		cmocka_unit_test_setup_teardown(batch_started_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(callers_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(names_keys_times, setup, teardown),
	};
	return cmocka_run_group_tests_name("shared", tests, NULL, NULL);
}
