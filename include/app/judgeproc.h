/* judgeproc.h: one call of a judge command (src/app/judgeproc.c): COMMAND
 * run by /bin/sh -c in a process group of its own, a text written to its
 * standard input, its standard output kept (up to JPROC_OUT_MAX bytes) and
 * the start of its standard error. Nothing blocks: `goldset judge` runs
 * many calls at once from one poll() loop (app/judge.c). The text only
 * ever goes to the standard input; the command line is the user's own. */
#ifndef GOLDSET_JUDGEPROC_H
#define GOLDSET_JUDGEPROC_H
#include <poll.h>
#include <sys/types.h>
#include "base/util.h"

#define JPROC_OUT_MAX (1 << 20)   /* a longer answer is a failure */
#define JPROC_ERR_KEEP 2048       /* of its standard error, what a failure quotes */
#define JPROC_FDS 3               /* pollfds one call needs at most */

struct jproc {
	pid_t pid;                /* 0: not running */
	int fd_in, fd_out, fd_err;   /* our ends; -1 once closed */
	const char *text;         /* what goes to its standard input (the caller's) */
	size_t len, off;
	struct sbuf out, err;
	int out_over;             /* it printed more than JPROC_OUT_MAX */
	double started;           /* now_seconds() at the start */
	int status;               /* waitpid's, once reaped */
	int timed_out;            /* killed after the timeout */
};

/* starts cmd with text[0..len) for its standard input (text must live
 * until the call ends); EX_OSERR when no process can be made */
int jproc_start(struct jproc *p, const char *cmd, const char *text, size_t len, struct gs_err *e);
/* the pollfds the call waits on, into fds (room for JPROC_FDS); how many */
size_t jproc_pollfds(const struct jproc *p, struct pollfd *fds);
/* moves data for the pollfds that are p's (those jproc_pollfds gave) */
void jproc_service(struct jproc *p, const struct pollfd *fds, size_t n);
/* 1 when the call ended: it exited after closing its output, or it ran
 * past timeout seconds and its process group was killed */
int jproc_ended(struct jproc *p, double now, double timeout);
/* 1 when it is waiting only for the process to exit (its output closed) */
int jproc_draining(const struct jproc *p);
/* kills the process group of a running call and waits for it */
void jproc_kill(struct jproc *p);
/* why the call failed, or NULL when it exited 0 within its time and
 * output limit (malloc'd: "exited with status 3: <stderr's first line>") */
char *jproc_failure(const struct jproc *p, double timeout);
void jproc_free(struct jproc *p);
#endif
