/* worddiff.h: a word-level diff of two texts, for the pair screen's `d`
 * highlight of what differs between output A and output B. Pure: no
 * ncurses, no I/O, no store (src/base/worddiff.c).
 *
 * The diff runs on display cells (text.h), the form the screen already
 * holds after wrapping, so what is compared is exactly what is shown and
 * untrusted bytes never need a second decoder. A word is a run of word
 * cells (letters, digits, '_' and anything non-ASCII that is not an escaped
 * form); every other non-blank cell (punctuation, each cell of an escaped
 * form) is a word of its own; blank cells (a plain space) only separate
 * words, so differences in spacing and wrapping are never shown.
 *
 * The words two texts share are a longest common subsequence (Hirschberg's
 * divide and conquer: O(N*M) time, O(N+M) memory, after the common prefix
 * and suffix are taken off). Above WD_MAX_WORK token comparisons the middle
 * is not searched and is marked changed as a whole: the screen stays
 * responsive on huge outputs, and says so through the return value. */
#ifndef GOLDSET_WORDDIFF_H
#define GOLDSET_WORDDIFF_H
#include <stddef.h>
#include "base/text.h"

#define WD_MAX_WORK 40000000ULL   /* N*M of the middle part */

/* a token: n bytes at p, compared with memcmp */
struct wd_tok { const void *p; size_t n; };

/* Longest common subsequence of token sequences a and b. keep_a[i] (na
 * bytes) is set to 1 when a[i] belongs to it, else 0; likewise keep_b.
 * Returns its length, or (size_t)-1 when the middle part was too big to
 * search (then only the common prefix and suffix are kept). */
size_t wd_lcs(const struct wd_tok *a, size_t na, const struct wd_tok *b, size_t nb, unsigned char *keep_a,
	      unsigned char *keep_b);

/* Word diff of two cell sequences (a caller may insert a plain space cell
 * anywhere to separate words, e.g. at line ends). chg_a[i] (na bytes) is
 * set to 1 when cell a[i] is part of a word not matched in b, or a blank
 * between two such words (so a changed phrase reads as one), else 0;
 * likewise chg_b. Returns 0, or 1 when the texts were too big to search. */
int wd_cells(const struct text_cell *a, size_t na, const struct text_cell *b, size_t nb, unsigned char *chg_a,
	     unsigned char *chg_b);
#endif
