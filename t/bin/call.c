/* call.c: a test driver that makes one libc call and checks its outcome.
 *
 *   call OP EXPECT ARG...
 *
 * EXPECT is "ok" or an errno name (ENOENT, EACCES, ...). The call's outcome is
 * printed ("ok", or the errno name) along with what a listing or a read returned;
 * the exit status is 0 when the outcome is EXPECT, 1 when not, 2 on a usage error.
 * Under libward.so this runs the interposed functions, as any program would.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/openat2.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

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
	case EFBIG: return "EFBIG";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EBUSY: return "EBUSY";
	case ENODATA: return "ENODATA";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EADDRINUSE: return "EADDRINUSE";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOEXEC: return "ENOEXEC";
	}
	static char b[32];
	snprintf(b, sizeof b, "E%d", e);
	return b;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

/* Prints the names of a listing, sorted, one a line, after "ok". */
static void print_names(char **v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_str);
	for (int i = 0; i < n; i++)
		printf("%s\n", v[i]);
}

#define R(x) ((x) < 0 ? errno : 0)

static int need(const char *op, int na, int n)
{
	if (na < n) {
		fprintf(stderr, "call %s: needs %d arguments\n", op, n);
		exit(2);
	}
	return 0;
}

static int run(const char *op, char **a, int na)
{
	struct stat st;
	char buf[8192];
	int fd;
#define NEED(n) need(op, na, (n))
	if (!strcmp(op, "read")) {
		NEED(1);
		fd = open(a[0], O_RDONLY);
		if (fd < 0)
			return errno;
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n < 0)
			return errno;
		return 0;
	}
	if (!strcmp(op, "cat")) { /* read and print the content after "ok" */
		NEED(1);
		fd = open(a[0], O_RDONLY);
		if (fd < 0)
			return errno;
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n < 0)
			return errno;
		buf[n] = 0;
		printf("ok\n%s", buf);
		return -1;
	}
	if (!strcmp(op, "openw")) {
		NEED(1);
		fd = open(a[0], O_WRONLY);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "append")) {
		NEED(2);
		fd = open(a[0], O_WRONLY | O_APPEND);
		if (fd < 0)
			return errno;
		ssize_t n = write(fd, a[1], strlen(a[1]));
		int e = n < 0 ? errno : 0;
		close(fd);
		return e;
	}
	if (!strcmp(op, "create")) {
		NEED(1);
		fd = open(a[0], O_WRONLY | O_CREAT | O_EXCL, 0644);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "creat")) {
		NEED(1);
		fd = open(a[0], O_WRONLY | O_CREAT, 0644);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "trunc")) {
		NEED(1);
		fd = open(a[0], O_WRONLY | O_TRUNC);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "rdwr")) {
		NEED(1);
		fd = open(a[0], O_RDWR);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "opath")) {
		NEED(1);
		fd = open(a[0], O_PATH);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "tmpfile")) { /* O_TMPFILE in a folder */
		NEED(1);
		fd = open(a[0], O_TMPFILE | O_RDWR, 0600);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "openat")) { /* openat DIR NAME r|w|c: DIR opened O_PATH */
		NEED(3);
		int d = open(a[0], O_PATH | O_DIRECTORY);
		if (d < 0)
			return errno;
		int fl = a[2][0] == 'r' ? O_RDONLY : a[2][0] == 'w' ? O_WRONLY : O_WRONLY | O_CREAT;
		fd = openat(d, a[1], fl, 0644);
		int e = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		close(d);
		return e;
	}
	if (!strcmp(op, "fopen")) {
		NEED(2);
		FILE *f = fopen(a[0], a[1]);
		return f ? (fclose(f), 0) : errno;
	}
	if (!strcmp(op, "stat"))
		return NEED(1), R(stat(a[0], &st));
	if (!strcmp(op, "lstat"))
		return NEED(1), R(lstat(a[0], &st));
	if (!strcmp(op, "statx")) {
		struct statx sx;
		NEED(1);
		return R(statx(AT_FDCWD, a[0], 0, STATX_BASIC_STATS, &sx));
	}
	if (!strcmp(op, "sys-statx")) { /* as node does it */
		struct statx sx;
		NEED(1);
		return R(syscall(SYS_statx, (long)(unsigned)AT_FDCWD, a[0], 0, STATX_BASIC_STATS, &sx));
	}
	if (!strcmp(op, "sys-openat")) {
		NEED(1);
		fd = (int)syscall(SYS_openat, AT_FDCWD, a[0], O_RDONLY);
		return fd < 0 ? errno : (close(fd), 0);
	}
	if (!strcmp(op, "access")) { /* access PATH F|R|W|X */
		NEED(2);
		int m = a[1][0] == 'R' ? R_OK : a[1][0] == 'W' ? W_OK : a[1][0] == 'X' ? X_OK : F_OK;
		return R(access(a[0], m));
	}
	if (!strcmp(op, "readlink")) {
		NEED(1);
		ssize_t n = readlink(a[0], buf, sizeof buf - 1);
		if (n < 0)
			return errno;
		buf[n] = 0;
		printf("ok\n%s\n", buf);
		return -1;
	}
	if (!strcmp(op, "realpath")) {
		NEED(1);
		char *r = realpath(a[0], NULL);
		if (!r)
			return errno;
		printf("ok\n%s\n", r);
		free(r);
		return -1;
	}
	if (!strcmp(op, "ls") || !strcmp(op, "ls-all")) { /* opendir + readdir */
		NEED(1);
		DIR *d = opendir(a[0]);
		if (!d)
			return errno;
		char *v[4096];
		int n = 0;
		struct dirent *e;
		while ((e = readdir(d)) && n < 4096)
			if (!strcmp(op, "ls-all") || (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")))
				v[n++] = strdup(e->d_name);
		closedir(d);
		printf("ok\n");
		print_names(v, n);
		return -1;
	}
	if (!strcmp(op, "scandir")) {
		NEED(1);
		struct dirent **list;
		int n = scandir(a[0], &list, NULL, alphasort);
		if (n < 0)
			return errno;
		printf("ok\n");
		for (int i = 0; i < n; i++)
			if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, ".."))
				printf("%s\n", list[i]->d_name);
		return -1;
	}
	if (!strcmp(op, "getdents")) { /* the raw system call through syscall() */
		NEED(1);
		fd = open(a[0], O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			return errno;
		char *v[4096];
		int n = 0;
		for (;;) {
			long r = syscall(SYS_getdents64, fd, buf, sizeof buf);
			if (r < 0) {
				int e = errno;
				close(fd);
				return e;
			}
			if (r == 0)
				break;
			for (long off = 0; off < r;) {
				struct dirent64 *e = (struct dirent64 *)(buf + off);
				off += e->d_reclen;
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && n < 4096)
					v[n++] = strdup(e->d_name);
			}
		}
		close(fd);
		printf("ok\n");
		print_names(v, n);
		return -1;
	}
	if (!strcmp(op, "glob")) {
		NEED(1);
		glob_t g;
		int r = glob(a[0], 0, NULL, &g);
		if (r == GLOB_NOMATCH) {
			printf("ok\n");
			return -1;
		}
		if (r != 0)
			return EIO;
		printf("ok\n");
		for (size_t i = 0; i < g.gl_pathc; i++)
			printf("%s\n", g.gl_pathv[i]);
		globfree(&g);
		return -1;
	}
	if (!strcmp(op, "exec")) { /* fork, execv the file, wait: ok when exec worked */
		NEED(1);
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			return errno;
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			execv(a[0], a);
			int e = errno;
			ssize_t w = write(p[1], &e, sizeof e);
			(void)w;
			_exit(127);
		}
		close(p[1]);
		int e = 0;
		ssize_t r = read(p[0], &e, sizeof e);
		close(p[0]);
		int status;
		waitpid(pid, &status, 0);
		return r == sizeof e ? e : 0;
	}
	if (!strcmp(op, "spawn")) { /* posix_spawn */
		NEED(1);
		pid_t pid;
		int e = posix_spawn(&pid, a[0], NULL, NULL, a, environ);
		if (e)
			return e;
		int status;
		waitpid(pid, &status, 0);
		return 0;
	}
	if (!strcmp(op, "unlink"))
		return NEED(1), R(unlink(a[0]));
	if (!strcmp(op, "rmdir"))
		return NEED(1), R(rmdir(a[0]));
	if (!strcmp(op, "remove"))
		return NEED(1), R(remove(a[0]));
	if (!strcmp(op, "mkdir"))
		return NEED(1), R(mkdir(a[0], 0755));
	if (!strcmp(op, "rename"))
		return NEED(2), R(rename(a[0], a[1]));
	if (!strcmp(op, "exchange"))
		return NEED(2), R(renameat2(AT_FDCWD, a[0], AT_FDCWD, a[1], RENAME_EXCHANGE));
	if (!strcmp(op, "link"))
		return NEED(2), R(link(a[0], a[1]));
	if (!strcmp(op, "symlink"))
		return NEED(2), R(symlink(a[0], a[1]));
	if (!strcmp(op, "mkfifo"))
		return NEED(1), R(mkfifo(a[0], 0644));
	if (!strcmp(op, "mknod"))
		return NEED(1), R(mknod(a[0], S_IFREG | 0644, 0));
	if (!strcmp(op, "chmod"))
		return NEED(1), R(chmod(a[0], 0640));
	if (!strcmp(op, "chown"))
		return NEED(1), R(chown(a[0], getuid(), getgid()));
	if (!strcmp(op, "lchown"))
		return NEED(1), R(lchown(a[0], getuid(), getgid()));
	if (!strcmp(op, "utimes"))
		return NEED(1), R(utimes(a[0], NULL));
	if (!strcmp(op, "utimensat"))
		return NEED(1), R(utimensat(AT_FDCWD, a[0], NULL, 0));
	if (!strcmp(op, "truncate"))
		return NEED(1), R(truncate(a[0], 0));
	if (!strcmp(op, "setxattr"))
		return NEED(1), R(setxattr(a[0], "user.ward", "1", 1, 0));
	if (!strcmp(op, "getxattr")) {
		NEED(1);
		ssize_t n = getxattr(a[0], "user.ward", buf, sizeof buf);
		return n < 0 && errno != ENODATA && errno != EOPNOTSUPP ? errno : 0;
	}
	if (!strcmp(op, "removexattr"))
		return NEED(1), R(removexattr(a[0], "user.ward"));
	if (!strcmp(op, "chdir")) {
		NEED(1);
		if (chdir(a[0]) < 0)
			return errno;
		if (!getcwd(buf, sizeof buf))
			return errno;
		printf("ok\n%s\n", buf);
		return -1;
	}
	if (!strcmp(op, "connect") || !strcmp(op, "bind")) {
		NEED(1);
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		struct sockaddr_un u = {.sun_family = AF_UNIX};
		snprintf(u.sun_path, sizeof u.sun_path, "%s", a[0]);
		int r = op[0] == 'c' ? connect(s, (struct sockaddr *)&u, sizeof u)
				     : bind(s, (struct sockaddr *)&u, sizeof u);
		int e = r < 0 ? errno : 0;
		close(s);
		return e;
	}
	fprintf(stderr, "call: unknown operation %s\n", op);
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: call OP EXPECT ARG...\n");
		return 2;
	}
	int e = run(argv[1], argv + 3, argc - 3);
	const char *got;
	if (e == -1) {
		got = "ok"; /* already printed with its data */
	} else {
		got = ename(e);
		printf("%s\n", got);
	}
	fflush(stdout);
	if (strcmp(got, argv[2]) != 0) {
		fprintf(stderr, "call %s", argv[1]);
		for (int i = 3; i < argc; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, ": wanted %s, got %s\n", argv[2], got);
		return 1;
	}
	return 0;
}
