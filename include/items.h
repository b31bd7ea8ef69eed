/* items.h: golden-set items (golden/SET.jsonl, goldset-items(5)). items.c parses
 * and validates one JSON line at a time (streaming), applies a --map, and
 * writes the canonical line that the store keeps and golden/<set>.jsonl
 * holds. It also turns a stored canonical line back into a struct item for
 * the screens. Item text is untrusted: nothing here prints it. */
#ifndef GOLDSET_ITEMS_H
#define GOLDSET_ITEMS_H
#include <stdio.h>
#include "util.h"

struct chat_turn { char *role, *content; };
struct item_output { char *system, *text; };
struct meta_kv { char *key, *value; };      /* value as text */

struct item {
	char *id;
	char *input;                 /* plain input, or NULL when chat */
	struct chat_turn *turns;     /* chat transcript */
	size_t nturns;
	char *output;                /* single output, or NULL when pairwise */
	struct item_output *outputs; /* pairwise candidates */
	size_t noutputs;
	char *reference;             /* NULL if none */
	struct meta_kv *meta;
	size_t nmeta;
	char *meta_json;             /* "{}" if none */
	char *gold_json;             /* NULL if none */
};

/* --map: canonical field -> dotted source path ("input=messages.0.content") */
struct item_map { char *field[8]; char *path[8]; int n; };
int item_map_parse(const char *spec, struct item_map *m, struct gs_err *e);
void item_map_free(struct item_map *m);

/* Parses one line (no newline) of FILE at LINE into canonical form.
 * *canon: the canonical JSON line (malloc'd); *it: parsed fields (may be
 * NULL if not wanted). Errors: "FILE:LINE: what (field)", EX_DATAERR. */
int item_parse_line(const char *line, size_t len, const char *file, long lineno,
		    const struct item_map *map, char **canon, struct item *it, struct gs_err *e);
/* parses a canonical line from the store */
int item_from_canon(const char *json, struct item *it, struct gs_err *e);
void item_free(struct item *it);
/* the meta value for key as text (NULL if absent) */
const char *item_meta(const struct item *it, const char *key);
/* total output length in characters (code points), for length-bias stats */
long long item_output_len(const struct item *it);

/* A streaming line reader: strips a UTF-8 BOM at the start and CR before
 * LF. A line may hold NUL bytes and invalid UTF-8: the parsers
 * (item_parse_line, labelset_parse, through jsoncheck.h) refuse them with
 * file, line and field. */
struct line_reader {
	FILE *f;
	const char *file;
	long lineno;
	char *buf;
	size_t cap;
	int no_newline;              /* the last line read had no final newline */
	long long bytes;             /* bytes consumed so far */
};
int line_reader_open(struct line_reader *r, const char *path, struct gs_err *e);
/* 1: a line in *line and *len; 0: end; else an error code */
int line_reader_next(struct line_reader *r, const char **line, size_t *len, struct gs_err *e);
void line_reader_close(struct line_reader *r);
#endif
