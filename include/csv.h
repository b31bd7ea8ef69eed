/* csv.h: reading CSV files (RFC 4180) for `agree --table` and `rank
 * --pairs`, and quoting the fields `export --format csv` writes; libcsv
 * does the parsing and the quoting. Two layers of reading:
 *
 * - a streaming record reader: quoted fields (with "" for a quote and line
 *   breaks inside quotes), CRLF or LF line ends, a UTF-8 byte-order mark
 *   skipped; errors as "FILE:LINE: what (field N)" in a struct gs_err with
 *   EX_DATAERR (EX_NOINPUT / EX_IOERR for the file itself). A quote inside an
 *   unquoted field is kept as text, as most spreadsheets write it.
 * - csv_read_ratings(): the `agree --table` shape, header `unit,<rater>,...`,
 *   one row per unit, an empty (or blank) cell = missing. Values are numbers
 *   when every value in the file is a plain decimal number (so a 1-10 scale
 *   sorts as numbers); otherwise every value is a category name and the
 *   categories are numbered in sorted (byte) order, which does not depend on
 *   the order of the rows. Values come as codes into the sorted list of
 *   distinct values, which is how struct st_data (stats.h) takes them too. */
#ifndef GOLDSET_CSV_H
#define GOLDSET_CSV_H
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct csv;                     /* a reader */

enum {
	CSV_SKIP_BLANK = 1,     /* empty lines are not records */
	CSV_SAME_WIDTH = 2,     /* every record has as many fields as the first */
};

/* path "-" reads standard input; NULL (and e set) if the file can't be opened */
struct csv *csv_open(const char *path, int flags, struct gs_err *e);
/* reads text[0..len) (not copied: keep it alive); name is used in messages */
struct csv *csv_open_mem(const char *name, const char *text, size_t len, int flags);
/* the next record: 1, 0 at the end, -1 on an error (set in e) */
int csv_next(struct csv *c, struct gs_err *e);
size_t csv_nfields(const struct csv *c);
/* field i of the current record, NUL-terminated; valid until csv_next */
const char *csv_field(const struct csv *c, size_t i);
size_t csv_field_len(const struct csv *c, size_t i);
long csv_line(const struct csv *c);        /* the line the current record starts on */
const char *csv_name(const struct csv *c);
void csv_close(struct csv *c);

/* a CSV field (malloc'd): quoted when it holds a comma, a quote or a line
 * break; controls and invisible characters in their visible form (CSV has
 * no escapes); NULL gives "" */
char *csv_quote(const char *s);

struct csv_ratings {
	size_t units, raters;
	char **unit;            /* units: the unit ids, in file order (in text) */
	char **rater;           /* raters: names from the header */
	uint32_t *code;         /* units*raters, [u*raters + r]: index into value, */
	double *value;          /* or CSV_MISSING; value: the nvalue distinct */
	size_t nvalue;          /* values ascending (numbers, or 0..ncat-1) */
	int numeric;            /* 1: values are numbers; 0: positions in cat */
	char **cat;             /* ncat category names, sorted (when !numeric; in text) */
	size_t ncat;
	int some_numbers;       /* when !numeric: some values were numbers all the same */
	char first_text[64];    /* when !numeric: the first value that is not a number, */
	long first_text_line;   /* and its line */
	char *text;             /* owns the unit id and category strings */
};
/* 0, or a sysexits code with e set */
int csv_read_ratings(const char *path, struct csv_ratings *t, struct gs_err *e);
int csv_read_ratings_mem(const char *name, const char *text, size_t len,
		struct csv_ratings *t, struct gs_err *e);
void csv_ratings_free(struct csv_ratings *t);
#define CSV_MISSING UINT32_MAX
/* the value rater r gave unit u, NaN if none */
double csv_ratings_value(const struct csv_ratings *t, size_t u, size_t r);
#endif
