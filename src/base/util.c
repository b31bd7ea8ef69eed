/* util.c: allocation that never fails quietly, string buffers, error values,
 * time, login name, whole-file helpers and hashing (XXH3) shared by every
 * module. Nothing here touches the screen, SQL or git. */
#include "base/util.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#define XXH_INLINE_ALL      /* the hash of a short key is a few instructions: no call */
#include <xxhash.h>


int gs_fail(struct gs_err *e, int code, const char *fmt, ...)
{
	if (!e) return code;
	char msg[sizeof e->msg];   /* the arguments may include e->msg itself */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* messages quote untrusted names and values: escape them once, here */
	char *safe = text_escape_line(msg, strlen(msg));
	snprintf(e->msg, sizeof e->msg, "%s", safe);
	free(safe);
	e->code = code;
	return code;
}

int gs_report(const struct gs_err *e)
{
	fprintf(stderr, "goldset: %s\n", e->msg);
	return e->code ? e->code : 1;
}

int gs_die(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("goldset: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int gs_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = NULL;
	int n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0) mem_oom();
	size_t len = (size_t)n, nl = len && line[len - 1] == '\n';
	char *safe = text_escape_line(line, len - nl);
	int rc = fprintf(f, "%s%s", safe, nl ? "\n" : "");
	free(safe);
	free(line);
	return rc;
}

/* ---- label times: ISO 8601 UTC with milliseconds, and the clock ---- */

/* days since 1970-01-01 of a civil date (proleptic Gregorian) */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int64_t gs_at_ms(const char *at)
{
	unsigned y, mo, d, h, mi, sec, ms = 0;
	if (!at || strlen(at) < 20 || digits(at, 4, &y) || at[4] != '-' || digits(at + 5, 2, &mo) || at[7] != '-' ||
	    digits(at + 8, 2, &d) || at[10] != 'T' || digits(at + 11, 2, &h) || at[13] != ':' ||
	    digits(at + 14, 2, &mi) || at[16] != ':' || digits(at + 17, 2, &sec))
		return -1;
	const char *p = at + 19;
	if (*p == '.') {
		int n = 0;
		unsigned frac = 0;
		while (p[1 + n] >= '0' && p[1 + n] <= '9') {
			if (n < 3) frac = frac * 10 + (unsigned)(p[1 + n] - '0');
			n++;
		}
		if (n == 0 || n > 9) return -1;
		for (int k = n; k < 3; k++) frac *= 10;
		ms = frac;
		p += 1 + n;
	}
	if (strcmp(p, "Z") != 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	int64_t days = days_from_civil(y, mo, d);
	return ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 + ms;
}

void gs_at_format(int64_t ms, char out[32])
{
	if (ms < 0) ms = 0;
	int64_t z = ms / 86400000 + 719468, rem = ms % 86400000;
	int64_t era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", (unsigned)(y % 10000), m, d,
		 (unsigned)(rem / 3600000), (unsigned)(rem / 60000 % 60), (unsigned)(rem / 1000 % 60),
		 (unsigned)(rem % 1000));
}

int64_t gs_clock_ms(void)
{
	static int64_t skew = INT64_MIN;
	if (skew == INT64_MIN) {
		const char *s = getenv("GOLDSET_CLOCK_SKEW");   /* seconds, for tests of skewed clocks */
		skew = s && *s ? (int64_t)(strtod(s, NULL) * 1000) : 0;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + skew;
}

void now_iso8601(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);   /* not strftime: glibc's re-reads /etc/localtime on every call */
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)tm.tm_mon % 12u + 1, (unsigned)tm.tm_mday % 32u, (unsigned)tm.tm_hour % 24u,
		 (unsigned)tm.tm_min % 60u, (unsigned)tm.tm_sec % 61u);
}

void now_iso8601_ms(char out[32])
{
	gs_at_format(gs_clock_ms(), out);
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* looked up once: every saved label records it, and getpwuid() costs a
 * round of NSS file reads */
const char *gs_login(void)
{
	static char name[256];
	if (name[0]) return name;
	const char *s = getenv("LOGNAME");
	if (!s || !*s) s = getenv("USER");
	if (!s || !*s) {
		struct passwd *pw = getpwuid(getuid());
		s = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "unknown";
	}
	snprintf(name, sizeof name, "%s", s);
	return name;
}

uint64_t gs_hash64(const void *p, size_t n, uint64_t seed)
{
	return XXH3_64bits_withSeed(p, n, seed);
}

unsigned gs_str_hash(const void *key)
{
	return (unsigned)XXH3_64bits(key, strlen(key));
}

int gs_str_equal(const void *a, const void *b) { return strcmp(a, b) == 0; }

void content_hash(const void *p, size_t n, char out[33])
{
	XXH128_hash_t h = XXH3_128bits(p, n);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

int gs_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t') return 0;
	return 1;
}

int utf8_valid(const char *s, size_t n, size_t *bad_at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		if (i + 8 <= n) { /* fast path: eight ASCII bytes at once */
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!(w & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		size_t len = text_utf8_len(s + i, n - i);
		if (!len) goto bad;
		i += len;
	}
	return 1;
bad:
	if (bad_at) *bad_at = i;
	return 0;
}

static char *links_root;        /* the workspace's root, no trailing '/' */

void ws_links_root(const char *root)
{
	free(links_root);
	links_root = root ? xstrdup(root) : NULL;
	size_t n = links_root ? strlen(links_root) : 0;
	while (n > 1 && links_root[n - 1] == '/') links_root[--n] = 0;
}

int path_nolinks(const char *path, struct gs_err *e)
{
	size_t n = links_root ? strlen(links_root) : 0;
	if (!n || strncmp(path, links_root, n) != 0 || path[n] != '/') return 0;
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + n + 1; !rc; s++) {
		if (*s && *s != '/') continue;
		char end = *s;
		*s = 0;
		struct stat st;
		if (lstat(p, &st) != 0) break;
		if (S_ISLNK(st.st_mode))
			rc = gs_fail(e, EX_DATAERR, "%s is a symbolic link: goldset does not follow links in a workspace", p);
		*s = end;
		if (!end) break;
	}
	free(p);
	return rc;
}

int read_file(const char *path, char **out, size_t *len, struct gs_err *e)
{
	if (path_nolinks(path, e)) return e ? e->code : EX_DATAERR;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return gs_fail(e, errno == ENOENT ? EX_NOINPUT : EX_IOERR, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return gs_fail(e, EX_NOINPUT, "%s: is a directory", path);
	}
	struct sbuf b = {0};
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) sb_addn(&b, buf, (size_t)n);
	int err = errno;
	close(fd);
	if (n < 0) {
		sb_free(&b);
		return gs_fail(e, EX_IOERR, "%s: %s", path, strerror(err));
	}
	if (len) *len = b.len;
	*out = sb_take(&b);
	return 0;
}

int write_file_atomic(const char *path, const char *data, size_t len, struct gs_err *e)
{
	if (path_nolinks(path, e)) return e ? e->code : EX_DATAERR;
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		gs_fail(e, EX_CANTCREAT, "%s: %s", path, strerror(errno));
		free(tmp);
		return e ? e->code : EX_CANTCREAT;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR) continue;
			break;
		}
		off += (size_t)n;
	}
	int err = off < len ? errno : 0;
	if (!err && fsync(fd) != 0) err = errno;
	if (close(fd) != 0 && !err) err = errno;
	if (!err && rename(tmp, path) != 0) err = errno;
	if (err) {
		unlink(tmp);
		free(tmp);
		return gs_fail(e, EX_IOERR, "%s: %s", path, strerror(err));
	}
	free(tmp);
	return 0;
}

int mkdir_p(const char *path)
{
	if (path_nolinks(path, NULL)) {
		errno = ELOOP;
		return -1;
	}
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/') continue;
		*s = 0;
		if (mkdir(p, 0755) != 0 && errno != EEXIST) { free(p); return -1; }
		*s = '/';
	}
	int rc = mkdir(p, 0755);
	free(p);
	return rc != 0 && errno != EEXIST ? -1 : 0;
}

int path_exists(const char *path) { struct stat st; return stat(path, &st) == 0; }
int is_dir(const char *path) { struct stat st; return stat(path, &st) == 0 && S_ISDIR(st.st_mode); }

char *path_join(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n && a[n - 1] == '/') return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

int parse_double(const char *s, double *out)
{
	if (!s || !*s) return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || end == s || v != v) return -1;
	*out = v;
	return 0;
}

int parse_long(const char *s, long *out)
{
	if (!s || !*s) return -1;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s) return -1;
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	if (!s || *s < '0' || *s > '9') return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end) return -1;
	*out = v;
	return 0;
}

char **split_list(const char *s, char sep)
{
	size_t n = 1;
	for (const char *p = s; *p; p++) n += *p == sep;
	char **v = xcalloc(n + 1, sizeof *v);
	size_t i = 0;
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == sep || !*p) {
			if (p > start) v[i++] = xstrndup(start, (size_t)(p - start));
			if (!*p) break;
			start = p + 1;
		}
	}
	return v;
}

void strv_free(char **v)
{
	if (!v) return;
	for (char **p = v; *p; p++) free(*p);
	free(v);
}

size_t strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n]) n++;
	return n;
}
