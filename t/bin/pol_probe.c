/* pol_probe.c: the C side of the t/4xx policy tests (exec allowlist, file size limit).
 *
 *   pol_probe write FILE N [dfl]   create or truncate FILE and write N bytes to it, 1000
 *                                  at a time; with "dfl", first ask for SIGXFSZ's
 *                                  default action back (a program that wants to die)
 *   pol_probe ftruncate FILE N     create FILE and grow it to N bytes with ftruncate
 *   pol_probe execve PROG [ARG]... fork, execve(PROG, ...) in the child, wait
 *   pol_probe spawn PROG [ARG]...  posix_spawn(PROG, ...), wait
 *
 * Prints one line: "ok N" (N: the bytes written, the size reached, or the child's exit
 * status) or "ERRNO N" (the errno of the call that failed, and the bytes written before
 * it). Exits 0 when the program itself ran to its end.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *ename(int e)
{
	switch (e) {
	case 0: return "ok";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EFBIG: return "EFBIG";
	case ENOEXEC: return "ENOEXEC";
	case ENOSPC: return "ENOSPC";
	}
	static char b[32];
	snprintf(b, sizeof b, "E%d", e);
	return b;
}

static int done(int e, long n)
{
	printf("%s %ld\n", ename(e), n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: pol_probe write|ftruncate|execve|spawn ARG...\n");
		return 2;
	}
	const char *op = argv[1];
	if (!strcmp(op, "write") && argc >= 4) {
		if (argc > 4 && !strcmp(argv[4], "dfl"))
			signal(SIGXFSZ, SIG_DFL);
		long want = atol(argv[3]), n = 0;
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return done(errno, 0);
		char buf[1000];
		memset(buf, 'x', sizeof buf);
		while (n < want) {
			size_t k = want - n < (long)sizeof buf ? (size_t)(want - n) : sizeof buf;
			ssize_t w = write(fd, buf, k);
			if (w < 0) {
				int e = errno;
				close(fd);
				return done(e, n);
			}
			n += w;
			if ((size_t)w < k) { /* a short write at the limit: the next one fails */
				continue;
			}
		}
		close(fd);
		return done(0, n);
	}
	if (!strcmp(op, "ftruncate") && argc >= 4) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return done(errno, 0);
		int e = ftruncate(fd, atol(argv[3])) < 0 ? errno : 0;
		struct stat st;
		fstat(fd, &st);
		close(fd);
		return done(e, (long)st.st_size);
	}
	if (!strcmp(op, "execve")) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			return done(errno, 0);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			execve(argv[2], argv + 2, environ);
			int e = errno;
			ssize_t w = write(p[1], &e, sizeof e);
			(void)w;
			_exit(127);
		}
		close(p[1]);
		int e = 0, status = 0;
		ssize_t r = read(p[0], &e, sizeof e);
		close(p[0]);
		waitpid(pid, &status, 0);
		if (r == sizeof e)
			return done(e, 0);
		return done(0, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	if (!strcmp(op, "spawn")) {
		pid_t pid;
		fflush(stdout);
		int e = posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ);
		if (e)
			return done(e, 0);
		int status = 0;
		waitpid(pid, &status, 0);
		return done(0, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	fprintf(stderr, "pol_probe: unknown operation %s\n", op);
	return 2;
}
