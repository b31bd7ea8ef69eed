/* table.c: rows of cells laid out to a width (see table.h): each column as
 * wide as its widest cell; when the row is too wide the TB_CUT columns
 * shrink to their minimum, then the other columns, lowest priority first,
 * move to a stacked line under their row. */
#include "report/table.h"

#include <glib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/text.h"
#include "report/fit.h"

struct tb_col { char *head, *stacked_name; int flags, prio, min, width, stacked; };
/* a row: its cells (escaped), or a line of its own (line != NULL) */
struct tb_row { GPtrArray *cell; char *line; };

struct tb {
	int indent, gap;
	GArray *col;    /* struct tb_col */
	GArray *row;    /* struct tb_row */
};

static struct tb_col *col_i(const struct tb *t, size_t i) { return &g_array_index(t->col, struct tb_col, i); }
static struct tb_row *row_i(const struct tb *t, size_t i) { return &g_array_index(t->row, struct tb_row, i); }

struct tb *tb_new(int indent, int gap)
{
	struct tb *t = xcalloc(1, sizeof *t);
	t->indent = indent;
	t->gap = gap;
	t->col = g_array_new(0, 1, sizeof(struct tb_col));
	t->row = g_array_new(0, 1, sizeof(struct tb_row));
	return t;
}

void tb_free(struct tb *t)
{
	if (!t) return;
	for (size_t i = 0; i < t->col->len; i++) {
		free(col_i(t, i)->head);
		free(col_i(t, i)->stacked_name);
	}
	for (size_t i = 0; i < t->row->len; i++) {
		if (row_i(t, i)->cell) g_ptr_array_free(row_i(t, i)->cell, 1);
		free(row_i(t, i)->line);
	}
	g_array_free(t->col, 1);
	g_array_free(t->row, 1);
	free(t);
}

void tb_col(struct tb *t, const char *head, int flags, int prio, int min)
{
	struct tb_col c = {.head = text_escape(head), .flags = flags, .prio = prio, .min = min < 1 ? 1 : min};
	g_array_append_val(t->col, c);
}

void tb_stacked_name(struct tb *t, const char *name)
{
	struct tb_col *c = col_i(t, t->col->len - 1);
	free(c->stacked_name);
	c->stacked_name = text_escape(name);
}

void tb_row(struct tb *t)
{
	struct tb_row r = {.cell = g_ptr_array_new_with_free_func(free)};
	g_array_append_val(t->row, r);
}

void tb_cell(struct tb *t, const char *text)
{
	if (!t->row->len || !row_i(t, t->row->len - 1)->cell) tb_row(t);
	g_ptr_array_add(row_i(t, t->row->len - 1)->cell, text_escape(text ? text : ""));
}

void tb_cellf(struct tb *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	tb_cell(t, s);
	g_free(s);
}

void tb_line(struct tb *t, const char *text)
{
	struct tb_row r = {.line = text_escape(text)};
	g_array_append_val(t->row, r);
}

static const char *cell_of(const struct tb *t, size_t r, size_t c)
{
	GPtrArray *cell = row_i(t, r)->cell;
	return cell && c < cell->len ? g_ptr_array_index(cell, c) : "";
}

static int text_cols(const char *s) { return fit_line_width(s, strlen(s)); }

/* each column as wide as its head and its widest cell; a column with no
 * cell filled is left out (as if stacked: its cells are empty) */
static void natural_widths(struct tb *t, int with_head)
{
	for (size_t c = 0; c < t->col->len; c++) {
		struct tb_col *k = col_i(t, c);
		int cells = 0;
		k->width = with_head && !(k->flags & TB_NOHEAD) ? text_cols(k->head) : 0;
		for (size_t r = 0; r < t->row->len; r++) {
			int w = text_cols(cell_of(t, r, c));
			if (w > k->width) k->width = w;
			cells |= w > 0;
		}
		k->stacked = !cells && c > 0;
		if (k->flags & TB_CUT && k->min > k->width) k->min = k->width;
	}
}

static int row_width(const struct tb *t)
{
	int w = t->indent, n = 0;
	for (size_t c = 0; c < t->col->len; c++)
		if (!col_i(t, c)->stacked) w += col_i(t, c)->width + (n++ ? t->gap : 0);
	return w;
}

/* the columns the row can spare by cutting */
static int spare(const struct tb *t)
{
	int s = 0;
	for (size_t c = 0; c < t->col->len; c++)
		if (col_i(t, c)->flags & TB_CUT && !col_i(t, c)->stacked) s += col_i(t, c)->width - col_i(t, c)->min;
	return s;
}

/* the column to stack next: the lowest priority but the first column, not TB_CUT */
static struct tb_col *next_to_stack(const struct tb *t)
{
	struct tb_col *best = NULL;
	for (size_t c = 1; c < t->col->len; c++) {
		struct tb_col *k = col_i(t, c);
		if (!k->stacked && !(k->flags & TB_CUT) && (!best || k->prio < best->prio)) best = k;
	}
	return best;
}

/* cuts the TB_CUT columns, lowest priority first, by excess columns in all */
static void cut(struct tb *t, int excess)
{
	while (excess > 0) {
		struct tb_col *best = NULL;
		for (size_t c = 0; c < t->col->len; c++) {
			struct tb_col *k = col_i(t, c);
			if (k->flags & TB_CUT && !k->stacked && k->width > k->min && (!best || k->prio < best->prio)) best = k;
		}
		if (!best) return;
		int by = best->width - best->min < excess ? best->width - best->min : excess;
		best->width -= by;
		excess -= by;
	}
}

static void layout(struct tb *t, int width, int with_head)
{
	natural_widths(t, with_head);
	struct tb_col *k;
	while (row_width(t) - spare(t) > width && (k = next_to_stack(t))) k->stacked = 1;
	cut(t, row_width(t) - width);
}

static void put_row(struct tb *t, FILE *f, size_t r, int head)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	if (!m) return;
	fprintf(m, "%*s", t->indent, "");
	for (size_t c = 0, n = 0; c < t->col->len; c++) {
		struct tb_col *k = col_i(t, c);
		if (k->stacked) continue;
		const char *s = head ? (k->flags & TB_NOHEAD ? "" : k->head) : cell_of(t, r, c);
		fprintf(m, "%*s", n++ ? t->gap : 0, "");
		fit_cell(m, s, k->width, k->flags & TB_RIGHT);
	}
	fclose(m);
	while (len && line[len - 1] == ' ') len--;   /* no spaces at the end of a line */
	fprintf(f, "%.*s\n", (int)len, line);
	free(line);
}

/* the stacked cells of row r, "head: value" (the value alone without
 * heads), into b; with one_each, each on a line of its own */
static void stacked_text(struct tb *t, size_t r, int with_head, int one_each, struct sbuf *b)
{
	for (size_t c = 0; c < t->col->len; c++) {
		const char *s = cell_of(t, r, c);
		const struct tb_col *k = col_i(t, c);
		const char *head = !with_head ? "" : k->stacked_name ? k->stacked_name : k->head;
		if (!k->stacked || !*s) continue;
		if (b->len) sb_add(b, one_each ? "\n" : "; ");
		sb_addf(b, "%*s%s%s%s", b->len && !one_each ? 0 : t->indent + 4, "", head, *head ? ": " : "", s);
	}
}

/* the stacked cells under their row: on one line when it fits, else one a
 * line (each broken at spaces if it must) */
static void put_stacked(struct tb *t, FILE *f, size_t r, int with_head, int width)
{
	struct sbuf b = {0};
	stacked_text(t, r, with_head, 0, &b);
	if (b.len && fit_line_width(b.p, b.len) > width) {
		sb_free(&b);
		stacked_text(t, r, with_head, 1, &b);
	}
	for (const char *p = b.p; p && *p;) {
		size_t n = strcspn(p, "\n");
		fit_line(f, p, n, width);
		p += n + (p[n] == '\n');
	}
	sb_free(&b);
}

void tb_print(struct tb *t, FILE *f, int width, int with_head)
{
	layout(t, width, with_head);
	if (with_head) put_row(t, f, 0, 1);
	for (size_t r = 0; r < t->row->len; r++) {
		if (row_i(t, r)->line) {
			char *line = xasprintf("%*s%s", t->indent, "", row_i(t, r)->line);
			fit_line(f, line, strlen(line), width);
			free(line);
			continue;
		}
		put_row(t, f, r, 0);
		put_stacked(t, f, r, with_head, width);
	}
}
