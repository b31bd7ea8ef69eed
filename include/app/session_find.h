/* session_find.h: finding and browsing the items of a label, pair or
 * review session (src/app/session_find.c): go to an item by its id or a
 * prefix of it (g), search the items' text (/), and the list of the items
 * with the rater's state and values (l), filtered by state and by meta.
 * No curses: what happened is told in the session's msg, and the list is
 * rows for a screen to draw (item ids are untrusted text).
 *
 * The items are the session's, in its order: the label queue (--set,
 * --filter, --batch, --overlap applied), the pair queue's items, the
 * review's list. They are read once, when first needed.
 *
 * The state of an item in the list:
 *   label   labeled    the rater's current label is on the item's current
 *                      version, under the rubric's current version
 *           stale      the rater's label is on an older version of the item,
 *                      or was made under an older version of the rubric
 *           skipped    not labeled, and the rater skipped it (s)
 *           unlabeled  none of these (a withdrawn label counts as none)
 *   pair    as label, per comparison: labeled when every comparison is,
 *           partly when some are, stale / skipped / unlabeled when none is
 *   review  reviewed (marked in this session) or unreviewed
 * Marks beside the state: flagged (the rater's newest flag mark; review:
 * anyone's), commented (the rater's newest comment mark has text, else the
 * label has a note; review: a note in this session or a rater's comment),
 * disputed (review only: two raters gave different values on a criterion;
 * label and pair are blind and never read other raters' labels). */
#ifndef GOLDSET_SESSION_FIND_H
#define GOLDSET_SESSION_FIND_H
#include "app/session.h"

struct session_find;

/* NULL for a session it does not serve (discuss) */
struct session_find *session_find_new(struct lsession *S);
void session_find_free(struct session_find *f);

/* g: shows the item whose id is text, else the one item whose id starts
 * with text; 0 when it is shown, -1 when not (no such id, or several:
 * S->msg says which) */
int session_goto(struct session_find *f, const char *text);
/* Tab in the g prompt: the ids starting with text are counted in *n; the
 * completion (malloc'd): the id when one matches, else the longest start
 * they share (text itself when none) */
char *session_find_complete(struct session_find *f, const char *text, size_t *n);

/* /: shows the next item after the one shown (wrapping around) whose id,
 * input, output(s) or meta (a key or value) holds text, case folded; text
 * NULL or "": the last search again. 0 when one is shown. */
int session_search(struct session_find *f, const char *text);
/* the last search's text, or NULL */
const char *session_search_text(const struct session_find *f);

/* ---- the list ---- */
enum find_state { FIND_TODO, FIND_DONE, FIND_PARTLY, FIND_STALE, FIND_SKIPPED };
#define FIND_FLAGGED 1u
#define FIND_COMMENTED 2u
#define FIND_DISPUTED 4u

/* what the list shows: every item, one state, or one mark */
enum find_filter {
	FIND_ALL, FIND_ONLY_TODO, FIND_ONLY_DONE, FIND_ONLY_PARTLY, FIND_ONLY_STALE, FIND_ONLY_SKIPPED,
	FIND_ONLY_FLAGGED, FIND_ONLY_COMMENTED, FIND_ONLY_DISPUTED, FIND_NFILTERS
};

struct find_row {
	const char *id;               /* the item's id (the index's copy) */
	size_t item;                  /* its place in the session's order */
	enum find_state state;
	unsigned marks;               /* FIND_FLAGGED | FIND_COMMENTED | FIND_DISPUTED */
	char *values;                 /* the rater's answers (review: the agreed ones), "-" unanswered */
	int shown;                    /* the item on screen */
};

struct find_list {
	GArray *all;                  /* struct find_row: every item, in order */
	GArray *rows;                 /* size_t: the indexes in all that pass the filters */
	enum find_filter filter;
	char *meta_key, *meta_value;  /* the meta filter, or NULL */
};

/* the rows of every item with its state (queries the store once per item) */
int session_find_list(struct session_find *f, struct find_list *out, struct gs_err *e);
void session_find_list_free(struct find_list *l);
/* the filter after (dir > 0) or before cur among those of the session's kind */
enum find_filter session_find_filter_step(const struct session_find *f, enum find_filter cur, int dir);
/* a state's or a filter's word for the session's kind ("unlabeled", "reviewed", "all") */
const char *session_find_state_name(const struct session_find *f, enum find_state s);
const char *session_find_filter_name(const struct session_find *f, enum find_filter x);
/* the state filter x and the meta filter "KEY=VALUE" (--filter's syntax;
 * "" none, NULL: as it was) applied: 0, or EX_USAGE with e->msg */
int session_find_filter(struct session_find *f, struct find_list *l, enum find_filter x, const char *meta,
			struct gs_err *e);
/* Enter in the list: shows the item of row (session msg says so); 0 when shown */
int session_find_open(struct session_find *f, const struct find_row *row);
#endif
