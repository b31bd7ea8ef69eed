/* fuzz.h: what every fuzz target in tests/fuzz/ shares: die_if() names the
 * promise an input broke and aborts (libFuzzer then saves the input), and
 * check_msg() holds an error message to the promise that matters for
 * hostile input: a gs_err message is printed as it is, so it must be one
 * line with no control character (C0, DEL, C1) and no bidirectional
 * override or isolate, whatever bytes the input held.
 *
 * FUZZ_LENIENT=1 in the environment makes check_msg() report an unsafe
 * message ("unsafe message (lenient): ...") without stopping, so that a
 * long run can measure the rest and list every unsafe message while the
 * known ones are being fixed (tests/fuzz/run.sh also builds with
 * recoverable UBSan then, and sums both up). */
#ifndef GOLDSET_FUZZ_H
#define GOLDSET_FUZZ_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define die_if(bad) \
	do { \
		if (bad) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #bad); \
			abort(); \
		} \
	} while (0)

static inline int fuzz_lenient(void)
{
	static int v = -1;
	if (v < 0) {
		const char *s = getenv("FUZZ_LENIENT");
		v = s && *s && *s != '0';
	}
	return v;
}

/* 1 if s holds a byte or character that must never reach a terminal raw */
static inline int fuzz_unsafe_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) return 1;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) return 1;            /* C1 */
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) return 1; /* U+202A-E */
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) return 1; /* U+2066-9 */
	}
	return 0;
}

static inline void fuzz_show(const char *what, const char *msg)
{
	fprintf(stderr, "%s: ", what);
	for (const unsigned char *q = (const unsigned char *)msg; *q; q++)
		fprintf(stderr, *q < 0x20 || *q >= 0x7f ? "\\x%02x" : "%c", *q);
	fprintf(stderr, "\n");
}

#define check_msg(msg) \
	do { \
		static int shown_; /* in a long lenient run: the first 300 */ \
		if (fuzz_unsafe_text(msg) && (!fuzz_lenient() || shown_++ < 300)) { \
			fuzz_show(fuzz_lenient() ? "unsafe message (lenient)" : "unsafe message", msg); \
			if (!fuzz_lenient()) abort(); \
		} \
	} while (0)
#endif
