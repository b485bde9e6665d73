/* race.c: races a check against its use (t/201-escape-race.t).
 *
 *   race FLIP OPENER SECONDS PATH ARG...
 *
 * One thread changes the tree over and over while others keep reading PATH:
 *
 *   FLIP symlink LINK ALLOWED HIDDEN   LINK is flipped, by symlink() and an atomic
 *                                      rename(), between two targets
 *   FLIP rename FROM TO                the folder FROM moves to TO and back
 *   FLIP exchange A B                  A and B trade places (RENAME_EXCHANGE), e.g.
 *                                      a folder and a link to a hidden folder
 *   FLIP fchdir A B                    the working directory changes between the
 *                                      folders A and B (fchdir)
 *   FLIP dup2 A B                      descriptor 50 changes between folders A and B
 *                                      (dup2); PATH is then taken relative to it
 *
 *   OPENER open                        open(PATH) and read (two threads)
 *          fopen                       fopen(PATH) and fread
 *          sysopenat                   syscall(SYS_openat) and read
 *          spawn                       posix_spawn /bin/cat with PATH opened as its
 *                                      stdin by a file action, output through a pipe
 *          stat                        fstatat(PATH): a status of size > 0 counts as
 *                                      a leak (the allowed file is empty, the hidden
 *                                      one is not), of size 0 as an allowed read
 *
 * Every read that returns text containing "SECRET" is a leak of the hidden file;
 * every other successful read counts as an allowed read. It prints
 * "leaked=N allowed=M failed=K flips=F" and exits 0 only when nothing leaked and at
 * least one read succeeded (which proves the race ran both ways). It stops after
 * SECONDS, or at the first leak.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static atomic_int stop;
static atomic_long leaked, allowed, failed, flips;
static const char *flip_kind, *opener, *path;
static char **args;
static char tmpname[4096];
static int fd_a = -1, fd_b = -1, base = AT_FDCWD;
#define FLIP_FD 50

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *flipper(void *unused)
{
	(void)unused;
	while (!atomic_load(&stop)) {
		if (!strcmp(flip_kind, "symlink")) {
			for (int i = 1; i <= 2 && !atomic_load(&stop); i++) {
				unlink(tmpname);
				if (symlink(args[i], tmpname) == 0 && rename(tmpname, args[0]) == 0)
					atomic_fetch_add(&flips, 1);
			}
		} else if (!strcmp(flip_kind, "fchdir")) {
			if (fchdir(fd_b) == 0 && fchdir(fd_a) == 0)
				atomic_fetch_add(&flips, 2);
		} else if (!strcmp(flip_kind, "dup2")) {
			if (dup2(fd_b, FLIP_FD) == FLIP_FD && dup2(fd_a, FLIP_FD) == FLIP_FD)
				atomic_fetch_add(&flips, 2);
		} else if (!strcmp(flip_kind, "exchange")) {
			if (renameat2(AT_FDCWD, args[0], AT_FDCWD, args[1], RENAME_EXCHANGE) == 0)
				atomic_fetch_add(&flips, 1);
		} else {
			if (rename(args[0], args[1]) == 0)
				atomic_fetch_add(&flips, 1);
			if (rename(args[1], args[0]) == 0)
				atomic_fetch_add(&flips, 1);
		}
	}
	return NULL;
}

static void judge(const char *buf, ssize_t n)
{
	if (n < 0) {
		atomic_fetch_add(&failed, 1);
		return;
	}
	if (memmem(buf, (size_t)n, "SECRET", 6)) {
		atomic_fetch_add(&leaked, 1);
		atomic_store(&stop, 1);
	} else {
		atomic_fetch_add(&allowed, 1);
	}
}

static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t o = 0;
	while (o < size) {
		ssize_t n = read(fd, buf + o, size - o);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 && o == 0 ? -1 : (ssize_t)o;
		o += (size_t)n;
	}
	return (ssize_t)o;
}

static void one_open(void)
{
	char buf[512];
	int fd;
	if (!strcmp(opener, "sysopenat"))
		fd = (int)syscall(SYS_openat, base, path, O_RDONLY);
	else
		fd = openat(base, path, O_RDONLY);
	if (fd < 0) {
		judge(NULL, -1);
		return;
	}
	ssize_t n = read_all(fd, buf, sizeof buf);
	close(fd);
	judge(buf, n);
}

static void one_fopen(void)
{
	char buf[512];
	FILE *f = fopen(path, "r");
	if (!f) {
		judge(NULL, -1);
		return;
	}
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	judge(buf, (ssize_t)n);
}

static void one_spawn(void)
{
	char buf[512];
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		judge(NULL, -1);
		return;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, path, O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	char *argv[] = {(char *)"cat", NULL};
	pid_t pid;
	int e = posix_spawn(&pid, "/bin/cat", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (e) {
		close(p[0]);
		judge(NULL, -1);
		return;
	}
	ssize_t n = read_all(p[0], buf, sizeof buf);
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	judge(buf, WIFEXITED(st) && WEXITSTATUS(st) == 0 ? n : -1);
}

static void one_stat(void)
{
	struct stat st;
	if (fstatat(base, path, &st, 0) < 0) {
		judge(NULL, -1);
		return;
	}
	judge(st.st_size > 0 ? "SECRET" : "", st.st_size > 0 ? 6 : 0);
}

static double deadline;

static void *reader(void *unused)
{
	(void)unused;
	while (!atomic_load(&stop) && now() < deadline) {
		if (!strcmp(opener, "spawn"))
			one_spawn();
		else if (!strcmp(opener, "fopen"))
			one_fopen();
		else if (!strcmp(opener, "stat"))
			one_stat();
		else
			one_open();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 7 ||
	    (strcmp(argv[1], "symlink") && strcmp(argv[1], "rename") && strcmp(argv[1], "exchange") &&
	     strcmp(argv[1], "fchdir") && strcmp(argv[1], "dup2")) ||
	    (!strcmp(argv[1], "symlink") && argc < 8)) {
		fprintf(stderr, "usage: race symlink|rename|exchange|fchdir|dup2 open|fopen|sysopenat|spawn|stat "
				"SECONDS PATH ARG...\n");
		return 2;
	}
	flip_kind = argv[1];
	opener = argv[2];
	double secs = atof(argv[3]);
	path = argv[4];
	args = argv + 5;
	snprintf(tmpname, sizeof tmpname, "%s.race-tmp", args[0]);
	deadline = now() + secs;
	if (!strcmp(argv[1], "fchdir") || !strcmp(argv[1], "dup2")) {
		fd_a = open(args[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		fd_b = open(args[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd_a < 0 || fd_b < 0) {
			perror("race: open");
			return 2;
		}
		if (!strcmp(argv[1], "fchdir")) {
			if (fchdir(fd_a) < 0)
				return 2;
		} else {
			if (dup2(fd_a, FLIP_FD) != FLIP_FD)
				return 2;
			base = FLIP_FD;
		}
	}

	pthread_t f, r[2];
	int nr = strcmp(opener, "spawn") ? 2 : 1;
	pthread_create(&f, NULL, flipper, NULL);
	for (int i = 0; i < nr; i++)
		pthread_create(&r[i], NULL, reader, NULL);
	for (int i = 0; i < nr; i++)
		pthread_join(r[i], NULL);
	atomic_store(&stop, 1);
	pthread_join(f, NULL);
	unlink(tmpname);
	printf("leaked=%ld allowed=%ld failed=%ld flips=%ld\n", atomic_load(&leaked), atomic_load(&allowed),
	       atomic_load(&failed), atomic_load(&flips));
	return atomic_load(&leaked) == 0 && atomic_load(&allowed) > 0 ? 0 : 1;
}
