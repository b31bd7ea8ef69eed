/* util.h: small things every module uses: allocation that never returns
 * NULL, a growable string buffer, error values carrying a sysexits code and
 * one message line, time stamps, login name, file helpers. No library here
 * knows about the screen, SQL or git. */
#ifndef GOLDSET_UTIL_H
#define GOLDSET_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sysexits.h>

#include "base/mem.h"

/* An error: a sysexits code (EX_DATAERR ...) and one line for the user,
 * already naming file, line and field where there are any. */
struct gs_err { int code; char msg[1024]; };
int gs_fail(struct gs_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* prints "goldset: MSG" on stderr and returns e->code */
int gs_report(const struct gs_err *e);
/* prints "goldset: MSG" on stderr and returns code */
int gs_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* printf for one line that quotes what goldset did not write (names,
 * messages, paths, arguments): the whole line goes through
 * text_escape_line(), a final newline kept */
int gs_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "s" unless n is 1, for counted nouns: printf("%lld item%s", n, gs_s(n)) */
static inline const char *gs_s(long long n) { return n == 1 ? "" : "s"; }

void now_iso8601(char out[32]);           /* 2026-11-22T10:31:07Z */
/* Label times ("at"): ISO 8601 UTC, with or without a fraction of a
 * second.  gs_at_ms: milliseconds since the epoch, -1 when at is not such a
 * time; gs_at_format: the canonical form with milliseconds
 * (2026-11-22T10:31:07.120Z); gs_clock_ms: the wall clock, shifted by
 * GOLDSET_CLOCK_SKEW seconds (tests of skewed clocks). */
int64_t gs_at_ms(const char *at);
void gs_at_format(int64_t ms, char out[32]);
int64_t gs_clock_ms(void);
void now_iso8601_ms(char out[32]);        /* 2026-11-22T10:31:07.123Z (shared records' "at") */
double now_seconds(void);                 /* monotonic */
const char *gs_login(void);               /* login name, never NULL */
/* Every hash is XXH3. gs_hash64: 64 bits of p[0..n) under a seed.
 * gs_str_hash / gs_str_equal: the hash and equality of a GHashTable with
 * NUL-terminated string keys (they have GLib's GHashFunc and GEqualFunc
 * types: g_hash_table_new(gs_str_hash, gs_str_equal)). */
uint64_t gs_hash64(const void *p, size_t n, uint64_t seed);
unsigned gs_str_hash(const void *key);
int gs_str_equal(const void *a, const void *b);
/* 1 when s[0..n) is valid UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF); else 0 with *bad_at the offset of the first bad byte */
int utf8_valid(const char *s, size_t n, size_t *bad_at);
/* 1 when s[0..n) holds only spaces and tabs; reads no byte past s[n-1] */
int gs_blank(const char *s, size_t n);
/* content hash of items and rubrics: XXH3 128-bit, as 32 hex digits */
void content_hash(const void *p, size_t n, char out[33]);

/* Symbolic links in a workspace are never followed (its files come from
 * teammates through git).  workspace_open/workspace_init name the workspace's root; then
 * path_nolinks() refuses a path below it (EX_DATAERR, one line) when one of
 * its components from the root down is a symbolic link; a component that
 * does not exist ends the check.  read_file, line_reader_open,
 * write_file_atomic and mkdir_p check through it (mkdir_p: -1, ELOOP). */
void ws_links_root(const char *root);
int path_nolinks(const char *path, struct gs_err *e);

/* whole file into memory (NUL-terminated); 0 or EX_NOINPUT / EX_IOERR */
int read_file(const char *path, char **out, size_t *len, struct gs_err *e);
/* write whole file atomically: temp file in the same folder, fsync, rename */
int write_file_atomic(const char *path, const char *data, size_t len, struct gs_err *e);
int mkdir_p(const char *path);            /* 0 or -1 with errno */
int path_exists(const char *path);
int is_dir(const char *path);
char *path_join(const char *a, const char *b);

/* parsing helpers: 0 on success */
int parse_double(const char *s, double *out);
int parse_long(const char *s, long *out);
/* a seed: decimal digits only, up to 2^64 - 1 */
int parse_u64(const char *s, uint64_t *out);
/* splits "a,b,c" into a NULL-terminated array of strings (free with strv_free) */
char **split_list(const char *s, char sep);
void strv_free(char **v);
size_t strv_len(char *const *v);
#endif
