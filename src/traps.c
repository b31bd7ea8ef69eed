/* traps.c: each rater's answers on trap questions against their gold
 * answers (see traps.h). Reads the store through store.h only. */
#include "traps.h"

#include <stdlib.h>
#include <string.h>

#include "items.h"

struct group {
	store *st;
	struct trap_score s;
	struct rubric *r;          /* owned: the rubric of the group being summed */
	int (*emit)(void *ctx, const struct trap_score *s);
	void *ctx;
	int stop;
};

static void group_emit(struct group *g)
{
	if (g->r && g->s.items && !g->stop) g->stop = g->emit(g->ctx, &g->s);
}

static void group_reset(struct group *g)
{
	rubric_free(g->r);
	free((char *)g->s.rater);
	free(g->s.answered);
	free(g->s.correct);
	g->r = NULL;
	memset(&g->s, 0, sizeof g->s);
}

/* starts a (rubric, rater) group; 0 when the rubric cannot be read */
static int group_start(struct group *g, const struct store_trap *tr)
{
	struct store_rubric sr;
	struct gs_err ignore;
	if (store_rubric_get(g->st, tr->rubric, &sr, &ignore)) return 0;
	int ok = rubric_parse(sr.json, strlen(sr.json), tr->rubric, &g->r, &ignore, NULL, NULL) == 0;
	store_rubric_free(&sr);
	if (!ok) return 0;
	g->s.r = g->r;
	g->s.rater = xstrdup(tr->rater);
	g->s.nslots = rubric_slot_count(g->r);
	g->s.answered = xcalloc(g->s.nslots + 1, sizeof *g->s.answered);
	g->s.correct = xcalloc(g->s.nslots + 1, sizeof *g->s.correct);
	return 1;
}

/* one answer against the item's gold, slot by slot */
static void group_add(struct group *g, const struct store_trap *tr)
{
	struct item it;
	struct gs_err ignore;
	if (item_from_canon(tr->item_json, &it, &ignore)) return;
	size_t n = g->s.nslots;
	int *gold = xcalloc(n + 1, sizeof *gold), *got = xcalloc(n + 1, sizeof *got);
	if (it.gold_json && rubric_values_from_json(g->r, it.gold_json, NULL, NULL, 0, gold, "", &ignore) == 0 &&
	    rubric_values_from_json(g->r, tr->vals, NULL, NULL, 0, got, "", &ignore) == 0) {
		int counted = 0;
		for (size_t i = 0; i < n; i++) {
			if (gold[i] < 0 || got[i] < 0) continue;
			g->s.answered[i]++;
			g->s.correct[i] += gold[i] == got[i];
			counted = 1;
		}
		g->s.items += counted;
	}
	free(gold);
	free(got);
	item_free(&it);
}

static int on_trap(void *ctx, const struct store_trap *tr)
{
	struct group *g = ctx;
	int same = g->r && strcmp(g->r->name, tr->rubric) == 0 && strcmp(g->s.rater, tr->rater) == 0;
	if (!same) {
		group_emit(g);
		group_reset(g);
		if (!group_start(g, tr)) return g->stop;
	}
	group_add(g, tr);
	return g->stop;
}

int traps_each(store *st, int (*emit)(void *ctx, const struct trap_score *s), void *ctx, struct gs_err *e)
{
	struct group g = {.st = st, .emit = emit, .ctx = ctx};
	int rc = store_traps_each(st, on_trap, &g, e);
	if (!rc) group_emit(&g);
	group_reset(&g);
	return rc ? rc : g.stop;
}
