/* label_save.c: the goldset side of the save benchmark (tests/bench/label.sh).
 * Times label_save(), exactly what the labeling screen does on Enter: the
 * answers to JSON, the label row appended and committed with the store's
 * settings. The item (and the label it replaces) are read before the clock
 * starts, as the screen holds them since it drew the item. Prints each
 * save's latency in microseconds. Usage: label_save DB RUBRIC.json FIRST N
 * (items b-FIRST ... b-FIRST+N-1, so that runs can take turns with
 * bare_insert). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "label_screen.h"

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

int main(int argc, char **argv)
{
	struct gs_err e = {0};
	store *s;
	struct rubric *r;
	char *text;
	size_t len;
	if (argc != 5) {
		fprintf(stderr, "usage: label_save DB RUBRIC.json FIRST N\n");
		return 64;
	}
	int first = atoi(argv[3]), n = atoi(argv[4]);
	if (store_open(argv[1], &s, &e) || read_file(argv[2], &text, &len, &e) ||
	    rubric_parse(text, len, argv[2], &r, &e, NULL, NULL))
		return die(&e);
	int *slots = calloc(rubric_slot_count(r) + 1, sizeof *slots);   /* every answer: option 1 */
	for (int i = first; i < first + n; i++) {
		char id[32];
		struct store_item it;
		snprintf(id, sizeof id, "b-%06d", i);
		if (store_item_get(s, id, &it, &e)) return die(&e);
		struct label_save ls = {r, slots, &it, "bench", NULL, NULL, 1.5};
		double t0 = now_us();
		if (label_save(s, &ls, NULL, &e)) return die(&e);
		printf("%.1f\n", now_us() - t0);
		store_item_free(&it);
	}
	free(slots);
	free(text);
	rubric_free(r);
	store_close(s);
	return 0;
}
