/* fit.c: text reports fitted to a width (see fit.h): the width of the
 * terminal or $COLUMNS, display widths that skip ANSI colour sequences,
 * cells cut with an ellipsis, and the capture of a command's standard
 * output whose long lines are broken at spaces. */
#include "report/fit.h"

#include <glib.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/text.h"

static int width_now = FIT_DEFAULT;

static int clamp_width(long w) { return w < FIT_MIN ? FIT_MIN : w > 10000 ? 10000 : (int)w; }

void fit_init(int fd)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	char *end;
	long c = cols && *cols ? strtol(cols, &end, 10) : 0;
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) width_now = clamp_width(ws.ws_col);
	else if (c > 0 && !*end) width_now = clamp_width(c);
	else width_now = FIT_DEFAULT;
}

int fit_width(void) { return width_now; }

/* ---- atoms: a glyph with its bytes, or a colour sequence of no width ---- */

struct atom { char bytes[TEXT_CELL_CPS * 4]; int len, width; };

/* the length of the ANSI CSI sequence at s, or 0 */
static size_t csi_len(const char *s, size_t n)
{
	if (n < 2 || s[0] != '\033' || s[1] != '[') return 0;
	for (size_t i = 2; i < n; i++)
		if ((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e) return i + 1;
	return 0;
}

static void add_cells(GArray *out, const char *s, size_t n)
{
	struct text_cell *cell = xmalloc((2 * n + 1) * sizeof *cell);
	int k = text_line_cells(s, n, (int)(2 * n + 1), cell, NULL);
	for (int i = 0; i < k; i++) {
		struct atom a = {.width = cell[i].width};
		for (int j = 0; j < TEXT_CELL_CPS && cell[i].cp[j]; j++) a.len += (int)text_encode(cell[i].cp[j], a.bytes + a.len);
		g_array_append_val(out, a);
	}
	free(cell);
}

/* s (n bytes) as atoms */
static GArray *atoms_of(const char *s, size_t n)
{
	GArray *out = g_array_new(0, 0, sizeof(struct atom));
	size_t i = 0;
	while (i < n) {
		size_t run = i;
		while (run < n && !csi_len(s + run, n - run)) run++;
		if (run > i) add_cells(out, s + i, run - i);
		size_t k = run < n ? csi_len(s + run, n - run) : 0;
		if (k && k < sizeof ((struct atom *)0)->bytes) {
			struct atom a = {.len = (int)k};
			memcpy(a.bytes, s + run, k);
			g_array_append_val(out, a);
		}
		i = run + k;
	}
	return out;
}

static struct atom *atom_i(GArray *a, size_t i) { return &g_array_index(a, struct atom, i); }

int fit_line_width(const char *s, size_t n)
{
	GArray *a = atoms_of(s, n);
	int w = 0;
	for (size_t i = 0; i < a->len; i++) w += atom_i(a, i)->width;
	g_array_free(a, 1);
	return w;
}

int fit_prefix(struct sbuf *b, const char *s, size_t n, int w)
{
	GArray *a = atoms_of(s, n);
	int used = 0;
	for (size_t i = 0; i < a->len && used + atom_i(a, i)->width <= w; i++) {
		sb_addn(b, atom_i(a, i)->bytes, (size_t)atom_i(a, i)->len);
		used += atom_i(a, i)->width;
	}
	g_array_free(a, 1);
	return used;
}

static const char *ellipsis(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && strcmp(cs, "UTF-8") == 0 ? "\u2026" : "~";
}

void fit_cell(FILE *f, const char *s, int w, int right)
{
	struct sbuf b = {0};
	int full = fit_line_width(s, strlen(s)), used;
	if (full <= w) {
		sb_add(&b, s);
		used = full;
	} else {
		used = w > 0 ? fit_prefix(&b, s, strlen(s), w - 1) + 1 : 0;
		if (w > 0) sb_add(&b, ellipsis());
	}
	fprintf(f, "%*s%s%*s", right ? w - used : 0, "", b.p ? b.p : "", right ? 0 : w - used, "");
	sb_free(&b);
}

/* ---- wrapping a line ---- */

static int is_space(const struct atom *a) { return a->len == 1 && a->bytes[0] == ' '; }

/* prints atoms [from, to) */
static void put_atoms(FILE *out, GArray *a, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) fwrite(atom_i(a, i)->bytes, 1, (size_t)atom_i(a, i)->len, out);
}

/* the end of the piece of line that starts at atom i and fits room columns:
 * after the last space that fits, or at the edge when no space does */
static size_t piece_end(GArray *a, size_t i, int room)
{
	int col = 0;
	size_t j = i, space = 0;
	while (j < a->len && col + atom_i(a, j)->width <= room) {
		if (is_space(atom_i(a, j)) && j > i) space = j;
		col += atom_i(a, j++)->width;
	}
	if (j >= a->len) return a->len;
	if (is_space(atom_i(a, j))) return j;
	if (space) return space;
	return j > i ? j : j + 1;   /* a glyph wider than the line goes alone */
}

static void wrap_line(FILE *out, const char *s, size_t n, int width)
{
	GArray *a = atoms_of(s, n);
	size_t lead = 0;
	while (lead < a->len && is_space(atom_i(a, lead))) lead++;
	int indent = (int)lead + 2 > width / 3 ? width / 3 : (int)lead + 2;
	size_t i = 0;
	for (int first = 1; i < a->len; first = 0) {
		if (!first) fprintf(out, "%*s", indent, "");
		size_t end = piece_end(a, i, first ? width : width - indent), last = end;
		while (last > i && is_space(atom_i(a, last - 1))) last--;
		put_atoms(out, a, i, last);
		fputc('\n', out);
		i = end;
		while (i < a->len && is_space(atom_i(a, i))) i++;
	}
	g_array_free(a, 1);
}

void fit_line(FILE *out, const char *s, size_t n, int width)
{
	if (fit_line_width(s, n) <= width) {
		fwrite(s, 1, n, out);
		fputc('\n', out);
	} else {
		wrap_line(out, s, n, width);
	}
}

void fit_copy(FILE *in, FILE *out, int width)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, in)) > 0) {
		size_t len = (size_t)n - (line[n - 1] == '\n');
		if (fit_line_width(line, len) <= width) fwrite(line, 1, (size_t)n, out);   /* as it was, ending or not */
		else wrap_line(out, line, len, width);
	}
	free(line);
}

/* ---- the capture of standard output ---- */

int fit_capture_begin(struct fit_capture *c)
{
	fflush(stdout);
	c->tmp = tmpfile();
	c->saved = c->tmp ? dup(STDOUT_FILENO) : -1;
	if (c->saved < 0 || dup2(fileno(c->tmp), STDOUT_FILENO) < 0) {
		if (c->saved >= 0) close(c->saved);
		if (c->tmp) fclose(c->tmp);
		c->tmp = NULL;
		return -1;
	}
	return 0;
}

void fit_capture_end(struct fit_capture *c)
{
	if (!c->tmp) return;
	fflush(stdout);
	dup2(c->saved, STDOUT_FILENO);
	close(c->saved);
	rewind(c->tmp);
	fit_copy(c->tmp, stdout, fit_width());
	fclose(c->tmp);
	c->tmp = NULL;
}
