/* vcs.h: goldset's git layer (src/vcs/vcs.c, the only user of libgit2, which
 * it loads with dlopen on first use: commands without git never pay for it).
 *
 * A workspace is a git repository; its reviewed state lives in four
 * folders (golden/, rubrics/, labels/, reviews/).  This layer stages and
 * commits exactly those folders, reads files at any revision without
 * touching the working tree, and fetches, pulls and pushes through any git
 * remote.  It never runs the git program, never prints and never exits:
 * every failure comes back as a struct gs_err (sysexits code + one line).
 *
 * Return values: 0 on success, else a sysexits code with e filled in.
 * "Nothing to commit" is not an error and has its own value, VCS_NOTHING.
 * Paths are relative to the top of the working tree, with '/' separators.
 * Not thread-safe. */
#ifndef GOLDSET_VCS_H
#define GOLDSET_VCS_H
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include "base/util.h"

/* not an error: nothing changed under the prefixes, no commit was made */
#define VCS_NOTHING (-1)

/* the folders goldset owns in a workspace, NULL-terminated */
extern const char *const vcs_goldset_prefixes[];

struct vcs;   /* an open repository */

/* Loads libgit2 (libgit2.so.1.5, with dlopen) and initialises it, once per
 * process, arranging its shutdown at exit; later calls give the same answer.
 * EX_UNAVAILABLE when it cannot be loaded, with one line naming the file and
 * the package to install.  The functions below that take no struct vcs call
 * it first; an open struct vcs means it has succeeded. */
int vcs_global_init(struct gs_err *e);

/* *is_repo = 1 if dir is the top folder of a (non-bare) git working tree,
 * else 0.  Fails only when libgit2 cannot be loaded (never "not a repo"). */
int vcs_is_repo(const char *dir, int *is_repo, struct gs_err *e);
/* Walks up from start to the top of the enclosing working tree;
 * *top is xmalloc'd without a trailing '/'.  EX_NOINPUT when there is none. */
int vcs_discover(const char *start, char **top, struct gs_err *e);
/* Opens the repository whose working tree top is dir (no searching up). */
int vcs_open(const char *dir, struct vcs **out, struct gs_err *e);
/* Opens the repository at dir, or creates one (non-bare, creating dir if
 * needed) when dir is not the top of a working tree.  An existing repository
 * is adopted as it is: nothing in it is written.  *created says which. */
int vcs_init(const char *dir, struct vcs **out, int *created, struct gs_err *e);
void vcs_close(struct vcs *r);
/* the top of the working tree, without a trailing '/' */
const char *vcs_workdir(const struct vcs *r);
/* the current branch's short name ("main"), or NULL when HEAD is detached;
 * valid until the next vcs_ call on r */
const char *vcs_branch(struct vcs *r);

/* The git blob id (40 hex digits + NUL) of a buffer, as `git hash-object`.
 * r is any open repository: it shows that libgit2 is loaded. */
void vcs_hash_blob(const struct vcs *r, const void *data, size_t len, char out_hex[41]);

/* ---- committing ---- */

struct vcs_commit_opts {
	const char *message;              /* required; cleaned up like git does */
	const char *const *prefixes;      /* NULL: vcs_goldset_prefixes */
	const char *tag;                  /* NULL, or a tag to put on the commit */
	const char *tag_message;          /* NULL: lightweight tag; else annotated */
};

struct vcs_commit_result {
	char id[41];                      /* the new commit */
	char branch[256];                 /* the branch it went on */
	size_t files_changed;             /* paths added, modified or deleted */
	int identity_fallback;            /* 1: no user.name/user.email configured */
	char who[320];                    /* "Name <email>" the commit was made as */
};

/* Stages the working-tree state of every file under the prefixes (new,
 * modified and deleted files; .gitignore'd untracked files stay out) and
 * commits them on the current branch, like `git commit --only -- PREFIXES`:
 * the commit is HEAD plus those paths, and every other index entry stays
 * exactly as it was (other staged changes stay staged, uncommitted).
 * Works on an unborn branch (the first commit).  Author and committer come
 * from GIT_AUTHOR_* / GIT_COMMITTER_* or user.name/user.email; when missing,
 * the login name and login@hostname are used and identity_fallback is set.
 * Returns VCS_NOTHING when nothing under the prefixes differs from HEAD.
 * Refuses a detached HEAD or a merge in progress (EX_CANTCREAT), an existing
 * tag (EX_USAGE); a locked index gives EX_TEMPFAIL with nothing changed. */
int vcs_commit_paths(struct vcs *r, const struct vcs_commit_opts *o,
		     struct vcs_commit_result *res, struct gs_err *e);

/* ---- reading history (never touches the working tree or index) ---- */

/* rev is any git revision ("HEAD", "HEAD~1", a tag, an id, "main@{1}"...);
 * out_hex gets the commit id it names.  EX_USAGE for an unknown rev. */
int vcs_resolve(struct vcs *r, const char *rev, char out_hex[41], struct gs_err *e);

/* The file at path as of rev: *data is xmalloc'd and NUL-terminated (so text
 * can be used as a string), *len its size.  EX_NOINPUT if the file is not
 * in that revision. */
int vcs_read_file_at(struct vcs *r, const char *rev, const char *path,
		     char **data, size_t *len, struct gs_err *e);

/* the blob id of the file at path as of rev; EX_NOINPUT if it is not there */
int vcs_blob_at(struct vcs *r, const char *rev, const char *path, char out_hex[41], struct gs_err *e);

/* Calls fn for every file under prefix (a folder such as "labels/"; NULL or
 * "" for all) at rev, in git's tree order.  fn returns non-zero to stop. */
typedef int (*vcs_file_fn)(const char *path, const char *blob_hex, void *arg);
int vcs_list_files_at(struct vcs *r, const char *rev, const char *prefix,
		      vcs_file_fn fn, void *arg, struct gs_err *e);

/* The files under prefix that differ between two revisions (old may be
 * NULL: the empty tree).  status is 'A', 'M' or 'D'; a missing side's id is
 * 40 zeros.  fn returns non-zero to stop. */
struct vcs_change {
	char status;
	const char *path;
	char old_id[41], new_id[41];
};
typedef int (*vcs_change_fn)(const struct vcs_change *c, void *arg);
int vcs_changed_files(struct vcs *r, const char *old_rev, const char *new_rev,
		      const char *prefix, vcs_change_fn fn, void *arg, struct gs_err *e);

/* Commits reachable from rev (NULL: HEAD), newest first, that changed
 * anything under the prefixes (NULL: vcs_goldset_prefixes).  A merge is
 * listed when it differs there from every parent.  No commits yet: no calls.
 * Strings are valid only during the call.  fn returns non-zero to stop. */
struct vcs_log_entry {
	char id[41];
	const char *author_name, *author_email;
	int64_t time;                     /* author time, seconds since the epoch */
	int tz_minutes;                   /* author's offset from UTC */
	const char *summary;              /* first paragraph, on one line */
	const char *message;              /* the whole message */
	unsigned parents;
};
typedef int (*vcs_log_fn)(const struct vcs_log_entry *c, void *arg);
int vcs_log(struct vcs *r, const char *rev, const char *const *prefixes,
	    vcs_log_fn fn, void *arg, struct gs_err *e);

/* *clean = 1 when nothing under prefix (NULL: anywhere) differs between
 * HEAD, the index and the working tree, counting untracked files that are
 * not ignored.  *first_dirty (if not NULL) gets an xmalloc'd path of the
 * first difference, or NULL. */
int vcs_status_clean(struct vcs *r, const char *prefix, int *clean,
		     char **first_dirty, struct gs_err *e);

/* ---- remotes (remote NULL: "origin"; the upstream of a branch is the
 * branch of the same name on the remote) ----
 * Credentials, never prompted for: ssh keys from ssh-agent; for https,
 * GOLDSET_GIT_USERNAME and GOLDSET_GIT_PASSWORD (a token) from the
 * environment.  Unreachable remotes and failed logins give one line and
 * EX_UNAVAILABLE / EX_NOPERM. */

/* Tags travel both ways but never overwrite: a tag is only ever created on
 * the side that lacks it.  A tag both sides have on different commits
 * (annotated tags compared by the commit they name) is left alone on both
 * and listed as a conflict. */
struct vcs_tag {
	char *name;                       /* "labels-w47", without refs/tags/ */
	char here[41];                    /* the commit it names here */
	char there[41];                   /* ... on the remote (40 zeros: unknown) */
};
struct vcs_tags {
	GArray *copied;                   /* created on the side that lacked them */
	GArray *conflicts;                /* on both sides, on different commits */
};                                        /* GArrays of struct vcs_tag, each sorted by
					   * name; NULL while empty */
size_t vcs_tags_count(const GArray *list);
void vcs_tags_free(struct vcs_tags *t);

/* Fetches the remote's branches (as its fetch refspecs say) and every tag
 * under refs/tags/ there: tags missing here are created (tags->copied), a
 * local tag that differs is kept and listed in tags->conflicts.  tags may
 * be NULL; else it is filled in (free it with vcs_tags_free, also after a
 * failure). */
int vcs_fetch(struct vcs *r, const char *remote, struct vcs_tags *tags, struct gs_err *e);

enum vcs_pull_kind { VCS_UP_TO_DATE, VCS_FAST_FORWARD, VCS_MERGED };
struct vcs_pull_result {
	enum vcs_pull_kind kind;
	char old_id[41];                  /* HEAD before (40 zeros: no commits) */
	char new_id[41];                  /* HEAD after */
	int identity_fallback;            /* as for commits (merge commits only) */
	char who[320];
	struct vcs_tags tags;             /* as vcs_fetch's; free with vcs_tags_free */
};
/* A merge rule for some files (goldset's shared files): claims(path) says
 * whether the rule owns path; merge gives the merged content (*out
 * xmalloc'd) of the two sides' versions ("" and 0 for a side that lacks the
 * file), or a sysexits code with e filled. */
struct vcs_merger {
	int (*claims)(const char *path);
	int (*merge)(void *ctx, const char *path, const char *ours, size_t olen, const char *theirs, size_t tlen,
		     char **out, size_t *outlen, struct gs_err *e);
	void *ctx;
};
/* Fetches (tags too, as vcs_fetch), then fast-forwards the current branch
 * to its upstream, or makes a merge commit when both sides moved; the
 * working tree and index are updated to the result.  In a merge, every file m claims that differs between the
 * two sides is merged by m (never a conflict, never a deletion); for the
 * other files, when the two sides changed the same file, or the update
 * would overwrite uncommitted local changes, nothing at all is changed (HEAD,
 * index, working tree) and EX_DATAERR names the file.  m may be NULL.  Use
 * vcs_changed_files(old_id, new_id) to learn what arrived. */
int vcs_pull(struct vcs *r, const char *remote, const struct vcs_merger *m, struct vcs_pull_result *res,
	     struct gs_err *e);
/* Every file of the working tree or index that differs from HEAD and that
 * claims(path) owns is put back as HEAD has it (removed when HEAD lacks
 * it): for shared files whose content the caller has already absorbed
 * elsewhere (the store), so that a pull can go on. */
int vcs_restore(struct vcs *r, int (*claims)(const char *path), struct gs_err *e);
/* fn(path) for every file of the working tree or index that differs from
 * HEAD (untracked ones included, ignored ones not); non-zero stops */
int vcs_dirty_each(struct vcs *r, int (*fn)(const char *path, void *arg), void *arg, struct gs_err *e);
/* sets a key in the repository's own config (.git/config) */
int vcs_config_set(struct vcs *r, const char *key, const char *value, struct gs_err *e);

struct vcs_push_result {
	char branch[256];
	char id[41];                      /* what the remote branch now points at */
	int up_to_date;                   /* 1: the remote already had it */
	struct vcs_tags tags;             /* copied: tags pushed; conflicts: tags
					   * not pushed; free with vcs_tags_free */
};
/* Pushes the current branch to the same name on the remote, with every tag
 * under refs/tags/ that names a commit on the branch's history and that the
 * remote lacks; nothing is forced.  A tag the remote has on another commit
 * is not pushed, and listed in res->tags.conflicts: that alone is no error
 * (the branch and the other tags are pushed; the caller decides).  A
 * rejection because the remote has commits we lack is EX_TEMPFAIL with a
 * line suggesting `goldset pull`, and nothing is pushed. */
int vcs_push(struct vcs *r, const char *remote, struct vcs_push_result *res,
	     struct gs_err *e);
#endif
