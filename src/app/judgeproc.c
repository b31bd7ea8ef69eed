/* judgeproc.c: one call of a judge command (judgeproc.h). posix_spawn
 * (fork and exec, without copying the parent's pages) of /bin/sh -c CMD
 * in a new process group, so that a timeout or Ctrl-C kills the command
 * and whatever it started; three non-blocking pipes the caller polls. */
#include "app/judgeproc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void close_fd(int *fd)
{
	if (*fd >= 0) close(*fd);
	*fd = -1;
}

static void nonblocking(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int spawn(pid_t *pid, const char *cmd, int in, int out, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	char *argv[] = {"sh", "-c", (char *)cmd, NULL};
	sigemptyset(&none);
	sigemptyset(&dflt);
	int sigs[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++) sigaddset(&dflt, sigs[i]);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, err, 2);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawnattr_setsigmask(&at, &none);
	int rc = posix_spawn(pid, "/bin/sh", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc;
}

int jproc_start(struct jproc *p, const char *cmd, const char *text, size_t len, struct gs_err *e)
{
	int in[2], out[2], err[2];
	memset(p, 0, sizeof *p);
	p->fd_in = p->fd_out = p->fd_err = -1;
	if (pipe2(in, O_CLOEXEC) != 0) return gs_fail(e, EX_OSERR, "judge: cannot make a pipe: %s", strerror(errno));
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return gs_fail(e, EX_OSERR, "judge: cannot make a pipe: %s", strerror(errno));
	}
	if (pipe2(err, O_CLOEXEC) != 0) {
		int fds[] = {in[0], in[1], out[0], out[1]};
		for (size_t i = 0; i < ARRAY_LEN(fds); i++) close(fds[i]);
		return gs_fail(e, EX_OSERR, "judge: cannot make a pipe: %s", strerror(errno));
	}
	int rc = spawn(&p->pid, cmd, in[0], out[1], err[1]);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->fd_in = in[1];
	p->fd_out = out[0];
	p->fd_err = err[0];
	if (rc != 0) {
		p->pid = 0;
		jproc_free(p);
		return gs_fail(e, EX_OSERR, "judge: cannot start /bin/sh: %s", strerror(rc));
	}
	nonblocking(p->fd_in);
	nonblocking(p->fd_out);
	nonblocking(p->fd_err);
	p->text = text;
	p->len = len;
	p->started = now_seconds();
	if (!len) close_fd(&p->fd_in);
	return 0;
}

size_t jproc_pollfds(const struct jproc *p, struct pollfd *fds)
{
	size_t n = 0;
	if (p->fd_in >= 0) fds[n++] = (struct pollfd){.fd = p->fd_in, .events = POLLOUT};
	if (p->fd_out >= 0) fds[n++] = (struct pollfd){.fd = p->fd_out, .events = POLLIN};
	if (p->fd_err >= 0) fds[n++] = (struct pollfd){.fd = p->fd_err, .events = POLLIN};
	return n;
}

static void feed(struct jproc *p)
{
	while (p->off < p->len) {
		ssize_t n = write(p->fd_in, p->text + p->off, p->len - p->off);
		if (n > 0) p->off += (size_t)n;
		else if (n < 0 && errno == EINTR) continue;
		else if (n < 0 && errno == EAGAIN) return;
		else break;   /* EPIPE: it does not read (any more); its answer may still come */
	}
	close_fd(&p->fd_in);
}

/* reads what is there; closes fd at the end of the output */
static void drain(int *fd, struct sbuf *b, size_t keep, int *over)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(*fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR) continue;
		if (n < 0 && errno == EAGAIN) return;
		if (n <= 0) break;
		size_t room = b->len < keep ? keep - b->len : 0, take = (size_t)n < room ? (size_t)n : room;
		if (take) sb_addn(b, buf, take);
		if (take < (size_t)n && over) *over = 1;
	}
	close_fd(fd);
}

void jproc_service(struct jproc *p, const struct pollfd *fds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!fds[i].revents) continue;
		if (fds[i].fd == p->fd_in) feed(p);
		else if (fds[i].fd == p->fd_out) drain(&p->fd_out, &p->out, JPROC_OUT_MAX, &p->out_over);
		else if (fds[i].fd == p->fd_err) drain(&p->fd_err, &p->err, JPROC_ERR_KEEP, NULL);
	}
}

int jproc_draining(const struct jproc *p)
{
	return p->pid && p->fd_out < 0 && p->fd_err < 0;
}

static void reap(struct jproc *p)
{
	while (waitpid(p->pid, &p->status, 0) < 0 && errno == EINTR) {}
	p->pid = 0;
	close_fd(&p->fd_in);
	close_fd(&p->fd_out);
	close_fd(&p->fd_err);
}

void jproc_kill(struct jproc *p)
{
	if (!p->pid) return;
	kill(-p->pid, SIGKILL);
	kill(p->pid, SIGKILL);
	reap(p);
}

int jproc_ended(struct jproc *p, double now, double timeout)
{
	if (!p->pid) return 1;
	if (jproc_draining(p) && waitpid(p->pid, &p->status, WNOHANG) == p->pid) {
		p->pid = 0;
		close_fd(&p->fd_in);
		return 1;
	}
	if (now - p->started < timeout) return 0;
	p->timed_out = 1;
	jproc_kill(p);
	return 1;
}

/* the first line of its standard error, for the failure message */
static char *err_line(const struct jproc *p)
{
	if (!p->err.len) return xstrdup("");
	size_t n = strcspn(p->err.p, "\r\n");
	return xasprintf(": %.*s", (int)(n > 200 ? 200 : n), p->err.p);
}

char *jproc_failure(const struct jproc *p, double timeout)
{
	if (p->timed_out) return xasprintf("no answer within %g s (killed)", timeout);
	char *line = err_line(p), *why = NULL;
	if (WIFSIGNALED(p->status)) why = xasprintf("killed by signal %d%s", WTERMSIG(p->status), line);
	else if (WEXITSTATUS(p->status)) why = xasprintf("exited with status %d%s", WEXITSTATUS(p->status), line);
	else if (p->out_over) why = xasprintf("an answer longer than %d bytes", JPROC_OUT_MAX);
	free(line);
	return why;
}

void jproc_free(struct jproc *p)
{
	jproc_kill(p);
	close_fd(&p->fd_in);
	close_fd(&p->fd_out);
	close_fd(&p->fd_err);
	sb_free(&p->out);
	sb_free(&p->err);
}
