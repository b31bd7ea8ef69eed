/* session.h: one labeling session (src/app/session.c, session_pair.c,
 * session_review.c): everything the label, pair, review and discuss screens
 * do besides drawing and mapping keys, testable without a terminal.
 *
 * A session walks a list of units one at a time: the items of a store_queue
 * (label), the comparisons of the items of a store_pairq (pair: the
 * design, the order and the sides are decided here), a list of items to
 * review, or a list of disagreements to settle (discuss). For the unit
 * shown it holds the item, a draft of answers (slots) beside what is
 * recorded (saved), a note (and review's tags), and the marks. Every save
 * goes through the store and is committed before the session moves on;
 * the label and pair sessions keep an undo stack of their saves (undo
 * appends rows that put back what a save replaced: the store keeps all).
 *
 * What happened is told in msg (a line for the status row, with a tone),
 * never printed. A screen reads the fields of struct lsession ("labeling
 * session") to draw and calls the functions to change them; item_seq and
 * unit_seq change whenever another item or unit is shown, so that the
 * screen rebuilds its views. */
#ifndef GOLDSET_SESSION_H
#define GOLDSET_SESSION_H
#include <glib.h>

#include "app/calib.h"
#include "model/items.h"
#include "model/rubric.h"
#include "store/store.h"

/* ---- what the commands ask for ---- */

struct label_opts {
	store *st;
	const struct rubric *r;       /* a single-mode rubric */
	const char *rater;
	const char *set;              /* NULL: every set */
	const char *meta_key, *meta_value;   /* --filter KEY=VALUE */
	const char *batch;            /* --batch: a calibration batch's items */
	int overlap;                  /* --overlap K (0: off) */
	int file_order;               /* --order file */
	int outputs;                  /* --outputs: each output of the items with several, on its own */
};

#define PAIR_DEFAULT_PER_ITEM 6   /* comparisons per item of more than four systems */

/* Items with outputs from two or more systems become comparisons: every
 * pair up to four systems, else a balanced design of pairs_per_item pairs
 * (st_bt_pairs_for_item, the same pairs for every rater so that raters can
 * be compared), each item's comparisons in an order of the rater's own.
 * Which output is shown as A is drawn in permuted blocks per rater and
 * pair of systems (session_x_left, counting the rater's earlier draws in
 * `shown`) and recorded in `shown` before it is shown. Every save is one label row (left, right, sides and canonical
 * winners). */
struct pair_opts {
	store *st;
	const struct rubric *r;       /* a pairwise-mode rubric */
	const char *rater;
	const char *set;              /* NULL: every set */
	const char *batch;            /* --batch: a calibration batch's items */
	int pairs_per_item;           /* for items of more than four systems */
	int both_orders;              /* show each comparison a second time, sides swapped */
	int outputs;                  /* (label --outputs) a single rubric: each output is a unit */
};

struct pair_result {
	long saved;                   /* labels saved in this session */
	long long both_ways;          /* the rater's comparisons labeled both ways round */
	long long flips;              /* of them, with another winner the second time */
	const char *criterion;        /* the preference criterion flips are counted on */
};

/* The review is not blind: each item comes with every rater's and judge's
 * labels (the table); the group records a consensus value per criterion
 * (single-output rubrics), a note and tags. Enter writes the values that
 * changed (consensus rows) and the review mark in one transaction. */
struct review_opts {
	store *st;
	const struct ratings *t;  /* labels of every rater on the items */
	char *const *items;           /* the items to show, in order */
	size_t n;
	const char *session;          /* session id (an ISO 8601 time) */
	const char *slice_key;        /* meta key shown per item, or NULL */
};

/* what happened to one item in the review */
struct review_out {
	int reviewed;
	char *note;
	char *tags;                   /* comma-separated, as typed, or NULL */
	int *agreed;                  /* [nslots]: the consensus recorded in this session, -1 none */
};
void review_out_free(struct review_out *out, size_t n);
/* tags as typed ("a, b,c") -> a JSON array text, NULL when there are none */
char *review_tags_json(const char *tags);
/* 0 when every comma-separated tag is a name (no control character or
 * bidi override), else EX_USAGE with "tag N: a name cannot ..." in e */
int review_tags_check(const char *tags, struct gs_err *e);

/* one disagreement of calibrate discuss: unit u of the table, slot s.
 * Each agreed value is a consensus row, committed before the next. */
struct discuss_point { size_t u, slot; };

struct discuss_opts {
	store *st;
	const struct ratings *t;
	const char *batch;
	const struct discuss_point *p;
	size_t n;
	int names;                    /* --names: raters by name, not "rater 1" */
};

/* what a discussion settled, for the summary the command prints/writes */
struct discuss_outcome {
	int value;                    /* the agreed slot value, -1 none */
	int cause;                    /* index in discuss_causes, -1 none */
	char *note;
};
extern const char *const discuss_causes[3];   /* "rubric unclear", "rater slip", "item ambiguous" */
void discuss_outcome_free(struct discuss_outcome *out, size_t n);

/* ---- the session ---- */

/* label: answers changed and left without saving (n, p, skip, undo, q) are
 * kept per item until they are saved or discarded; coming back to the item
 * shows them again. They live in the session's memory only. */
struct session_draft {
	char *ext_id;
	int *slots;                   /* [nslots], -1 unanswered */
	char *note;
	int missing;                  /* answers still missing */
};

enum session_kind { SESSION_LABEL, SESSION_PAIR, SESSION_REVIEW, SESSION_DISCUSS };
enum session_tone { SESSION_DIM, SESSION_GOOD, SESSION_WARN };

struct session_item {
	struct store_item row;        /* label, pair: its current version */
	struct item it;
	int ok;                       /* it could be read */
	GArray *pairs;                /* pair: its comparisons (uint32_t[2] indices into
				       * it.outputs), in the rater's order */
};

struct session_cmp {              /* pair: the comparison shown */
	size_t idx;                   /* in cur.pairs */
	int pass;                     /* 0 first showing, 1 sides swapped */
	char *key;                    /* labelline_pair_key (outputs: labelline_system_key) */
	char *left, *right;           /* the systems shown as A and B (outputs: left the one shown, right NULL) */
};

struct lsession {
	enum session_kind kind;
	store *st;
	const struct rubric *r;
	const char *rater, *batch;    /* label, pair */
	const struct label_opts *lo;  /* the options of its kind; the others NULL */
	const struct pair_opts *po;
	struct pair_opts own_po;      /* label --outputs: the pair session's options, made from lo */
	struct item view;             /* label --outputs: cur.it with the output shown as its only one */
	const struct review_opts *ro;
	const struct discuss_opts *dop;

	/* what is shown */
	int have;                     /* a unit is shown (0: nothing left to do) */
	struct session_item cur;
	struct session_cmp c;         /* pair */
	size_t at;                    /* review, discuss: the index shown */
	unsigned long item_seq, unit_seq;

	/* the answers */
	size_t nslots, focus;         /* discuss: slot 0 the agreed value, 1 the cause */
	int *slots;                   /* the draft, -1 unanswered */
	int *saved;                   /* as recorded, -1 each when nothing is (or it is stale) */
	int has_saved;                /* a label on this version of the item */
	int stale;                    /* the rater's label is on an older version */
	char *note, *tags;            /* drafts; label and pair write a comment at once */
	char *saved_note, *saved_tags;
	int flagged;
	double shown_at;              /* now_seconds() when it was shown */
	long saves;
	int quit_armed;               /* q was pressed with unsaved answers */
	int *base;                    /* label: the answers as the item was shown, before the rater's changes */
	GPtrArray *drafts;            /* label: struct session_draft, answers left without saving, in the order left */

	/* progress */
	struct store_queue_counts qn;   /* label */
	struct store_pairq_counts pn;   /* pair */

	char msg[512];                /* what the last action did */
	enum session_tone tone;

	/* inside the session */
	store_queue *q;
	store_pairq *pq;
	struct store_label way;       /* label, pair: the rater's row a save replaces (id 0: none) */
	size_t cur_unit;              /* discuss: 1 + the unit whose item cur holds (0: none) */
	GArray *undo;
	struct calib_conslist cons;   /* review: consensus recorded before the session */
	struct review_out *rout;
	struct discuss_outcome *dout;
};

/* Opening runs the first query and shows the first unit (label: where the
 * rater stopped last time). 0, or an exit code with e->msg: nothing to
 * do, a rubric without criteria. out (review, discuss; n entries, zeroed)
 * gets what happened to each unit. session_close(NULL) is a no-op. */
int session_open_label(const struct label_opts *o, struct lsession **out, struct gs_err *e);
int session_open_pair(const struct pair_opts *o, struct lsession **out, struct gs_err *e);
int session_open_review(const struct review_opts *o, struct review_out *out, struct lsession **s, struct gs_err *e);
int session_open_discuss(const struct discuss_opts *o, struct discuss_outcome *out, struct lsession **s,
			 struct gs_err *e);
void session_close(struct lsession *S);

void session_say(struct lsession *S, enum session_tone t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *session_ext_id(const struct lsession *S);   /* the item shown, or NULL */
/* where the unit shown is: the n-th (from 1) of *n (label: in the queue;
 * pair: of the item's comparisons; review, discuss: of the list) */
void session_position(const struct lsession *S, long long *at, long long *n);
/* the progress bar: units done (labeled, compared, reviewed, settled) of all */
void session_progress(const struct lsession *S, long long *done, long long *total);

/* ---- the draft ---- */
/* 1-9: the n-th option of the focused slot; label and pair, on a checklist:
 * ticks the n-th item of the checklist, or unticks it */
void session_pick(struct lsession *S, int digit);
/* y / n: label and pair, on a binary criterion: its second label (yes,
 * pass) or its first (no, fail), as 2 and 1 do; 1 when the key was taken
 * (y always is: elsewhere it says what y does), 0 when n is free for the
 * next item */
int session_yes_no(struct lsession *S, int yes);
void session_prefer(struct lsession *S, int v);     /* pair: 0 A, 1 B, 2 tie on a preference */
void session_clear(struct lsession *S);             /* the focused answer (label, pair: a whole checklist) */
void session_focus_step(struct lsession *S, int dir);   /* label, pair: by criterion; review, discuss: by slot */
/* answers missing; *first (may be NULL) gets the first */
int session_missing(const struct lsession *S, size_t *first);
/* the draft differs from what is recorded */
int session_dirty(const struct lsession *S);

/* ---- actions ---- */
/* Enter: save (or record), then the next to do. Label and pair, focused on
 * a checklist: its items not ticked are answered "no" first, and the
 * focus goes on to the next missing answer if any is left. */
void session_save(struct lsession *S);
void session_step(struct lsession *S, int dir);     /* n / p: the next or previous unit, done or not */
void session_undo(struct lsession *S);              /* u: label, pair: the last save; discuss: withdraw */
/* c: the comment (label, pair: a mark at once, with the label when it is
 * saved) or the note (review, discuss: with the next save); "" removes */
void session_comment(struct lsession *S, const char *text);
void session_set_tags(struct lsession *S, const char *text);   /* review */
void session_flag(struct lsession *S);              /* label, pair: flag or unflag the item */
void session_skip(struct lsession *S, const char *reason);     /* label, pair */
/* q: 1 when the screen may close; with unsaved answers the first q only
 * warns (quit_armed; label: the items with drafts are listed), a second
 * one in a row closes */
int session_quit(struct lsession *S);
/* the key after a q that warned, label: s saves every complete draft (1
 * when none is left: the screen closes; else the first incomplete one is
 * shown), d discards them all (1); -1 for any other key (it goes back) */
int session_quit_choose(struct lsession *S, int key);
void session_key_seen(struct lsession *S);          /* any key but q disarms */

/* ---- discuss ----
 * One item at a time: the disagreements of the item shown are
 * p[first .. first + n) (the list is in table order, an item's together);
 * S->at is the one focused. n / p go from item to item, Tab from choice to
 * choice within the item. */
void session_discuss_item(const struct lsession *S, size_t *first, size_t *n);
/* the item shown is the *k-th (from 1) of *items items with disagreements */
void session_discuss_item_pos(const struct lsession *S, long long *k, long long *items);
/* the value rater r (from 0) gave becomes the agreed one of the focused
 * disagreement (whole: of every open one of the item; the draft's cause
 * and note go with the focused one), each a consensus row recorded at
 * once; then the first open one of the item, else of the items after */
void session_discuss_accept(struct lsession *S, size_t r, int whole);

/* ---- pair ---- */
/* 1 when system x (the first of the pair by name) is on the left in the
 * rater's draw number `drawn` (0, 1, ...) for this pair of systems:
 * permuted blocks of two (which of x and y goes left first is a hash of
 * rater, pair and block), so after any number of draws x was on the left
 * as often as y, give or take one */
int session_x_left(const char *rater, const char *pair_key, long drawn);
const char *session_text_a(const struct lsession *S);   /* the output shown as A */
/* the item as the label screen shows it: with --outputs, the one output
 * shown (its system not named), else the current item */
const struct item *session_label_item(const struct lsession *S);
const char *session_text_b(const struct lsession *S);
void session_pair_result(struct lsession *S, struct pair_result *res);

/* ---- label: the save Enter makes, on its own (the benchmark times it) ----
 * The answers (rubric slots, all answered) become one label row on the
 * item's current version, committed (durable) on return; *id (may be
 * NULL) gets its row id. */
struct label_save {
	const struct rubric *r;
	const int *slots;
	const struct store_item *item;
	const char *rater;
	const char *note;             /* the comment, or NULL */
	const char *batch;
	double seconds;               /* time on the item; < 0 unknown */
	const char *left, *right;     /* a comparison: the systems shown left (A) and right (B); else NULL */
	const char *source;           /* what made it ("judge"); NULL: "screen" */
};
int label_save(store *s, const struct label_save *ls, long long *id, struct gs_err *e);
#endif
