/* run_fdfight.c: a program that tries to close, replace, move or rewrite the audit
 * descriptor, then makes a denied operation (which must still be logged) and starts a
 * child that makes another (which must be logged too).
 *
 *   run_fdfight MODE LOGPATH TAG CHILD [ARG]...
 *
 * 1. opens secrets/before-TAG for reading (must fail with ENOENT: a logged denial);
 * 2. attacks every open descriptor from 3 to the soft limit (the library's own are
 *    among them, wherever it put them; they are found with fcntl(F_GETFD)) by MODE:
 *      close closeall sys_close dup2 dup3 close_range close_range_cloexec
 *      sys_close_range closefrom procloop getdents fcntl_dupfd fcntl_dupfd_cloexec
 *      setfl setfd ftruncate lseek pwrite reopen truncpath spawn_close spawn_dup2
 * 3. opens secrets/after-TAG for reading (must fail with ENOENT);
 * 4. runs CHILD (fork + execv, or posix_spawn with the file actions of spawn_*:
 *    close or dup2 onto each descriptor; a spawn refused with EBADF for the dup2
 *    actions is accepted, and the child is then started with fork + execv) and
 *    waits for it.
 * Exit 0 when both opens failed with ENOENT and the child exited 0. What each attack
 * returned is printed on stdout, for the test's diagnostics.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char **environ;

static int targets[4096], ntargets, nullfd = -1;

static void say(const char *what, int fd, long r, int e)
{
	if (r < 0)
		printf("%s(%d) = -1 %s\n", what, fd, strerror(e));
	else
		printf("%s(%d) = %ld\n", what, fd, r);
}

#define TRY(what, fd, expr)                          \
	do {                                         \
		errno = 0;                           \
		long r_ = (long)(expr);              \
		say(what, fd, r_, errno);            \
	} while (0)

static int denied_open(const char *what, const char *tag)
{
	char p[512];
	snprintf(p, sizeof p, "secrets/%s-%s", what, tag);
	int fd = open(p, O_RDONLY);
	if (fd >= 0) {
		printf("open %s: succeeded\n", p);
		return 1;
	}
	if (errno != ENOENT) {
		printf("open %s: %s\n", p, strerror(errno));
		return 1;
	}
	return 0;
}

/* Every open descriptor above 2, found without listing /proc (which the library may
 * filter). */
static void find_targets(void)
{
	struct rlimit rl;
	long lim = 1 << 16;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)lim)
		lim = (long)rl.rlim_cur;
	for (int fd = 3; fd < lim; fd++)
		if (fcntl(fd, F_GETFD) >= 0 && ntargets < 4096)
			targets[ntargets++] = fd;
	printf("descriptors:");
	for (int i = 0; i < ntargets; i++)
		printf(" %d", targets[i]);
	printf("\n");
}

static void close_by_listing(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d) {
		printf("opendir /proc/self/fd: %s\n", strerror(errno));
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		TRY("close", fd, close(fd));
	}
	closedir(d);
}

/* As Python's subprocess does it when close_range cannot be used. */
static void close_by_getdents(void)
{
	int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	if (dfd < 0) {
		printf("open /proc/self/fd: %s\n", strerror(errno));
		return;
	}
	char buf[8192];
	int fds[4096], n = 0;
	for (;;) {
		long got = syscall(SYS_getdents64, dfd, buf, sizeof buf);
		if (got <= 0)
			break;
		for (long off = 0; off < got;) {
			struct {
				unsigned long long ino;
				long long off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *de = (void *)(buf + off);
			if (de->name[0] != '.' && n < 4096)
				fds[n++] = atoi(de->name);
			off += de->reclen;
		}
	}
	for (int i = 0; i < n; i++)
		if (fds[i] > 2 && fds[i] != dfd)
			TRY("close", fds[i], close(fds[i]));
	close(dfd);
}

static int attack(const char *mode, const char *logpath)
{
	char p[64];
	if (!strcmp(mode, "close")) {
		for (int i = 0; i < ntargets; i++)
			TRY("close", targets[i], close(targets[i]));
	} else if (!strcmp(mode, "closeall")) {
		for (int fd = 3; fd < 1 << 16; fd++)
			close(fd);
		printf("closed 3..65535\n");
	} else if (!strcmp(mode, "sys_close")) {
		for (int i = 0; i < ntargets; i++)
			TRY("syscall(SYS_close)", targets[i], syscall(SYS_close, targets[i]));
	} else if (!strcmp(mode, "dup2")) {
		for (int i = 0; i < ntargets; i++)
			TRY("dup2(null)", targets[i], dup2(nullfd, targets[i]));
	} else if (!strcmp(mode, "dup3")) {
		for (int i = 0; i < ntargets; i++)
			TRY("dup3(null, O_CLOEXEC)", targets[i], dup3(nullfd, targets[i], O_CLOEXEC));
	} else if (!strcmp(mode, "close_range")) {
		TRY("close_range(3, ~0U, 0)", 3, close_range(3, ~0U, 0));
	} else if (!strcmp(mode, "close_range_cloexec")) {
		TRY("close_range(3, ~0U, CLOEXEC)", 3, close_range(3, ~0U, CLOSE_RANGE_CLOEXEC));
	} else if (!strcmp(mode, "sys_close_range")) {
		TRY("syscall(SYS_close_range, 3, ~0U, 0)", 3, syscall(SYS_close_range, 3, ~0U, 0));
	} else if (!strcmp(mode, "closefrom")) {
		closefrom(3);
		printf("closefrom(3)\n");
	} else if (!strcmp(mode, "procloop")) {
		close_by_listing();
	} else if (!strcmp(mode, "getdents")) {
		close_by_getdents();
	} else if (!strcmp(mode, "fcntl_dupfd") || !strcmp(mode, "fcntl_dupfd_cloexec")) {
		int cmd = !strcmp(mode, "fcntl_dupfd") ? F_DUPFD : F_DUPFD_CLOEXEC;
		for (int i = 0; i < ntargets; i++) {
			int c = fcntl(targets[i], cmd, 10);
			say("fcntl(F_DUPFD)", targets[i], c, errno);
			if (c >= 0) { /* a copy: the original can now go, and then the copy */
				TRY("close", targets[i], close(targets[i]));
				TRY("close", c, close(c));
			}
		}
	} else if (!strcmp(mode, "setfl")) {
		/* without O_APPEND, a seek to 0 would make the next line overwrite the log */
		for (int i = 0; i < ntargets; i++) {
			TRY("fcntl(F_SETFL, 0)", targets[i], fcntl(targets[i], F_SETFL, 0));
			TRY("lseek(0)", targets[i], lseek(targets[i], 0, SEEK_SET));
		}
	} else if (!strcmp(mode, "setfd")) {
		for (int i = 0; i < ntargets; i++)
			TRY("fcntl(F_SETFD, FD_CLOEXEC)", targets[i], fcntl(targets[i], F_SETFD, FD_CLOEXEC));
	} else if (!strcmp(mode, "ftruncate")) {
		for (int i = 0; i < ntargets; i++)
			TRY("ftruncate(0)", targets[i], ftruncate(targets[i], 0));
	} else if (!strcmp(mode, "lseek")) {
		for (int i = 0; i < ntargets; i++)
			TRY("lseek(0)", targets[i], lseek(targets[i], 0, SEEK_SET));
	} else if (!strcmp(mode, "pwrite")) {
		for (int i = 0; i < ntargets; i++)
			TRY("pwrite(CLOBBER, 0)", targets[i], pwrite(targets[i], "CLOBBER\n", 8, 0));
	} else if (!strcmp(mode, "reopen")) {
		for (int i = 0; i < ntargets; i++) {
			snprintf(p, sizeof p, "/proc/self/fd/%d", targets[i]);
			int fd = open(p, O_WRONLY | O_TRUNC);
			say("open(/proc/self/fd/N, O_TRUNC)", targets[i], fd, errno);
			if (fd >= 0)
				close(fd);
		}
	} else if (!strcmp(mode, "truncpath")) {
		TRY("truncate(LOG, 0)", -1, truncate(logpath, 0));
		int fd = open(logpath, O_WRONLY | O_TRUNC);
		say("open(LOG, O_TRUNC)", -1, fd, errno);
		if (fd >= 0)
			close(fd);
	} else if (strncmp(mode, "spawn_", 6) != 0) {
		fprintf(stderr, "run_fdfight: unknown mode %s\n", mode);
		return 2;
	}
	return 0;
}

static int run_child(const char *mode, char **argv)
{
	pid_t pid = 0;
	int st;
	if (!strncmp(mode, "spawn_", 6)) {
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		for (int i = 0; i < ntargets; i++) {
			if (!strcmp(mode, "spawn_close"))
				posix_spawn_file_actions_addclose(&fa, targets[i]);
			else
				posix_spawn_file_actions_adddup2(&fa, nullfd, targets[i]);
		}
		int e = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		if (e)
			printf("posix_spawn: %s\n", strerror(e));
		/* refusing the spawn leaves the descriptor in place too; the log must
		 * then still work for a child started plainly */
		if (e && (e != EBADF || strcmp(mode, "spawn_dup2") != 0))
			return 1;
	}
	if (strncmp(mode, "spawn_", 6) != 0 || pid <= 0) {
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			execv(argv[0], argv);
			_exit(127);
		}
	}
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("child: status %d\n", st);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: run_fdfight MODE LOGPATH TAG CHILD [ARG]...\n");
		return 2;
	}
	const char *mode = argv[1], *logpath = argv[2], *tag = argv[3];
	setvbuf(stdout, NULL, _IOLBF, 0);
	int bad = denied_open("before", tag);
	find_targets();
	nullfd = open("/dev/null", O_WRONLY);
	int r = attack(mode, logpath);
	if (r)
		return r;
	bad |= denied_open("after", tag);
	bad |= run_child(mode, argv + 4);
	return bad ? 1 : 0;
}
