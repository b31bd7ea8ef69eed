/* review_screen.h: the weekly review screen of `goldset review`
 * (src/tui/review.c). The review is not blind: each item is shown with
 * every rater's and every judge's labels side by side, and the group
 * records a consensus value per criterion (single-output rubrics), a note
 * and tags; Enter marks the item reviewed (a reviews row, plus consensus
 * rows for the values agreed), committed before the screen moves on.
 * src/cmd/cmd-review.c picks the items, builds the table and writes the
 * Markdown summary from what the screen reports back. */
#ifndef GOLDSET_REVIEW_SCREEN_H
#define GOLDSET_REVIEW_SCREEN_H
#include "calib.h"

struct review_opts {
	store *st;
	const struct calib_table *t;  /* labels of every rater on the items */
	char *const *items;           /* the items to show, in order */
	size_t n;
	const char *session;          /* session id (an ISO 8601 time) */
	const char *slice_key;        /* meta key shown per item, or NULL */
};

/* what happened to one item in the session */
struct review_out {
	int reviewed;
	char *note;
	char *tags;                   /* comma-separated, as typed, or NULL */
	int *agreed;                  /* [nslots]: the consensus recorded in this session, -1 none */
};

/* Runs the screen until q. out[n] (zeroed by the caller) gets each item's
 * outcome (free with review_out_free). 0; an exit code with e->msg when it
 * cannot start; 128 + signal when a signal ended it. */
int review_screen(const struct review_opts *o, struct review_out *out, struct gs_err *e);
void review_out_free(struct review_out *out, size_t n);
/* tags as typed ("a, b,c") -> a JSON array text, NULL when there are none */
char *review_tags_json(const char *tags);
#endif
