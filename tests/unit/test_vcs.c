/* test_vcs.c: tests of the git layer (src/vcs/vcs.c) against real repositories.
 *
 * Every test builds its repositories under one scratch folder (mkdtemp),
 * with HOME pointing there so no user configuration leaks in.  The git
 * program is used only to set up and to check results (status, ls-tree,
 * rev-parse), never by goldset itself.  Remotes are bare repositories on
 * disk, reached by plain paths and file:// URLs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "vcs/vcs.h"

static char base[256];
static int serial;

/* ---- helpers ---- */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	if (vasprintf(&cmd, fmt, ap) < 0) abort();
	va_end(ap);
	char *full = xasprintf("(%s) >/dev/null 2>&1", cmd);
	int rc = system(full);
	free(cmd);
	free(full);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* stdout of a shell command, trailing newline removed; free it */
static char *sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sh_out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	if (vasprintf(&cmd, fmt, ap) < 0) abort();
	va_end(ap);
	FILE *p = popen(cmd, "r");
	struct sbuf b = {0};
	char buf[4096];
	size_t n;
	while (p && (n = fread(buf, 1, sizeof buf, p)) > 0) sb_addn(&b, buf, n);
	if (p) pclose(p);
	free(cmd);
	char *s = sb_take(&b);
	size_t len = strlen(s);
	while (len && s[len - 1] == '\n') s[--len] = 0;
	return s;
}

static void put(const char *dir, const char *rel, const char *text)
{
	char *path = path_join(dir, rel);
	char *slash = strrchr(path, '/');
	*slash = 0;
	assert_int_equal(mkdir_p(path), 0);
	*slash = '/';
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static char *slurp(const char *dir, const char *rel)
{
	char *path = path_join(dir, rel), *data = NULL;
	size_t len;
	struct gs_err e;
	if (read_file(path, &data, &len, &e) != 0) data = xstrdup("<missing>");
	free(path);
	return data;
}

/* a fresh folder name under the scratch root */
static char *fresh(const char *what)
{
	return xasprintf("%s/%s%d", base, what, ++serial);
}

static void set_identity(const char *dir)
{
	assert_int_equal(sh("git -C %s config user.name 'Test Rater' && "
			    "git -C %s config user.email rater@example.org", dir, dir), 0);
}

/* a new empty repository made by vcs_init, with an identity configured */
static struct vcs *new_repo(char **dir)
{
	struct vcs *r = NULL;
	struct gs_err e;
	int created = 0;
	*dir = fresh("repo");
	assert_int_equal(vcs_init(*dir, &r, &created, &e), 0);
	assert_int_equal(created, 1);
	set_identity(*dir);
	return r;
}

static int commit(struct vcs *r, const char *msg, struct vcs_commit_result *res, struct gs_err *e)
{
	struct vcs_commit_opts o = { msg, NULL, NULL, NULL };
	return vcs_commit_paths(r, &o, res, e);
}

static void commit_ok(struct vcs *r, const char *msg)
{
	struct vcs_commit_result res;
	struct gs_err e = {0};
	int rc = commit(r, msg, &res, &e);
	if (rc) fprintf(stderr, "# commit: %s\n", e.msg);
	assert_int_equal(rc, 0);
}

static void assert_out(const char *want, char *got)
{
	assert_string_equal(got, want);
	free(got);
}

/* shows an error line in the TAP log, to read what users will see */
static void note(const struct gs_err *e)
{
	printf("# -> %d: %s\n", e->code, e->msg);
	fflush(stdout);
}

/* vcs_is_repo's answer (asking must work: libgit2 is loaded) */
static int is_repo(const char *dir)
{
	struct gs_err e;
	int yes = -1;
	assert_int_equal(vcs_is_repo(dir, &yes, &e), 0);
	return yes;
}

static char *head_of(const char *dir)
{
	return sh_out("git -C %s rev-parse -q --verify HEAD", dir);
}

static void assert_same_head(const char *a, const char *b)
{
	char *x = head_of(a);
	assert_out(x, head_of(b));
	free(x);
}

/* ---- set-up ---- */

static int group_setup(void **state)
{
	(void)state;
	snprintf(base, sizeof base, "/tmp/goldset-vcs-XXXXXX");
	if (!mkdtemp(base)) return -1;
	setenv("HOME", base, 1);
	setenv("XDG_CONFIG_HOME", base, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_AUTHOR_NAME"); unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_COMMITTER_NAME"); unsetenv("GIT_COMMITTER_EMAIL");
	unsetenv("EMAIL"); unsetenv("SSH_AUTH_SOCK");
	unsetenv("GIT_DIR"); unsetenv("GIT_WORK_TREE");
	if (sh("git config --global init.defaultBranch main && "
	       "git config --global advice.detachedHead false")) return -1;
	struct gs_err e;
	if (vcs_global_init(&e)) {
		fprintf(stderr, "# %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (!getenv("KEEP_SCRATCH")) sh("rm -rf %s", base);
	return 0;
}

/* ---- repositories ---- */

static void test_init_creates_and_adopts(void **state)
{
	(void)state;
	struct vcs *r = NULL;
	struct gs_err e;
	int created = -1;
	char *dir = fresh("new/nested/ws");
	assert_false(is_repo(dir));
	assert_int_equal(vcs_init(dir, &r, &created, &e), 0);
	assert_int_equal(created, 1);
	assert_true(is_repo(dir));
	vcs_close(r);

	/* an existing repository with history and config is adopted untouched */
	set_identity(dir);
	put(dir, "notes.txt", "keep me\n");
	assert_int_equal(sh("cd %s && git add notes.txt && git commit -qm first && "
			    "git config goldset.marker 1", dir), 0);
	char *before = sh_out("cd %s && git rev-parse HEAD && cat .git/config && git status --porcelain", dir);
	assert_int_equal(vcs_init(dir, &r, &created, &e), 0);
	assert_int_equal(created, 0);
	assert_string_equal(vcs_branch(r), "main");
	assert_out(before, sh_out("cd %s && git rev-parse HEAD && cat .git/config && git status --porcelain", dir));
	free(before);

	/* a subfolder is not a repository top, but discovery finds the top */
	char *sub = path_join(dir, "golden");
	assert_int_equal(mkdir_p(sub), 0);
	assert_false(is_repo(sub));
	char *top = NULL;
	assert_int_equal(vcs_discover(sub, &top, &e), 0);
	char *want = realpath(dir, NULL);
	assert_string_equal(top, want);
	assert_string_equal(vcs_workdir(r), want);
	assert_int_equal(vcs_discover("/", &top, &e), EX_NOINPUT);
	free(want); free(top); free(sub); free(dir);
	vcs_close(r);
}

static void test_open_bare_refused(void **state)
{
	(void)state;
	struct vcs *r = NULL;
	struct gs_err e;
	int created;
	char *dir = fresh("bare");
	assert_int_equal(sh("git init -q --bare %s", dir), 0);
	assert_false(is_repo(dir));
	assert_int_equal(vcs_init(dir, &r, &created, &e), EX_DATAERR);
	note(&e);
	assert_non_null(strstr(e.msg, "bare"));
	assert_int_equal(vcs_open(dir, &r, &e), EX_DATAERR);
	free(dir);
}

static void test_hash_blob(void **state)
{
	(void)state;
	char hex[41], *dir;
	struct vcs *r = new_repo(&dir);
	vcs_hash_blob(r, "", 0, hex);
	assert_string_equal(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	vcs_hash_blob(r, "hello\n", 6, hex);
	assert_string_equal(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
	const char *text = "{\"id\": \"q-017\", \"input\": \"caf\xc3\xa9\\n\\u0000\"}\n";
	put(dir, "item.json", text);
	vcs_hash_blob(r, text, strlen(text), hex);
	assert_out(hex, sh_out("git hash-object %s/item.json", dir));
	vcs_close(r);
	free(dir);
}

/* ---- commit ---- */

static void test_first_commit(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "labels/support/alice.jsonl", "{\"id\": \"q-1\"}\n");
	put(dir, "labels/support/judge:gpt*[1] x.jsonl", "{\"id\": \"q-1\"}\n");
	put(dir, "golden/set.jsonl", "{\"id\": \"q-1\"}\n");
	put(dir, "notes.txt", "not goldset's\n");
	put(dir, "labelsx.txt", "not under labels/\n");
	assert_int_equal(commit(r, "labels: first set  \n\n\n", &res, &e), 0);
	assert_int_equal(res.files_changed, 3);
	assert_int_equal(res.identity_fallback, 0);
	assert_string_equal(res.who, "Test Rater <rater@example.org>");
	assert_string_equal(res.branch, "main");
	assert_out(res.id, head_of(dir));
	assert_out("golden/set.jsonl\nlabels/support/alice.jsonl\nlabels/support/judge:gpt*[1] x.jsonl",
		   sh_out("git -C %s ls-tree -r --name-only -z HEAD | tr '\\0' '\\n'", dir));
	assert_out("?? labelsx.txt\n?? notes.txt", sh_out("git -C %s status --porcelain", dir));
	assert_out("labels: first set|Test Rater|rater@example.org",
		   sh_out("git -C %s log -1 --format='%%s|%%an|%%ae'", dir));
	/* cleaned up as git does: one line, trailing blanks and blank lines gone */
	assert_out("labels: first set$", sh_out("git -C %s cat-file commit HEAD | sed -n '/^$/,$p' | "
						"sed 1d | sed 's/$/$/'", dir));
	assert_out("commit (initial): labels: first set",
		   sh_out("git -C %s reflog -1 --format=%%gs main", dir));
	free(dir);
	vcs_close(r);
}

static void test_nothing_to_commit(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "notes.txt", "outside the prefixes\n");
	assert_int_equal(commit(r, "nothing yet", &res, &e), VCS_NOTHING);
	assert_out("", head_of(dir));
	put(dir, "rubrics/r.json", "{}\n");
	commit_ok(r, "rubric");
	char *head = head_of(dir);
	assert_int_equal(commit(r, "again", &res, &e), VCS_NOTHING);
	sleep(1);                                  /* same bytes, new file and time */
	assert_int_equal(sh("cd %s && cp rubrics/r.json x && mv x rubrics/r.json", dir), 0);
	assert_int_equal(commit(r, "again", &res, &e), VCS_NOTHING);
	put(dir, "notes.txt", "changed, still outside\n");
	assert_int_equal(commit(r, "again", &res, &e), VCS_NOTHING);
	assert_out(head, head_of(dir));
	free(head);
	free(dir);
	vcs_close(r);
}

static void test_empty_message_refused(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "labels/a.jsonl", "x\n");
	assert_int_equal(commit(r, " \n\n", &res, &e), EX_USAGE);
	assert_non_null(strstr(e.msg, "empty"));
	const char *whole[] = { "labels/", "", NULL }, *abs[] = { "/etc/", NULL };
	struct vcs_commit_opts o1 = { "all", whole, NULL, NULL }, o2 = { "abs", abs, NULL, NULL };
	assert_int_equal(vcs_commit_paths(r, &o1, &res, &e), EX_USAGE);
	assert_int_equal(vcs_commit_paths(r, &o2, &res, &e), EX_USAGE);
	assert_out("", head_of(dir));
	free(dir);
	vcs_close(r);
}

static void test_other_paths_untouched(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	put(dir, "notes.txt", "v1\n");
	put(dir, "other.txt", "v1\n");
	put(dir, "labels/r/alice.jsonl", "a1\n");
	assert_int_equal(sh("cd %s && git add -A && git commit -qm base", dir), 0);
	/* a staged edit, an unstaged edit, a staged new file, a staged label edit
	 * the working tree then changes again, and an untracked label file */
	put(dir, "notes.txt", "v2 staged\n");
	put(dir, "staged.txt", "new\n");
	put(dir, "other.txt", "v2 unstaged\n");
	put(dir, "labels/r/alice.jsonl", "a2 staged\n");
	assert_int_equal(sh("cd %s && git add notes.txt staged.txt labels/r/alice.jsonl", dir), 0);
	put(dir, "labels/r/alice.jsonl", "a3 working\n");
	put(dir, "labels/r/bob.jsonl", "b1\n");
	char *cached_before = sh_out("git -C %s diff --cached -- notes.txt staged.txt", dir);
	char *unstaged_before = sh_out("git -C %s diff -- other.txt", dir);

	commit_ok(r, "labels");

	assert_out("M  notes.txt\n M other.txt\nA  staged.txt",
		   sh_out("git -C %s status --porcelain", dir));
	assert_out(cached_before, sh_out("git -C %s diff --cached -- notes.txt staged.txt", dir));
	assert_out(unstaged_before, sh_out("git -C %s diff -- other.txt", dir));
	assert_out("labels/r/alice.jsonl\nlabels/r/bob.jsonl",
		   sh_out("git -C %s show --format= --name-only HEAD", dir));
	/* the commit holds the working-tree version, not the staged one */
	assert_out("a3 working", sh_out("git -C %s show HEAD:labels/r/alice.jsonl", dir));
	assert_out("v1", sh_out("git -C %s show HEAD:notes.txt", dir));
	assert_out("0", sh_out("git -C %s ls-tree HEAD staged.txt | wc -l", dir));
	free(cached_before);
	free(unstaged_before);
	free(dir);
	vcs_close(r);
}

static void test_deletion_committed(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "labels/r/alice.jsonl", "a\n");
	put(dir, "labels/r/bob.jsonl", "b\n");
	put(dir, "reviews/w1.jsonl", "r\n");
	commit_ok(r, "two raters");
	char *path = path_join(dir, "labels/r/bob.jsonl");
	assert_int_equal(unlink(path), 0);
	free(path);
	assert_int_equal(commit(r, "bob withdrawn", &res, &e), 0);
	assert_int_equal(res.files_changed, 1);
	assert_out("labels/r/alice.jsonl\nreviews/w1.jsonl",
		   sh_out("git -C %s ls-tree -r --name-only HEAD", dir));
	assert_out("", sh_out("git -C %s status --porcelain", dir));
	/* a file that becomes a folder, and an ignored file that stays out */
	put(dir, ".gitignore", "*.tmp\n");
	put(dir, "labels/r/alice.jsonl.tmp", "scratch\n");
	assert_int_equal(sh("rm %s/reviews/w1.jsonl", dir), 0);
	put(dir, "reviews/w1.jsonl/part1.jsonl", "r1\n");
	commit_ok(r, "reviews split");
	assert_out(".gitignore\nlabels/r/alice.jsonl\nreviews/w1.jsonl/part1.jsonl",
		   sh_out("git -C %s ls-tree -r --name-only HEAD", dir));
	assert_out("", sh_out("git -C %s status --porcelain", dir));
	/* a whole folder removed */
	assert_int_equal(sh("rm -rf %s/labels", dir), 0);
	commit_ok(r, "no labels");
	assert_out(".gitignore\nreviews/w1.jsonl/part1.jsonl", sh_out("git -C %s ls-tree -r --name-only HEAD", dir));
	free(dir);
	vcs_close(r);
}

static void test_identity_fallback(void **state)
{
	(void)state;
	struct vcs *r = NULL;
	struct vcs_commit_result res;
	struct gs_err e;
	int created;
	char *dir = fresh("noident");
	assert_int_equal(vcs_init(dir, &r, &created, &e), 0);
	put(dir, "labels/a.jsonl", "x\n");
	assert_int_equal(commit(r, "who am i", &res, &e), 0);
	assert_int_equal(res.identity_fallback, 1);
	char *want = xasprintf("%s <%s@", gs_login(), gs_login());
	assert_memory_equal(res.who, want, strlen(want));
	assert_out(gs_login(), sh_out("git -C %s log -1 --format=%%an", dir));
	free(want);

	/* git's environment variables win over the fallback, as in git */
	setenv("GIT_AUTHOR_NAME", "Env Author", 1);
	setenv("GIT_AUTHOR_EMAIL", "env@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "Env Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "envc@example.org", 1);
	put(dir, "labels/a.jsonl", "y\n");
	assert_int_equal(commit(r, "env", &res, &e), 0);
	unsetenv("GIT_AUTHOR_NAME"); unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_COMMITTER_NAME"); unsetenv("GIT_COMMITTER_EMAIL");
	assert_int_equal(res.identity_fallback, 0);
	assert_out("Env Author <env@example.org>|Env Committer",
		   sh_out("git -C %s log -1 --format='%%an <%%ae>|%%cn'", dir));
	free(dir);
	vcs_close(r);
}

static void test_detached_head_refused(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "labels/a.jsonl", "1\n");
	commit_ok(r, "one");
	assert_int_equal(sh("git -C %s checkout -q --detach HEAD", dir), 0);
	assert_null(vcs_branch(r));
	put(dir, "labels/a.jsonl", "2\n");
	char *head = head_of(dir);
	assert_int_equal(commit(r, "two", &res, &e), EX_CANTCREAT);
	note(&e);
	assert_non_null(strstr(e.msg, "detached"));
	assert_null(strchr(e.msg, '\n'));
	assert_out(head, head_of(dir));
	assert_out(" M labels/a.jsonl", sh_out("git -C %s status --porcelain", dir));
	free(head);
	free(dir);
	vcs_close(r);
}

static void test_locked_index(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "labels/a.jsonl", "1\n");
	commit_ok(r, "one");
	put(dir, "labels/a.jsonl", "2\n");
	put(dir, "labels/b.jsonl", "new\n");
	assert_int_equal(sh("cp %s/.git/index %s/index.before && touch %s/.git/index.lock", dir, base, dir), 0);
	char *head = head_of(dir);
	assert_int_equal(commit(r, "two", &res, &e), EX_TEMPFAIL);
	assert_int_equal(EX_TEMPFAIL, 75);
	note(&e);
	assert_non_null(strstr(e.msg, "index.lock"));
	assert_out(head, head_of(dir));
	assert_int_equal(sh("cmp %s/.git/index %s/index.before", dir, base), 0);
	assert_int_equal(sh("test -f %s/.git/index.lock", dir), 0);
	assert_int_equal(sh("rm %s/.git/index.lock", dir), 0);
	assert_out(" M labels/a.jsonl\n?? labels/b.jsonl", sh_out("git -C %s status --porcelain", dir));
	commit_ok(r, "two");   /* and it works once the lock is gone */
	free(head);
	free(dir);
	vcs_close(r);
}

static void test_tags(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "labels/a.jsonl", "1\n");
	struct vcs_commit_opts light = { "v1 labels", NULL, "v1", NULL };
	assert_int_equal(vcs_commit_paths(r, &light, &res, &e), 0);
	assert_out("commit", sh_out("git -C %s cat-file -t v1", dir));
	assert_out(res.id, sh_out("git -C %s rev-parse v1", dir));

	put(dir, "labels/a.jsonl", "2\n");
	struct vcs_commit_opts annotated = { "v2 labels", NULL, "v2", "Release two\n" };
	assert_int_equal(vcs_commit_paths(r, &annotated, &res, &e), 0);
	assert_out("tag", sh_out("git -C %s cat-file -t v2", dir));
	assert_out(res.id, sh_out("git -C %s rev-parse 'v2^{commit}'", dir));
	assert_out("Release two", sh_out("git -C %s tag -l --format='%%(contents)' v2", dir));

	/* an existing or invalid tag: refused before anything is committed */
	put(dir, "labels/a.jsonl", "3\n");
	char *head = head_of(dir);
	assert_int_equal(vcs_commit_paths(r, &light, &res, &e), EX_USAGE);
	note(&e);
	assert_non_null(strstr(e.msg, "already exists"));
	struct vcs_commit_opts bad = { "bad", NULL, "no..dots", NULL };
	assert_int_equal(vcs_commit_paths(r, &bad, &res, &e), EX_USAGE);
	assert_out(head, head_of(dir));
	assert_out(" M labels/a.jsonl", sh_out("git -C %s status --porcelain", dir));
	free(head);
	free(dir);
	vcs_close(r);
}

static void test_merge_in_progress_refused(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "labels/a.jsonl", "1\n");
	commit_ok(r, "one");
	assert_int_equal(sh("cd %s && git rev-parse HEAD > .git/MERGE_HEAD", dir), 0);
	put(dir, "labels/a.jsonl", "2\n");
	assert_int_equal(commit(r, "two", &res, &e), EX_CANTCREAT);
	note(&e);
	assert_non_null(strstr(e.msg, "in progress"));
	free(dir);
	vcs_close(r);
}

/* ---- reading history ---- */

struct names { struct sbuf b; int stop_after; int seen; };

static int add_file(const char *path, const char *blob, void *arg)
{
	struct names *n = arg;
	sb_addf(&n->b, "%s%s:%.7s", n->b.len ? " " : "", path, blob);
	return ++n->seen == n->stop_after;
}

static int add_change(const struct vcs_change *c, void *arg)
{
	struct names *n = arg;
	sb_addf(&n->b, "%s%c %s", n->b.len ? " " : "", c->status, c->path);
	return 0;
}

static int add_log(const struct vcs_log_entry *c, void *arg)
{
	struct names *n = arg;
	sb_addf(&n->b, "%s%s/%s/%u", n->b.len ? " | " : "", c->summary, c->author_name, c->parents);
	assert_int_equal(strlen(c->id), 40);
	assert_true(c->time > 1600000000);
	return ++n->seen == n->stop_after;
}

static void test_read_at_revisions(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct gs_err e;
	char *data = NULL, hex[41];
	size_t len = 0;
	put(dir, "labels/r/alice.jsonl", "first\n");
	put(dir, "golden/g.jsonl", "g\n");
	commit_ok(r, "one");
	char *first = head_of(dir);
	put(dir, "labels/r/alice.jsonl", "second\n");
	put(dir, "labels/r/bob.jsonl", "bob\n");
	assert_int_equal(sh("cd %s && git tag before-bob HEAD", dir), 0);
	commit_ok(r, "two");

	assert_int_equal(vcs_read_file_at(r, "HEAD~1", "labels/r/alice.jsonl", &data, &len, &e), 0);
	assert_int_equal(len, 6);
	assert_string_equal(data, "first\n");
	free(data);
	assert_int_equal(vcs_read_file_at(r, "HEAD", "labels/r/alice.jsonl", &data, &len, &e), 0);
	assert_string_equal(data, "second\n");
	free(data);
	assert_int_equal(vcs_read_file_at(r, first, "golden/g.jsonl", &data, &len, &e), 0);
	free(data);
	assert_int_equal(vcs_read_file_at(r, "before-bob", "labels/r/bob.jsonl", &data, &len, &e), EX_NOINPUT);
	note(&e);
	assert_non_null(strstr(e.msg, "labels/r/bob.jsonl"));
	assert_int_equal(vcs_read_file_at(r, "HEAD", "labels/r", &data, &len, &e), EX_NOINPUT);
	assert_int_equal(vcs_read_file_at(r, "no-such-rev", "golden/g.jsonl", &data, &len, &e), EX_USAGE);
	note(&e);
	assert_non_null(strstr(e.msg, "no-such-rev"));
	assert_int_equal(vcs_resolve(r, "before-bob", hex, &e), 0);
	assert_string_equal(hex, first);
	assert_int_equal(vcs_resolve(r, "HEAD~5", hex, &e), EX_USAGE);

	struct names n = { {0}, 0, 0 };
	assert_int_equal(vcs_list_files_at(r, "HEAD", "labels/", add_file, &n, &e), 0);
	char *listed = sh_out("git -C %s ls-tree -r HEAD labels | awk '{printf \"%%s%%s:%%s\", "
			      "(NR > 1 ? \" \" : \"\"), $4, substr($3, 1, 7)}'", dir);
	assert_out(listed, sb_take(&n.b));
	free(listed);
	struct names one = { {0}, 1, 0 };          /* stopping early */
	assert_int_equal(vcs_list_files_at(r, "HEAD", NULL, add_file, &one, &e), 0);
	assert_int_equal(one.seen, 1);
	sb_free(&one.b);
	struct names none = { {0}, 0, 0 };
	assert_int_equal(vcs_list_files_at(r, "HEAD~1", "reviews/", add_file, &none, &e), 0);
	assert_int_equal(none.seen, 0);

	struct names ch = { {0}, 0, 0 };
	assert_int_equal(vcs_changed_files(r, "HEAD~1", "HEAD", "labels/", add_change, &ch, &e), 0);
	assert_out("M labels/r/alice.jsonl A labels/r/bob.jsonl", sb_take(&ch.b));
	assert_int_equal(vcs_changed_files(r, NULL, "HEAD~1", NULL, add_change, &ch, &e), 0);
	assert_out("A golden/g.jsonl A labels/r/alice.jsonl", sb_take(&ch.b));
	assert_int_equal(vcs_changed_files(r, "HEAD", "HEAD~1", "labels", add_change, &ch, &e), 0);
	assert_out("M labels/r/alice.jsonl D labels/r/bob.jsonl", sb_take(&ch.b));
	free(first);
	free(dir);
	vcs_close(r);
}

/* a symbolic link under goldset's folders, committed with git or waiting in
 * the working tree, is refused by every reader of the revision and by commit;
 * one outside them is left alone */
static void test_links_refused(void **state)
{
	(void)state;
	char *dir, *data = NULL;
	struct vcs *r = new_repo(&dir);
	struct gs_err e;
	struct vcs_commit_result res;
	size_t len = 0;
	put(dir, "labels/r/alice.jsonl", "first\n");
	commit_ok(r, "one");
	assert_int_equal(sh("cd %s && mkdir other && ln -s /etc/passwd other/link && git add other && "
			    "git commit -qm other", dir), 0);
	assert_int_equal(vcs_read_file_at(r, "HEAD", "labels/r/alice.jsonl", &data, &len, &e), 0);
	free(data);
	assert_int_equal(sh("cd %s && ln -s /etc/passwd golden && git add golden && git commit -qm link", dir), 0);
	assert_int_equal(vcs_read_file_at(r, "HEAD", "labels/r/alice.jsonl", &data, &len, &e), EX_DATAERR);
	note(&e);
	assert_non_null(strstr(e.msg, "golden in HEAD is a symbolic link"));
	struct names n = { {0}, 0, 0 };
	assert_int_equal(vcs_list_files_at(r, "HEAD", "labels/", add_file, &n, &e), EX_DATAERR);
	assert_int_equal(n.seen, 0);
	assert_int_equal(vcs_changed_files(r, "HEAD~1", "HEAD", NULL, add_change, &n, &e), EX_DATAERR);
	assert_int_equal(vcs_read_file_at(r, "HEAD~1", "labels/r/alice.jsonl", &data, &len, &e), 0);
	free(data);
	sb_free(&n.b);
	assert_int_equal(sh("cd %s && git rm -q golden && git commit -qm unlink && "
			    "ln -s /etc/passwd labels/r/mallory.jsonl", dir), 0);
	assert_int_equal(commit(r, "through a link", &res, &e), EX_DATAERR);
	note(&e);
	assert_non_null(strstr(e.msg, "labels/r/mallory.jsonl is a symbolic link"));
	char *staged = sh_out("git -C %s ls-files -s | grep -c ^120000", dir);
	assert_string_equal(staged, "1");  /* other/link only */
	free(staged);
	free(dir);
	vcs_close(r);
}

static void test_log(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct gs_err e;
	struct names n = { {0}, 0, 0 };
	int rc = vcs_log(r, NULL, NULL, add_log, &n, &e);   /* no commits yet */
	if (rc) fprintf(stderr, "# %s\n", e.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(n.seen, 0);
	put(dir, "labels/a.jsonl", "1\n");
	commit_ok(r, "labels one\n\nbody text");
	put(dir, "notes.txt", "x\n");
	assert_int_equal(sh("cd %s && git add notes.txt && git commit -qm 'notes only'", dir), 0);
	put(dir, "golden/g.jsonl", "g\n");
	commit_ok(r, "golden");
	assert_int_equal(vcs_log(r, NULL, NULL, add_log, &n, &e), 0);
	assert_out("golden/Test Rater/1 | labels one/Test Rater/0", sb_take(&n.b));
	struct names first = { {0}, 1, 0 };
	assert_int_equal(vcs_log(r, "HEAD~1", NULL, add_log, &first, &e), 0);
	assert_out("labels one/Test Rater/0", sb_take(&first.b));
	const char *only_golden[] = { "golden/", NULL };
	n.seen = 0;
	assert_int_equal(vcs_log(r, "HEAD", only_golden, add_log, &n, &e), 0);
	assert_out("golden/Test Rater/1", sb_take(&n.b));
	assert_int_equal(vcs_log(r, "nope", NULL, add_log, &n, &e), EX_USAGE);
	free(dir);
	vcs_close(r);
}

static void test_status_clean(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct gs_err e;
	int clean = -1;
	char *first = NULL;
	put(dir, "labels/a.jsonl", "1\n");
	put(dir, ".gitignore", ".goldset/\n");
	put(dir, ".goldset/goldset.db", "sqlite\n");
	assert_int_equal(vcs_status_clean(r, "labels/", &clean, &first, &e), 0);
	assert_false(clean);
	assert_string_equal(first, "labels/a.jsonl");
	free(first);
	commit_ok(r, "one");
	assert_int_equal(vcs_status_clean(r, "labels/", &clean, NULL, &e), 0);
	assert_true(clean);
	assert_int_equal(vcs_status_clean(r, NULL, &clean, &first, &e), 0);
	assert_true(clean);                        /* .gitignore is committed with the rest */
	free(first);
	assert_int_equal(vcs_status_clean(r, NULL, &clean, NULL, &e), 0);
	assert_true(clean);                        /* ignored files do not count */
	put(dir, "notes.txt", "x\n");
	assert_int_equal(vcs_status_clean(r, "labels", &clean, NULL, &e), 0);
	assert_true(clean);
	put(dir, "labels/a.jsonl", "2\n");
	assert_int_equal(vcs_status_clean(r, "labels/", &clean, &first, &e), 0);
	assert_false(clean);
	assert_string_equal(first, "labels/a.jsonl");
	free(first);
	assert_int_equal(sh("cd %s && git add labels && git stash -q", dir), 0);
	assert_int_equal(vcs_status_clean(r, "labels/", &clean, NULL, &e), 0);
	assert_true(clean);
	free(dir);
	vcs_close(r);
}

/* ---- remotes ---- */

struct pair { char *bare, *a, *b; struct vcs *ra, *rb; };

/* a bare remote and two clones: A by path, B by file:// URL */
static void pair_make(struct pair *p)
{
	struct gs_err e;
	p->bare = fresh("remote.git");
	p->a = fresh("alice");
	p->b = fresh("bob");
	assert_int_equal(sh("git init -q --bare %s && git clone -q %s %s && git clone -q file://%s %s",
			    p->bare, p->bare, p->a, p->bare, p->b), 0);
	set_identity(p->a);
	set_identity(p->b);
	assert_int_equal(vcs_open(p->a, &p->ra, &e), 0);
	assert_int_equal(vcs_open(p->b, &p->rb, &e), 0);
}

static void pair_free(struct pair *p)
{
	vcs_close(p->ra);
	vcs_close(p->rb);
	free(p->bare); free(p->a); free(p->b);
}

static void push_ok(struct vcs *r)
{
	struct vcs_push_result res;
	struct gs_err e = {0};
	int rc = vcs_push(r, NULL, &res, &e);
	if (rc) fprintf(stderr, "# push: %s\n", e.msg);
	assert_int_equal(rc, 0);
}

static enum vcs_pull_kind pull_ok(struct vcs *r, struct vcs_pull_result *res)
{
	struct gs_err e = {0};
	int rc = vcs_pull(r, NULL, NULL, res, &e);
	if (rc) fprintf(stderr, "# pull: %s\n", e.msg);
	assert_int_equal(rc, 0);
	return res->kind;
}

/* A and B both at one shared commit */
static void pair_synced(struct pair *p)
{
	struct vcs_pull_result pr;
	pair_make(p);
	put(p->a, "golden/g.jsonl", "g\n");
	put(p->a, "labels/r/shared.jsonl", "base\n");
	commit_ok(p->ra, "base");
	push_ok(p->ra);
	assert_int_equal(pull_ok(p->rb, &pr), VCS_FAST_FORWARD);
}

static void test_push_then_pull_fast_forward(void **state)
{
	(void)state;
	struct pair p;
	struct vcs_push_result pu;
	struct vcs_pull_result pr;
	struct gs_err e;
	pair_make(&p);
	assert_int_equal(vcs_push(p.ra, NULL, &pu, &e), EX_NOINPUT);   /* no commits yet */
	assert_int_equal(vcs_pull(p.rb, NULL, NULL, &pr, &e), EX_NOINPUT);   /* remote is empty */
	note(&e);
	assert_non_null(strstr(e.msg, "no branch 'main'"));
	put(p.a, "labels/r/alice.jsonl", "a1\n");
	commit_ok(p.ra, "alice 1");
	assert_int_equal(vcs_push(p.ra, NULL, &pu, &e), 0);
	assert_int_equal(pu.up_to_date, 0);
	assert_string_equal(pu.branch, "main");
	char *ha = head_of(p.a);
	assert_string_equal(pu.id, ha);
	assert_out(ha, sh_out("git -C %s rev-parse main", p.bare));
	free(ha);

	/* B has no commits yet (unborn branch): the pull fast-forwards into it */
	put(p.b, "notes.txt", "bob's own untracked file\n");
	assert_int_equal(pull_ok(p.rb, &pr), VCS_FAST_FORWARD);
	assert_string_equal(pr.old_id, "0000000000000000000000000000000000000000");
	assert_out(pr.new_id, head_of(p.b));
	assert_out("a1\n", slurp(p.b, "labels/r/alice.jsonl"));
	assert_out("?? notes.txt", sh_out("git -C %s status --porcelain", p.b));

	/* a second commit on A fast-forwards B, keeping B's staged work staged */
	put(p.a, "labels/r/alice.jsonl", "a2\n");
	commit_ok(p.ra, "alice 2");
	push_ok(p.ra);
	assert_int_equal(sh("cd %s && git add notes.txt", p.b), 0);
	char *old = head_of(p.b);
	assert_int_equal(pull_ok(p.rb, &pr), VCS_FAST_FORWARD);
	assert_string_equal(pr.old_id, old);
	free(old);
	assert_out("a2\n", slurp(p.b, "labels/r/alice.jsonl"));
	assert_out("A  notes.txt", sh_out("git -C %s status --porcelain", p.b));
	assert_same_head(p.a, p.b);

	/* nothing new either way */
	assert_int_equal(pull_ok(p.rb, &pr), VCS_UP_TO_DATE);
	assert_string_equal(pr.old_id, pr.new_id);
	assert_int_equal(vcs_push(p.ra, NULL, &pu, &e), 0);
	assert_int_equal(pu.up_to_date, 1);
	assert_int_equal(vcs_fetch(p.rb, "origin", NULL, &e), 0);
	pair_free(&p);
}

static const struct vcs_tag *tag(const GArray *list, size_t i) { return &g_array_index(list, struct vcs_tag, i); }

static void assert_tags(const GArray *list, const char *want)
{
	struct sbuf b = {0};
	for (size_t i = 0; i < vcs_tags_count(list); i++) sb_addf(&b, "%s%s", i ? " " : "", tag(list, i)->name);
	assert_out(want, sb_take(&b));
}

/* Tags on the branch's history go with a push (once), arrive with a fetch
 * or a pull, and are never overwritten on either side: a tag the two sides
 * have on different commits is a conflict, while an annotated and a
 * lightweight tag on the same commit are the same tag. */
static void test_tags_travel(void **state)
{
	(void)state;
	struct pair p;
	struct vcs_push_result pu;
	struct vcs_pull_result pr;
	struct vcs_tags ft;
	struct gs_err e;
	pair_synced(&p);
	put(p.a, "labels/r/alice.jsonl", "a1\n");
	commit_ok(p.ra, "alice 1");
	assert_int_equal(sh("cd %s && git tag v1 && git tag -a v1a -m notes && git tag old HEAD~1 && "
			    "git checkout -q -b side && git commit -q --allow-empty -m side && "
			    "git tag side && git checkout -q main", p.a), 0);
	assert_int_equal(vcs_push(p.ra, NULL, &pu, &e), 0);
	assert_tags(pu.tags.copied, "old v1 v1a");
	assert_int_equal(vcs_tags_count(pu.tags.conflicts), 0);
	char *ha = head_of(p.a);
	assert_string_equal(tag(pu.tags.copied, 1)->here, ha);
	vcs_tags_free(&pu.tags);
	assert_out("old\nv1\nv1a", sh_out("git -C %s tag", p.bare));
	assert_out("tag", sh_out("git -C %s cat-file -t v1a", p.bare));
	assert_int_equal(vcs_push(p.ra, NULL, &pu, &e), 0);          /* nothing new */
	assert_int_equal(pu.up_to_date, 1);
	assert_int_equal(vcs_tags_count(pu.tags.copied) + vcs_tags_count(pu.tags.conflicts), 0);

	/* B fetches them; then again, and nothing is new */
	assert_int_equal(vcs_fetch(p.rb, NULL, &ft, &e), 0);
	assert_tags(ft.copied, "old v1 v1a");
	assert_string_equal(tag(ft.copied, 2)->here, ha);
	vcs_tags_free(&ft);
	assert_out(ha, sh_out("git -C %s rev-parse 'v1a^{commit}'", p.b));
	assert_int_equal(vcs_fetch(p.rb, NULL, &ft, &e), 0);
	assert_int_equal(vcs_tags_count(ft.copied) + vcs_tags_count(ft.conflicts), 0);

	/* the same name on two commits: B keeps its own, the remote its own */
	char *hb = head_of(p.b);
	assert_int_equal(sh("git -C %s tag x && git -C %s tag -a y -m mine v1 && git -C %s tag y", p.b, p.b, p.a), 0);
	put(p.a, "labels/r/alice.jsonl", "a2\n");
	commit_ok(p.ra, "alice 2");
	assert_int_equal(sh("git -C %s tag x", p.a), 0);
	char *ha2 = head_of(p.a);
	assert_int_equal(vcs_push(p.ra, NULL, &pu, &e), 0);
	assert_tags(pu.tags.copied, "x y");
	vcs_tags_free(&pu.tags);
	assert_int_equal(pull_ok(p.rb, &pr), VCS_FAST_FORWARD);
	assert_int_equal(vcs_tags_count(pr.tags.copied), 0);
	assert_tags(pr.tags.conflicts, "x");      /* y: same commit */
	assert_string_equal(tag(pr.tags.conflicts, 0)->here, hb);
	assert_string_equal(tag(pr.tags.conflicts, 0)->there, ha2);
	vcs_tags_free(&pr.tags);
	assert_out(hb, sh_out("git -C %s rev-parse x", p.b));
	assert_out("tag", sh_out("git -C %s cat-file -t y", p.b));
	assert_int_equal(vcs_push(p.rb, NULL, &pu, &e), 0);
	assert_int_equal(vcs_tags_count(pu.tags.copied), 0);
	assert_tags(pu.tags.conflicts, "x");
	assert_string_equal(tag(pu.tags.conflicts, 0)->here, hb);
	assert_string_equal(tag(pu.tags.conflicts, 0)->there, ha2);
	vcs_tags_free(&pu.tags);
	assert_out(ha2, sh_out("git -C %s rev-parse x", p.bare));
	free(ha);
	free(ha2);
	free(hb);
	pair_free(&p);
}

static void test_pull_merges_different_files(void **state)
{
	(void)state;
	struct pair p;
	struct vcs_pull_result pr;
	pair_synced(&p);
	put(p.a, "labels/r/alice.jsonl", "alice\n");
	commit_ok(p.ra, "alice labels");
	push_ok(p.ra);
	put(p.b, "labels/r/bob.jsonl", "bob\n");
	commit_ok(p.rb, "bob labels");
	put(p.b, "scratch.txt", "staged, not committed\n");
	assert_int_equal(sh("cd %s && git add scratch.txt", p.b), 0);
	char *ours = head_of(p.b);

	assert_int_equal(pull_ok(p.rb, &pr), VCS_MERGED);
	assert_int_equal(pr.identity_fallback, 0);
	assert_string_equal(pr.old_id, ours);
	assert_out(pr.new_id, head_of(p.b));
	/* a real merge commit: two parents, ours first */
	char *want = xasprintf("%s %s %s", pr.new_id, ours, "");
	char *parents = sh_out("git -C %s rev-list --parents -n1 HEAD", p.b);
	assert_memory_equal(parents, want, strlen(want));
	free(parents);
	free(want);
	assert_out("alice\n", slurp(p.b, "labels/r/alice.jsonl"));
	assert_out("bob\n", slurp(p.b, "labels/r/bob.jsonl"));
	assert_out("A  scratch.txt", sh_out("git -C %s status --porcelain", p.b));
	assert_int_equal(sh("test -e %s/.git/MERGE_HEAD", p.b), 1);

	/* B pushes the merge; A fast-forwards to it */
	push_ok(p.rb);
	assert_int_equal(pull_ok(p.ra, &pr), VCS_FAST_FORWARD);
	assert_out("bob\n", slurp(p.a, "labels/r/bob.jsonl"));
	assert_same_head(p.b, p.a);
	free(ours);
	pair_free(&p);
}

static void test_pull_conflict_changes_nothing(void **state)
{
	(void)state;
	struct pair p;
	struct vcs_pull_result pr;
	struct gs_err e;
	pair_synced(&p);
	put(p.a, "labels/r/shared.jsonl", "alice's edit\n");
	commit_ok(p.ra, "alice edits shared");
	push_ok(p.ra);
	put(p.b, "labels/r/shared.jsonl", "bob's edit\n");
	put(p.b, "labels/r/bob.jsonl", "bob\n");
	commit_ok(p.rb, "bob edits shared");
	put(p.b, "notes.txt", "untracked\n");
	char *before = sh_out("cd %s && git rev-parse HEAD && git status --porcelain && "
			      "git diff --cached && cat labels/r/shared.jsonl && ls -a .git", p.b);

	assert_int_equal(vcs_pull(p.rb, NULL, NULL, &pr, &e), EX_DATAERR);
	note(&e);
	assert_non_null(strstr(e.msg, "labels/r/shared.jsonl"));
	assert_null(strchr(e.msg, '\n'));
	assert_out(before, sh_out("cd %s && git rev-parse HEAD && git status --porcelain && "
				  "git diff --cached && cat labels/r/shared.jsonl && ls -a .git", p.b));
	free(before);
	pair_free(&p);
}

static void test_pull_keeps_uncommitted_edit(void **state)
{
	(void)state;
	struct pair p;
	struct vcs_pull_result pr;
	struct gs_err e;
	pair_synced(&p);
	put(p.a, "labels/r/shared.jsonl", "alice's edit\n");
	commit_ok(p.ra, "alice edits shared");
	push_ok(p.ra);
	put(p.b, "labels/r/shared.jsonl", "bob's uncommitted edit\n");
	char *head = head_of(p.b);
	assert_int_equal(vcs_pull(p.rb, NULL, NULL, &pr, &e), EX_DATAERR);
	note(&e);
	assert_non_null(strstr(e.msg, "labels/r/shared.jsonl"));
	assert_out(head, head_of(p.b));
	assert_out("bob's uncommitted edit\n", slurp(p.b, "labels/r/shared.jsonl"));
	assert_out(" M labels/r/shared.jsonl", sh_out("git -C %s status --porcelain", p.b));
	/* with a both-sides-moved merge too */
	put(p.b, "reviews/bob.jsonl", "bob\n");
	const char *only_reviews[] = { "reviews/", NULL };
	struct vcs_commit_opts o = { "bob", only_reviews, NULL, NULL };
	struct vcs_commit_result cr;
	assert_int_equal(vcs_commit_paths(p.rb, &o, &cr, &e), 0);
	free(head);
	head = head_of(p.b);
	assert_int_equal(vcs_pull(p.rb, NULL, NULL, &pr, &e), EX_DATAERR);
	assert_out(head, head_of(p.b));
	assert_out("bob's uncommitted edit\n", slurp(p.b, "labels/r/shared.jsonl"));
	free(head);
	pair_free(&p);
}

static void test_push_rejected_non_fast_forward(void **state)
{
	(void)state;
	struct pair p;
	struct vcs_push_result pu;
	struct vcs_pull_result pr;
	struct gs_err e;
	pair_synced(&p);
	put(p.a, "labels/r/alice.jsonl", "alice\n");
	commit_ok(p.ra, "alice");
	push_ok(p.ra);
	put(p.b, "labels/r/bob.jsonl", "bob\n");
	commit_ok(p.rb, "bob");
	char *remote = sh_out("git -C %s rev-parse main", p.bare);
	assert_int_equal(vcs_push(p.rb, NULL, &pu, &e), EX_TEMPFAIL);
	note(&e);
	assert_non_null(strstr(e.msg, "pull"));
	assert_null(strchr(e.msg, '\n'));
	assert_out(remote, sh_out("git -C %s rev-parse main", p.bare));
	/* after pulling, the push goes through */
	assert_int_equal(pull_ok(p.rb, &pr), VCS_MERGED);
	push_ok(p.rb);
	free(remote);
	pair_free(&p);
}

static void test_locked_branch_puts_index_back(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_commit_result res;
	struct gs_err e;
	put(dir, "labels/a.jsonl", "1\n");
	commit_ok(r, "one");
	put(dir, "labels/a.jsonl", "2\n");
	put(dir, "notes.txt", "staged\n");
	assert_int_equal(sh("cd %s && git add notes.txt && cp .git/index %s/index.before2 && "
			    "touch .git/refs/heads/main.lock", dir, base), 0);
	char *head = head_of(dir);
	/* the index is written before the branch moves; it must be put back */
	assert_int_equal(commit(r, "two", &res, &e), EX_TEMPFAIL);
	note(&e);
	assert_out(head, head_of(dir));
	assert_int_equal(sh("cmp %s/.git/index %s/index.before2", dir, base), 0);
	assert_int_equal(sh("rm %s/.git/refs/heads/main.lock", dir), 0);
	assert_out(" M labels/a.jsonl\nA  notes.txt", sh_out("git -C %s status --porcelain", dir));
	commit_ok(r, "two");
	assert_out("A  notes.txt", sh_out("git -C %s status --porcelain", dir));
	free(head);
	free(dir);
	vcs_close(r);
}

static void test_pull_refusals(void **state)
{
	(void)state;
	struct pair p;
	struct vcs_pull_result pr;
	struct gs_err e;
	pair_synced(&p);
	put(p.a, "labels/r/alice.jsonl", "alice\n");
	commit_ok(p.ra, "alice");
	push_ok(p.ra);
	char *head = head_of(p.b);
	assert_int_equal(sh("touch %s/.git/index.lock", p.b), 0);
	assert_int_equal(vcs_pull(p.rb, NULL, NULL, &pr, &e), EX_TEMPFAIL);
	note(&e);
	assert_int_equal(sh("rm %s/.git/index.lock", p.b), 0);
	assert_int_equal(vcs_pull(p.rb, "nowhere", NULL, &pr, &e), EX_USAGE);
	assert_int_equal(sh("git -C %s checkout -q --detach", p.b), 0);
	assert_int_equal(vcs_pull(p.rb, NULL, NULL, &pr, &e), EX_CANTCREAT);
	note(&e);
	assert_out(head, head_of(p.b));
	assert_int_equal(sh("test -e %s/labels/r/alice.jsonl", p.b), 1);
	free(head);
	pair_free(&p);
}

/* two workspaces started apart (each ran `goldset init`), then shared */
static void test_pull_unrelated_histories(void **state)
{
	(void)state;
	char *a, *b, *bare = fresh("shared.git");
	struct vcs *ra = new_repo(&a), *rb = new_repo(&b);
	struct vcs_pull_result pr;
	struct gs_err e;
	put(a, "rubrics/support.json", "{\"name\": \"support\"}\n");
	put(a, "labels/support/alice.jsonl", "alice\n");
	commit_ok(ra, "alice starts");
	put(b, "rubrics/support.json", "{\"name\": \"support\"}\n");
	put(b, "labels/support/bob.jsonl", "bob\n");
	commit_ok(rb, "bob starts");
	assert_int_equal(sh("git init -q --bare %s && git -C %s remote add origin %s && "
			    "git -C %s remote add origin %s", bare, a, bare, b, bare), 0);
	push_ok(ra);
	assert_int_equal(vcs_pull(rb, NULL, NULL, &pr, &e), 0);
	assert_int_equal(pr.kind, VCS_MERGED);
	assert_out("labels/support/alice.jsonl\nlabels/support/bob.jsonl\nrubrics/support.json",
		   sh_out("git -C %s ls-tree -r --name-only HEAD", b));
	assert_out("", sh_out("git -C %s status --porcelain", b));
	free(a); free(b); free(bare);
	vcs_close(ra);
	vcs_close(rb);
}

static void test_unreachable_remote(void **state)
{
	(void)state;
	char *dir;
	struct vcs *r = new_repo(&dir);
	struct vcs_pull_result pr;
	struct vcs_push_result pu;
	struct gs_err e;
	put(dir, "labels/a.jsonl", "1\n");
	commit_ok(r, "one");
	assert_int_equal(vcs_fetch(r, NULL, NULL, &e), EX_USAGE);              /* no origin */
	note(&e);
	assert_non_null(strstr(e.msg, "no git remote named 'origin'"));
	const char *urls[] = {
		"/nonexistent/goldset/remote.git",
		"file:///nonexistent/goldset/remote.git",
		"ssh://git@127.0.0.1:1/x.git",          /* refused at once, no prompt */
		"https://127.0.0.1:1/x.git",
	};
	for (size_t i = 0; i < ARRAY_LEN(urls); i++) {
		assert_int_equal(sh("git -C %s remote remove origin; git -C %s remote add origin %s",
				    dir, dir, urls[i]), 0);
		assert_int_equal(vcs_fetch(r, "origin", NULL, &e), EX_UNAVAILABLE);
		note(&e);
		assert_non_null(strstr(e.msg, "origin"));
		assert_null(strchr(e.msg, '\n'));
		assert_int_equal(vcs_pull(r, NULL, NULL, &pr, &e), EX_UNAVAILABLE);
		assert_int_equal(vcs_push(r, NULL, &pu, &e), EX_UNAVAILABLE);
	}
	free(dir);
	vcs_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_creates_and_adopts),
		cmocka_unit_test(test_open_bare_refused),
		cmocka_unit_test(test_hash_blob),
		cmocka_unit_test(test_first_commit),
		cmocka_unit_test(test_nothing_to_commit),
		cmocka_unit_test(test_empty_message_refused),
		cmocka_unit_test(test_other_paths_untouched),
		cmocka_unit_test(test_deletion_committed),
		cmocka_unit_test(test_identity_fallback),
		cmocka_unit_test(test_detached_head_refused),
		cmocka_unit_test(test_locked_index),
		cmocka_unit_test(test_locked_branch_puts_index_back),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_links_refused),
		cmocka_unit_test(test_merge_in_progress_refused),
		cmocka_unit_test(test_read_at_revisions),
		cmocka_unit_test(test_log),
		cmocka_unit_test(test_status_clean),
		cmocka_unit_test(test_push_then_pull_fast_forward),
		cmocka_unit_test(test_tags_travel),
		cmocka_unit_test(test_pull_merges_different_files),
		cmocka_unit_test(test_pull_conflict_changes_nothing),
		cmocka_unit_test(test_pull_keeps_uncommitted_edit),
		cmocka_unit_test(test_push_rejected_non_fast_forward),
		cmocka_unit_test(test_pull_refusals),
		cmocka_unit_test(test_pull_unrelated_histories),
		cmocka_unit_test(test_unreachable_remote),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
