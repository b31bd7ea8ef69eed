/* test_csv_rw.c: cmocka tests for the CSV reader and writer of src/model/csv.c
 * (libcsv underneath): what the bytes of a field are (blanks kept, a quote
 * inside an unquoted field kept as text), line ends (LF, CRLF, a lone CR,
 * blank lines), the line of every record and of every error, fields longer
 * than a read chunk, fields written by csv_quote() read back whole, and the
 * plain lines split without the parser read as the parser reads them. The
 * agree --table loader is tested in test_stats_agree.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/csv.h"

/* the records of text as "line:[f1][f2]|line:[f1]|", and the error after them */
static char *records(const char *text, size_t len, int flags, char *err, size_t errcap)
{
	struct gs_err e = {0};
	struct csv *c = csv_open_mem("t.csv", text, len, flags);
	struct sbuf b = {0};
	sb_addn(&b, "", 0);
	int rc;
	while ((rc = csv_next(c, &e)) == 1) {
		sb_addf(&b, "%ld:", csv_line(c));
		for (size_t i = 0; i < csv_nfields(c); i++) {
			assert_int_equal(strlen(csv_field(c, i)), csv_field_len(c, i));
			sb_addf(&b, "[%s]", csv_field(c, i));
		}
		sb_addc(&b, '|');
	}
	snprintf(err, errcap, "%s", rc < 0 ? e.msg : "");
	csv_close(c);
	return sb_take(&b);
}

static void expect(const char *text, size_t len, int flags, const char *want, const char *want_err)
{
	char err[sizeof ((struct gs_err *)0)->msg];
	char *got = records(text, len, flags, err, sizeof err);
	assert_string_equal(got, want);
	assert_string_equal(err, want_err);
	free(got);
}
#define EXPECT(text, flags, want, err) expect(text, sizeof(text) - 1, flags, want, err)

static void t_fields_as_written(void **st)
{
	(void)st;
	EXPECT(" a , b\t,\tc \n", 0, "1:[ a ][ b\t][\tc ]|", "");          /* blanks are data */
	EXPECT("a\"b,\"x\"\"y\",\"\"\n", 0, "1:[a\"b][x\"y][]|", "");     /* quote in unquoted text */
	EXPECT(" \"a\",b\n", 0, "1:[ \"a\"][b]|", "");                     /* not quoted: a blank first */
	EXPECT("a,,\n,\n", 0, "1:[a][][]|2:[][]|", "");
	EXPECT("\"a,b\nc\",d", 0, "1:[a,b\nc][d]|", "");                    /* no final line end */
}

static void t_line_ends(void **st)
{
	(void)st;
	EXPECT("a\r\nb\rc\nd", 0, "1:[a]|2:[b]|3:[c]|4:[d]|", "");
	EXPECT("a\n\nb\r\n\r\nc\r\rd\n", 0, "1:[a]|2:[]|3:[b]|4:[]|5:[c]|6:[]|7:[d]|", "");
	EXPECT("a\n\nb\r\n\r\nc\r\rd\n", CSV_SKIP_BLANK, "1:[a]|3:[b]|5:[c]|7:[d]|", "");
	EXPECT("\"x\ny\"\r\nz\n", 0, "1:[x\ny]|3:[z]|", "");                /* lines inside quotes count */
	EXPECT("\"x\ry\",1\n2\n", 0, "1:[x\ry][1]|2:[2]|", "");             /* a CR inside quotes does not */
	EXPECT("\xEF\xBB\xBFunit\n", 0, "1:[unit]|", "");                   /* byte-order mark */
	EXPECT("", 0, "", "");
}

static void t_errors(void **st)
{
	(void)st;
	EXPECT("a\n\"b\nc\n", 0, "1:[a]|", "t.csv:2: quoted field never closed (field 1)");
	EXPECT("a,\"b\"c\n", 0, "", "t.csv:1: text after a closing quote (field 2)");
	EXPECT("a\n\"b\n\"\"x\" y\n", 0, "1:[a]|", "t.csv:3: text after a closing quote (field 1)");
	EXPECT("a\nb,c\0d\n", 0, "1:[a]|", "t.csv:2: NUL byte (field 2)");
	EXPECT("\"a\n\0\"\n", 0, "", "t.csv:2: NUL byte (field 1)");
	EXPECT("\"a\"\0\n", 0, "", "t.csv:1: text after a closing quote (field 1)");
	EXPECT("a,b\nc\n", CSV_SAME_WIDTH, "1:[a][b]|", "t.csv:2: 1 fields where the header has 2 (field 2 missing)");
}

/* fields longer than a 64 KiB read, and line ends on a chunk's edge, read
 * the same from a file as from memory */
static void t_file_chunks(void **st)
{
	(void)st;
	struct sbuf t = {0};
	sb_add(&t, "\"");
	for (int i = 0; i < 100000; i++) sb_addc(&t, i % 1000 == 999 ? '\n' : 'x');
	sb_add(&t, "\",1\r\n");
	size_t ys = 131071 - t.len;   /* the next CR ends the second 64 KiB chunk, its LF starts the third */
	while (t.len < 131071) sb_addc(&t, 'y');
	sb_add(&t, "\r\nlast\n");
	char path[] = "/tmp/test_csv_rw.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	fwrite(t.p, 1, t.len, f);
	fclose(f);
	struct gs_err e = {0};
	struct csv *c = csv_open(path, 0, &e);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_field_len(c, 0), 100000);
	assert_string_equal(csv_field(c, 1), "1");
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_line(c), 102);   /* 100 line breaks inside the quotes */
	assert_int_equal(csv_field_len(c, 0), ys);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_line(c), 103);
	assert_string_equal(csv_field(c, 0), "last");
	assert_int_equal(csv_next(c, &e), 0);
	csv_close(c);
	unlink(path);
	sb_free(&t);
}

/* Lines with no quote, CR or NUL are split without the parser: the records
 * of random such text equal the parser's (a quoted last line sends the whole
 * text to libcsv), with and without CSV_SKIP_BLANK */
static void t_plain_lines_as_parsed(void **st)
{
	(void)st;
	static const char alphabet[] = "ab,,\n \t";
	unsigned seed = 12345;
	char err1[1024], err2[1024];
	for (int round = 0; round < 3000; round++) {
		struct sbuf t = {0};
		sb_addn(&t, "", 0);
		size_t len = (size_t)(round % 40);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			sb_addc(&t, alphabet[(seed >> 16) % (sizeof alphabet - 1)]);
		}
		sb_add(&t, "\n");
		int flags = round % 2 ? CSV_SKIP_BLANK : 0;
		char *plain = records(t.p, t.len, flags, err1, sizeof err1);
		sb_add(&t, "\"q\"\n");
		char *parsed = records(t.p, t.len, flags, err2, sizeof err2);
		char *tail = strrchr(parsed, ':');
		while (tail > parsed && tail[-1] != '|') tail--;   /* the quoted line's record */
		assert_string_equal(tail + strcspn(tail, ":"), ":[q]|");
		*tail = '\0';
		assert_string_equal(plain, parsed);
		assert_string_equal(err1, "");
		free(plain);
		free(parsed);
		sb_free(&t);
	}
}

/* a file of plain lines with a quoted field now and then, across many
 * chunks: the same records from a file as from memory, every line counted */
static void t_mixed_chunks(void **st)
{
	(void)st;
	struct sbuf t = {0};
	for (int i = 0; i < 30000; i++)
		sb_addf(&t, i % 997 == 0 ? "u%d,\"two\nlines\"\n" : "u%d,%d,x\n", i, i % 7);
	char path[] = "/tmp/test_csv_rw.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	fwrite(t.p, 1, t.len, f);
	fclose(f);
	struct gs_err e = {0};
	struct csv *c = csv_open(path, 0, &e), *m = csv_open_mem("m", t.p, t.len, 0);
	long want_line = 1;
	for (int i = 0; i < 30000; i++) {
		assert_int_equal(csv_next(c, &e), 1);
		assert_int_equal(csv_next(m, &e), 1);
		assert_int_equal(csv_line(c), want_line);
		assert_int_equal(csv_line(m), want_line);
		assert_int_equal(csv_nfields(c), csv_nfields(m));
		for (size_t k = 0; k < csv_nfields(c); k++) assert_string_equal(csv_field(c, k), csv_field(m, k));
		want_line += i % 997 == 0 ? 2 : 1;
	}
	assert_int_equal(csv_next(c, &e), 0);
	assert_int_equal(csv_next(m, &e), 0);
	csv_close(c);
	csv_close(m);
	unlink(path);
	sb_free(&t);
}

static void t_quote_round_trip(void **st)
{
	(void)st;
	static const char *fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "", " blank ",
				       "esc\x1b[2J", "\xE2\x80\xAE" "rlo"};
	static const char *written[] = {"plain", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "cr^Mhere", "",
					" blank ", "esc^[[2J", "<U+202E>rlo"};
	struct sbuf line = {0};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		char *q = csv_quote(fields[i]);
		assert_string_equal(q, written[i]);
		sb_add(&line, q);
		sb_addc(&line, i + 1 < sizeof fields / sizeof *fields ? ',' : '\n');
		free(q);
	}
	char *q = csv_quote(NULL);
	assert_string_equal(q, "");
	free(q);
	struct gs_err e = {0};
	struct csv *c = csv_open_mem("w.csv", line.p, line.len, 0);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_nfields(c), 9);
	assert_string_equal(csv_field(c, 1), "a,b");
	assert_string_equal(csv_field(c, 2), "say \"hi\"");
	assert_string_equal(csv_field(c, 3), "two\nlines");
	assert_string_equal(csv_field(c, 6), " blank ");
	assert_int_equal(csv_next(c, &e), 0);
	csv_close(c);
	sb_free(&line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_fields_as_written),
		cmocka_unit_test(t_line_ends),
		cmocka_unit_test(t_errors),
		cmocka_unit_test(t_file_chunks),
		cmocka_unit_test(t_quote_round_trip),
		cmocka_unit_test(t_plain_lines_as_parsed),
		cmocka_unit_test(t_mixed_chunks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
