/* esc_probe.c: the attacker's side of the escape tests (t/2*-escape-*.t).
 *
 *   esc_probe OP EXPECT ARG...
 *
 * Like t/bin/call, it makes one attempt and prints its outcome: "ok" (followed by
 * what was read, when the attempt reads) or the errno name; the exit status is 0
 * when the outcome is EXPECT, 1 when not, 2 on a usage error. The operations are
 * the roundabout ways to a file that call.c does not make: descriptors and /proc
 * magic links, raw system calls, handles, mount namespaces and chroot, file actions
 * of posix_spawn, children with an empty environment, and waits on stdin so that a
 * test can change the tree while the program runs.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#endif
#ifndef SYS_getxattrat
#define SYS_getxattrat 464
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif

extern char **environ;

static const char *ename(int e)
{
	switch (e) {
	case 0: return "ok";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case ELOOP: return "ELOOP";
	case EXDEV: return "EXDEV";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EBUSY: return "EBUSY";
	case ENODATA: return "ENODATA";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EADDRINUSE: return "EADDRINUSE";
	case ESTALE: return "ESTALE";
	case ENXIO: return "ENXIO";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EMFILE: return "EMFILE";
	}
	static char b[32];
	snprintf(b, sizeof b, "E%d", e);
	return b;
}

/* Reads a descriptor to its end (at most a few KB) and prints "ok" and the text. */
static int cat_fd(int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int e = n < 0 ? errno : 0;
	close(fd);
	if (n < 0)
		return e;
	buf[n] = 0;
	printf("ok\n%s", buf);
	return -1;
}

static int cat_path(const char *p)
{
	int fd = open(p, O_RDONLY);
	return fd < 0 ? errno : cat_fd(fd);
}

/* Says "ready" and blocks until the test writes a line on stdin (it changes the
 * tree meanwhile). */
static void wait_go(void)
{
	char line[64];
	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof line, stdin))
		_exit(3);
}

static int open_flags(const char *s)
{
	if (!strcmp(s, "r"))
		return O_RDONLY;
	if (!strcmp(s, "rw"))
		return O_RDWR;
	if (!strcmp(s, "w"))
		return O_WRONLY;
	if (!strcmp(s, "trunc"))
		return O_WRONLY | O_TRUNC;
	if (!strcmp(s, "append"))
		return O_WRONLY | O_APPEND;
	if (!strcmp(s, "path"))
		return O_PATH;
	if (!strcmp(s, "pathnf"))
		return O_PATH | O_NOFOLLOW;
	fprintf(stderr, "esc_probe: unknown open mode %s\n", s);
	exit(2);
}

/* Opens with `flags`; a readable result is printed, a writable one written to. */
static int use_open(const char *p, int flags)
{
	int fd = open(p, flags);
	if (fd < 0)
		return errno;
	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_PATH))
		return cat_fd(fd);
	int e = 0;
	if ((flags & O_ACCMODE) != O_RDONLY && write(fd, "X", 1) != 1)
		e = errno;
	close(fd);
	return e;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Names gathered from a listing (. and .. left out), printed sorted after "ok". */
static char *names[256];
static int nnames;

static void add_name(const char *n)
{
	if (strcmp(n, ".") && strcmp(n, "..") && nnames < 256)
		names[nnames++] = strdup(n);
}

/* Reads a stream to its end: 0, or readdir's error. */
static int read_names(DIR *s)
{
	struct dirent *e;
	errno = 0;
	while ((e = readdir(s)) != NULL) {
		add_name(e->d_name);
		errno = 0;
	}
	return errno;
}

static int print_names(void)
{
	qsort(names, (size_t)nnames, sizeof *names, cmp_str);
	printf("ok\n");
	for (int i = 0; i < nnames; i++)
		printf("%s\n", names[i]);
	return -1;
}

/* dirswap HOW FROM TO: opendir FROM, then put the folder TO behind the stream's
 * descriptor (HOW: none, dup2, dup3, sys-dup3, close, close_range, fdopen, closedir,
 * fclose, freopen, proc: through a /proc/self/fd link, fork: in a child),
 * then read the stream to its end: an error is returned; otherwise "ok" and the
 * names, sorted, are printed. */
static int dirswap(const char *how, const char *from, const char *to)
{
	DIR *s = opendir(from);
	if (!s)
		return errno;
	int n = dirfd(s), fd = -1;
	if (!strcmp(how, "none")) {
	} else if (!strcmp(how, "dup2") || !strcmp(how, "dup3") || !strcmp(how, "sys-dup3")) {
		fd = open(to, O_RDONLY | O_DIRECTORY);
		int r = !strcmp(how, "dup2") ? dup2(fd, n)
			: !strcmp(how, "dup3") ? dup3(fd, n, O_CLOEXEC)
					       : (int)syscall(SYS_dup3, fd, n, 0); /* sys-dup3 */
		if (r != n)
			return errno;
	} else if (!strcmp(how, "proc")) {
		/* TO reopened through its /proc/self/fd magic link, then put on n */
		int t = open(to, O_RDONLY | O_DIRECTORY);
		char pp[64];
		snprintf(pp, sizeof pp, "/proc/self/fd/%d", t);
		fd = open(pp, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			return errno;
		if (dup2(fd, n) != n)
			return errno;
	} else if (!strcmp(how, "fork")) {
		/* a child swaps its copy of the descriptor and reads its copy of the stream */
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			fd = open(to, O_RDONLY | O_DIRECTORY);
			if (dup2(fd, n) != n)
				_exit(3);
			int e = read_names(s);
			if (e) {
				printf("%s\n", ename(e));
				fflush(stdout);
				_exit(e == EBADF ? 0 : 1);
			}
			print_names();
			fflush(stdout);
			_exit(1);
		}
		int st;
		waitpid(pid, &st, 0);
		exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
	} else if (!strcmp(how, "close") || !strcmp(how, "close_range") || !strcmp(how, "fdopen")) {
		/* the number is freed, then taken by TO (F_DUPFD gives the lowest free
		 * number from n on: n itself) */
		int t = open(to, O_RDONLY | O_DIRECTORY);
		if (t < 0)
			return errno;
		if (!strcmp(how, "close"))
			close(n);
		else if (!strcmp(how, "close_range"))
			close_range((unsigned)n, (unsigned)n, 0);
		else {
			FILE *f = fdopen(n, "r");
			if (!f)
				return errno;
			fclose(f);
		}
		fd = fcntl(t, F_DUPFD, n);
		if (fd != n)
			return EINVAL; /* the number did not come back: the test proves nothing */
	} else if (!strcmp(how, "fclose") || !strcmp(how, "freopen")) {
		/* a FILE holds the number first; the stream is made on it; then libc
		 * closes (fclose) or replaces (freopen) it inside, unseen, and TO takes it */
		closedir(s);
		FILE *f = fopen(from, "r");
		if (!f)
			return errno;
		n = fileno(f);
		int u = open(from, O_RDONLY | O_DIRECTORY), t = open(to, O_RDONLY | O_DIRECTORY);
		if (u < 0 || t < 0)
			return errno;
		close(n);
		s = fdopendir(fcntl(u, F_DUPFD, n));
		if (!s || dirfd(s) != n)
			return EINVAL;
		if (!strcmp(how, "fclose")) {
			fclose(f);
			fd = fcntl(t, F_DUPFD, n);
			if (fd != n)
				return EINVAL;
		} else if (!freopen(to, "r", f) || fileno(f) != n) {
			return EINVAL;
		}
	} else if (!strcmp(how, "closedir")) {
		/* the first stream's number goes to a second stream of FROM; closing the
		 * first stream closes that number (unseen), which then goes to TO */
		int t = open(to, O_RDONLY | O_DIRECTORY), u = open(from, O_RDONLY | O_DIRECTORY);
		if (t < 0 || u < 0)
			return errno;
		close(n);
		DIR *s2 = fdopendir(fcntl(u, F_DUPFD, n));
		if (!s2 || dirfd(s2) != n)
			return EINVAL;
		closedir(s);
		s = s2;
		fd = fcntl(t, F_DUPFD, n);
		if (fd != n)
			return EINVAL;
	} else {
		fprintf(stderr, "esc_probe dirswap: unknown way %s\n", how);
		exit(2);
	}
	int e = read_names(s);
	return e ? e : print_names();
}

/* deeplist HOW DIR FROM TO: open DIR, rename FROM to TO (unless FROM is "-"), then
 * list the open folder (HOW: fdopendir or getdents): an error is returned; otherwise
 * "ok" and the names but . and .., sorted. */
static int deeplist(const char *how, const char *dir, const char *from, const char *to)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return errno;
	if (strcmp(from, "-") && rename(from, to) < 0) {
		printf("rename failed: ");
		return errno;
	}
	if (!strcmp(how, "fdopendir")) {
		DIR *s = fdopendir(fd);
		if (!s)
			return errno;
		int e = read_names(s);
		if (e)
			return e;
	} else {
		char buf[8192];
		ssize_t n;
		while ((n = getdents64(fd, buf, sizeof buf)) > 0)
			for (ssize_t o = 0; o < n;) {
				struct dirent64 *e = (struct dirent64 *)(buf + o);
				add_name(e->d_name);
				o += e->d_reclen;
			}
		if (n < 0)
			return errno;
	}
	return print_names();
}

/* manydirs N DIR: N streams of DIR open at once: "ok", or the error of the first
 * that failed. */
static int manydirs(int n, const char *dir)
{
	for (int i = 0; i < n; i++)
		if (!opendir(dir))
			return errno;
	printf("ok\n");
	return -1;
}

/* deepwalk DIR LEVEL HELD: with HELD streams open, nftw over DIR; prints "ok", the number of objects seen and the
 * names of those at LEVEL or deeper, in the order seen. */
static int walk_min, walk_n;
static char walk_names[4096];
static int walk_cb(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	walk_n++;
	if (f->level >= walk_min && strlen(walk_names) + strlen(p + f->base) + 2 < sizeof walk_names) {
		strcat(walk_names, " ");
		strcat(walk_names, p + f->base);
	}
	return 0;
}

static int deepwalk(const char *dir, int level, int held)
{
	for (int i = 0; i < held; i++) /* streams the program holds meanwhile */
		if (!opendir("."))
			return errno;
	walk_min = level;
	if (nftw(dir, walk_cb, 16, FTW_PHYS) != 0)
		return errno;
	printf("ok\n%d%s\n", walk_n, walk_names);
	return -1;
}

/* threadkeys: a program's own thread key, made after the library's caches' key,
 * whose destructor decides again (a stat) and sets its value again, so that libc
 * runs the destructors again. */
static pthread_key_t tk_key;
static void tk_dtor(void *v)
{
	struct stat st;
	(void)v;
	stat(".", &st);
	pthread_setspecific(tk_key, (void *)1);
}
static void *tk_thread(void *v)
{
	struct stat st;
	stat(".", &st);
	pthread_setspecific(tk_key, (void *)1);
	return v;
}
static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char l[256];
	long v = -1;
	while (f && fgets(l, sizeof l, f))
		if (!strncmp(l, "VmRSS:", 6))
			v = atol(l + 6);
	if (f)
		fclose(f);
	return v;
}

static void need(const char *op, int na, int n)
{
	if (na < n) {
		fprintf(stderr, "esc_probe %s: needs %d arguments\n", op, n);
		exit(2);
	}
}

static int run(const char *op, char **a, int na)
{
	char p[4096];
	int fd, d;
#define NEED(n) need(op, na, (n))

	/* ---- descriptors and /proc ---- */
	if (!strcmp(op, "fdname")) { /* fdname DIR NAME [proc|dev]: /proc/self/fd/N/NAME */
		NEED(2);
		d = open(a[0], O_RDONLY | O_DIRECTORY);
		if (d < 0)
			return errno;
		snprintf(p, sizeof p, "%s/%d/%s", na > 2 && !strcmp(a[2], "dev") ? "/dev/fd" : "/proc/self/fd",
			 d, a[1]);
		return cat_path(p);
	}
	if (!strcmp(op, "opathat")) { /* opathat DIR NAME: openat on an O_PATH dirfd */
		NEED(2);
		d = open(a[0], O_PATH | O_DIRECTORY);
		if (d < 0)
			return errno;
		fd = openat(d, a[1], O_RDONLY);
		return fd < 0 ? errno : cat_fd(fd);
	}
	if (!strcmp(op, "dirat")) { /* dirat DIR NAME: openat on a plain dirfd */
		NEED(2);
		d = open(a[0], O_RDONLY | O_DIRECTORY);
		if (d < 0)
			return errno;
		fd = openat(d, a[1], O_RDONLY);
		return fd < 0 ? errno : cat_fd(fd);
	}
	if (!strcmp(op, "threadkeys")) {
		/* threadkeys N: N threads that stat and end with a key destructor that
		 * stats; prints whether the resident memory grew less than 8 MiB */
		NEED(1);
		struct stat st;
		stat(".", &st); /* the library's key is made here, before the program's */
		if (pthread_key_create(&tk_key, tk_dtor))
			return EAGAIN;
		int n = atoi(a[0]);
		long before = rss_kib();
		for (int i = 0; i < n; i++) {
			pthread_t t;
			if (pthread_create(&t, NULL, tk_thread, NULL))
				return EAGAIN;
			pthread_join(t, NULL);
		}
		long grew = rss_kib() - before;
		printf("ok\n%s\n", before >= 0 && grew < 8192 ? "less than 8 MiB" : "8 MiB or more");
		if (grew >= 8192)
			fprintf(stderr, "esc_probe threadkeys: VmRSS grew by %ld KiB\n", grew);
		return -1;
	}
	if (!strcmp(op, "statat")) {
		/* statat DIR NAME MODE: fstatat (MODE follow, nofollow) or statx (statx,
		 * statx-nofollow) of NAME relative to a descriptor of DIR ("-": AT_FDCWD);
		 * prints the type, and the size of what is not a folder */
		NEED(3);
		d = strcmp(a[0], "-") ? open(a[0], O_RDONLY | O_DIRECTORY) : AT_FDCWD;
		if (d < 0 && d != AT_FDCWD)
			return errno;
		int fl = strstr(a[2], "nofollow") ? AT_SYMLINK_NOFOLLOW : 0;
		mode_t m;
		long long sz;
		if (!strncmp(a[2], "statx", 5)) {
			struct statx sx;
			if (statx(d, a[1], fl, STATX_BASIC_STATS, &sx) < 0)
				return errno;
			m = sx.stx_mode, sz = (long long)sx.stx_size;
		} else {
			struct stat st;
			if (fstatat(d, a[1], &st, fl) < 0)
				return errno;
			m = st.st_mode, sz = (long long)st.st_size;
		}
		if (S_ISDIR(m))
			printf("ok\nd\n");
		else
			printf("ok\n%s %lld\n", S_ISLNK(m) ? "l" : "f", sz);
		return -1;
	}
	if (!strcmp(op, "reopen")) { /* reopen FILE FIRSTMODE MODE: open, then /proc/self/fd/N */
		NEED(3);
		fd = open(a[0], open_flags(a[1]));
		if (fd < 0)
			return errno;
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		return use_open(p, open_flags(a[2]));
	}
	if (!strcmp(op, "procpid")) { /* procpid REST: /proc/<own pid>/REST */
		NEED(1);
		snprintf(p, sizeof p, "/proc/%d/%s", (int)getpid(), a[0]);
		return cat_path(p);
	}
	if (!strcmp(op, "open")) { /* open PATH MODE */
		NEED(2);
		return use_open(a[0], open_flags(a[1]));
	}
	if (!strcmp(op, "freopen-up")) { /* fopen "r", then freopen(NULL, "r+") */
		NEED(1);
		FILE *f = fopen(a[0], "r");
		if (!f)
			return errno;
		FILE *g = freopen(NULL, "r+", f);
		if (!g)
			return errno;
		int e = fputs("X", g) < 0 || fflush(g) ? errno : 0;
		fclose(g);
		return e;
	}
	if (!strcmp(op, "fopen")) { /* fopen PATH: read and print */
		NEED(1);
		FILE *f = fopen(a[0], "r");
		if (!f)
			return errno;
		char buf[4096];
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = 0;
		printf("ok\n%s", buf);
		return -1;
	}
	if (!strcmp(op, "fchdir")) { /* fchdir DIR PATH: O_PATH dirfd, fchdir, read PATH */
		NEED(2);
		d = open(a[0], O_PATH | O_DIRECTORY);
		if (d < 0)
			return errno;
		if (fchdir(d) < 0)
			return errno;
		return cat_path(a[1]);
	}
	if (!strcmp(op, "chdir-cat")) { /* chdir DIR, then read PATH */
		NEED(2);
		if (chdir(a[0]) < 0)
			return errno;
		return cat_path(a[1]);
	}

	if (!strcmp(op, "deeplist")) { /* deeplist HOW DIR FROM TO */
		NEED(4);
		return deeplist(a[0], a[1], a[2], a[3]);
	}
	if (!strcmp(op, "deepwalk")) { /* deepwalk DIR LEVEL HELD */
		NEED(3);
		return deepwalk(a[0], atoi(a[1]), atoi(a[2]));
	}
	if (!strcmp(op, "manydirs")) { /* manydirs N DIR */
		NEED(2);
		return manydirs(atoi(a[0]), a[1]);
	}
	if (!strcmp(op, "dirswap")) { /* dirswap HOW FROM TO */
		NEED(3);
		return dirswap(a[0], a[1], a[2]);
	}

	/* ---- waits: the test changes the tree while the program runs ---- */
	if (!strcmp(op, "wait-cat")) { /* wait, then read PATH */
		NEED(1);
		wait_go();
		return cat_path(a[0]);
	}
	if (!strcmp(op, "wait-create")) { /* wait, then create PATH */
		NEED(1);
		wait_go();
		fd = open(a[0], O_WRONLY | O_CREAT | O_EXCL, 0644);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "cwd-moved")) { /* chdir DIR, wait, read PATH (relative) */
		NEED(2);
		if (chdir(a[0]) < 0)
			return errno;
		wait_go();
		return cat_path(a[1]);
	}
	if (!strcmp(op, "dirfd-moved")) { /* open DIR, wait, openat(dirfd, NAME) */
		NEED(2);
		d = open(a[0], O_RDONLY | O_DIRECTORY);
		if (d < 0)
			return errno;
		wait_go();
		fd = openat(d, a[1], O_RDONLY);
		return fd < 0 ? errno : cat_fd(fd);
	}
	if (!strcmp(op, "fd-moved")) { /* open FILE read-only, wait, reopen it O_RDWR via /proc */
		NEED(1);
		fd = open(a[0], O_RDONLY);
		if (fd < 0)
			return errno;
		wait_go();
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		return use_open(p, O_RDWR);
	}

	/* ---- raw system calls through syscall() ---- */
	if (!strcmp(op, "sys-open")) {
		NEED(1);
		fd = (int)syscall(SYS_open, a[0], O_RDONLY);
		return fd < 0 ? errno : cat_fd(fd);
	}
	if (!strcmp(op, "sys-openat")) { /* sys-openat DIR|. NAME */
		NEED(2);
		d = strcmp(a[0], ".") ? open(a[0], O_PATH | O_DIRECTORY) : AT_FDCWD;
		if (d < 0 && d != AT_FDCWD)
			return errno;
		fd = (int)syscall(SYS_openat, (long)(unsigned)d, a[1], O_RDONLY);
		return fd < 0 ? errno : cat_fd(fd);
	}
	if (!strcmp(op, "sys-openat2")) { /* sys-openat2 DIR|. NAME RESOLVE(number) */
		NEED(3);
		d = strcmp(a[0], ".") ? open(a[0], O_PATH | O_DIRECTORY) : AT_FDCWD;
		if (d < 0 && d != AT_FDCWD)
			return errno;
		struct open_how how = {.flags = O_RDONLY, .resolve = strtoull(a[2], NULL, 0)};
		fd = (int)syscall(SYS_openat2, d, a[1], &how, sizeof how);
		return fd < 0 ? errno : cat_fd(fd);
	}
	if (!strcmp(op, "sys-statx")) {
		NEED(1);
		struct statx sx;
		return syscall(SYS_statx, (long)(unsigned)AT_FDCWD, a[0], 0, STATX_BASIC_STATS, &sx) < 0 ? errno : 0;
	}
	if (!strcmp(op, "sys-newfstatat")) {
		NEED(1);
		struct stat st;
		return syscall(SYS_newfstatat, AT_FDCWD, a[0], &st, 0) < 0 ? errno : 0;
	}
	if (!strcmp(op, "sys-rename")) {
		NEED(2);
		return syscall(SYS_renameat2, AT_FDCWD, a[0], AT_FDCWD, a[1], 0) < 0 ? errno : 0;
	}
	if (!strcmp(op, "sys-link")) {
		NEED(2);
		return syscall(SYS_linkat, AT_FDCWD, a[0], AT_FDCWD, a[1], 0) < 0 ? errno : 0;
	}
	if (!strcmp(op, "sys-fchmodat2")) { /* a newer chmod system call */
		NEED(1);
		return syscall(SYS_fchmodat2, AT_FDCWD, a[0], 0600, 0) < 0 ? errno : 0;
	}
	if (!strcmp(op, "sys-getxattrat")) { /* getxattrat (Linux 6.13): a stat of the path */
		NEED(1);
		struct {
			unsigned long long value;
			unsigned size, flags;
		} args = {0, 0, 0};
		char v[64];
		args.value = (unsigned long long)(unsigned long)v;
		args.size = sizeof v;
		long r = syscall(SYS_getxattrat, AT_FDCWD, a[0], 0, "user.ward", &args, sizeof args);
		return r < 0 && errno != ENODATA ? errno : 0;
	}
	if (!strcmp(op, "sys-setxattrat")) {
		NEED(1);
		struct {
			unsigned long long value;
			unsigned size, flags;
		} args = {(unsigned long long)(unsigned long)"1", 1, 0};
		return syscall(SYS_setxattrat, AT_FDCWD, a[0], 0, "user.ward", &args, sizeof args) < 0 ? errno : 0;
	}
	if (!strcmp(op, "sys-open_tree")) { /* open_tree(PATH, 0 or CLONE), then openat NAME */
		NEED(3);
		int flags = !strcmp(a[2], "clone") ? OPEN_TREE_CLONE | O_CLOEXEC : O_CLOEXEC;
		d = (int)syscall(SYS_open_tree, AT_FDCWD, a[0], flags);
		if (d < 0)
			return errno;
		fd = openat(d, a[1], O_RDONLY);
		return fd < 0 ? errno : cat_fd(fd);
	}

	/* ---- handles ---- */
	if (!strcmp(op, "handle-save")) { /* handle-save PATH FILE: run without ward */
		NEED(2);
		struct {
			struct file_handle h;
			unsigned char b[MAX_HANDLE_SZ];
		} fh;
		int mid;
		fh.h.handle_bytes = MAX_HANDLE_SZ;
		if (name_to_handle_at(AT_FDCWD, a[0], &fh.h, &mid, 0) < 0)
			return errno;
		FILE *f = fopen(a[1], "w");
		if (!f)
			return errno;
		fwrite(&fh, sizeof fh.h + fh.h.handle_bytes, 1, f);
		fclose(f);
		return 0;
	}
	if (!strcmp(op, "handle-open")) { /* handle-open MOUNTDIR FILE [MODE] */
		NEED(2);
		struct {
			struct file_handle h;
			unsigned char b[MAX_HANDLE_SZ];
		} fh;
		int hfd = open(a[1], O_RDONLY);
		if (hfd < 0)
			return errno;
		ssize_t n = read(hfd, &fh, sizeof fh);
		close(hfd);
		if (n < (ssize_t)sizeof fh.h)
			return EINVAL;
		d = open(a[0], O_RDONLY | O_DIRECTORY);
		if (d < 0)
			return errno;
		fd = open_by_handle_at(d, &fh.h, na > 2 ? open_flags(a[2]) : O_RDONLY);
		if (fd >= 0 && na > 2 && open_flags(a[2]) != O_RDONLY) {
			int e = write(fd, "X", 1) == 1 ? 0 : errno;
			close(fd);
			return e;
		}
		return fd < 0 ? errno : cat_fd(fd);
	}
	if (!strcmp(op, "name-to-handle")) {
		NEED(1);
		struct {
			struct file_handle h;
			unsigned char b[MAX_HANDLE_SZ];
		} fh;
		int mid;
		fh.h.handle_bytes = MAX_HANDLE_SZ;
		return name_to_handle_at(AT_FDCWD, a[0], &fh.h, &mid, 0) < 0 ? errno : 0;
	}

	/* ---- names ---- */
	if (!strcmp(op, "mkstemp")) { /* mkstemp TEMPLATE */
		NEED(1);
		snprintf(p, sizeof p, "%s", a[0]);
		fd = mkstemp(p);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "mkdtemp")) {
		NEED(1);
		snprintf(p, sizeof p, "%s", a[0]);
		return mkdtemp(p) ? 0 : errno;
	}
	if (!strcmp(op, "tmpfile-link")) { /* O_TMPFILE in DIR, then link it as NAME */
		NEED(2);
		fd = open(a[0], O_TMPFILE | O_RDWR, 0600);
		if (fd < 0)
			return errno;
		int e = linkat(fd, "", AT_FDCWD, a[1], AT_EMPTY_PATH) < 0 ? errno : 0;
		close(fd);
		return e;
	}
	if (!strcmp(op, "linkfd")) { /* open FILE read-only, linkat(fd, "", ..., AT_EMPTY_PATH) */
		NEED(2);
		fd = open(a[0], O_RDONLY);
		if (fd < 0)
			return errno;
		int e = linkat(fd, "", AT_FDCWD, a[1], AT_EMPTY_PATH) < 0 ? errno : 0;
		close(fd);
		return e;
	}
	if (!strcmp(op, "linkproc")) { /* link /proc/self/fd/N with AT_SYMLINK_FOLLOW */
		NEED(2);
		fd = open(a[0], O_RDONLY);
		if (fd < 0)
			return errno;
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		int e = linkat(AT_FDCWD, p, AT_FDCWD, a[1], AT_SYMLINK_FOLLOW) < 0 ? errno : 0;
		close(fd);
		return e;
	}
	if (!strcmp(op, "renameat")) { /* renameat DIR1 NAME1 DIR2 NAME2 FLAGS(0|x) */
		NEED(5);
		int d1 = open(a[0], O_PATH | O_DIRECTORY);
		if (d1 < 0)
			return errno;
		int d2 = open(a[2], O_PATH | O_DIRECTORY);
		if (d2 < 0)
			return errno;
		unsigned fl = !strcmp(a[4], "x") ? RENAME_EXCHANGE : 0;
		return renameat2(d1, a[1], d2, a[3], fl) < 0 ? errno : 0;
	}
	if (!strcmp(op, "sendto")) { /* a datagram to the Unix socket PATH */
		NEED(1);
		int sk = socket(AF_UNIX, SOCK_DGRAM, 0);
		struct sockaddr_un u = {.sun_family = AF_UNIX};
		snprintf(u.sun_path, sizeof u.sun_path, "%s", a[0]);
		int e = sendto(sk, "x", 1, 0, (struct sockaddr *)&u, sizeof u) < 0 ? errno : 0;
		close(sk);
		return e;
	}
	if (!strcmp(op, "dlopen")) {
		NEED(1);
		errno = 0;
		void *h = dlopen(a[0], RTLD_NOW);
		if (!h)
			return errno ? errno : ENOEXEC;
		return 0;
	}
	if (!strcmp(op, "inotify")) { /* inotify_add_watch: does the name exist? */
		NEED(1);
		int in = inotify_init1(IN_CLOEXEC);
		if (in < 0)
			return errno;
		int w = inotify_add_watch(in, a[0], IN_ALL_EVENTS);
		int e = w < 0 ? errno : 0;
		close(in);
		return e;
	}
	if (!strcmp(op, "dup2-then")) { /* dup2 a descriptor onto 3 (the log), then read PATH */
		NEED(1);
		int t = open("/dev/null", O_RDONLY);
		dup2(t, 3);
		close(3);
		for (int i = 3; i < 1024; i++)
			if (i != t)
				close(i);
		syscall(SYS_close_range, 3, ~0u, 0);
		return cat_path(a[0]);
	}

	/* ---- mount namespaces and chroot (we run as root; an unprivileged program
	 * gets the same powers from unshare(CLONE_NEWUSER)) ---- */
	if (!strcmp(op, "chroot")) { /* chroot DIR, read PATH */
		NEED(2);
		if (chroot(a[0]) < 0)
			return errno;
		return cat_path(a[1]);
	}
	if (!strcmp(op, "userns-chroot")) { /* unprivileged: a user namespace, then chroot */
		NEED(2);
		if (unshare(CLONE_NEWUSER) < 0)
			return errno;
		if (chroot(a[0]) < 0)
			return errno;
		return cat_path(a[1]);
	}
	if (!strcmp(op, "userns-bindmount")) { /* unprivileged: user and mount namespaces */
		NEED(3);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
			return errno;
		if (mount(a[0], a[1], NULL, MS_BIND, NULL) < 0)
			return errno;
		return cat_path(a[2]);
	}
	if (!strcmp(op, "bindmount")) { /* private mount ns, bind SRC on DST, read PATH */
		NEED(3);
		if (unshare(CLONE_NEWNS) < 0)
			return errno;
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			return errno;
		if (mount(a[0], a[1], NULL, MS_BIND, NULL) < 0)
			return errno;
		return cat_path(a[2]);
	}

	/* ---- children ---- */
	if (!strcmp(op, "spawn-open")) { /* posix_spawn PROG with FILE opened as its stdin */
		NEED(2);
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 0, a[1], O_RDONLY, 0);
		char *argv[] = {a[0], NULL};
		pid_t pid;
		fflush(stdout);
		int e = posix_spawn(&pid, a[0], &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		if (e)
			return e;
		int st;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : EIO;
	}
	if (!strcmp(op, "spawn-chdir")) { /* posix_spawn ARGV... after chdir DIR */
		NEED(2);
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addchdir_np(&fa, a[0]);
		pid_t pid;
		fflush(stdout);
		int e = posix_spawn(&pid, a[1], &fa, NULL, a + 1, environ);
		posix_spawn_file_actions_destroy(&fa);
		if (e)
			return e;
		int st;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
	}
	if (!strcmp(op, "exec-env0")) { /* execve ARGV... with an empty environment */
		NEED(1);
		char *env[] = {NULL};
		fflush(stdout);
		execve(a[0], a, env);
		return errno;
	}
	if (!strcmp(op, "spawn-env0")) { /* posix_spawn ARGV... with an empty environment */
		NEED(1);
		char *env[] = {NULL};
		pid_t pid;
		fflush(stdout);
		int e = posix_spawn(&pid, a[0], NULL, NULL, a, env);
		if (e)
			return e;
		int st;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
	}
	if (!strcmp(op, "system")) { /* system(CMD): its status */
		NEED(1);
		fflush(stdout);
		int st = system(a[0]);
		return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
	}
	if (!strcmp(op, "fork-exec")) { /* fork, clear environ, execvp ARGV... */
		NEED(1);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			clearenv();
			execvp(a[0], a);
			_exit(127);
		}
		int st;
		waitpid(pid, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
	}
	fprintf(stderr, "esc_probe: unknown operation %s\n", op);
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: esc_probe OP EXPECT ARG...\n");
		return 2;
	}
	int e = run(argv[1], argv + 3, argc - 3);
	const char *got;
	if (e == -1) {
		got = "ok";
	} else {
		got = ename(e);
		printf("%s\n", got);
	}
	fflush(stdout);
	if (strcmp(got, argv[2]) != 0) {
		fprintf(stderr, "esc_probe %s", argv[1]);
		for (int i = 3; i < argc; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, ": wanted %s, got %s\n", argv[2], got);
		return 1;
	}
	return 0;
}
