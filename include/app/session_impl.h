/* session_impl.h: what the files of the labeling session share among
 * themselves (session.c: the core and the label queue; session_pair.c: the
 * pairwise design and queue; session_review.c: the review and discuss
 * walks). Nothing outside them includes it; the API is include/app/session.h. */
#ifndef GOLDSET_SESSION_IMPL_H
#define GOLDSET_SESSION_IMPL_H
#include "app/session.h"

/* one save that u can take back: label (key "", no sides) or pair */
struct undo {
	char *ext_id, *key, *left, *right;
	long long item_row;           /* the version the save was made on */
	int pass;
	int *slots;                   /* the answers saved, shown again after the undo */
	struct store_label way;       /* the row it replaced (id 0: none) */
	struct store_label head;      /* pair: the current label before it (id 0: none) */
};

/* ---- session.c ---- */
/* slots: the rubric's (discuss: the agreed value and its cause) */
struct lsession *session_new(enum session_kind kind, store *st, const struct rubric *r, const char *rater,
			     const char *batch);
/* open checks and opens the queue (or closes S and returns its code),
 * then first shows the first unit and *out gets S */
int session_start(struct lsession *S, int (*open)(struct lsession *, struct gs_err *),
		  void (*first)(struct lsession *), struct lsession **out, struct gs_err *e);
/* m's row (taken over) is read into m->it; 0, or -1 when it cannot be */
int session_item_take(struct session_item *m, struct store_item *row, struct gs_err *e);
/* the current version of ext_id into m; 0, or -1 when missing or unreadable */
int session_item_get(store *st, const char *ext_id, struct session_item *m);
void session_item_free(struct session_item *m);
void session_drop(struct lsession *S);             /* nothing shown any more */
void session_read_flag(struct lsession *S);
/* a unit was put on screen: its saved answers, focus, clock, stale warning */
void session_shown(struct lsession *S);
void session_set_text(char **field, const char *text);   /* a copy, NULL for NULL */

/* ---- session_pair.c ---- */
/* starts S (kind SESSION_PAIR, S->po set) on its pair queue */
int session_pair_open(struct lsession *S, struct lsession **out, struct gs_err *e);
int session_pair_next(struct lsession *S);
/* what a unit of the pair session is called: "comparison", or "output" (label --outputs) */
const char *session_unit_noun(const struct lsession *S);         /* the next comparison to do; 0 none left */
void session_pair_step(struct lsession *S, int dir);
void session_pair_load_way(struct lsession *S, struct gs_err *e);
int session_pair_write(struct lsession *S, struct gs_err *e);
void session_pair_show_undone(struct lsession *S, const struct undo *u);
void session_pair_counts(struct lsession *S);

/* ---- session_review.c ---- */
void session_review_save(struct lsession *S);
void session_review_step(struct lsession *S, int dir);
void session_discuss_pick(struct lsession *S, int digit);
void session_discuss_save(struct lsession *S);
void session_discuss_step(struct lsession *S, int dir);
void session_discuss_withdraw(struct lsession *S);
void session_discuss_focus(struct lsession *S, int dir);   /* Tab: value, cause, the next criterion's value */
void session_review_free(struct lsession *S);

/* ---- find (session_find.c): showing a given unit, the state of an item ---- */
int session_label_show_id(struct lsession *S, const char *ext_id);   /* session.c; 0 shown */
int session_pair_show_id(struct lsession *S, const char *ext_id);    /* its first comparison to do, else its first */
void session_review_show_at(struct lsession *S, size_t i);
/* the rater's comparisons of ext_id: how many, labeled (on this version),
 * stale (labeled on an older one), with a note; values: per comparison
 * its answers as shown ("A", "tie"; "-" none), comparisons apart by spaces */
struct pair_item_state { size_t n, labeled, stale, noted; char *values; };
int session_pair_item_state(struct lsession *S, const char *ext_id, struct pair_item_state *out);
#endif
