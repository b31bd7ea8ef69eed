/* vcs.c: goldset's git layer, the only file that includes git2.h.
 *
 * A workspace is a git repository.  Commands (commit, log, diff, push,
 * pull, agree --at) call this plumbing to commit exactly goldset's folders,
 * read files at any revision, and exchange commits with remotes.  Nothing
 * here prints or runs the git program; failures come back as struct gs_err
 * (see vcs.h for the contract of each function).
 *
 * libgit2 is not linked: vcs_global_init() dlopens it on first use and the
 * git_ names below are pointers (vcs_libgit2.h), so commands without git
 * start without it.  GOLDSET_LIBGIT2 in the environment names another file
 * to load, for the tests of a missing library (tests/sh/t-libgit2.sh).
 *
 * Safety rules followed throughout: new objects are written first, then the
 * index, then the branch reference, so a failure part-way leaves at most
 * unreferenced objects behind (the index is put back when the reference
 * cannot move); pulls compute the whole result in memory and check out with
 * GIT_CHECKOUT_SAFE, which refuses before touching any file. */
#include "vcs/vcs.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vcs/vcs_libgit2.h"

const char *const vcs_goldset_prefixes[] = {
	"golden/", "rubrics/", "labels/", "reviews/", "consensus/", "batches/", "judges/", ".gitattributes", ".gitignore",
	NULL
};

struct vcs {
	git_repository *repo;
	char *top;              /* working tree top, no trailing '/' */
	char branch[256];       /* vcs_branch()'s answer */
	git_oid safe_tree;      /* the last tree found free of symbolic links */
};

static const char zero_hex[41] = "0000000000000000000000000000000000000000";

/* ---- process setup and errors ---- */

/* libgit2 1.5 leaks PCRE2 match data whenever a config regex does not match
 * (every git_remote_lookup and fetch walks the config for url.*.insteadOf;
 * fixed upstream after 1.5 by libgit2 PR #6382).  Sanitizer builds are told so
 * here, narrowly (only PCRE2's allocations), so our own leaks still show. */
#if defined(__SANITIZE_ADDRESS__)
#define GS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GS_ASAN 1
#endif
#endif
#ifdef GS_ASAN
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libpcre2-8.so\n";
}
#endif

/* 0: not tried yet, 1: loaded and initialised, -1: failed (g_why says why) */
static int g_state;
static char g_why[900];

static void global_shutdown(void)
{
	git_libgit2_shutdown();
}

/* dlopen's reason, without the file name it usually starts with */
static const char *load_reason(const char *name)
{
	const char *why = dlerror();
	size_t n = strlen(name);
	if (!why) return "unknown error";
	if (strncmp(why, name, n) == 0 && strncmp(why + n, ": ", 2) == 0) why += n + 2;
	return why;
}

/* Opens libgit2 (never closed: it is shut down at exit) and fills in every
 * pointer of vcs_libgit2.h; -1 with g_why set when it cannot. */
static int load_libgit2(void)
{
	const char *name = getenv("GOLDSET_LIBGIT2");
	if (!name || !*name) name = "libgit2.so." LIBGIT2_SOVERSION;
	void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(g_why, sizeof g_why, "git: cannot load %s: %s (install the libgit2-%s package)",
			 name, load_reason(name), LIBGIT2_SOVERSION);
		return -1;
	}
#define VCS_DL_LOAD(f) \
	if (!(vcs_dl_##f = (__typeof__(vcs_dl_##f))dlsym(lib, #f))) { \
		snprintf(g_why, sizeof g_why, "git: %s has no function %s (libgit2 %s is needed)", \
			 name, #f, LIBGIT2_VERSION); \
		return -1; \
	}
	VCS_LIBGIT2_FUNCS(VCS_DL_LOAD)
#undef VCS_DL_LOAD
	return 0;
}

int vcs_global_init(struct gs_err *e)
{
	if (!g_state) {
		g_state = load_libgit2() == 0 && git_libgit2_init() >= 0 ? 1 : -1;
		if (g_state == 1) atexit(global_shutdown);
		else if (!g_why[0]) snprintf(g_why, sizeof g_why, "git: cannot initialise libgit2");
	}
	if (g_state == 1) return 0;
	return gs_fail(e, EX_UNAVAILABLE, "%s", g_why);
}

/* libgit2's last message, on one line, without a final period */
static void last_git_reason(char *out, size_t size)
{
	const git_error *g = git_error_last();
	snprintf(out, size, "%s", g && g->message && *g->message ? g->message : "unknown error");
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
	size_t n = strlen(out);
	while (n && strchr(" .:", out[n - 1])) out[--n] = 0;
}

static int code_for(int rc)
{
	switch (rc) {
	case GIT_ELOCKED: case GIT_EMODIFIED: return EX_TEMPFAIL;
	case GIT_EAUTH: case GIT_ECERTIFICATE: return EX_NOPERM;
	case GIT_ENOTFOUND: return EX_NOINPUT;
	default: return EX_IOERR;
	}
}

/* "<what>: <libgit2's reason>"; code 0 derives one from rc */
static int fail_git(struct gs_err *e, int code, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail_git(struct gs_err *e, int code, int rc, const char *fmt, ...)
{
	char what[512], why[480];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	last_git_reason(why, sizeof why);
	return gs_fail(e, code ? code : code_for(rc), "%s: %s", what, why);
}

static void oid_hex(char out[41], const git_oid *id)
{
	git_oid_tostr(out, 41, id);
}

/* ---- opening ---- */

static int same_dir(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	if (!realpath(a, ra) || !realpath(b, rb)) return 0;
	return strcmp(ra, rb) == 0;
}

static struct vcs *wrap(git_repository *repo)
{
	struct vcs *r = xcalloc(1, sizeof *r);
	const char *wd = git_repository_workdir(repo);
	size_t n = strlen(wd);
	while (n > 1 && wd[n - 1] == '/') n--;
	r->repo = repo;
	r->top = xstrndup(wd, n);
	return r;
}

/* Opens dir as the top of a working tree: 0, GIT_ENOTFOUND (nothing there),
 * or a sysexits code with e filled in. */
static int open_top(const char *dir, git_repository **out, struct gs_err *e)
{
	git_repository *repo = NULL;
	int rc = git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc == GIT_ENOTFOUND) return rc;
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "%s: cannot open the git repository", dir);
	int bare = git_repository_is_bare(repo);
	if (bare || !same_dir(git_repository_workdir(repo), dir)) {
		git_repository_free(repo);
		return gs_fail(e, EX_DATAERR, "%s: is %s, not the top of a working tree", dir,
			       bare ? "a bare git repository" : "a .git folder");
	}
	*out = repo;
	return 0;
}

int vcs_is_repo(const char *dir, int *is_repo, struct gs_err *e)
{
	git_repository *repo = NULL;
	struct gs_err ignore;
	*is_repo = 0;
	if (vcs_global_init(e)) return e->code;
	if (open_top(dir, &repo, &ignore) != 0) return 0;
	git_repository_free(repo);
	*is_repo = 1;
	return 0;
}

int vcs_discover(const char *start, char **top, struct gs_err *e)
{
	git_repository *repo = NULL;
	if (vcs_global_init(e)) return e->code;
	int rc = git_repository_open_ext(&repo, start, 0, NULL);
	if (rc == GIT_ENOTFOUND)
		return gs_fail(e, EX_NOINPUT, "%s: not inside a git repository", start);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "%s: cannot open the git repository", start);
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return gs_fail(e, EX_DATAERR, "%s: is inside a bare git repository", start);
	}
	struct vcs *r = wrap(repo);
	*top = r->top;
	r->top = NULL;
	vcs_close(r);
	return 0;
}

int vcs_open(const char *dir, struct vcs **out, struct gs_err *e)
{
	git_repository *repo = NULL;
	if (vcs_global_init(e)) return e->code;
	int rc = open_top(dir, &repo, e);
	if (rc == GIT_ENOTFOUND)
		return gs_fail(e, EX_NOINPUT, "%s: is not the top of a git repository", dir);
	if (rc) return rc;
	*out = wrap(repo);
	return 0;
}

int vcs_init(const char *dir, struct vcs **out, int *created, struct gs_err *e)
{
	git_repository *repo = NULL;
	*created = 0;
	if (vcs_global_init(e)) return e->code;
	int rc = is_dir(dir) ? open_top(dir, &repo, e) : GIT_ENOTFOUND;
	if (rc > 0) return rc;
	if (rc == GIT_ENOTFOUND) {
		git_repository_init_options o;
		git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		o.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
		rc = git_repository_init_ext(&repo, dir, &o);
		if (rc < 0) return fail_git(e, EX_CANTCREAT, rc, "%s: cannot create a git repository", dir);
		*created = 1;
	}
	*out = wrap(repo);
	return 0;
}

void vcs_close(struct vcs *r)
{
	if (!r) return;
	git_repository_free(r->repo);
	free(r->top);
	free(r);
}

const char *vcs_workdir(const struct vcs *r) { return r->top; }

const char *vcs_branch(struct vcs *r)
{
	git_reference *head = NULL;
	const char *name = NULL;
	if (git_reference_lookup(&head, r->repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *t = git_reference_symbolic_target(head);
		if (strncmp(t, "refs/heads/", 11) == 0) {
			snprintf(r->branch, sizeof r->branch, "%s", t + 11);
			name = r->branch;
		}
	}
	git_reference_free(head);
	return name;
}

void vcs_hash_blob(const struct vcs *r, const void *data, size_t len, char out_hex[41])
{
	git_oid id;
	(void)r;  /* proof that libgit2 is loaded */
	/* cannot fail for an in-memory buffer; a failure here is a broken libgit2 */
	if (git_odb_hash(&id, data ? data : "", len, GIT_OBJECT_BLOB) < 0) abort();
	oid_hex(out_hex, &id);
}

/* ---- state shared by commit and pull ---- */

struct head {
	char refname[300];      /* refs/heads/<branch> */
	const char *branch;     /* inside refname */
	git_commit *commit;     /* NULL: unborn branch (no commits yet) */
};

static int head_load(struct vcs *r, struct head *h, const char *doing, struct gs_err *e)
{
	git_oid id;
	memset(h, 0, sizeof *h);
	if (!vcs_branch(r))
		return gs_fail(e, EX_CANTCREAT, "cannot %s: HEAD is detached (not on a branch); "
			       "switch to a branch first (git switch BRANCH)", doing);
	snprintf(h->refname, sizeof h->refname, "refs/heads/%s", r->branch);
	h->branch = h->refname + 11;
	int rc = git_reference_name_to_id(&id, r->repo, h->refname);
	if (rc == GIT_ENOTFOUND) return 0;
	if (rc == 0) rc = git_commit_lookup(&h->commit, r->repo, &id);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot %s: cannot read branch %s", doing, h->branch);
	return 0;
}

static void head_free(struct head *h)
{
	git_commit_free(h->commit);
	h->commit = NULL;
}

/* refuses while git is in the middle of a merge, rebase, cherry-pick... */
static int state_ok(struct vcs *r, const char *doing, struct gs_err *e)
{
	if (git_repository_state(r->repo) == GIT_REPOSITORY_STATE_NONE) return 0;
	return gs_fail(e, EX_CANTCREAT, "cannot %s: a git merge, rebase or similar is in progress "
		       "in %s; finish or abort it with git first", doing, r->top);
}

static int index_unlocked(struct vcs *r, const char *doing, struct gs_err *e)
{
	char *lock = xasprintf("%sindex.lock", git_repository_path(r->repo));
	int locked = path_exists(lock);
	if (locked)
		gs_fail(e, EX_TEMPFAIL, "cannot %s: the git index is locked (%s exists): another "
			"git program is running, or one crashed; remove the file if none is running",
			doing, lock);
	free(lock);
	return locked ? EX_TEMPFAIL : 0;
}

/* the repository's index, re-read from disk (drops anything unsaved) */
static int fresh_index(struct vcs *r, git_index **out, struct gs_err *e)
{
	int rc = git_repository_index(out, r->repo);
	if (rc == 0 && (rc = git_index_read(*out, 1)) < 0) {
		git_index_free(*out);
		*out = NULL;
	}
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot read the git index");
	return 0;
}

/* Points the branch at new_id, only if it still points where h says. */
static int move_branch(struct vcs *r, const struct head *h, const git_oid *new_id,
		       const char *log, struct gs_err *e)
{
	git_reference *ref = NULL;
	int rc = h->commit
		? git_reference_create_matching(&ref, r->repo, h->refname, new_id, 1,
						git_commit_id(h->commit), log)
		: git_reference_create(&ref, r->repo, h->refname, new_id, 0, log);
	git_reference_free(ref);
	if (rc == GIT_ELOCKED)
		return gs_fail(e, EX_TEMPFAIL, "branch %s is locked (.git/%s.lock exists): another git "
			       "program is running, or one crashed; nothing was changed", h->branch, h->refname);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS)
		return gs_fail(e, EX_TEMPFAIL, "branch %s moved while goldset was working; "
			       "nothing was changed, try again", h->branch);
	if (rc < 0) return fail_git(e, 0, rc, "cannot update branch %s", h->branch);
	return 0;
}

/* ---- who commits ---- */

struct ident {
	git_signature *author, *committer;
	int fallback;
};

static char *ident_pick(const char *env, git_config *cfg, const char *key)
{
	const char *v = getenv(env);
	if (v && *v) return xstrdup(v);
	if (cfg && git_config_get_string(&v, cfg, key) == 0 && *v) return xstrdup(v);
	return NULL;
}

static char *fallback_email(void)
{
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0 || !host[0])
		snprintf(host, sizeof host, "localhost");
	return xasprintf("%s@%s", gs_login(), host);
}

/* role: "AUTHOR" or "COMMITTER" (GIT_<role>_NAME...), then user.*, then login */
static int ident_sig(git_config *cfg, const char *role, git_signature **out, int *fallback)
{
	char env[40];
	snprintf(env, sizeof env, "GIT_%s_NAME", role);
	char *name = ident_pick(env, cfg, "user.name");
	snprintf(env, sizeof env, "GIT_%s_EMAIL", role);
	char *email = ident_pick(env, cfg, "user.email");
	if (!email) email = ident_pick("EMAIL", NULL, NULL);
	if (!name) { name = xstrdup(gs_login()); *fallback = 1; }
	if (!email) { email = fallback_email(); *fallback = 1; }
	int rc = git_signature_now(out, name, email);
	free(name);
	free(email);
	return rc;
}

static void ident_free(struct ident *id)
{
	git_signature_free(id->author);
	git_signature_free(id->committer);
	memset(id, 0, sizeof *id);
}

static int ident_load(struct vcs *r, struct ident *id, char who[320], struct gs_err *e)
{
	git_config *cfg = NULL;
	memset(id, 0, sizeof *id);
	if (git_repository_config_snapshot(&cfg, r->repo) < 0) cfg = NULL;
	int rc = ident_sig(cfg, "AUTHOR", &id->author, &id->fallback);
	if (rc == 0) rc = ident_sig(cfg, "COMMITTER", &id->committer, &id->fallback);
	git_config_free(cfg);
	if (rc < 0) {
		ident_free(id);
		return fail_git(e, EX_CONFIG, rc, "cannot use the configured name and email "
				"(git config user.name / user.email)");
	}
	snprintf(who, 320, "%s <%s>", id->author->name, id->author->email);
	return 0;
}

/* ---- prefixes ---- */

struct specs {
	char **dir;             /* "labels" (for pathspecs and tree lookups) */
	char **slash;           /* "labels/" (for prefix comparisons) */
	size_t n;
	git_strarray arr;       /* over dir */
};

static void specs_make(struct specs *s, const char *const *prefixes)
{
	if (!prefixes) prefixes = vcs_goldset_prefixes;
	memset(s, 0, sizeof *s);
	while (prefixes[s->n]) s->n++;
	s->dir = xcalloc(s->n + 1, sizeof *s->dir);
	s->slash = xcalloc(s->n + 1, sizeof *s->slash);
	for (size_t i = 0; i < s->n; i++) {
		size_t len = strlen(prefixes[i]);
		while (len && prefixes[i][len - 1] == '/') len--;
		s->dir[i] = xstrndup(prefixes[i], len);
		/* a prefix without a trailing '/' is one file */
		s->slash[i] = len == strlen(prefixes[i]) ? xstrdup(s->dir[i]) : xasprintf("%s/", s->dir[i]);
	}
	s->arr.strings = s->dir;
	s->arr.count = s->n;
}

static void specs_free(struct specs *s)
{
	strv_free(s->dir);
	strv_free(s->slash);
	memset(s, 0, sizeof *s);
}

/* ---- committing ---- */

struct commit_job {
	struct head head;
	struct specs specs;
	git_buf msg;
	git_index *idx;         /* the repository's index, being updated */
	git_index *orig;        /* the index file as it was, to put back */
	git_tree *head_tree, *tree;
	git_oid id;
	struct ident ident;
	int published;
};

static int tag_available(struct vcs *r, const char *tag, struct gs_err *e)
{
	int valid = 0;
	git_oid id;
	char *ref = xasprintf("refs/tags/%s", tag);
	int exists = git_reference_name_to_id(&id, r->repo, ref) == 0;
	free(ref);
	if (git_tag_name_is_valid(&valid, tag) < 0 || !valid)
		return gs_fail(e, EX_USAGE, "'%s' is not a valid tag name", tag);
	if (exists) return gs_fail(e, EX_USAGE, "tag '%s' already exists", tag);
	return 0;
}

static int commit_prepare(struct vcs *r, const struct vcs_commit_opts *o,
			  struct commit_job *j, struct gs_err *e)
{
	specs_make(&j->specs, o->prefixes);
	for (size_t i = 0; i < j->specs.n; i++)
		if (!*j->specs.dir[i] || *j->specs.dir[i] == '/')
			return gs_fail(e, EX_USAGE, "cannot commit '%s': not a folder inside the "
				       "workspace", o->prefixes[i]);
	int rc = git_message_prettify(&j->msg, o->message ? o->message : "", 0, '#');
	if (rc < 0) return fail_git(e, EX_USAGE, rc, "cannot use the commit message");
	if (j->msg.size == 0) return gs_fail(e, EX_USAGE, "the commit message is empty");
	if ((rc = head_load(r, &j->head, "commit", e)) || (rc = state_ok(r, "commit", e)) ||
	    (rc = index_unlocked(r, "commit", e)))
		return rc;
	return o->tag ? tag_available(r, o->tag, e) : 0;
}

/* one working-tree difference into the index: added, changed or removed */
static int stage_delta(git_index *idx, const git_diff_delta *d)
{
	int rc = GIT_ENOTFOUND;
	if (d->status != GIT_DELTA_DELETED) rc = git_index_add_bypath(idx, d->new_file.path);
	if (rc == GIT_ENOTFOUND) rc = git_index_remove_bypath(idx, d->old_file.path);
	return rc == GIT_ENOTFOUND ? 0 : rc;
}

/* Brings the index entries under the prefixes in line with the working tree
 * (`git add -A -- PREFIXES`; ignored untracked files stay out).  The diff's
 * deltas are applied one by one: git_index_add_all would walk them with
 * git_diff_foreach, which also inflates every changed or deleted blob. */
static int commit_stage(struct vcs *r, struct commit_job *j, struct gs_err *e)
{
	git_diff *d = NULL;
	git_diff_options o;
	int rc = fresh_index(r, &j->idx, e);
	if (rc) return rc;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
		  GIT_DIFF_INCLUDE_TYPECHANGE | GIT_DIFF_DISABLE_PATHSPEC_MATCH |
		  GIT_DIFF_UPDATE_INDEX;  /* unchanged files rewritten: refresh their stat */
	o.pathspec = j->specs.arr;
	rc = git_index_open(&j->orig, git_index_path(j->idx));
	if (rc == 0) rc = git_diff_index_to_workdir(&d, r->repo, j->idx, &o);
	for (size_t i = 0; rc == 0 && i < git_diff_num_deltas(d); i++) {
		const git_diff_delta *dd = git_diff_get_delta(d, i);
		if (dd->status != GIT_DELTA_DELETED && dd->new_file.mode == GIT_FILEMODE_LINK) {
			rc = gs_fail(e, EX_DATAERR, "%s is a symbolic link: goldset does not follow links "
				     "in a workspace", dd->new_file.path);
			break;
		}
		rc = stage_delta(j->idx, dd);
	}
	git_diff_free(d);
	if (rc > 0) return rc;
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot stage %s", j->specs.slash[0]);
	return 0;
}

/* copies the stage-0 entries of from under prefix into to */
static int copy_prefix(git_index *from, git_index *to, const char *prefix)
{
	size_t pos, n = git_index_entrycount(from), len = strlen(prefix);
	if (git_index_find_prefix(&pos, from, prefix) != 0) return 0;
	for (; pos < n; pos++) {
		const git_index_entry *ie = git_index_get_byindex(from, pos);
		if (strncmp(ie->path, prefix, len) != 0) break;
		if (prefix[len - 1] != '/' && ie->path[len]) continue;   /* one file: that name only */
		if (GIT_INDEX_ENTRY_STAGE(ie) != 0) continue;
		int rc = git_index_add(to, ie);
		if (rc < 0) return rc;
	}
	return 0;
}

/* the commit's tree: HEAD's, with the prefixes replaced by the index's */
static int commit_build_tree(struct vcs *r, struct commit_job *j, git_oid *tid)
{
	git_index *t = NULL;
	int rc = git_index_new(&t);
	if (rc == 0 && j->head_tree) rc = git_index_read_tree(t, j->head_tree);
	for (size_t i = 0; rc == 0 && i < j->specs.n; i++) {
		const char *p = j->specs.slash[i];
		if (p[strlen(p) - 1] == '/') rc = git_index_remove_directory(t, j->specs.dir[i], 0);
		else if (git_index_remove_bypath(t, p) < 0) rc = 0;   /* absent: nothing to remove */
	}
	for (size_t i = 0; rc == 0 && i < j->specs.n; i++)
		rc = copy_prefix(j->idx, t, j->specs.slash[i]);
	if (rc == 0 && !j->head_tree && git_index_entrycount(t) == 0) rc = VCS_NOTHING;
	if (rc == 0) rc = git_index_write_tree_to(tid, t, r->repo);
	git_index_free(t);
	return rc;
}

static int commit_tree(struct vcs *r, struct commit_job *j, size_t *changed, struct gs_err *e)
{
	git_oid tid;
	git_diff *d = NULL;
	int rc = j->head.commit ? git_commit_tree(&j->head_tree, j->head.commit) : 0;
	if (rc == 0) rc = commit_build_tree(r, j, &tid);
	if (rc == VCS_NOTHING) return rc;
	if (rc == 0 && j->head_tree && git_oid_equal(&tid, git_tree_id(j->head_tree)))
		return VCS_NOTHING;
	if (rc == 0) rc = git_tree_lookup(&j->tree, r->repo, &tid);
	if (rc == 0) rc = git_diff_tree_to_tree(&d, r->repo, j->head_tree, j->tree, NULL);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot build the commit");
	*changed = git_diff_num_deltas(d);
	git_diff_free(d);
	return 0;
}

static int commit_create(struct vcs *r, struct commit_job *j,
			 struct vcs_commit_result *res, struct gs_err *e)
{
	const git_commit *parents[1] = { j->head.commit };
	int rc = ident_load(r, &j->ident, res->who, e);
	if (rc) return rc;
	res->identity_fallback = j->ident.fallback;
	rc = git_commit_create(&j->id, r->repo, NULL, j->ident.author, j->ident.committer,
			       NULL, j->msg.ptr, j->tree, j->head.commit ? 1 : 0, parents);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot create the commit");
	return 0;
}

/* "commit: <first line>", the reflog line git writes */
static char *reflog_line(const char *what, const char *msg)
{
	size_t n = strcspn(msg, "\n");
	return xasprintf("%s: %.*s", what, (int)n, msg);
}

/* writes the index, then moves the branch; puts the index back if it cannot */
static int commit_publish(struct vcs *r, struct commit_job *j, struct gs_err *e)
{
	int rc = git_index_write(j->idx);
	if (rc < 0) return fail_git(e, 0, rc, "cannot commit: cannot write the git index");
	char *log = reflog_line(j->head.commit ? "commit" : "commit (initial)", j->msg.ptr);
	rc = move_branch(r, &j->head, &j->id, log, e);
	free(log);
	if (rc) {
		git_index_write(j->orig);
		return rc;
	}
	j->published = 1;
	return 0;
}

static int commit_tag(struct vcs *r, const struct vcs_commit_opts *o,
		      struct commit_job *j, struct gs_err *e)
{
	git_object *obj = NULL;
	git_oid tid;
	git_buf tmsg = GIT_BUF_INIT;
	int rc = git_object_lookup(&obj, r->repo, &j->id, GIT_OBJECT_COMMIT);
	if (rc == 0 && !o->tag_message)
		rc = git_tag_create_lightweight(&tid, r->repo, o->tag, obj, 0);
	else if (rc == 0 && (rc = git_message_prettify(&tmsg, o->tag_message, 0, '#')) == 0)
		rc = git_tag_create(&tid, r->repo, o->tag, obj, j->ident.committer,
				    tmsg.size ? tmsg.ptr : "\n", 0);
	git_object_free(obj);
	git_buf_dispose(&tmsg);
	if (rc < 0) return fail_git(e, EX_CANTCREAT, rc, "committed, but cannot create tag '%s'", o->tag);
	return 0;
}

static void commit_job_free(struct commit_job *j)
{
	if (j->idx && !j->published) git_index_read(j->idx, 1);  /* drop unsaved staging */
	git_index_free(j->idx);
	git_index_free(j->orig);
	git_tree_free(j->head_tree);
	git_tree_free(j->tree);
	git_buf_dispose(&j->msg);
	ident_free(&j->ident);
	head_free(&j->head);
	specs_free(&j->specs);
}

int vcs_commit_paths(struct vcs *r, const struct vcs_commit_opts *o,
		     struct vcs_commit_result *res, struct gs_err *e)
{
	struct commit_job j;
	memset(&j, 0, sizeof j);
	memset(res, 0, sizeof *res);
	int rc = commit_prepare(r, o, &j, e);
	if (rc == 0) rc = commit_stage(r, &j, e);
	if (rc == 0) rc = commit_tree(r, &j, &res->files_changed, e);
	if (rc == 0) rc = commit_create(r, &j, res, e);
	if (rc == 0) rc = commit_publish(r, &j, e);
	if (rc == 0) {
		oid_hex(res->id, &j.id);
		snprintf(res->branch, sizeof res->branch, "%s", j.head.branch);
		if (o->tag) rc = commit_tag(r, o, &j, e);
	}
	commit_job_free(&j);
	return rc;
}

/* ---- reading history ---- */

static int rev_commit(struct vcs *r, const char *rev, git_commit **out, struct gs_err *e)
{
	git_object *obj = NULL;
	int rc = git_revparse_single(&obj, r->repo, rev);
	if (rc == GIT_ENOTFOUND)
		return gs_fail(e, EX_USAGE, "unknown revision '%s' (not a branch, tag or commit here)", rev);
	if (rc < 0) return fail_git(e, EX_USAGE, rc, "bad revision '%s'", rev);
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0) return fail_git(e, EX_USAGE, rc, "'%s' does not name a commit", rev);
	return 0;
}

/* ---- symbolic links in a tree: refused under goldset's folders ---- */

struct links {
	const char *dir;        /* "labels" */
	char *found;            /* the first link's path */
};

static int link_entry(const char *root, const git_tree_entry *te, void *payload)
{
	struct links *l = payload;
	if (git_tree_entry_filemode(te) != GIT_FILEMODE_LINK) return 0;
	l->found = xasprintf("%s/%s%s", l->dir, root, git_tree_entry_name(te));
	return GIT_EUSER;
}

/* the path of the first symbolic link under prefix in tree, or NULL */
static char *link_under(struct vcs *r, git_tree *tree, const char *dir)
{
	git_tree_entry *te = NULL;
	git_tree *sub = NULL;
	struct links l = { dir, NULL };
	if (git_tree_entry_bypath(&te, tree, dir) != 0) return NULL;
	if (git_tree_entry_filemode(te) == GIT_FILEMODE_LINK) l.found = xstrdup(dir);
	else if (git_tree_entry_type(te) == GIT_OBJECT_TREE &&
		 git_tree_lookup(&sub, r->repo, git_tree_entry_id(te)) == 0)
		(void)git_tree_walk(sub, GIT_TREEWALK_PRE, link_entry, &l);
	git_tree_free(sub);
	git_tree_entry_free(te);
	return l.found;
}

/* Refuses a tree holding a symbolic link (mode 120000) under goldset's
 * folders or as one of its files: a teammate's link would make goldset read
 * a file outside the workspace; and a tree holding .goldset (any mode). */
static int tree_links_refused(struct vcs *r, git_tree *tree, const char *rev, struct gs_err *e)
{
	if (git_oid_equal(&r->safe_tree, git_tree_id(tree))) return 0;
	/* .goldset/ is each machine's own store: checked out, it would replace it */
	git_tree_entry *local = NULL;
	if (git_tree_entry_bypath(&local, tree, ".goldset") == 0) {
		git_tree_entry_free(local);
		return gs_fail(e, EX_DATAERR, ".goldset in %s: goldset's local folder (the store) "
			       "never comes from git; the commit carrying it is refused", rev);
	}
	struct specs s;
	char *found = NULL;
	specs_make(&s, NULL);
	for (size_t i = 0; i < s.n && !found; i++) found = link_under(r, tree, s.dir[i]);
	specs_free(&s);
	if (!found) {
		git_oid_cpy(&r->safe_tree, git_tree_id(tree));
		return 0;
	}
	int rc = gs_fail(e, EX_DATAERR, "%s in %s is a symbolic link: goldset does not follow "
			 "links in a workspace", found, rev);
	free(found);
	return rc;
}

static int commit_links_refused(struct vcs *r, git_commit *c, const char *rev, struct gs_err *e)
{
	git_tree *t = NULL;
	int rc = git_commit_tree(&t, c);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot read the tree of '%s'", rev);
	rc = tree_links_refused(r, t, rev, e);
	git_tree_free(t);
	return rc;
}

static int rev_tree(struct vcs *r, const char *rev, git_tree **out, struct gs_err *e)
{
	git_commit *c = NULL;
	int rc = rev_commit(r, rev, &c, e);
	if (rc) return rc;
	rc = git_commit_tree(out, c);
	git_commit_free(c);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot read the tree of '%s'", rev);
	if ((rc = tree_links_refused(r, *out, rev, e))) {
		git_tree_free(*out);
		*out = NULL;
	}
	return rc;
}

int vcs_resolve(struct vcs *r, const char *rev, char out_hex[41], struct gs_err *e)
{
	git_commit *c = NULL;
	int rc = rev_commit(r, rev, &c, e);
	if (rc) return rc;
	oid_hex(out_hex, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

int vcs_read_file_at(struct vcs *r, const char *rev, const char *path,
		     char **data, size_t *len, struct gs_err *e)
{
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	git_blob *blob = NULL;
	int rc = rev_tree(r, rev, &tree, e);
	if (rc) return rc;
	rc = git_tree_entry_bypath(&te, tree, path);
	if (rc == 0 && git_tree_entry_type(te) != GIT_OBJECT_BLOB) rc = GIT_ENOTFOUND;
	if (rc == GIT_ENOTFOUND) rc = gs_fail(e, EX_NOINPUT, "%s: no such file in %s", path, rev);
	else if (rc == 0 && (rc = git_blob_lookup(&blob, r->repo, git_tree_entry_id(te))) < 0)
		rc = fail_git(e, EX_IOERR, rc, "%s: cannot read it at %s", path, rev);
	if (rc == 0) {
		*len = (size_t)git_blob_rawsize(blob);
		*data = xmalloc(*len + 1);
		memcpy(*data, git_blob_rawcontent(blob), *len);
		(*data)[*len] = 0;
	}
	git_blob_free(blob);
	git_tree_entry_free(te);
	git_tree_free(tree);
	return rc;
}

struct walk {
	const char *dir;        /* "labels", or "" for the whole tree */
	vcs_file_fn fn;
	void *arg;
	int stopped;
};

static int walk_entry(const char *root, const git_tree_entry *te, void *payload)
{
	struct walk *w = payload;
	char hex[41];
	if (git_tree_entry_type(te) != GIT_OBJECT_BLOB) return 0;
	char *path = xasprintf("%s%s%s%s", w->dir, *w->dir ? "/" : "", root, git_tree_entry_name(te));
	oid_hex(hex, git_tree_entry_id(te));
	w->stopped = w->fn(path, hex, w->arg) != 0;
	free(path);
	return w->stopped ? GIT_EUSER : 0;
}

/* the subtree at dir ("" for tree itself); GIT_ENOTFOUND when absent */
static int subtree(struct vcs *r, git_tree *tree, const char *dir, git_tree **out)
{
	git_tree_entry *te = NULL;
	if (!*dir) return git_tree_dup(out, tree);
	int rc = git_tree_entry_bypath(&te, tree, dir);
	if (rc == 0 && git_tree_entry_type(te) != GIT_OBJECT_TREE) rc = GIT_ENOTFOUND;
	if (rc == 0) rc = git_tree_lookup(out, r->repo, git_tree_entry_id(te));
	git_tree_entry_free(te);
	return rc;
}

int vcs_list_files_at(struct vcs *r, const char *rev, const char *prefix,
		      vcs_file_fn fn, void *arg, struct gs_err *e)
{
	git_tree *tree = NULL, *sub = NULL;
	const char *p[2] = { prefix && *prefix ? prefix : "", NULL };
	struct specs s;
	int rc = rev_tree(r, rev, &tree, e);
	if (rc) return rc;
	specs_make(&s, p);
	struct walk w = { s.dir[0], fn, arg, 0 };
	rc = subtree(r, tree, w.dir, &sub);
	if (rc == 0) rc = git_tree_walk(sub, GIT_TREEWALK_PRE, walk_entry, &w);
	if (rc == GIT_ENOTFOUND || w.stopped) rc = 0;
	if (rc < 0) rc = fail_git(e, EX_IOERR, rc, "cannot list %s at %s", p[0], rev);
	git_tree_free(sub);
	git_tree_free(tree);
	specs_free(&s);
	return rc;
}

static char change_status(git_delta_t d)
{
	switch (d) {
	case GIT_DELTA_ADDED: return 'A';
	case GIT_DELTA_DELETED: return 'D';
	default: return 'M';
	}
}

static int emit_changes(git_diff *d, vcs_change_fn fn, void *arg)
{
	for (size_t i = 0; i < git_diff_num_deltas(d); i++) {
		const git_diff_delta *dd = git_diff_get_delta(d, i);
		struct vcs_change c = { change_status(dd->status), dd->new_file.path, "", "" };
		if (dd->status == GIT_DELTA_DELETED) c.path = dd->old_file.path;
		oid_hex(c.old_id, &dd->old_file.id);
		oid_hex(c.new_id, &dd->new_file.id);
		if (fn(&c, arg)) break;
	}
	return 0;
}

int vcs_changed_files(struct vcs *r, const char *old_rev, const char *new_rev,
		      const char *prefix, vcs_change_fn fn, void *arg, struct gs_err *e)
{
	git_tree *a = NULL, *b = NULL;
	git_diff *d = NULL;
	git_diff_options o;
	const char *p[2] = { prefix ? prefix : "", NULL };
	struct specs s;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	specs_make(&s, p);
	if (*s.dir[0]) o.pathspec = s.arr;
	o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	int rc = old_rev ? rev_tree(r, old_rev, &a, e) : 0;
	if (rc == 0) rc = rev_tree(r, new_rev, &b, e);
	if (rc == 0 && (rc = git_diff_tree_to_tree(&d, r->repo, a, b, &o)) < 0)
		rc = fail_git(e, EX_IOERR, rc, "cannot compare %s with %s", old_rev ? old_rev : "nothing", new_rev);
	if (rc == 0) rc = emit_changes(d, fn, arg);
	git_diff_free(d);
	git_tree_free(a);
	git_tree_free(b);
	specs_free(&s);
	return rc;
}

int vcs_blob_at(struct vcs *r, const char *rev, const char *path, char out_hex[41], struct gs_err *e)
{
	git_tree *t = NULL;
	git_tree_entry *te = NULL;
	int rc = rev_tree(r, rev, &t, e);
	if (rc) return rc;
	if (git_tree_entry_bypath(&te, t, path) != 0) rc = gs_fail(e, EX_NOINPUT, "%s is not in %s", path, rev);
	else oid_hex(out_hex, git_tree_entry_id(te));
	git_tree_entry_free(te);
	git_tree_free(t);
	return rc;
}

/* the id of dir in tree, or zeros when it is absent */
static void dir_id(git_tree *tree, const char *dir, git_oid *out)
{
	git_tree_entry *te = NULL;
	memset(out, 0, sizeof *out);
	if (git_tree_entry_bypath(&te, tree, dir) == 0) git_oid_cpy(out, git_tree_entry_id(te));
	git_tree_entry_free(te);
}

static int same_prefixes(git_tree *a, git_tree *b, const struct specs *s)
{
	for (size_t i = 0; i < s->n; i++) {
		git_oid x, y;
		dir_id(a, s->dir[i], &x);
		dir_id(b, s->dir[i], &y);
		if (!git_oid_equal(&x, &y)) return 0;
	}
	return 1;
}

/* a commit touched the prefixes when it differs there from every parent
 * (a root commit: when it has any of them) */
static int touched(git_commit *c, const struct specs *s)
{
	git_tree *t = NULL;
	unsigned n = git_commit_parentcount(c), differs = 0;
	if (git_commit_tree(&t, c) < 0) return 0;
	for (unsigned i = 0; i < n; i++) {
		git_commit *p = NULL;
		git_tree *pt = NULL;
		if (git_commit_parent(&p, c, i) == 0 && git_commit_tree(&pt, p) == 0)
			differs += !same_prefixes(t, pt, s);
		git_tree_free(pt);
		git_commit_free(p);
	}
	if (n == 0) {
		git_oid z;
		for (size_t i = 0; i < s->n && !differs; i++) {
			dir_id(t, s->dir[i], &z);
			differs = !git_oid_is_zero(&z);
		}
		n = 1;
	}
	git_tree_free(t);
	return differs == n;
}

static int log_emit(git_commit *c, vcs_log_fn fn, void *arg)
{
	const git_signature *a = git_commit_author(c);
	struct vcs_log_entry le;
	memset(&le, 0, sizeof le);
	oid_hex(le.id, git_commit_id(c));
	le.author_name = a->name;
	le.author_email = a->email;
	le.time = (int64_t)a->when.time;
	le.tz_minutes = a->when.offset;
	le.summary = git_commit_summary(c);
	if (!le.summary) le.summary = "";
	le.message = git_commit_message(c);
	le.parents = git_commit_parentcount(c);
	return fn(&le, arg);
}

static int log_start(struct vcs *r, git_revwalk *w, const char *rev, struct gs_err *e)
{
	git_commit *c = NULL;
	if (!rev) {
		if (git_repository_head_unborn(r->repo) == 1) return VCS_NOTHING;
		int rc = git_revwalk_push_head(w);
		if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot read HEAD");
		return 0;
	}
	int rc = rev_commit(r, rev, &c, e);
	if (rc) return rc;
	rc = git_revwalk_push(w, git_commit_id(c));
	git_commit_free(c);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot walk history from '%s'", rev);
	return 0;
}

int vcs_log(struct vcs *r, const char *rev, const char *const *prefixes,
	    vcs_log_fn fn, void *arg, struct gs_err *e)
{
	git_revwalk *w = NULL;
	git_oid id;
	struct specs s;
	int rc = git_revwalk_new(&w, r->repo);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot read history");
	specs_make(&s, prefixes);
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	rc = log_start(r, w, rev, e);
	while (rc == 0 && (rc = git_revwalk_next(&id, w)) == 0) {
		git_commit *c = NULL;
		if ((rc = git_commit_lookup(&c, r->repo, &id)) < 0) break;
		if (touched(c, &s) && log_emit(c, fn, arg)) rc = GIT_ITEROVER;
		git_commit_free(c);
	}
	if (rc == GIT_ITEROVER || rc == VCS_NOTHING) rc = 0;
	else if (rc < 0) rc = fail_git(e, EX_IOERR, rc, "cannot read history");
	git_revwalk_free(w);
	specs_free(&s);
	return rc;
}

/* ---- status ---- */

static const char *status_path(const git_status_entry *se)
{
	const git_diff_delta *d = se->index_to_workdir ? se->index_to_workdir : se->head_to_index;
	if (!d) return "";
	return d->new_file.path ? d->new_file.path : d->old_file.path;
}

int vcs_status_clean(struct vcs *r, const char *prefix, int *clean,
		     char **first_dirty, struct gs_err *e)
{
	git_status_options so;
	git_status_list *list = NULL;
	git_index *idx = NULL;
	const char *p[2] = { prefix ? prefix : "", NULL };
	struct specs s;
	if (first_dirty) *first_dirty = NULL;
	int rc = fresh_index(r, &idx, e);   /* status would trust a cached index */
	git_index_free(idx);
	if (rc) return rc;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	specs_make(&s, p);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
	if (*s.dir[0]) so.pathspec = s.arr;
	rc = git_status_list_new(&list, r->repo, &so);
	if (rc < 0) rc = fail_git(e, EX_IOERR, rc, "cannot read the status of %s", r->top);
	if (rc == 0) {
		size_t n = git_status_list_entrycount(list);
		*clean = n == 0;
		if (n && first_dirty) *first_dirty = xstrdup(status_path(git_status_byindex(list, 0)));
	}
	git_status_list_free(list);
	specs_free(&s);
	return rc;
}

/* ---- remotes ---- */

struct net {
	int cred_calls;
	char why[400];          /* our own reason for stopping libgit2 */
	char rejected[400];     /* a branch the remote refused, and why */
	struct vcs_tags *tags;  /* push: tags the remote refused move to conflicts */
};

static int cred_ssh(git_credential **out, const char *user, struct net *n)
{
	if (!getenv("SSH_AUTH_SOCK")) {
		snprintf(n->why, sizeof n->why, "ssh needs a key from ssh-agent and no agent is "
			 "running (SSH_AUTH_SOCK is not set; start one and ssh-add your key)");
		return GIT_EUSER;
	}
	if (n->cred_calls > 1) {
		snprintf(n->why, sizeof n->why, "ssh login failed with every key in ssh-agent");
		return GIT_EUSER;
	}
	return git_credential_ssh_key_from_agent(out, user ? user : "git");
}

static int cred_https(git_credential **out, const char *user, struct net *n)
{
	const char *u = getenv("GOLDSET_GIT_USERNAME"), *p = getenv("GOLDSET_GIT_PASSWORD");
	if (!p || !*p) {
		snprintf(n->why, sizeof n->why, "the remote asks for a login; set GOLDSET_GIT_USERNAME "
			 "and GOLDSET_GIT_PASSWORD (a token), or use an ssh remote");
		return GIT_EUSER;
	}
	if (n->cred_calls > 1) {
		snprintf(n->why, sizeof n->why, "login refused for GOLDSET_GIT_USERNAME / "
			 "GOLDSET_GIT_PASSWORD");
		return GIT_EUSER;
	}
	return git_credential_userpass_plaintext_new(out, u && *u ? u : user ? user : "git", p);
}

/* never prompts; gives up after a couple of attempts so nothing can loop */
static int on_credentials(git_credential **out, const char *url, const char *user,
			  unsigned int allowed, void *payload)
{
	struct net *n = payload;
	(void)url;
	if (++n->cred_calls > 4) {
		snprintf(n->why, sizeof n->why, "login failed");
		return GIT_EUSER;
	}
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user ? user : "git");
	if (allowed & GIT_CREDENTIAL_SSH_KEY) return cred_ssh(out, user, n);
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) return cred_https(out, user, n);
	snprintf(n->why, sizeof n->why, "the remote asks for a kind of login goldset cannot give");
	return GIT_EUSER;
}

static void tags_refused(struct vcs_tags *t, const char *refname);

static int on_push_ref(const char *refname, const char *status, void *payload)
{
	struct net *n = payload;
	if (status && n->tags && strncmp(refname, "refs/tags/", 10) == 0)
		tags_refused(n->tags, refname);
	else if (status && !n->rejected[0])
		snprintf(n->rejected, sizeof n->rejected, "%s: %s", refname, status);
	return 0;
}

static void callbacks_init(git_remote_callbacks *cb, struct net *n)
{
	memset(n, 0, sizeof *n);
	cb->credentials = on_credentials;
	cb->push_update_reference = on_push_ref;
	cb->payload = n;
}

static int remote_open(struct vcs *r, const char *name, git_remote **out, struct gs_err *e)
{
	int rc = git_remote_lookup(out, r->repo, name);
	if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC)
		return gs_fail(e, EX_USAGE, "no git remote named '%s' (add one: git remote add %s URL)",
			       name, name);
	if (rc < 0) return fail_git(e, EX_CONFIG, rc, "cannot use git remote '%s'", name);
	return 0;
}

static int net_fail(struct gs_err *e, const struct net *n, git_remote *rm, int rc,
		    const char *doing)
{
	const char *url = git_remote_url(rm) ? git_remote_url(rm) : "?";
	if (!strstr(url, "://") && !strchr(url, ':') && !is_dir(url))
		return gs_fail(e, EX_UNAVAILABLE, "cannot %s '%s' (%s): no such folder", doing,
			       git_remote_name(rm), url);
	if (n->why[0])
		return gs_fail(e, EX_NOPERM, "cannot %s '%s' (%s): %s", doing,
			       git_remote_name(rm), url, n->why);
	int code = rc == GIT_EAUTH || rc == GIT_ECERTIFICATE ? EX_NOPERM : EX_UNAVAILABLE;
	return fail_git(e, code, rc, "cannot %s '%s' (%s)", doing, git_remote_name(rm), url);
}

/* ---- tags (never overwritten on either side) ---- */

size_t vcs_tags_count(const GArray *list) { return list ? list->len : 0; }

static struct vcs_tag *tag_at(GArray *list, size_t i) { return &g_array_index(list, struct vcs_tag, i); }

static void tag_list_free(GArray *list)
{
	for (size_t i = 0; i < vcs_tags_count(list); i++) free(tag_at(list, i)->name);
	if (list) g_array_free(list, TRUE);
}

void vcs_tags_free(struct vcs_tags *t)
{
	if (!t) return;
	tag_list_free(t->copied);
	tag_list_free(t->conflicts);
	memset(t, 0, sizeof *t);
}

/* refname is "refs/tags/NAME"; there NULL: unknown */
static void tags_append(GArray **list, const struct vcs_tag *t)
{
	if (!*list) *list = g_array_new(FALSE, FALSE, sizeof(struct vcs_tag));
	g_array_append_val(*list, *t);
}

static void tags_add(GArray **list, const char *refname, const git_oid *here, const git_oid *there)
{
	struct vcs_tag t = {xstrdup(refname + 10), "", ""};
	oid_hex(t.here, here);
	if (there) oid_hex(t.there, there);
	else snprintf(t.there, sizeof t.there, "%s", zero_hex);
	tags_append(list, &t);
}

/* a tag we meant to push that the remote refused: a conflict after all */
static void tags_refused(struct vcs_tags *t, const char *refname)
{
	for (size_t i = 0; i < vcs_tags_count(t->copied); i++) {
		struct vcs_tag c = *tag_at(t->copied, i);
		if (strcmp(c.name, refname + 10) != 0) continue;
		snprintf(c.there, sizeof c.there, "%s", zero_hex);
		tags_append(&t->conflicts, &c);
		g_array_remove_index(t->copied, (guint)i);
		return;
	}
}

static int tag_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vcs_tag *)a)->name, ((const struct vcs_tag *)b)->name);
}

static void tags_sort(struct vcs_tags *t)
{
	if (t->copied) g_array_sort(t->copied, tag_cmp);
	if (t->conflicts) g_array_sort(t->conflicts, tag_cmp);
}

/* 1 when id is in this repository and is (or tags) a commit, put in out;
 * else 0, and out is id itself */
static int tag_commit(git_repository *repo, const git_oid *id, git_oid *out)
{
	git_object *o = NULL, *c = NULL;
	int found = git_object_lookup(&o, repo, id, GIT_OBJECT_ANY) == 0 &&
		    git_object_peel(&c, o, GIT_OBJECT_COMMIT) == 0;
	git_oid_cpy(out, found ? git_object_id(c) : id);
	git_object_free(c);
	git_object_free(o);
	return found;
}

static int is_tag_ref(const char *name)
{
	size_t n = strlen(name);
	return strncmp(name, "refs/tags/", 10) == 0 && n > 10 && !(n > 3 && strcmp(name + n - 3, "^{}") == 0);
}

/* one of the remote's references, after a download of every tag's objects */
static int fetch_tag(struct vcs *r, const git_remote_head *h, const char *log,
		     struct vcs_tags *t, struct gs_err *e)
{
	git_oid here, a, b;
	git_reference *ref = NULL;
	if (!is_tag_ref(h->name)) return 0;
	int rc = git_reference_name_to_id(&here, r->repo, h->name);
	if (rc == 0 && git_oid_equal(&here, &h->oid)) return 0;
	if (rc == 0) {
		tag_commit(r->repo, &here, &a);
		tag_commit(r->repo, &h->oid, &b);
		if (!git_oid_equal(&a, &b)) tags_add(&t->conflicts, h->name, &a, &b);
		return 0;
	}
	/* a name this repository cannot hold, or an object the remote did not send */
	if (rc != GIT_ENOTFOUND || !tag_commit(r->repo, &h->oid, &b)) return 0;
	rc = git_reference_create(&ref, r->repo, h->name, &h->oid, 0, log);
	git_reference_free(ref);
	if (rc == 0) tags_add(&t->copied, h->name, &b, &b);
	else if (rc != GIT_EEXISTS)
		return fail_git(e, 0, rc, "fetched, but cannot create tag %s", h->name + 10);
	return 0;
}

static int fetch_tags(struct vcs *r, git_remote *rm, struct vcs_tags *t, struct gs_err *e)
{
	const git_remote_head **v = NULL;
	size_t n = 0;
	int rc = git_remote_ls(&v, &n, rm);
	if (rc < 0) return fail_git(e, 0, rc, "cannot list the tags of remote '%s'", git_remote_name(rm));
	char *log = xasprintf("fetch %s: new tag", git_remote_name(rm));
	for (size_t i = 0; rc == 0 && i < n; i++) rc = fetch_tag(r, v[i], log, t, e);
	free(log);
	tags_sort(t);
	return rc;
}

/* Downloads the branches the refspecs name and every tag's objects, moves
 * the remote-tracking branches (libgit2 is told to leave tags alone: asked
 * for all of them, it would overwrite local ones), then adds the tags. */
static int fetch_remote(struct vcs *r, git_remote *rm, struct vcs_tags *tags, struct gs_err *e)
{
	struct net n;
	struct vcs_tags none = {0};
	git_fetch_options fo;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	callbacks_init(&fo.callbacks, &n);
	fo.proxy_opts.type = GIT_PROXY_AUTO;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
	char *log = xasprintf("fetch %s", git_remote_name(rm));
	int rc = git_remote_download(rm, NULL, &fo);
	git_remote_disconnect(rm);
	if (rc < 0) rc = net_fail(e, &n, rm, rc, "fetch from");
	else if ((rc = git_remote_update_tips(rm, &fo.callbacks, 1, GIT_REMOTE_DOWNLOAD_TAGS_NONE, log)) < 0 ||
		 (git_remote_prune_refs(rm) && (rc = git_remote_prune(rm, &fo.callbacks)) < 0))
		rc = fail_git(e, 0, rc, "fetched from '%s', but cannot update its branches here",
			      git_remote_name(rm));
	if (rc == 0) rc = fetch_tags(r, rm, tags ? tags : &none, e);
	vcs_tags_free(&none);
	free(log);
	return rc;
}

int vcs_fetch(struct vcs *r, const char *remote, struct vcs_tags *tags, struct gs_err *e)
{
	git_remote *rm = NULL;
	if (tags) memset(tags, 0, sizeof *tags);
	int rc = remote_open(r, remote ? remote : "origin", &rm, e);
	if (rc == 0) rc = fetch_remote(r, rm, tags, e);
	git_remote_free(rm);
	return rc;
}

/* ---- pull ---- */

struct pull {
	struct head head;
	git_remote *rm;
	git_commit *theirs;
	git_commit *merged;
	struct ident ident;
};

/* the remote-tracking commit of branch, found through the fetch refspecs */
static int upstream_commit(struct vcs *r, struct pull *p, struct gs_err *e)
{
	char *src = xasprintf("refs/heads/%s", p->head.branch);
	const char *name = git_remote_name(p->rm);
	int rc = GIT_ENOTFOUND, mapped = 0;
	git_oid id;
	for (size_t i = 0; !mapped && i < git_remote_refspec_count(p->rm); i++) {
		const git_refspec *s = git_remote_get_refspec(p->rm, i);
		git_buf dst = GIT_BUF_INIT;
		if (git_refspec_direction(s) != GIT_DIRECTION_FETCH || !git_refspec_src_matches(s, src))
			continue;
		mapped = git_refspec_transform(&dst, s, src) == 0;
		if (mapped) rc = git_reference_name_to_id(&id, r->repo, dst.ptr);
		git_buf_dispose(&dst);
	}
	free(src);
	if (!mapped)
		return gs_fail(e, EX_CONFIG, "remote '%s' does not fetch branch '%s' "
			       "(see remote.%s.fetch in .git/config)", name, p->head.branch, name);
	if (rc == GIT_ENOTFOUND)
		return gs_fail(e, EX_NOINPUT, "remote '%s' has no branch '%s' yet (push it first)",
			       name, p->head.branch);
	if (rc == 0) rc = git_commit_lookup(&p->theirs, r->repo, &id);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot read '%s' from remote '%s'", p->head.branch, name);
	return 0;
}

struct co_note { char path[300]; size_t n; };

static int on_checkout_conflict(git_checkout_notify_t why, const char *path,
				const git_diff_file *base, const git_diff_file *target,
				const git_diff_file *wd, void *payload)
{
	struct co_note *c = payload;
	(void)why; (void)base; (void)target; (void)wd;
	if (!c->n++) snprintf(c->path, sizeof c->path, "%s", path);
	return 0;
}

/* Makes the working tree and index match target, from HEAD's tree; refuses
 * (changing nothing) where that would lose an uncommitted change. */
static int checkout_commit(struct vcs *r, git_commit *target, struct gs_err *e)
{
	struct co_note c = { "", 0 };
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	co.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
	co.notify_cb = on_checkout_conflict;
	co.notify_payload = &c;
	int rc = git_checkout_tree(r->repo, (const git_object *)target, &co);
	if (c.n)
		return gs_fail(e, EX_DATAERR, "cannot pull: it would overwrite your uncommitted "
			       "change to %s%s; commit it (goldset commit) or undo it, then pull "
			       "again; nothing was changed", c.path, c.n > 1 ? " and other files" : "");
	if (rc < 0) return fail_git(e, 0, rc, "cannot pull: cannot update the working tree");
	return 0;
}

/* best effort: puts the working tree back from target to HEAD's commit */
static void checkout_back(struct vcs *r, const struct pull *p, git_commit *target)
{
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	git_tree *t = NULL;
	if (!p->head.commit || git_commit_tree(&t, target) < 0) return;
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	co.baseline = t;
	(void)git_checkout_tree(r->repo, (const git_object *)p->head.commit, &co);
	git_tree_free(t);
}

/* checks out target, then moves the branch; undoes the checkout on failure */
static int pull_advance(struct vcs *r, struct pull *p, git_commit *target,
			const char *log, struct gs_err *e)
{
	int rc = checkout_commit(r, target, e);
	if (rc) return rc;
	rc = move_branch(r, &p->head, git_commit_id(target), log, e);
	if (rc) checkout_back(r, p, target);
	return rc;
}

static int conflict_fail(struct pull *p, git_index *mi, struct gs_err *e)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *ours, *theirs;
	char first[300] = "?";
	size_t n = 0;
	if (git_index_conflict_iterator_new(&it, mi) == 0) {
		while (git_index_conflict_next(&anc, &ours, &theirs, it) == 0) {
			const git_index_entry *x = ours ? ours : theirs ? theirs : anc;
			if (!n++) snprintf(first, sizeof first, "%s", x->path);
		}
	}
	git_index_conflict_iterator_free(it);
	return gs_fail(e, EX_DATAERR, "cannot pull: %s was changed both here and on '%s'%s; "
		       "nothing was changed (merge it by hand with git pull)", first,
		       git_remote_name(p->rm), n > 1 ? " (and other files)" : "");
}

/* the content of path in tree t; absent: NULL and 0 */
static int tree_blob(struct vcs *r, git_tree *t, const char *path, char **data, size_t *len)
{
	git_tree_entry *te = NULL;
	git_blob *b = NULL;
	*data = NULL;
	*len = 0;
	if (git_tree_entry_bypath(&te, t, path) != 0) return 0;
	int rc = git_blob_lookup(&b, r->repo, git_tree_entry_id(te));
	if (rc == 0) {
		*len = (size_t)git_blob_rawsize(b);
		*data = xmalloc(*len + 1);
		memcpy(*data, git_blob_rawcontent(b), *len);
		(*data)[*len] = 0;
	}
	git_blob_free(b);
	git_tree_entry_free(te);
	return rc;
}

/* one file the merger owns: both sides' versions merged into mi */
static int merge_one(struct vcs *r, git_tree *ours, git_tree *theirs, const char *path,
		     const struct vcs_merger *m, git_index *mi, struct gs_err *e)
{
	char *a = NULL, *b = NULL, *out = NULL;
	size_t alen = 0, blen = 0, olen = 0;
	git_oid id;
	int rc = tree_blob(r, ours, path, &a, &alen);
	if (rc == 0) rc = tree_blob(r, theirs, path, &b, &blen);
	if (rc < 0) rc = fail_git(e, EX_IOERR, rc, "cannot pull: cannot read %s", path);
	else rc = m->merge(m->ctx, path, a ? a : "", alen, b ? b : "", blen, &out, &olen, e);
	if (rc == 0 && (rc = git_blob_create_from_buffer(&id, r->repo, out, olen)) < 0)
		rc = fail_git(e, EX_IOERR, rc, "cannot pull: cannot write %s", path);
	if (rc == 0) {
		git_index_entry ie;
		memset(&ie, 0, sizeof ie);
		ie.path = path;
		ie.mode = GIT_FILEMODE_BLOB;
		git_oid_cpy(&ie.id, &id);
		(void)git_index_conflict_remove(mi, path);   /* none: nothing to remove */
		if ((rc = git_index_add(mi, &ie)) < 0) rc = fail_git(e, EX_IOERR, rc, "cannot pull: %s", path);
	}
	free(a);
	free(b);
	free(out);
	return rc;
}

/* every file the merger owns that differs between the two sides is
 * merged by its rule, whatever git's line merge made of it */
static int merge_owned(struct vcs *r, struct pull *p, git_index *mi, const struct vcs_merger *m,
		       struct gs_err *e)
{
	git_tree *ours = NULL, *theirs = NULL;
	git_diff *d = NULL;
	int rc = git_commit_tree(&ours, p->head.commit);
	if (rc == 0) rc = git_commit_tree(&theirs, p->theirs);
	if (rc == 0) rc = git_diff_tree_to_tree(&d, r->repo, ours, theirs, NULL);
	if (rc < 0) rc = fail_git(e, EX_IOERR, rc, "cannot pull: cannot compare the two sides");
	for (size_t i = 0; rc == 0 && d && i < git_diff_num_deltas(d); i++) {
		const git_diff_delta *dd = git_diff_get_delta(d, i);
		const char *path = dd->status == GIT_DELTA_DELETED ? dd->old_file.path : dd->new_file.path;
		if (m->claims(path)) rc = merge_one(r, ours, theirs, path, m, mi, e);
	}
	git_diff_free(d);
	git_tree_free(ours);
	git_tree_free(theirs);
	return rc;
}

/* the merge commit of HEAD and theirs, built in memory (nothing checked out) */
static int pull_merge_commit(struct vcs *r, struct pull *p, const struct vcs_merger *m,
			     struct vcs_pull_result *res, struct gs_err *e)
{
	git_index *mi = NULL;
	git_tree *tree = NULL;
	git_oid tid, mid;
	const git_commit *parents[2] = { p->head.commit, p->theirs };
	int rc = git_merge_commits(&mi, r->repo, p->head.commit, p->theirs, NULL);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot pull: cannot merge");
	if (m) rc = merge_owned(r, p, mi, m, e);
	if (rc == 0 && git_index_has_conflicts(mi)) rc = conflict_fail(p, mi, e);
	if (rc == 0) rc = ident_load(r, &p->ident, res->who, e);
	if (rc == 0 && ((rc = git_index_write_tree_to(&tid, mi, r->repo)) < 0 ||
			(rc = git_tree_lookup(&tree, r->repo, &tid)) < 0))
		rc = fail_git(e, EX_IOERR, rc, "cannot pull: cannot write the merged tree");
	if (rc == 0) {
		char *msg = xasprintf("Merge branch '%s' of %s\n", p->head.branch, git_remote_url(p->rm));
		rc = git_commit_create(&mid, r->repo, NULL, p->ident.author, p->ident.committer,
				       NULL, msg, tree, 2, parents);
		free(msg);
		if (rc == 0) rc = git_commit_lookup(&p->merged, r->repo, &mid);
		if (rc < 0) rc = fail_git(e, EX_IOERR, rc, "cannot pull: cannot create the merge commit");
	}
	res->identity_fallback = p->ident.fallback;
	git_tree_free(tree);
	git_index_free(mi);
	return rc;
}

static int pull_integrate(struct vcs *r, struct pull *p, const struct vcs_merger *m,
			  struct vcs_pull_result *res, struct gs_err *e)
{
	const git_oid *theirs = git_commit_id(p->theirs);
	if (!p->head.commit) {
		res->kind = VCS_FAST_FORWARD;
		return pull_advance(r, p, p->theirs, "pull: Fast-forward", e);
	}
	const git_oid *ours = git_commit_id(p->head.commit);
	if (git_oid_equal(ours, theirs) || git_graph_descendant_of(r->repo, ours, theirs) == 1) {
		res->kind = VCS_UP_TO_DATE;
		return 0;
	}
	if (git_graph_descendant_of(r->repo, theirs, ours) == 1) {
		res->kind = VCS_FAST_FORWARD;
		return pull_advance(r, p, p->theirs, "pull: Fast-forward", e);
	}
	res->kind = VCS_MERGED;
	int rc = pull_merge_commit(r, p, m, res, e);
	if (rc == 0) rc = pull_advance(r, p, p->merged, "pull: Merge made by goldset", e);
	return rc;
}

static void pull_free(struct pull *p)
{
	head_free(&p->head);
	git_remote_free(p->rm);
	git_commit_free(p->theirs);
	git_commit_free(p->merged);
	ident_free(&p->ident);
}

int vcs_pull(struct vcs *r, const char *remote, const struct vcs_merger *m, struct vcs_pull_result *res,
	     struct gs_err *e)
{
	struct pull p;
	git_index *idx = NULL;
	memset(&p, 0, sizeof p);
	memset(res, 0, sizeof *res);
	int rc = head_load(r, &p.head, "pull", e);
	if (rc == 0) rc = state_ok(r, "pull", e);
	if (rc == 0) rc = index_unlocked(r, "pull", e);
	if (rc == 0) rc = fresh_index(r, &idx, e);  /* checkout must see the index on disk */
	git_index_free(idx);
	snprintf(res->old_id, sizeof res->old_id, "%s", zero_hex);
	if (rc == 0 && p.head.commit) oid_hex(res->old_id, git_commit_id(p.head.commit));
	if (rc == 0) rc = remote_open(r, remote ? remote : "origin", &p.rm, e);
	if (rc == 0) rc = fetch_remote(r, p.rm, &res->tags, e);
	if (rc == 0) rc = upstream_commit(r, &p, e);
	if (rc == 0) rc = commit_links_refused(r, p.theirs, "the fetched commit", e);
	if (rc == 0) rc = pull_integrate(r, &p, m, res, e);
	snprintf(res->new_id, sizeof res->new_id, "%s", res->old_id);
	if (rc == 0 && res->kind != VCS_UP_TO_DATE)
		oid_hex(res->new_id, git_commit_id(p.merged ? p.merged : p.theirs));
	pull_free(&p);
	return rc;
}

/* ---- push ---- */

static int push_rejected(struct gs_err *e, const char *branch, git_remote *rm, const char *why)
{
	return gs_fail(e, EX_TEMPFAIL, "push to '%s' rejected%s%s: branch '%s' there has commits "
		       "you do not have; run goldset pull, then push again",
		       git_remote_name(rm), why ? " " : "", why ? why : "", branch);
}

/* what goes: the branch, then the tags the remote lacks */
struct plan {
	git_repository *repo;
	const git_oid *head;
	const git_remote_head **heads;  /* the remote's references */
	size_t nheads;
	GPtrArray *specs;               /* "refs/...:refs/..." (owned) */
	struct vcs_tags *tags;
};

static void plan_spec(struct plan *p, const char *refname)
{
	g_ptr_array_add(p->specs, xasprintf("%s:%s", refname, refname));
}

static const git_remote_head *plan_find(const struct plan *p, const char *name)
{
	for (size_t i = 0; i < p->nheads; i++)
		if (strcmp(p->heads[i]->name, name) == 0) return p->heads[i];
	return NULL;
}

/* the commit the remote's tag names: its peeled entry when advertised */
static int plan_there(const struct plan *p, const char *refname, git_oid *out)
{
	const git_remote_head *h = plan_find(p, refname);
	if (!h) return 0;
	char *peeled = xasprintf("%s^{}", refname);
	const git_remote_head *ph = plan_find(p, peeled);
	free(peeled);
	if (ph) git_oid_cpy(out, &ph->oid);
	else tag_commit(p->repo, &h->oid, out);
	return 1;
}

static int plan_tag(const char *refname, git_oid *id, void *payload)
{
	struct plan *p = payload;
	git_oid here, there;
	if (!is_tag_ref(refname) || !tag_commit(p->repo, id, &here)) return 0;
	if (!git_oid_equal(&here, p->head) && git_graph_descendant_of(p->repo, p->head, &here) != 1) return 0;
	if (!plan_there(p, refname, &there)) {
		plan_spec(p, refname);
		tags_add(&p->tags->copied, refname, &here, &here);
	} else if (!git_oid_equal(&here, &there)) {
		tags_add(&p->tags->conflicts, refname, &here, &there);
	}
	return 0;
}

/* connects, reads the remote's references and decides what to push */
static int push_plan(struct vcs *r, git_remote *rm, const struct head *h, git_push_options *po,
		     struct net *n, struct plan *p, int *up_to_date, struct gs_err *e)
{
	int rc = git_remote_connect(rm, GIT_DIRECTION_PUSH, &po->callbacks, &po->proxy_opts, NULL);
	if (rc < 0) return net_fail(e, n, rm, rc, "push to");
	rc = git_remote_ls(&p->heads, &p->nheads, rm);
	if (rc < 0) return fail_git(e, 0, rc, "cannot list the references of remote '%s'", git_remote_name(rm));
	const git_remote_head *there = plan_find(p, h->refname);
	*up_to_date = there && git_oid_equal(&there->oid, p->head);
	plan_spec(p, h->refname);
	rc = git_tag_foreach(r->repo, plan_tag, p);
	if (rc < 0) return fail_git(e, EX_IOERR, rc, "cannot read the tags of %s", r->top);
	return 0;
}

static int push_branch(struct vcs *r, git_remote *rm, const struct head *h, struct vcs_push_result *res,
		       struct gs_err *e)
{
	struct net n;
	git_push_options po;
	struct plan p = { r->repo, git_commit_id(h->commit), NULL, 0, g_ptr_array_new_with_free_func(free), &res->tags };
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	callbacks_init(&po.callbacks, &n);
	n.tags = &res->tags;
	po.proxy_opts.type = GIT_PROXY_AUTO;
	int rc = push_plan(r, rm, h, &po, &n, &p, &res->up_to_date, e);
	if (rc == 0) {
		git_strarray specs = { (char **)p.specs->pdata, p.specs->len };
		rc = git_remote_push(rm, &specs, &po);
		if (rc == GIT_ENONFASTFORWARD) rc = push_rejected(e, h->branch, rm, NULL);
		else if (rc < 0) rc = net_fail(e, &n, rm, rc, "push to");
		else if (n.rejected[0] && (strstr(n.rejected, "fast") || strstr(n.rejected, "fetch first")))
			rc = push_rejected(e, h->branch, rm, n.rejected);
		else if (n.rejected[0])
			rc = gs_fail(e, EX_UNAVAILABLE, "push to '%s' rejected: %s", git_remote_name(rm), n.rejected);
	}
	g_ptr_array_free(p.specs, TRUE);
	tags_sort(&res->tags);
	return rc;
}

int vcs_push(struct vcs *r, const char *remote, struct vcs_push_result *res, struct gs_err *e)
{
	struct head h;
	git_remote *rm = NULL;
	memset(res, 0, sizeof *res);
	int rc = head_load(r, &h, "push", e);
	if (rc == 0 && !h.commit)
		rc = gs_fail(e, EX_NOINPUT, "nothing to push: branch '%s' has no commits yet", h.branch);
	if (rc == 0) rc = remote_open(r, remote ? remote : "origin", &rm, e);
	if (rc == 0) rc = push_branch(r, rm, &h, res, e);
	if (rc == 0) {
		snprintf(res->branch, sizeof res->branch, "%s", h.branch);
		oid_hex(res->id, git_commit_id(h.commit));
	} else {
		vcs_tags_free(&res->tags);   /* nothing was pushed */
	}
	git_remote_free(rm);
	head_free(&h);
	return rc;
}

/* ---- restoring files absorbed elsewhere ---- */

/* one path back to HEAD's version (or away, when HEAD lacks it) */
static int restore_one(struct vcs *r, git_tree *head, const char *path, struct gs_err *e)
{
	git_tree_entry *te = NULL;
	int in_head = head && git_tree_entry_bypath(&te, head, path) == 0;
	git_tree_entry_free(te);
	if (!in_head) {
		char *full = path_join(r->top, path);
		int gone = unlink(full) == 0 || errno == ENOENT;
		free(full);
		git_index *idx = NULL;
		if (gone && git_repository_index(&idx, r->repo) == 0) {
			(void)git_index_remove_bypath(idx, path);
			(void)git_index_write(idx);
		}
		git_index_free(idx);
		return gone ? 0 : gs_fail(e, EX_IOERR, "cannot remove %s: %s", path, strerror(errno));
	}
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	char *paths[1] = {(char *)path};
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
	co.paths.strings = paths;
	co.paths.count = 1;
	int rc = git_checkout_tree(r->repo, (const git_object *)head, &co);
	return rc < 0 ? fail_git(e, EX_IOERR, rc, "cannot restore %s", path) : 0;
}

/* the status of the whole working tree and index, untracked files included */
static int status_all(struct vcs *r, git_status_list **list, struct gs_err *e)
{
	git_status_options so;
	git_index *idx = NULL;
	*list = NULL;
	int rc = fresh_index(r, &idx, e);
	git_index_free(idx);
	if (rc) return rc;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	rc = git_status_list_new(list, r->repo, &so);
	return rc < 0 ? fail_git(e, EX_IOERR, rc, "cannot read the status of %s", r->top) : 0;
}

int vcs_dirty_each(struct vcs *r, int (*fn)(const char *path, void *arg), void *arg, struct gs_err *e)
{
	git_status_list *list;
	int rc = status_all(r, &list, e);
	for (size_t i = 0; rc == 0 && i < git_status_list_entrycount(list); i++)
		rc = fn(status_path(git_status_byindex(list, i)), arg);
	git_status_list_free(list);
	return rc;
}

int vcs_restore(struct vcs *r, int (*claims)(const char *path), struct gs_err *e)
{
	git_status_list *list;
	git_tree *head = NULL;
	git_object *o = NULL;
	int rc = status_all(r, &list, e);
	if (rc == 0 && git_revparse_single(&o, r->repo, "HEAD^{tree}") == 0) head = (git_tree *)o;
	for (size_t i = 0; rc == 0 && i < git_status_list_entrycount(list); i++) {
		const char *path = status_path(git_status_byindex(list, i));
		if (claims(path)) rc = restore_one(r, head, path, e);
	}
	git_tree_free(head);
	git_status_list_free(list);
	return rc;
}

/* ---- configuration ---- */

int vcs_config_set(struct vcs *r, const char *key, const char *value, struct gs_err *e)
{
	git_config *cfg = NULL;
	int rc = git_repository_config(&cfg, r->repo);
	if (rc == 0) rc = git_config_set_string(cfg, key, value);
	git_config_free(cfg);
	return rc < 0 ? fail_git(e, EX_CANTCREAT, rc, "cannot set %s in .git/config", key) : 0;
}
