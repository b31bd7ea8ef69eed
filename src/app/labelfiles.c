/* labelfiles.c: the store's label sets written into labels/<rubric>/<rater>.jsonl
 * for `goldset commit`, all or nothing (see labelfiles.h for the steps).
 *
 * Speed matters here (a commit of a million labels exports them all), so
 * plain lines are formatted without building a cJSON tree: strings are
 * escaped the way cJSON prints them, and the stored labels object is copied
 * as it is when it is already in the exact form cJSON would print (checked
 * by a small scanner). This is goldset's one JSON writer not built on
 * cJSON, kept because of what it measured (tests/bench/commit.sh, 1M
 * labels, on a shared 2-core machine): formatting every line through
 * labelline_format took the commit from 1.9 s to 7.5 s of CPU (4.0 s
 * against 0.6 s for the 1M lines alone) and a commit with nothing changed
 * from 4 s to 21 s.  Lines with anything else (numbers with fractions,
 * DEL or non-ASCII text, which labelline_format rewrites as escapes) go
 * through labelline_format().  The bytes must equal `goldset export`:
 * the first line of every file is also formatted by labelline_format and
 * compared, and a difference (labelline.c changed its shape) turns the fast
 * path off for the rest of the export; t-git.sh checks files against export.
 *
 * New contents go to temporary files under .goldset/tmp/ (git-ignored, the
 * same file system as labels/, so rename is atomic); files whose content
 * would not change are not rewritten.  The working-tree files are not
 * fsync'ed: they are derived from the store, and the next commit rewrites
 * them; the git objects are what must be whole, and git reads the files
 * while they are in the page cache. */
#include "app/labelfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/labelline.h"
#include "app/shared.h"
#include "base/text.h"



/* ---- formatting ---- */

/* Output written straight into a buffer reserved once per line. */

/* s as a JSON string, escaped exactly as cJSON prints strings; o has room
 * for 6 * strlen(s) + 2 bytes */
static char *put_str(char *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	*o++ = '"';
	for (;;) {
		size_t run = 0;
		while ((unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\') run++;
		memcpy(o, s, run);
		o += run;
		s += run;
		if (!*s) break;
		unsigned char c = (unsigned char)*s++;
		const char *short_form = strchr("\"\"\\\\\bb\ff\nn\rr\tt", c);
		*o++ = '\\';
		if (short_form && c) {
			*o++ = short_form[1];
		} else {
			memcpy(o, "u00", 3);
			o[3] = hex[c >> 4];
			o[4] = hex[c & 15];
			o += 5;
		}
	}
	*o++ = '"';
	return o;
}

static char *put_lit(char *o, const char *lit)
{
	size_t n = strlen(lit);
	memcpy(o, lit, n);
	return o + n;
}

/* ,"key":"value" when v is not NULL */
static char *put_key(char *o, const char *key, const char *v)
{
	return v ? put_str(put_lit(o, key), v) : o;
}

static char *put_int(char *o, int v)
{
	char tmp[16];
	int n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do tmp[n++] = (char)('0' + u % 10); while ((u /= 10));
	if (v < 0) *o++ = '-';
	while (n) *o++ = tmp[--n];
	return o;
}

static size_t room(const char *s) { return s ? 6 * strlen(s) + 16 : 0; }

static int lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

/* a string cJSON would print back unchanged; returns the end or NULL */
static const char *canon_string(const char *p)
{
	if (*p++ != '"') return NULL;
	for (;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"') return p + 1;
		if (c < 0x20) return NULL;
		if (c != '\\') continue;
		c = (unsigned char)*++p;
		if (c && strchr("\"\\bfnrt", c)) continue;
		if (c != 'u' || p[1] != '0' || p[2] != '0' || (p[3] != '0' && p[3] != '1') || !lower_hex(p[4]))
			return NULL;
		int v = (p[3] - '0') * 16 + (p[4] <= '9' ? p[4] - '0' : p[4] - 'a' + 10);
		if (v == 0 || strchr("\b\f\n\r\t", v)) return NULL;
		p += 4;
	}
}

/* a small integer cJSON prints with the same digits; returns the end or NULL */
static const char *canon_int(const char *p)
{
	const char *s = p + (*p == '-');
	if (*s == '0') return *p == '-' ? NULL : s + 1;
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9') n++;
	return n >= 1 && n <= 9 ? s + n : NULL;
}

static const char *canon_value(const char *p, int depth);

/* an object or array ("{}" / "[]" with no spaces) */
static const char *canon_container(const char *p, int depth)
{
	char close = *p == '{' ? '}' : ']';
	int obj = *p == '{';
	if (depth > 32) return NULL;
	if (*++p == close) return p + 1;
	for (;;) {
		if (obj && (!(p = canon_string(p)) || *p++ != ':')) return NULL;
		if (!(p = canon_value(p, depth + 1))) return NULL;
		if (*p == close) return p + 1;
		if (*p++ != ',') return NULL;
	}
}

static const char *canon_value(const char *p, int depth)
{
	switch (*p) {
	case '"': return canon_string(p);
	case '{': case '[': return canon_container(p, depth);
	case 't': return strncmp(p, "true", 4) == 0 ? p + 4 : NULL;
	case 'f': return strncmp(p, "false", 5) == 0 ? p + 5 : NULL;
	case 'n': return strncmp(p, "null", 4) == 0 ? p + 4 : NULL;
	default: return canon_int(p);
	}
}

/* 1 when the labels text is an object exactly as cJSON_PrintUnformatted gives it */
static int canon_object(const char *s)
{
	if (!s || *s != '{') return 0;
	const char *end = canon_container(s, 0);
	return end && !*end;
}

/* 1 when a line has no byte that labelline_format would rewrite as an
 * escape (DEL and everything non-ASCII go through its slow path) */
static int plain_ascii(const char *p, const char *end)
{
	for (; p < end; p++)
		if ((unsigned char)*p >= 0x7f) return 0;
	return 1;
}

/* the line formatted directly; 0 (b unchanged) when it needs labelline_format */
static int fast_line(struct sbuf *b, const struct store_label *l)
{
	const char *note = l->note && *l->note ? l->note : NULL;
	size_t need = room(l->ext_id) + room(l->rubric) + room(l->rater) + room(l->left_sys) + room(l->right_sys) +
		      room(note) + room(l->batch) + room(l->at) + strlen(l->vals) + 128;
	sb_room(b, need);
	char *start = b->p + b->len;
	char *o = put_str(put_lit(start, "{\"id\":"), l->ext_id);
	o = put_str(put_lit(o, ",\"rubric\":"), l->rubric);
	if (l->rubric_version >= 0) o = put_int(put_lit(o, ",\"rubric_version\":"), l->rubric_version);
	o = put_str(put_lit(o, ",\"rater\":"), l->rater);
	o = put_key(o, l->right_sys ? ",\"left\":" : ",\"system\":", l->left_sys);
	o = put_key(o, ",\"right\":", l->right_sys);
	o = put_lit(put_lit(o, ",\"labels\":"), l->vals);
	o = put_key(o, ",\"note\":", note);
	o = put_key(o, ",\"batch\":", l->batch);
	o = put_key(o, ",\"at\":", l->at);
	*o++ = '}';
	*o = 0;
	if (!plain_ascii(start, o)) {
		*start = 0;
		return 0;
	}
	b->len = (size_t)(o - b->p);
	return 1;
}

void labelfiles_format(struct sbuf *b, const struct store_label *l)
{
	if (canon_object(l->vals) && fast_line(b, l)) return;
	char *line = labelline_format(l);
	sb_add(b, line);
	free(line);
}

/* ---- the plan ---- */

struct lf_change {
	char *final;              /* the file in labels/ */
	char *tmp;                /* its new content */
	char *bak;                /* where the old file was put aside */
	int placed;               /* tmp was renamed to final */
	int applied;
};

struct labelfiles {
	struct ws *w;
	char *tmpdir;
	GArray *c;                /* struct lf_change */
	GPtrArray *made;          /* folders apply created, in order (owned) */
	long serial;
};

static struct lf_change *change_at(const struct labelfiles *lf, size_t i) { return &g_array_index(lf->c, struct lf_change, i); }

static void add_change(struct labelfiles *lf, char *final, char *tmp)
{
	struct lf_change c = {final, tmp, NULL, 0, 0};
	g_array_append_val(lf->c, c);
}

size_t labelfiles_pending(const struct labelfiles *lf) { return lf ? lf->c->len : 0; }

/* 1 when path is a regular file holding exactly data */
static int file_equals(const char *path, const char *data, size_t len)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) return 0;
	int same = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len;
	char buf[1 << 16];
	for (size_t off = 0; same && off < len;) {
		ssize_t k = read(fd, buf, sizeof buf);
		if (k <= 0 || (size_t)k > len - off || memcmp(buf, data + off, (size_t)k) != 0) same = 0;
		else off += (size_t)k;
	}
	close(fd);
	return same;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR) continue;
		if (k <= 0) return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* data into a new temporary file; *tmp gets its path */
static int write_temp(struct labelfiles *lf, const char *data, size_t len, char **tmp, struct gs_err *e)
{
	*tmp = xasprintf("%s/lf-%ld-%ld.jsonl", lf->tmpdir, (long)getpid(), lf->serial++);
	int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		gs_fail(e, EX_CANTCREAT, "%s: %s", *tmp, strerror(errno));
	} else {
		int bad = write_all(fd, data, len) != 0;
		int err = errno;
		if (close(fd) != 0 && !bad) {
			bad = 1;
			err = errno;
		}
		if (!bad) return 0;
		gs_fail(e, EX_IOERR, "cannot write label files: %s: %s", *tmp, strerror(err));
		unlink(*tmp);
	}
	free(*tmp);
	*tmp = NULL;
	return e->code;
}

/* ---- generating the files from the store ---- */

struct gen {
	struct labelfiles *lf;
	lf_file_fn fn;
	void *ctx;
	struct gs_err *e;
	struct sbuf buf;
	char *rubric, *rater;
	long long nlines;
	int slow;                 /* the fast path disagreed with labelline_format */
	int rc;
};

/* a rubric name that is one plain folder name */
static int safe_folder(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > NAME_MAX) return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f) return 0;
	return 1;
}

/* "labels/RUBRIC/FILE.jsonl", or NULL with e filled */
static char *rel_path(const char *rubric, const char *rater, struct gs_err *e)
{
	if (!safe_folder(rubric)) {
		char *esc = text_escape(rubric);
		gs_fail(e, EX_DATAERR, "rubric name \"%s\" cannot be a folder under labels/", esc);
		free(esc);
		return NULL;
	}
	char *name = labelline_file_name(rater);
	char *rel = NULL;
	if (strlen(name) + 6 > NAME_MAX) {
		char *esc = text_escape_line(rater, strlen(rater) < 40 ? strlen(rater) : 40);
		gs_fail(e, EX_DATAERR, "rater name \"%s...\" is too long for a file name under labels/", esc);
		free(esc);
	} else {
		rel = xasprintf("labels/%s/%s.jsonl", rubric, name);
	}
	free(name);
	return rel;
}

static int gen_flush(struct gen *g)
{
	char *rel = rel_path(g->rubric, g->rater, g->e);
	if (!rel) return g->rc = g->e->code;
	char *final = ws_path(g->lf->w, rel);
	struct lf_file f = {rel, g->rubric, g->rater, g->buf.p, g->buf.len, g->nlines, 0};
	f.same_as_disk = file_equals(final, g->buf.p, g->buf.len);
	char *tmp = NULL;
	if (g->fn && g->fn(g->ctx, &f)) g->rc = g->e->code ? g->e->code : EX_SOFTWARE;
	else if (!f.same_as_disk) g->rc = write_temp(g->lf, g->buf.p, g->buf.len, &tmp, g->e);
	if (tmp) add_change(g->lf, final, tmp);
	else free(final);
	free(rel);
	free(g->rubric);
	free(g->rater);
	g->rubric = g->rater = NULL;
	g->buf.len = 0;
	g->nlines = 0;
	return g->rc;
}

/* the line through labelline_format; on the first line of a file, compared
 * with the fast path, which is turned off if they differ */
static void check_format(struct gen *g, const struct store_label *l)
{
	char *line = labelline_format(l);
	if (!g->slow) {
		size_t at = g->buf.len;
		labelfiles_format(&g->buf, l);
		g->slow = strcmp(g->buf.p + at, line) != 0;
		g->buf.len = at;
	}
	sb_add(&g->buf, line);
	free(line);
}

static int gen_row(void *ctx, const struct store_label *l)
{
	struct gen *g = ctx;
	if (g->rubric && (strcmp(g->rubric, l->rubric) != 0 || strcmp(g->rater, l->rater) != 0) && gen_flush(g))
		return 1;
	if (!g->rubric) {
		g->rubric = xstrdup(l->rubric);
		g->rater = xstrdup(l->rater);
	}
	if (g->slow || !g->nlines) check_format(g, l);
	else labelfiles_format(&g->buf, l);
	sb_addc(&g->buf, '\n');
	g->nlines++;
	return 0;
}

/* leftovers of a commit or pull that crashed (the caller holds the lock) */
static void clean_tmpdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		const char *n = de->d_name;
		if (strncmp(n, "lf-", 3) != 0 && strncmp(n, "bak-", 4) != 0 && strncmp(n, "pull-", 5) != 0) continue;
		char *p = path_join(dir, de->d_name);
		unlink(p);
		free(p);
	}
	if (d) closedir(d);
}

static int labels_dir_ok(struct ws *w, struct gs_err *e)
{
	char *dir = ws_path(w, "labels");
	struct stat sb;
	int rc = path_nolinks(dir, e);
	int bad = !rc && lstat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode);
	free(dir);
	if (rc) return rc;
	if (bad) return gs_fail(e, EX_CANTCREAT, "labels/ is not a folder (a symbolic link?); "
				"refusing to write label files through it");
	return 0;
}

/* one shared file (batches/, consensus/, reviews/): planned like a label file */
static int shared_one(void *ctx, const char *rel, const char *data, size_t len)
{
	struct gen *g = ctx;
	char *final = ws_path(g->lf->w, rel), *tmp = NULL;
	struct lf_file f = {rel, NULL, NULL, data, len, 0, file_equals(final, data, len)};
	if (g->fn && g->fn(g->ctx, &f)) g->rc = g->e->code ? g->e->code : EX_SOFTWARE;
	else if (!f.same_as_disk) g->rc = write_temp(g->lf, data, len, &tmp, g->e);
	if (tmp) add_change(g->lf, final, tmp);
	else free(final);
	return g->rc;
}

int labelfiles_prepare(struct ws *w, lf_file_fn fn, void *ctx, struct labelfiles **out, struct gs_err *e)
{
	struct labelfiles *lf = xcalloc(1, sizeof *lf);
	lf->w = w;
	lf->c = g_array_new(FALSE, FALSE, sizeof(struct lf_change));
	lf->made = g_ptr_array_new_with_free_func(free);
	lf->tmpdir = ws_path(w, ".goldset/tmp");
	*out = lf;
	if (labels_dir_ok(w, e) || path_nolinks(lf->tmpdir, e)) return e->code;
	if (mkdir_p(lf->tmpdir)) return gs_fail(e, EX_CANTCREAT, "%s: %s", lf->tmpdir, strerror(errno));
	clean_tmpdir(lf->tmpdir);
	struct gen g = {.lf = lf, .fn = fn, .ctx = ctx, .e = e};
	int rc = store_label_lines_each(w->st, gen_row, &g, e);   /* stale ones too: nothing lost */
	if (!rc) rc = g.rc;
	if (!rc && g.rubric) rc = gen_flush(&g);
	if (!rc) rc = shared_files_each(w, shared_one, &g, e);
	free(g.rubric);
	free(g.rater);
	sb_free(&g.buf);
	return rc;
}

/* ---- putting the files in place ---- */

/* the folder of final, created if needed (recorded for undo) */
static int ensure_dir(struct labelfiles *lf, const char *final, struct gs_err *e)
{
	char *dir = xstrndup(final, (size_t)(strrchr(final, '/') - final));
	char *parent = xstrndup(dir, (size_t)(strrchr(dir, '/') - dir));
	int rc = 0;
	const char *steps[2] = {parent, dir};
	rc = path_nolinks(final, e);
	for (int i = 0; i < 2 && !rc; i++) {
		struct stat sb;
		if (lstat(steps[i], &sb) == 0) {
			if (!S_ISDIR(sb.st_mode))
				rc = gs_fail(e, EX_CANTCREAT, "%s is not a folder (a symbolic link?); refusing to "
					     "write label files through it", steps[i]);
		} else if (mkdir(steps[i], 0777) != 0) {
			rc = gs_fail(e, EX_CANTCREAT, "%s: %s", steps[i], strerror(errno));
		} else {
			g_ptr_array_add(lf->made, xstrdup(steps[i]));
		}
	}
	free(dir);
	free(parent);
	return rc;
}

static int apply_one(struct labelfiles *lf, struct lf_change *c, struct gs_err *e)
{
	struct stat sb;
	if (lstat(c->final, &sb) == 0) {
		c->bak = xasprintf("%s/bak-%ld-%ld", lf->tmpdir, (long)getpid(), lf->serial++);
		if (rename(c->final, c->bak) != 0) {
			gs_fail(e, EX_IOERR, "cannot replace %s: %s", c->final, strerror(errno));
			free(c->bak);
			c->bak = NULL;
			return e->code;
		}
	}
	c->applied = 1;
	if (!c->tmp) return 0;
	if (ensure_dir(lf, c->final, e)) return e->code;
	if (rename(c->tmp, c->final) != 0)
		return gs_fail(e, EX_IOERR, "cannot write %s: %s", c->final, strerror(errno));
	c->placed = 1;
	return 0;
}

int labelfiles_apply(struct labelfiles *lf, struct gs_err *e)
{
	for (size_t i = 0; i < lf->c->len; i++) {
		if (apply_one(lf, change_at(lf, i), e)) {
			labelfiles_undo(lf);
			return e->code;
		}
	}
	return 0;
}

void labelfiles_undo(struct labelfiles *lf)
{
	for (size_t i = lf->c->len; i-- > 0;) {
		struct lf_change *c = change_at(lf, i);
		if (!c->applied) continue;
		if (c->placed && rename(c->final, c->tmp) == 0) c->placed = 0;
		if (c->bak && rename(c->bak, c->final) == 0) {
			free(c->bak);
			c->bak = NULL;
		}
		c->applied = 0;
	}
	for (size_t i = lf->made->len; i-- > 0;) rmdir(g_ptr_array_index(lf->made, i));
	g_ptr_array_set_size(lf->made, 0);
}

void labelfiles_free(struct labelfiles *lf)
{
	if (!lf) return;
	for (size_t i = 0; i < lf->c->len; i++) {
		struct lf_change *c = change_at(lf, i);
		if (c->tmp && !c->placed) unlink(c->tmp);
		if (c->bak) unlink(c->bak);
		free(c->final);
		free(c->tmp);
		free(c->bak);
	}
	g_ptr_array_free(lf->made, TRUE);
	g_array_free(lf->c, TRUE);
	free(lf->tmpdir);
	free(lf);
}

/* ---- one commit or pull at a time ---- */

int labelfiles_lock(struct ws *w, int *fd, struct gs_err *e)
{
	char *path = ws_path(w, ".goldset/commit.lock");
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	int rc = 0;
	if (*fd < 0)
		rc = gs_fail(e, EX_CANTCREAT, "%s: %s", path, strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		rc = gs_fail(e, EX_TEMPFAIL, "another goldset commit or pull is running in this workspace; "
			     "try again when it has finished");
		close(*fd);
		*fd = -1;
	}
	free(path);
	return rc;
}

void labelfiles_unlock(int fd)
{
	if (fd >= 0) close(fd);
}
