/* label_save.c: the save benchmark (tests/bench/label.sh).
 * Times label_save(), exactly what the labeling screen does on Enter (the
 * answers to JSON, the label row and its head written and committed with
 * the store's settings), against bare_insert.c's single INSERT + COMMIT.
 * The two take turns save by save in this one process, the first of each
 * pair alternating, so that both meet the same disk at the same moment.
 * The item (and the label it replaces) are read before the clock starts,
 * as the screen holds them since it drew the item.  Prints one line per
 * pair: goldset's latency and the bare one, in microseconds.
 * Usage: label_save DB RUBRIC.json BARE_DB N (items b-000000 ... b-N-1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bare_insert.h"
#include "tui/label.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int die(const struct gs_err *e)
{
	fprintf(stderr, "label_save: %s\n", e->msg);
	return 1;
}

/* one save through goldset; its latency in us, or < 0 on failure */
static double goldset_save(store *s, struct rubric *r, int *slots, int i, struct gs_err *e)
{
	char id[32];
	struct store_item it;
	snprintf(id, sizeof id, "b-%06d", i);
	if (store_item_get(s, id, &it, e)) return -1;
	struct label_save ls = {r, slots, &it, "bench", NULL, NULL, 1.5, NULL, NULL, NULL};
	double t0 = now_us();
	int rc = label_save(s, &ls, NULL, e);
	double t = now_us() - t0;
	store_item_free(&it);
	return rc ? -1 : t;
}

int main(int argc, char **argv)
{
	struct gs_err e = {0};
	store *s;
	struct rubric *r;
	char *text;
	size_t len;
	if (argc != 5) {
		fprintf(stderr, "usage: label_save DB RUBRIC.json BARE_DB N\n");
		return 64;
	}
	int n = atoi(argv[4]);
	if (store_open(argv[1], &s, &e) || read_file(argv[2], &text, &len, &e) ||
	    rubric_parse(text, len, argv[2], &r, &e, NULL, NULL))
		return die(&e);
	struct bare *b = bare_open(argv[3]);
	int *slots = calloc(rubric_slot_count(r) + 1, sizeof *slots);   /* every answer: option 1 */
	for (int i = 0; i < n; i++) {
		double g, bare;
		if (i % 2) {
			bare = bare_save(b, i);
			g = goldset_save(s, r, slots, i, &e);
		} else {
			g = goldset_save(s, r, slots, i, &e);
			bare = bare_save(b, i);
		}
		if (g < 0) return die(&e);
		printf("%.1f %.1f\n", g, bare);
	}
	bare_close(b);
	free(slots);
	free(text);
	rubric_free(r);
	store_close(s);
	return 0;
}
