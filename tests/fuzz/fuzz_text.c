/* fuzz_text.c: libFuzzer entry for src/text.c, the module every untrusted
 * byte goes through on its way to the terminal. Each input is decoded,
 * laid out on one line, escaped for plain output and wrapped at a width
 * taken from its first byte; the checks below are the module's promises:
 * no cell or line wider than asked, no control character in escaped output
 * (a zero-width joiner only inside an emoji sequence).
 *   clang -fsanitize=fuzzer,address -Iinclude tests/fuzz/fuzz_text.c src/text.c src/util.c -lutf8proc */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static void die_if(int bad)
{
	if (bad) abort();
}

/* U+200D passes only inside an emoji ZWJ sequence: between two code
 * points that are not ASCII */
static void check_escape(const char *s, size_t n)
{
	char *e = text_escape_line(s, n);
	size_t len = strlen(e);
	uint32_t prev = 0;
	for (size_t off = 0; off < len;) {
		uint32_t cp, next = 0;
		size_t k = text_decode(e + off, len - off, &cp);
		die_if(k == 0);
		if (off + k < len) text_decode(e + off + k, len - off - k, &next);
		die_if(text_is_unsafe(cp) && !(cp == 0x200D && prev >= 0x80 && next >= 0x80 && !text_is_unsafe(next)));
		prev = cp;
		off += k;
	}
	free(e);
}

static void check_cells(const struct text_cell *c, int n, int width)
{
	int w = 0;
	for (int i = 0; i < n; i++) {
		die_if(c[i].width < 1 || c[i].width > 2);
		for (int j = 0; j < TEXT_CELL_CPS && c[i].cp[j]; j++)   /* a joiner only inside its cell */
			die_if(text_is_unsafe(c[i].cp[j]) && !(c[i].cp[j] == 0x200D && j > 0 && j + 1 < TEXT_CELL_CPS && c[i].cp[j + 1]));
		w += c[i].width;
	}
	die_if(w > width);
}

static void check_wrap(const char *s, size_t n, int width)
{
	struct text_cell *c = malloc((size_t)width * sizeof *c);
	struct text_wrap *w = text_wrap_new(s, n, width);
	for (int pass = 0; pass < 2; pass++) {
		size_t lines = text_wrap_lines(w);
		die_if(lines == 0 || lines > 2 * n * 11 + 2);
		for (size_t i = 0; i < lines; i++) check_cells(c, text_wrap_line(w, i, c), width);
		die_if(n && text_wrap_find(w, n - 1) >= lines);
		text_wrap_set_width(w, width / 2 + 1);
		width = width / 2 + 1;
	}
	text_wrap_free(w);
	free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	if (size == 0) return 0;
	int width = 1 + data[0] % 90;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	struct text_cell line[64];
	int used;
	check_cells(line, text_line_cells(s, n, 64, line, &used), 64);
	check_escape(s, n);
	check_wrap(s, n, width);
	return 0;
}
