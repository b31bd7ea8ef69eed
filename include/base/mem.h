/* mem.h: allocation that never returns NULL (it exits with a message on
 * out of memory) and a growable NUL-terminated string buffer: the bottom of
 * base/, including nothing of goldset's. */
#ifndef GOLDSET_MEM_H
#define GOLDSET_MEM_H
#include <stdarg.h>
#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* growable NUL-terminated string */
struct sbuf { char *p; size_t len, cap; };
void sb_add(struct sbuf *b, const char *s);
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_addc(struct sbuf *b, char c);
void sb_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_room(struct sbuf *b, size_t more);   /* room for more bytes and a NUL after len */
char *sb_take(struct sbuf *b);   /* returns the string (never NULL), empties b */
void sb_free(struct sbuf *b);
/* prints "goldset: out of memory" and exits (EX_OSERR) */
void mem_oom(void) __attribute__((noreturn));
#endif
