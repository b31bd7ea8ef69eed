/* fit.h: text reports fitted to the terminal's width. The width is the
 * terminal's when standard output is one (TIOCGWINSZ), else $COLUMNS, else
 * 80. A command whose entry says CMD_FIT prints its text report into a
 * capture; fit_capture_end() prints it again with every line wider than
 * the width broken at spaces (continuation lines indented two more), so no
 * line of a text report passes the width; tables (report/table.h) lay
 * themselves out to the width first, so that only prose wraps. Widths are
 * display columns (base/text.c), ANSI colour sequences take none. */
#ifndef GOLDSET_FIT_H
#define GOLDSET_FIT_H
#include <stdio.h>

#define FIT_DEFAULT 80
#define FIT_MIN 20

/* sets the width from file descriptor fd (a terminal's), $COLUMNS or 80 */
void fit_init(int fd);
/* the width set by fit_init (80 before) */
int fit_width(void);

/* the display columns of line s (n bytes), ANSI sequences taking none */
int fit_line_width(const char *s, size_t n);
/* appends to b the longest prefix of s (n bytes, escaped text) that takes at
 * most w columns, whole grapheme clusters only; returns the columns used */
struct sbuf;
int fit_prefix(struct sbuf *b, const char *s, size_t n, int w);
/* prints s into f cut to w columns with "…" (or "~" outside UTF-8) at the cut,
 * padded to w (right-aligned when right) */
void fit_cell(FILE *f, const char *s, int w, int right);

/* prints line s (n bytes, no newline) and a newline into out, broken at
 * spaces when wider than width */
void fit_line(FILE *out, const char *s, size_t n, int width);
/* prints every line of in (read from its start) into out, wrapped to width */
void fit_copy(FILE *in, FILE *out, int width);

/* standard output sent into a temporary file until fit_capture_end */
struct fit_capture { int saved; FILE *tmp; };
/* 0, or -1 when no temporary file could be made (then nothing is captured) */
int fit_capture_begin(struct fit_capture *c);
/* restores standard output and prints the capture into it, fitted */
void fit_capture_end(struct fit_capture *c);
#endif
