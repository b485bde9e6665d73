/* surface.c: the whole interposed surface of libward.so, name by name
 * (t/015-symbols.t).
 *
 *   surface            under libward.so, in the test tree: test every name
 *   surface setup      without the library: make the sockets of the tree
 *
 * For each name of shim/symbols.def (the table below), the program looks the name up
 * with dlsym(RTLD_DEFAULT), checks with dladdr that it resolves into libward.so (or,
 * in a sanitizer build, into the ASan runtime preloaded before it, which forwards to
 * libward.so's definition), and calls it through a correctly typed pointer:
 *
 *   - on a `none` path: the call fails with ENOENT (or NULL/EOF and errno ENOENT, or
 *     the hidden name is absent from a listing), and nothing changed;
 *   - for calls that write, on a `read` path: EACCES, and the file is unchanged;
 *   - on an allowed path, as the control: the call works.
 *
 * Descriptor calls are made on the library's own descriptor (WARD_LOG_FD, which they
 * must refuse with EBADF or leave in place) and on an O_RDONLY descriptor of a
 * read-level file. The tree (made by the test; ROOT is the working directory):
 *
 *   w/ write     w/file "W\n"
 *   r/ read      r/file "R\n", r/link -> file, r/dir/, r/sock, r/lib.so
 *   v/ view      v/file, v/true (a copy of /bin/true), v/lib.so
 *   n/ none      n/file "N\n", n/link -> file, n/dir/, n/true, n/lib.so, n/sock, n/dg
 *
 * with fd 7 open on n/ and fd 8 on n/file (opened by the test, outside the library),
 * and limits.max_file_size set. Output: one line per name, "ok NAME", "not ok NAME:
 * DETAIL", or "todo NAME: DETAIL" for a name of KNOWN_GAPS that fails; the exit
 * status is 0 when no line is "not ok".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <aio.h>
#include <dirent.h>
#include <locale.h>
#include <mqueue.h>
#include <nl_types.h>
#include <semaphore.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <utmp.h>
#include <wordexp.h>
#include <libintl.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <ftw.h>
#include <glob.h>
#include <link.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

extern char **environ;

/* Names whose check fails because of a known gap of the library: reported as
 * "todo NAME: DETAIL" (a TAP TODO), not as a failure. Keep it empty when possible. */
/* Names whose failure is a known, reported gap of the library (TAP TODO). None now:
 * fts (hidden folders in post-order and in fts_children), l*xattr on plain files and
 * dlopen's errno were fixed; a new gap goes here with its reason. */
static const char *const KNOWN_GAPS[] = {
	NULL,
};

#define NONE_DIR_FD 7
#define NONE_FILE_FD 8

static void *sym;      /* the name being tested, as dlsym(RTLD_DEFAULT) found it */
static const char *cur; /* its name */
static char detail[1024];
static int bad;
static int logfd = -1; /* the library's descriptor of the audit log */

static int hard; /* a failure that KNOWN_GAPS does not excuse */

static void vfail(int is_hard, const char *fmt, va_list ap)
{
	hard |= is_hard;
	if (bad++)
		return; /* the first failure is the one reported */
	vsnprintf(detail, sizeof detail, fmt, ap);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(1, fmt, ap);
	va_end(ap);
}

/* A check that a name of KNOWN_GAPS may fail (reported as "todo"); for any other
 * name it is an ordinary failure. */
static void gap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void gap(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(0, fmt, ap);
	va_end(ap);
}

static const char *ename(int e)
{
	switch (e) {
	case 0: return "0";
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case ENODATA: return "ENODATA";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECHILD: return "ECHILD";
	case EFBIG: return "EFBIG";
	case EAGAIN: return "EAGAIN";
	case ELOOP: return "ELOOP";
	}
	static char b[32];
	snprintf(b, sizeof b, "E%d", e);
	return b;
}

/* The symbol as a pointer of the given function type. */
#define FN(f, ...)                                                                                 \
	__typeof__(__VA_ARGS__) f;                                                                 \
	memcpy(&f, &sym, sizeof f)

/* expr must fail (-1) with errno `want` */
#define DENY(want, expr)                                                                           \
	do {                                                                                       \
		errno = 0;                                                                         \
		long rc_ = (long)(expr);                                                           \
		int e_ = errno;                                                                    \
		if (rc_ != -1 || e_ != (want))                                                     \
			fail("%s: got %ld (%s), wanted -1 (%s)", #expr, rc_, ename(e_), ename(want)); \
	} while (0)

/* expr must return NULL with errno `want` */
#define DENYP(want, expr)                                                                          \
	do {                                                                                       \
		errno = 0;                                                                         \
		void *p_ = (void *)(expr);                                                         \
		int e_ = errno;                                                                    \
		if (p_ != NULL || e_ != (want))                                                    \
			fail("%s: got %p (%s), wanted NULL (%s)", #expr, p_, ename(e_), ename(want)); \
	} while (0)

/* expr must not return -1 (the value is kept in `var`) */
#define OKV(var, expr)                                                                             \
	do {                                                                                       \
		errno = 0;                                                                         \
		var = (expr);                                                                      \
		if ((long)(var) == -1)                                                             \
			fail("%s: failed (%s), wanted success", #expr, ename(errno));              \
	} while (0)
#define OK(expr)                                                                                   \
	do {                                                                                       \
		long v_;                                                                           \
		OKV(v_, (long)(expr));                                                             \
	} while (0)

/* ---- the state of files, to prove that a denial changed nothing ---- */

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	return buf;
}

struct snap {
	int ok;
	struct stat st;
	char text[64];
};

static void take(const char *path, struct snap *s)
{
	memset(s, 0, sizeof *s);
	if (lstat(path, &s->st) < 0)
		return;
	if (S_ISREG(s->st.st_mode)) {
		char *t = slurp(path);
		if (!t)
			return;
		size_t n = strlen(t);
		if (n >= sizeof s->text)
			n = sizeof s->text - 1;
		memcpy(s->text, t, n);
		s->text[n] = 0;
	}
	s->ok = 1;
}

/* The file is as it was before: content, size, mode, owner, times, xattrs count. */
static void same(const char *path, const struct snap *before)
{
	struct snap now;
	take(path, &now);
	if (!before->ok || !now.ok) {
		fail("%s: cannot be examined any more", path);
		return;
	}
	if (strcmp(now.text, before->text) || now.st.st_size != before->st.st_size ||
	    now.st.st_mode != before->st.st_mode || now.st.st_uid != before->st.st_uid ||
	    now.st.st_mtim.tv_sec != before->st.st_mtim.tv_sec ||
	    now.st.st_mtim.tv_nsec != before->st.st_mtim.tv_nsec ||
	    now.st.st_ctim.tv_sec != before->st.st_ctim.tv_sec ||
	    now.st.st_ctim.tv_nsec != before->st.st_ctim.tv_nsec)
		fail("%s changed although the call was denied", path);
}

static int exists(const char *path)
{
	struct stat st;
	return fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void absent(const char *path)
{
	/* checked without the library's view: a name in a hidden folder reads as
	 * missing anyway, so this matters for r/ and w/ */
	if (exists(path))
		fail("%s was created although the call was denied", path);
}

/* A fresh file in w/ with content. */
static void wfile(const char *path, const char *text)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fail("cannot create %s: %s", path, ename(errno));
		return;
	}
	if (write(fd, text, strlen(text)) < 0)
		fail("cannot write %s", path);
	close(fd);
}

/* A descriptor of r/file opened O_RDONLY. */
static int rfd(void)
{
	int fd = open("r/file", O_RDONLY);
	if (fd < 0)
		fail("cannot open r/file: %s", ename(errno));
	return fd;
}

/* Raw system calls, which the library does not see: what is really open. */
static long raw3(long n, long a, long b, long c)
{
	long r;
	__asm__ __volatile__("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}

static const char *logname = "log.fifo";

/* Is descriptor fd the audit log (its /proc link ends in the log's name)? */
static int is_log(int fd)
{
	char proc[64], link[PATH_MAX];
	size_t ll = strlen(logname);
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	long n = raw3(SYS_readlinkat, AT_FDCWD, (long)proc, (long)link);
	(void)n;
	n = 0;
	{
		register long r10 __asm__("r10") = sizeof link - 1;
		__asm__ __volatile__("syscall"
				     : "=a"(n)
				     : "a"(SYS_readlinkat), "D"(AT_FDCWD), "S"(proc), "d"(link), "r"(r10)
				     : "rcx", "r11", "memory");
	}
	return n > (long)ll && link[n - (long)ll - 1] == '/' && !memcmp(link + n - ll, logname, ll);
}

/* The library's descriptor of the log, found again (it moves when the program asks
 * for its number). */
static void find_log(void)
{
	logfd = -1;
	for (int fd = 3; fd < 65536 && logfd < 0; fd++)
		if (raw3(SYS_fcntl, fd, F_GETFD, 0) >= 0 && is_log(fd))
			logfd = fd;
	if (logfd < 0)
		fail("the library's log descriptor is gone");
}

/* The library's descriptor is still open, and still the log. */
static void log_open(void)
{
	if (raw3(SYS_fcntl, logfd, F_GETFD, 0) < 0 || !is_log(logfd))
		fail("the library's descriptor %d was closed or replaced", logfd);
}

/* ---- the open family ---- */

static void t_open(void)
{
	FN(f, int (*)(const char *, int, ...));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/file", O_RDONLY));
	DENY(ENOENT, f("n/new", O_WRONLY | O_CREAT, 0644));
	DENY(EACCES, f("r/file", O_WRONLY | O_TRUNC));
	DENY(EACCES, f("r/new", O_WRONLY | O_CREAT, 0644));
	DENY(EACCES, f("v/file", O_RDONLY));
	absent("r/new");
	same("r/file", &s);
	int fd;
	OKV(fd, f("r/file", O_RDONLY));
	if (fd >= 0)
		close(fd);
	OKV(fd, f("w/new", O_WRONLY | O_CREAT | O_TRUNC, 0644));
	if (fd >= 0)
		close(fd);
}

static void t_openat(void)
{
	FN(f, int (*)(int, const char *, int, ...));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f(AT_FDCWD, "n/file", O_RDONLY));
	DENY(ENOENT, f(NONE_DIR_FD, "file", O_RDONLY));
	DENY(EACCES, f(AT_FDCWD, "r/file", O_RDWR));
	DENY(EACCES, f(AT_FDCWD, "r/new", O_WRONLY | O_CREAT | O_EXCL, 0644));
	absent("r/new");
	same("r/file", &s);
	int fd;
	OKV(fd, f(AT_FDCWD, "r/file", O_RDONLY));
	if (fd >= 0)
		close(fd);
}

static void t_open_2(void) /* __open_2, __open64_2: no O_CREAT */
{
	FN(f, int (*)(const char *, int));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/file", O_RDONLY));
	DENY(EACCES, f("r/file", O_WRONLY | O_TRUNC));
	same("r/file", &s);
	int fd;
	OKV(fd, f("r/file", O_RDONLY));
	if (fd >= 0)
		close(fd);
}

static void t_openat_2(void)
{
	FN(f, int (*)(int, const char *, int));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f(AT_FDCWD, "n/file", O_RDONLY));
	DENY(EACCES, f(AT_FDCWD, "r/file", O_WRONLY | O_APPEND));
	same("r/file", &s);
	int fd;
	OKV(fd, f(AT_FDCWD, "r/file", O_RDONLY));
	if (fd >= 0)
		close(fd);
}

static void t_creat(void)
{
	FN(f, int (*)(const char *, mode_t));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/new", 0644));
	DENY(ENOENT, f("n/file", 0644));
	DENY(EACCES, f("r/file", 0644));
	DENY(EACCES, f("r/new", 0644));
	absent("r/new");
	same("r/file", &s);
	int fd;
	OKV(fd, f("w/creat", 0644));
	if (fd >= 0)
		close(fd);
}

static void t_fopen(void)
{
	FN(f, FILE * (*)(const char *, const char *));
	struct snap s;
	take("r/file", &s);
	DENYP(ENOENT, f("n/file", "r"));
	DENYP(ENOENT, f("n/new", "w"));
	DENYP(EACCES, f("r/file", "w"));
	DENYP(EACCES, f("r/file", "a"));
	DENYP(EACCES, f("r/new", "w"));
	absent("r/new");
	same("r/file", &s);
	FILE *fp = f("r/file", "r");
	if (!fp)
		fail("fopen(r/file, r): %s", ename(errno));
	else
		fclose(fp);
}

static void t_freopen(void)
{
	FN(f, FILE * (*)(const char *, const char *, FILE *));
	struct snap s;
	take("r/file", &s);
	FILE *fp = fopen("w/file", "r");
	if (!fp) {
		fail("fopen(w/file): %s", ename(errno));
		return;
	}
	DENYP(ENOENT, f("n/file", "r", fp)); /* the stream is closed either way */
	fp = fopen("w/file", "r");
	if (fp)
		DENYP(EACCES, f("r/file", "w", fp));
	same("r/file", &s);
	fp = fopen("w/file", "r");
	if (fp) {
		FILE *g = f("r/file", "r", fp);
		if (!g)
			fail("freopen(r/file, r): %s", ename(errno));
		else {
			char line[16] = "";
			if (!fgets(line, sizeof line, g) || strcmp(line, "R\n"))
				fail("freopen(r/file, r) read '%s'", line);
			fclose(g);
		}
	}
}

static void t_mkstemp(void)
{
	FN(f, int (*)(char *));
	char tn[] = "n/tXXXXXX", tr[] = "r/tXXXXXX", tw[] = "w/tXXXXXX";
	DENY(ENOENT, f(tn));
	DENY(EACCES, f(tr));
	if (strcmp(tr, "r/tXXXXXX"))
		absent(tr);
	int fd;
	OKV(fd, f(tw));
	if (fd >= 0)
		close(fd), unlink(tw);
}

static void t_mkostemp(void)
{
	FN(f, int (*)(char *, int));
	char tn[] = "n/tXXXXXX", tr[] = "r/tXXXXXX", tw[] = "w/tXXXXXX";
	DENY(ENOENT, f(tn, O_CLOEXEC));
	DENY(EACCES, f(tr, O_CLOEXEC));
	int fd;
	OKV(fd, f(tw, O_CLOEXEC));
	if (fd >= 0)
		close(fd), unlink(tw);
}

static void t_mkstemps(void)
{
	FN(f, int (*)(char *, int));
	char tn[] = "n/tXXXXXX.s", tr[] = "r/tXXXXXX.s", tw[] = "w/tXXXXXX.s";
	DENY(ENOENT, f(tn, 2));
	DENY(EACCES, f(tr, 2));
	int fd;
	OKV(fd, f(tw, 2));
	if (fd >= 0)
		close(fd), unlink(tw);
}

static void t_mkostemps(void)
{
	FN(f, int (*)(char *, int, int));
	char tn[] = "n/tXXXXXX.s", tr[] = "r/tXXXXXX.s", tw[] = "w/tXXXXXX.s";
	DENY(ENOENT, f(tn, 2, O_CLOEXEC));
	DENY(EACCES, f(tr, 2, O_CLOEXEC));
	int fd;
	OKV(fd, f(tw, 2, O_CLOEXEC));
	if (fd >= 0)
		close(fd), unlink(tw);
}

static void t_mkdtemp(void)
{
	FN(f, char *(*)(char *));
	char tn[] = "n/dXXXXXX", tr[] = "r/dXXXXXX", tw[] = "w/dXXXXXX";
	DENYP(ENOENT, f(tn));
	DENYP(EACCES, f(tr));
	if (!f(tw))
		fail("mkdtemp(w/dXXXXXX): %s", ename(errno));
	else
		rmdir(tw);
}

/* tmpfile: its folder is /tmp, closed by the policy (TMPDIR, set to r/ by the test,
 * is not consulted): the call must fail, and leave nothing in r/. */
static void t_tmpfile(void)
{
	FN(f, FILE * (*)(void));
	errno = 0;
	FILE *fp = f();
	int e = errno;
	if (fp) {
		fail("tmpfile() worked in a closed /tmp (TMPDIR=%s)", getenv("TMPDIR"));
		fclose(fp);
	} else if (e != ENOENT && e != EACCES) {
		fail("tmpfile(): %s, wanted ENOENT or EACCES", ename(e));
	}
}

/* A handle of n/file through the descriptor the test opened (AT_EMPTY_PATH on a
 * descriptor is not judged again), then open_by_handle_at: the file stays hidden. */
static void t_open_by_handle_at(void)
{
	FN(f, int (*)(int, struct file_handle *, int));
	union {
		struct file_handle h;
		char b[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} hn, hr;
	int mid;
	hn.h.handle_bytes = MAX_HANDLE_SZ;
	hr.h.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(NONE_FILE_FD, "", &hn.h, &mid, AT_EMPTY_PATH) < 0 ||
	    name_to_handle_at(AT_FDCWD, "r/file", &hr.h, &mid, 0) < 0) {
		if (errno == EOPNOTSUPP)
			return; /* no handles on this file system: only the lookup is tested */
		fail("name_to_handle_at: %s", ename(errno));
		return;
	}
	int mfd = open(".", O_RDONLY | O_DIRECTORY);
	errno = 0;
	int fd = f(mfd, &hr.h, O_RDONLY);
	if (fd < 0 && errno == EPERM) {
		/* without CAP_DAC_READ_SEARCH the kernel refuses every handle first */
		DENY(EPERM, f(mfd, &hn.h, O_RDONLY));
	} else {
		if (fd < 0)
			fail("open_by_handle_at(r/file, O_RDONLY): %s", ename(errno));
		else
			close(fd);
		DENY(ENOENT, f(mfd, &hn.h, O_RDONLY));
		DENY(EACCES, f(mfd, &hr.h, O_WRONLY));
	}
	close(mfd);
}

/* ---- stat and the other calls that only look ---- */

static void t_stat(void) /* stat, stat64, lstat, lstat64 (same layout on 64-bit) */
{
	FN(f, int (*)(const char *, struct stat *));
	struct stat st;
	DENY(ENOENT, f("n/file", &st));
	DENY(ENOENT, f("n/dir", &st));
	OK(f("r/file", &st));
	OK(f("v/file", &st));
}

static void t_fstatat(void)
{
	FN(f, int (*)(int, const char *, struct stat *, int));
	struct stat st;
	DENY(ENOENT, f(AT_FDCWD, "n/file", &st, 0));
	DENY(ENOENT, f(AT_FDCWD, "n/link", &st, AT_SYMLINK_NOFOLLOW));
	DENY(ENOENT, f(NONE_DIR_FD, "file", &st, 0));
	OK(f(AT_FDCWD, "r/file", &st, 0));
	OK(f(AT_FDCWD, "v/file", &st, AT_SYMLINK_NOFOLLOW));
}

static void t_xstat(void) /* __xstat, __xstat64, __lxstat, __lxstat64 */
{
	FN(f, int (*)(int, const char *, struct stat *));
	struct stat st;
	DENY(ENOENT, f(1, "n/file", &st));
	OK(f(1, "r/file", &st));
}

static void t_fxstatat(void)
{
	FN(f, int (*)(int, int, const char *, struct stat *, int));
	struct stat st;
	DENY(ENOENT, f(1, AT_FDCWD, "n/file", &st, 0));
	OK(f(1, AT_FDCWD, "r/file", &st, 0));
}

static void t_statx(void)
{
	FN(f, int (*)(int, const char *, int, unsigned, struct statx *));
	struct statx sx;
	DENY(ENOENT, f(AT_FDCWD, "n/file", 0, STATX_BASIC_STATS, &sx));
	DENY(ENOENT, f(AT_FDCWD, "n/link", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
	OK(f(AT_FDCWD, "r/file", 0, STATX_BASIC_STATS, &sx));
}

static void t_faccessat(void)
{
	FN(f, int (*)(int, const char *, int, int));
	DENY(ENOENT, f(AT_FDCWD, "n/file", F_OK, 0));
	DENY(ENOENT, f(AT_FDCWD, "n/file", R_OK, AT_EACCESS));
	DENY(EACCES, f(AT_FDCWD, "r/file", W_OK, 0));
	OK(f(AT_FDCWD, "r/file", R_OK, 0));
	OK(f(AT_FDCWD, "w/file", W_OK, 0));
}

static void t_access(void) /* access, eaccess, euidaccess */
{
	FN(f, int (*)(const char *, int));
	DENY(ENOENT, f("n/file", F_OK));
	DENY(ENOENT, f("n/dir", R_OK));
	DENY(EACCES, f("r/file", W_OK));
	DENY(EACCES, f("v/file", R_OK));
	OK(f("v/file", F_OK));
	OK(f("r/file", R_OK));
	OK(f("w/file", W_OK));
}

static void t_readlink(void)
{
	FN(f, ssize_t (*)(const char *, char *, size_t));
	char b[64];
	DENY(ENOENT, f("n/link", b, sizeof b));
	ssize_t n;
	OKV(n, f("r/link", b, sizeof b));
	if (n != 4 || memcmp(b, "file", 4))
		fail("readlink(r/link) gave %zd bytes", n);
}

static void t_readlinkat(void)
{
	FN(f, ssize_t (*)(int, const char *, char *, size_t));
	char b[64];
	DENY(ENOENT, f(AT_FDCWD, "n/link", b, sizeof b));
	DENY(ENOENT, f(NONE_DIR_FD, "link", b, sizeof b));
	ssize_t n;
	OKV(n, f(AT_FDCWD, "r/link", b, sizeof b));
	if (n != 4)
		fail("readlinkat(r/link) gave %zd bytes", n);
}

static void t_readlink_chk(void)
{
	FN(f, ssize_t (*)(const char *, char *, size_t, size_t));
	char b[64];
	DENY(ENOENT, f("n/link", b, sizeof b, sizeof b));
	ssize_t n;
	OKV(n, f("r/link", b, sizeof b, sizeof b));
	if (n != 4)
		fail("__readlink_chk(r/link) gave %zd bytes", n);
}

static void t_readlinkat_chk(void)
{
	FN(f, ssize_t (*)(int, const char *, char *, size_t, size_t));
	char b[64];
	DENY(ENOENT, f(AT_FDCWD, "n/link", b, sizeof b, sizeof b));
	ssize_t n;
	OKV(n, f(AT_FDCWD, "r/link", b, sizeof b, sizeof b));
	if (n != 4)
		fail("__readlinkat_chk(r/link) gave %zd bytes", n);
}

static void t_statfs(void) /* statfs, statfs64 */
{
	FN(f, int (*)(const char *, struct statfs *));
	struct statfs sf;
	DENY(ENOENT, f("n/file", &sf));
	OK(f("r/file", &sf));
}

static void t_statvfs(void) /* statvfs, statvfs64 */
{
	FN(f, int (*)(const char *, struct statvfs *));
	struct statvfs sv;
	DENY(ENOENT, f("n/file", &sv));
	OK(f("r/file", &sv));
}

static void t_pathconf(void)
{
	FN(f, long (*)(const char *, int));
	DENY(ENOENT, f("n/file", _PC_NAME_MAX));
	OK(f("r/file", _PC_NAME_MAX));
}

static void t_realpath(void)
{
	FN(f, char *(*)(const char *, char *));
	char b[PATH_MAX];
	DENYP(ENOENT, f("n/file", b));
	DENYP(ENOENT, f("n/link", NULL));
	char *p = f("r/link", b);
	if (!p || strcmp(p + strlen(p) - 7, "/r/file"))
		fail("realpath(r/link): %s", p ? p : ename(errno));
}

static void t_realpath_chk(void)
{
	FN(f, char *(*)(const char *, char *, size_t));
	char b[PATH_MAX];
	DENYP(ENOENT, f("n/file", b, sizeof b));
	if (!f("r/file", b, sizeof b))
		fail("__realpath_chk(r/file): %s", ename(errno));
}

static void t_canonicalize(void)
{
	FN(f, char *(*)(const char *));
	DENYP(ENOENT, f("n/file"));
	char *p = f("r/file");
	if (!p)
		fail("canonicalize_file_name(r/file): %s", ename(errno));
	free(p);
}

static void t_getxattr(void) /* getxattr, lgetxattr */
{
	FN(f, ssize_t (*)(const char *, const char *, void *, size_t));
	char b[64];
	DENY(ENOENT, f("n/file", "user.ward", b, sizeof b));
	errno = 0;
	if (f("r/file", "user.ward", b, sizeof b) < 0 && errno != ENODATA && errno != EOPNOTSUPP)
		fail("getxattr(r/file): %s", ename(errno));
}

static void t_listxattr(void) /* listxattr, llistxattr */
{
	FN(f, ssize_t (*)(const char *, char *, size_t));
	char b[256];
	DENY(ENOENT, f("n/file", b, sizeof b));
	errno = 0;
	if (f("r/file", b, sizeof b) < 0 && errno != EOPNOTSUPP)
		fail("listxattr(r/file): %s", ename(errno));
}

static void t_name_to_handle_at(void)
{
	FN(f, int (*)(int, const char *, struct file_handle *, int *, int));
	union {
		struct file_handle h;
		char b[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} h;
	int mid;
	h.h.handle_bytes = MAX_HANDLE_SZ;
	DENY(ENOENT, f(AT_FDCWD, "n/file", &h.h, &mid, 0));
	h.h.handle_bytes = MAX_HANDLE_SZ;
	errno = 0;
	if (f(AT_FDCWD, "v/file", &h.h, &mid, 0) < 0 && errno != EOPNOTSUPP)
		fail("name_to_handle_at(v/file): %s", ename(errno));
}

/* ---- folders ---- */

/* Whether a name list holds "n" (the hidden folder) and "r" (a visible one). */
struct seen {
	int n, r, nfile;
};

static void saw(struct seen *s, const char *name)
{
	if (!strcmp(name, "n") || !strcmp(name, "./n"))
		s->n = 1;
	if (!strcmp(name, "r") || !strcmp(name, "./r"))
		s->r = 1;
	if (strstr(name, "n/file") || strstr(name, "n/dir"))
		s->nfile = 1;
}

static void judge_as(void (*report)(const char *, ...), const struct seen *s, const char *what)
{
	if (s->n || s->nfile)
		report("%s lists the hidden n/", what);
	if (!s->r)
		fail("%s does not list r/ (the control)", what);
}

static void judge(const struct seen *s, const char *what)
{
	if (s->n || s->nfile)
		fail("%s lists the hidden n/", what);
	if (!s->r)
		fail("%s does not list r/ (the control)", what);
}

static void t_opendir(void)
{
	FN(f, DIR * (*)(const char *));
	DENYP(ENOENT, f("n"));
	DENYP(ENOENT, f("n/dir"));
	DIR *d = f("v");
	if (!d)
		fail("opendir(v): %s", ename(errno));
	else
		closedir(d);
}

static void t_fdopendir(void)
{
	FN(f, DIR * (*)(int));
	int fd = dup(NONE_DIR_FD);
	DENYP(ENOENT, f(fd));
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	DIR *d = f(fd);
	if (!d) {
		fail("fdopendir(.): %s", ename(errno));
		return;
	}
	struct seen s = {0};
	struct dirent *e;
	while ((e = readdir(d)))
		saw(&s, e->d_name);
	closedir(d);
	judge(&s, "fdopendir(.)+readdir");
}

static void t_closedir(void)
{
	FN(f, int (*)(DIR *));
	DIR *d = opendir("r");
	if (!d) {
		fail("opendir(r): %s", ename(errno));
		return;
	}
	OK(f(d));
}

static void t_readdir(void) /* readdir, readdir64 (same layout) */
{
	FN(f, struct dirent * (*)(DIR *));
	DIR *d = opendir(".");
	if (!d) {
		fail("opendir(.): %s", ename(errno));
		return;
	}
	struct seen s = {0};
	struct dirent *e;
	while ((e = f(d)))
		saw(&s, e->d_name);
	closedir(d);
	judge(&s, cur);
}

static void t_readdir_r(void) /* readdir_r, readdir64_r */
{
	FN(f, int (*)(DIR *, struct dirent *, struct dirent **));
	DIR *d = opendir(".");
	if (!d) {
		fail("opendir(.): %s", ename(errno));
		return;
	}
	struct seen s = {0};
	struct dirent ent, *e;
	int rc;
	while ((rc = f(d, &ent, &e)) == 0 && e)
		saw(&s, e->d_name);
	if (rc)
		fail("%s: %s", cur, ename(rc));
	closedir(d);
	judge(&s, cur);
}

static void t_getdents64(void)
{
	FN(f, ssize_t (*)(int, void *, size_t));
	char buf[8192];
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	struct seen s = {0};
	for (;;) {
		ssize_t r = f(fd, buf, sizeof buf);
		if (r <= 0) {
			if (r < 0)
				fail("getdents64(.): %s", ename(errno));
			break;
		}
		for (ssize_t off = 0; off < r;) {
			struct dirent64 *e = (struct dirent64 *)(buf + off);
			saw(&s, e->d_name);
			off += e->d_reclen;
		}
	}
	close(fd);
	judge(&s, "getdents64(.)");
	/* the descriptor of the hidden folder lists nothing */
	fd = dup(NONE_DIR_FD);
	lseek(fd, 0, SEEK_SET);
	ssize_t r = f(fd, buf, sizeof buf);
	for (ssize_t off = 0; r > 0 && off < r;) {
		struct dirent64 *e = (struct dirent64 *)(buf + off);
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fail("getdents64 of the hidden n/ shows %s", e->d_name);
		off += e->d_reclen;
	}
	close(fd);
}

static void scan_result(struct dirent **v, int n, const char *what)
{
	struct seen s = {0};
	if (n < 0) {
		fail("%s: %s", what, ename(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		saw(&s, v[i]->d_name);
		free(v[i]);
	}
	free(v);
	judge(&s, what);
}

static void t_scandir(void) /* scandir, scandir64 */
{
	FN(f, int (*)(const char *, struct dirent ***, int (*)(const struct dirent *),
		      int (*)(const struct dirent **, const struct dirent **)));
	struct dirent **v;
	DENY(ENOENT, f("n", &v, NULL, alphasort));
	int n = f(".", &v, NULL, alphasort);
	scan_result(v, n, cur);
}

static void t_scandirat(void) /* scandirat, scandirat64 */
{
	FN(f, int (*)(int, const char *, struct dirent ***, int (*)(const struct dirent *),
		      int (*)(const struct dirent **, const struct dirent **)));
	struct dirent **v;
	DENY(ENOENT, f(AT_FDCWD, "n", &v, NULL, alphasort));
	int n = f(AT_FDCWD, ".", &v, NULL, alphasort);
	scan_result(v, n, cur);
}

static void t_glob(void) /* glob, glob64 (glob64_t has the same layout) */
{
	FN(f, int (*)(const char *, int, int (*)(const char *, int), glob_t *));
	glob_t g;
	int rc = f("*", 0, NULL, &g);
	if (rc) {
		fail("%s(*): %d", cur, rc);
		return;
	}
	struct seen s = {0};
	for (size_t i = 0; i < g.gl_pathc; i++)
		saw(&s, g.gl_pathv[i]);
	globfree(&g);
	judge(&s, cur);
	rc = f("n/*", 0, NULL, &g);
	if (rc == 0) {
		fail("%s(n/*) found %zu names", cur, g.gl_pathc);
		globfree(&g);
	} else if (rc != GLOB_NOMATCH && rc != GLOB_ABORTED) {
		fail("%s(n/*): %d", cur, rc);
	}
}

static struct seen walk_seen;

static int nftw_cb(const char *p, const struct stat *st, int type, struct FTW *w)
{
	(void)st, (void)type, (void)w;
	saw(&walk_seen, p);
	return 0;
}

static int ftw_cb(const char *p, const struct stat *st, int type)
{
	(void)st, (void)type;
	saw(&walk_seen, p);
	return 0;
}

static void t_nftw(void) /* nftw, nftw64 */
{
	FN(f, int (*)(const char *, int (*)(const char *, const struct stat *, int, struct FTW *), int, int));
	memset(&walk_seen, 0, sizeof walk_seen);
	OK(f(".", nftw_cb, 8, FTW_PHYS));
	judge(&walk_seen, cur);
	DENY(ENOENT, f("n", nftw_cb, 8, FTW_PHYS));
}

static void t_ftw(void) /* ftw, ftw64 */
{
	FN(f, int (*)(const char *, int (*)(const char *, const struct stat *, int), int));
	memset(&walk_seen, 0, sizeof walk_seen);
	OK(f(".", ftw_cb, 8));
	judge(&walk_seen, cur);
	DENY(ENOENT, f("n", ftw_cb, 8));
}

static void t_fts_open(void)
{
	FN(f, FTS * (*)(char *const *, int, int (*)(const FTSENT **, const FTSENT **)));
	char dot[] = ".", n[] = "n";
	char *av[] = {dot, NULL}, *avn[] = {n, NULL};
	FTS *t = f(av, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!t) {
		fail("fts_open(.): %s", ename(errno));
		return;
	}
	struct seen s = {0};
	FTSENT *e;
	while ((e = fts_read(t)))
		saw(&s, e->fts_path);
	fts_close(t);
	judge_as(gap, &s, "fts_open(.)+fts_read");
	/* the hidden root is reported as missing */
	t = f(avn, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (t) {
		e = fts_read(t);
		if (e && e->fts_info != FTS_NS && e->fts_info != FTS_ERR && e->fts_info != FTS_DNR)
			fail("fts_open(n)+fts_read: info %d, wanted FTS_NS or FTS_ERR", e->fts_info);
		fts_close(t);
	}
}

static void t_fts_read(void)
{
	FN(f, FTSENT * (*)(FTS *));
	char dot[] = ".";
	char *av[] = {dot, NULL};
	FTS *t = fts_open(av, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!t) {
		fail("fts_open(.): %s", ename(errno));
		return;
	}
	struct seen s = {0};
	FTSENT *e;
	while ((e = f(t)))
		saw(&s, e->fts_path);
	fts_close(t);
	judge_as(gap, &s, "fts_read");
}

static void t_fts_children(void)
{
	FN(f, FTSENT * (*)(FTS *, int));
	char dot[] = ".";
	char *av[] = {dot, NULL};
	FTS *t = fts_open(av, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!t || !fts_read(t)) {
		fail("fts_open(.)+fts_read: %s", ename(errno));
		if (t)
			fts_close(t);
		return;
	}
	struct seen s = {0};
	for (FTSENT *e = f(t, FTS_NAMEONLY); e; e = e->fts_link)
		saw(&s, e->fts_name);
	fts_close(t);
	judge_as(gap, &s, "fts_children");
}

static void t_fts_close(void)
{
	FN(f, int (*)(FTS *));
	char dot[] = ".";
	char *av[] = {dot, NULL};
	FTS *t = fts_open(av, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!t) {
		fail("fts_open(.): %s", ename(errno));
		return;
	}
	if (!fts_read(t))
		fail("fts_read: %s", ename(errno));
	OK(f(t));
}

static void t_chdir(void)
{
	FN(f, int (*)(const char *));
	int here = open(".", O_RDONLY | O_DIRECTORY);
	DENY(ENOENT, f("n"));
	DENY(ENOENT, f("n/dir"));
	OK(f("v"));
	if (!exists("file"))
		fail("chdir(v) did not move into v");
	fchdir(here);
	close(here);
}

static void t_fchdir(void)
{
	FN(f, int (*)(int));
	int here = open(".", O_RDONLY | O_DIRECTORY);
	DENY(ENOENT, f(NONE_DIR_FD));
	if (exists("v")) { /* still in the tree's root */
		int v = open("v", O_RDONLY | O_DIRECTORY);
		OK(f(v));
		close(v);
	} else
		fail("fchdir(n) moved into the hidden folder");
	if (!exists("file"))
		fail("fchdir(v) did not move into v");
	fchdir(here);
	close(here);
}

/* ---- names: create, remove, rename, link ---- */

static void t_mkdir(void)
{
	FN(f, int (*)(const char *, mode_t));
	DENY(ENOENT, f("n/new", 0755));
	DENY(EACCES, f("r/new", 0755));
	absent("r/new");
	OK(f("w/mkdir", 0755));
	rmdir("w/mkdir");
}

static void t_mkdirat(void)
{
	FN(f, int (*)(int, const char *, mode_t));
	DENY(ENOENT, f(AT_FDCWD, "n/new", 0755));
	DENY(ENOENT, f(NONE_DIR_FD, "new", 0755));
	DENY(EACCES, f(AT_FDCWD, "r/new", 0755));
	absent("r/new");
	OK(f(AT_FDCWD, "w/mkdirat", 0755));
	rmdir("w/mkdirat");
}

static void t_unlink(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("n/file"));
	DENY(EACCES, f("r/file"));
	if (!exists("r/file"))
		fail("r/file was removed");
	wfile("w/gone", "x");
	OK(f("w/gone"));
}

static void t_unlinkat(void)
{
	FN(f, int (*)(int, const char *, int));
	DENY(ENOENT, f(AT_FDCWD, "n/file", 0));
	DENY(ENOENT, f(NONE_DIR_FD, "file", 0));
	DENY(ENOENT, f(AT_FDCWD, "n/dir", AT_REMOVEDIR));
	DENY(EACCES, f(AT_FDCWD, "r/file", 0));
	DENY(EACCES, f(AT_FDCWD, "r/dir", AT_REMOVEDIR));
	if (!exists("r/file") || !exists("r/dir"))
		fail("r/file or r/dir was removed");
	wfile("w/gone", "x");
	OK(f(AT_FDCWD, "w/gone", 0));
}

static void t_rmdir(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("n/dir"));
	DENY(EACCES, f("r/dir"));
	if (!exists("r/dir"))
		fail("r/dir was removed");
	mkdir("w/d", 0755);
	OK(f("w/d"));
}

static void t_remove(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("n/file"));
	DENY(ENOENT, f("n/dir"));
	DENY(EACCES, f("r/file"));
	DENY(EACCES, f("r/dir"));
	if (!exists("r/file") || !exists("r/dir"))
		fail("r/file or r/dir was removed");
	wfile("w/gone", "x");
	OK(f("w/gone"));
}

static void t_rename(void)
{
	FN(f, int (*)(const char *, const char *));
	DENY(ENOENT, f("n/file", "w/stolen"));
	DENY(ENOENT, f("w/file", "n/planted"));
	DENY(EACCES, f("r/file", "w/stolen"));
	DENY(EACCES, f("w/file", "r/planted"));
	absent("w/stolen");
	absent("r/planted");
	wfile("w/a", "a");
	OK(f("w/a", "w/b"));
	unlink("w/b");
}

static void t_renameat(void)
{
	FN(f, int (*)(int, const char *, int, const char *));
	DENY(ENOENT, f(AT_FDCWD, "n/file", AT_FDCWD, "w/stolen"));
	DENY(ENOENT, f(NONE_DIR_FD, "file", AT_FDCWD, "w/stolen"));
	DENY(EACCES, f(AT_FDCWD, "r/file", AT_FDCWD, "w/stolen"));
	absent("w/stolen");
	wfile("w/a", "a");
	OK(f(AT_FDCWD, "w/a", AT_FDCWD, "w/b"));
	unlink("w/b");
}

static void t_renameat2(void)
{
	FN(f, int (*)(int, const char *, int, const char *, unsigned));
	wfile("w/a", "a");
	DENY(ENOENT, f(AT_FDCWD, "n/file", AT_FDCWD, "w/stolen", 0));
	DENY(ENOENT, f(AT_FDCWD, "w/a", AT_FDCWD, "n/file", RENAME_EXCHANGE));
	DENY(EACCES, f(AT_FDCWD, "w/a", AT_FDCWD, "r/file", RENAME_EXCHANGE));
	absent("w/stolen");
	char *t = slurp("r/file");
	if (!t || strcmp(t, "R\n"))
		fail("r/file changed");
	OK(f(AT_FDCWD, "w/a", AT_FDCWD, "w/b", RENAME_NOREPLACE));
	unlink("w/b");
}

static void t_link(void)
{
	FN(f, int (*)(const char *, const char *));
	DENY(ENOENT, f("n/file", "w/hl"));
	DENY(EACCES, f("r/file", "w/hl"));
	DENY(EACCES, f("w/file", "r/hl"));
	absent("w/hl");
	absent("r/hl");
	wfile("w/a", "a");
	OK(f("w/a", "w/hl"));
	unlink("w/hl");
	unlink("w/a");
}

static void t_linkat(void)
{
	FN(f, int (*)(int, const char *, int, const char *, int));
	DENY(ENOENT, f(AT_FDCWD, "n/file", AT_FDCWD, "w/hl", 0));
	DENY(ENOENT, f(NONE_DIR_FD, "file", AT_FDCWD, "w/hl", 0));
	DENY(EACCES, f(AT_FDCWD, "r/file", AT_FDCWD, "w/hl", 0));
	absent("w/hl");
	wfile("w/a", "a");
	OK(f(AT_FDCWD, "w/a", AT_FDCWD, "w/hl", 0));
	unlink("w/hl");
	unlink("w/a");
}

static void t_symlink(void)
{
	FN(f, int (*)(const char *, const char *));
	DENY(ENOENT, f("file", "n/sl"));
	DENY(EACCES, f("file", "r/sl"));
	absent("r/sl");
	OK(f("file", "w/sl"));
	unlink("w/sl");
}

static void t_symlinkat(void)
{
	FN(f, int (*)(const char *, int, const char *));
	DENY(ENOENT, f("file", AT_FDCWD, "n/sl"));
	DENY(ENOENT, f("file", NONE_DIR_FD, "sl"));
	DENY(EACCES, f("file", AT_FDCWD, "r/sl"));
	absent("r/sl");
	OK(f("file", AT_FDCWD, "w/sl"));
	unlink("w/sl");
}

static void t_mknod(void)
{
	FN(f, int (*)(const char *, mode_t, dev_t));
	DENY(ENOENT, f("n/nod", S_IFREG | 0644, 0));
	DENY(EACCES, f("r/nod", S_IFREG | 0644, 0));
	absent("r/nod");
	OK(f("w/nod", S_IFIFO | 0644, 0));
	unlink("w/nod");
}

static void t_mknodat(void)
{
	FN(f, int (*)(int, const char *, mode_t, dev_t));
	DENY(ENOENT, f(AT_FDCWD, "n/nod", S_IFREG | 0644, 0));
	DENY(EACCES, f(AT_FDCWD, "r/nod", S_IFIFO | 0644, 0));
	absent("r/nod");
	OK(f(AT_FDCWD, "w/nod", S_IFREG | 0644, 0));
	unlink("w/nod");
}

static void t_mkfifo(void)
{
	FN(f, int (*)(const char *, mode_t));
	DENY(ENOENT, f("n/fifo", 0644));
	DENY(EACCES, f("r/fifo", 0644));
	absent("r/fifo");
	OK(f("w/fifo", 0644));
	unlink("w/fifo");
}

static void t_mkfifoat(void)
{
	FN(f, int (*)(int, const char *, mode_t));
	DENY(ENOENT, f(AT_FDCWD, "n/fifo", 0644));
	DENY(EACCES, f(AT_FDCWD, "r/fifo", 0644));
	absent("r/fifo");
	OK(f(AT_FDCWD, "w/fifo", 0644));
	unlink("w/fifo");
}

static void t_xmknodat(void)
{
	FN(f, int (*)(int, int, const char *, mode_t, dev_t *));
	dev_t dev = 0;
	DENY(ENOENT, f(0, AT_FDCWD, "n/nod", S_IFIFO | 0644, &dev));
	DENY(EACCES, f(0, AT_FDCWD, "r/nod", S_IFIFO | 0644, &dev));
	absent("r/nod");
	OK(f(0, AT_FDCWD, "w/nod", S_IFIFO | 0644, &dev));
	unlink("w/nod");
}

static void t_xmknod(void)
{
	FN(f, int (*)(int, const char *, mode_t, dev_t *));
	dev_t dev = 0;
	DENY(ENOENT, f(0, "n/nod", S_IFIFO | 0644, &dev));
	DENY(EACCES, f(0, "r/nod", S_IFIFO | 0644, &dev));
	absent("r/nod");
	OK(f(0, "w/nod", S_IFIFO | 0644, &dev));
	unlink("w/nod");
}

/* ---- attributes: modes, owners, times, sizes, extended attributes ---- */

static void t_chmod(void) /* chmod, lchmod */
{
	FN(f, int (*)(const char *, mode_t));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/file", 0600));
	DENY(EACCES, f("r/file", 0600));
	same("r/file", &s);
	OK(f("w/file", 0644));
}

static void t_fchmodat(void)
{
	FN(f, int (*)(int, const char *, mode_t, int));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f(AT_FDCWD, "n/file", 0600, 0));
	DENY(ENOENT, f(NONE_DIR_FD, "file", 0600, 0));
	DENY(EACCES, f(AT_FDCWD, "r/file", 0600, 0));
	same("r/file", &s);
	OK(f(AT_FDCWD, "w/file", 0644, 0));
}

static void t_fchmod(void)
{
	FN(f, int (*)(int, mode_t));
	struct snap s;
	take("r/file", &s);
	int fd = rfd();
	DENY(EACCES, f(fd, 0600));
	close(fd);
	DENY(ENOENT, f(NONE_FILE_FD, 0600));
	same("r/file", &s);
	fd = open("w/file", O_RDONLY);
	OK(f(fd, 0644));
	close(fd);
}

static void t_chown(void) /* chown, lchown */
{
	FN(f, int (*)(const char *, uid_t, gid_t));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/file", getuid(), getgid()));
	DENY(EACCES, f("r/file", getuid(), getgid()));
	same("r/file", &s);
	OK(f("w/file", (uid_t)-1, (gid_t)-1));
}

static void t_fchownat(void)
{
	FN(f, int (*)(int, const char *, uid_t, gid_t, int));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f(AT_FDCWD, "n/file", getuid(), getgid(), 0));
	DENY(ENOENT, f(NONE_FILE_FD, "", getuid(), getgid(), AT_EMPTY_PATH));
	DENY(EACCES, f(AT_FDCWD, "r/file", getuid(), getgid(), 0));
	int fd = rfd();
	DENY(EACCES, f(fd, "", getuid(), getgid(), AT_EMPTY_PATH));
	close(fd);
	same("r/file", &s);
	OK(f(AT_FDCWD, "w/file", (uid_t)-1, (gid_t)-1, 0));
}

static void t_fchown(void)
{
	FN(f, int (*)(int, uid_t, gid_t));
	struct snap s;
	take("r/file", &s);
	int fd = rfd();
	DENY(EACCES, f(fd, getuid(), getgid()));
	close(fd);
	DENY(ENOENT, f(NONE_FILE_FD, getuid(), getgid()));
	same("r/file", &s);
	fd = open("w/file", O_RDONLY);
	OK(f(fd, (uid_t)-1, (gid_t)-1));
	close(fd);
}

static void t_utimensat(void)
{
	FN(f, int (*)(int, const char *, const struct timespec *, int));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f(AT_FDCWD, "n/file", NULL, 0));
	DENY(ENOENT, f(AT_FDCWD, "n/link", NULL, AT_SYMLINK_NOFOLLOW));
	DENY(EACCES, f(AT_FDCWD, "r/file", NULL, 0));
	same("r/file", &s);
	OK(f(AT_FDCWD, "w/file", NULL, 0));
}

static void t_futimens(void)
{
	FN(f, int (*)(int, const struct timespec *));
	struct snap s;
	take("r/file", &s);
	int fd = rfd();
	DENY(EACCES, f(fd, NULL));
	close(fd);
	DENY(ENOENT, f(NONE_FILE_FD, NULL));
	same("r/file", &s);
	fd = open("w/file", O_RDONLY);
	OK(f(fd, NULL));
	close(fd);
}

static void t_utimes(void) /* utimes, lutimes */
{
	FN(f, int (*)(const char *, const struct timeval *));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/file", NULL));
	DENY(EACCES, f("r/file", NULL));
	same("r/file", &s);
	OK(f("w/file", NULL));
}

static void t_futimesat(void)
{
	FN(f, int (*)(int, const char *, const struct timeval *));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f(AT_FDCWD, "n/file", NULL));
	DENY(ENOENT, f(NONE_DIR_FD, "file", NULL));
	DENY(EACCES, f(AT_FDCWD, "r/file", NULL));
	same("r/file", &s);
	OK(f(AT_FDCWD, "w/file", NULL));
}

static void t_utime(void)
{
	FN(f, int (*)(const char *, const struct utimbuf *));
	struct snap s;
	take("r/file", &s);
	struct utimbuf u = {.actime = 1000000000, .modtime = 1000000000};
	DENY(ENOENT, f("n/file", &u));
	DENY(EACCES, f("r/file", &u));
	DENY(EACCES, f("r/file", NULL));
	same("r/file", &s);
	OK(f("w/file", &u));
}

static void t_truncate(void) /* truncate, truncate64 */
{
	FN(f, int (*)(const char *, off_t));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/file", 0));
	DENY(EACCES, f("r/file", 0));
	DENY(EACCES, f("r/file", 100));
	same("r/file", &s);
	wfile("w/t", "12345");
	OK(f("w/t", 1));
	char *t = slurp("w/t");
	if (!t || strcmp(t, "1"))
		fail("truncate(w/t, 1) left '%s'", t ? t : "?");
}

static int xattr_ok(int rc, int e) { return rc == 0 || e == EOPNOTSUPP || e == ENODATA; }

static void t_setxattr(void) /* setxattr, lsetxattr */
{
	FN(f, int (*)(const char *, const char *, const void *, size_t, int));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/file", "user.ward", "1", 1, 0));
	DENY(EACCES, f("r/file", "user.ward", "1", 1, 0));
	same("r/file", &s);
	errno = 0;
	int rc = f("w/file", "user.ward", "1", 1, 0);
	if (!xattr_ok(rc, errno))
		gap("%s(w/file) at write level: %s, wanted success", cur, ename(errno));
}

static void t_removexattr(void) /* removexattr, lremovexattr */
{
	FN(f, int (*)(const char *, const char *));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f("n/file", "user.ward"));
	DENY(EACCES, f("r/file", "user.ward"));
	same("r/file", &s);
	setxattr("w/file", "user.ward", "1", 1, 0);
	errno = 0;
	int rc = f("w/file", "user.ward");
	if (!xattr_ok(rc, errno))
		gap("%s(w/file) at write level: %s, wanted success", cur, ename(errno));
}

static void t_fsetxattr(void)
{
	FN(f, int (*)(int, const char *, const void *, size_t, int));
	struct snap s;
	take("r/file", &s);
	int fd = rfd();
	DENY(EACCES, f(fd, "user.ward", "1", 1, 0));
	close(fd);
	DENY(ENOENT, f(NONE_FILE_FD, "user.ward", "1", 1, 0));
	same("r/file", &s);
	fd = open("w/file", O_RDONLY);
	errno = 0;
	int rc = f(fd, "user.ward", "1", 1, 0);
	if (!xattr_ok(rc, errno))
		fail("fsetxattr(w/file): %s", ename(errno));
	close(fd);
}

static void t_fremovexattr(void)
{
	FN(f, int (*)(int, const char *));
	struct snap s;
	take("r/file", &s);
	int fd = rfd();
	DENY(EACCES, f(fd, "user.ward"));
	close(fd);
	DENY(ENOENT, f(NONE_FILE_FD, "user.ward"));
	same("r/file", &s);
	setxattr("w/file", "user.ward", "1", 1, 0);
	fd = open("w/file", O_RDONLY);
	errno = 0;
	int rc = f(fd, "user.ward");
	if (!xattr_ok(rc, errno))
		fail("fremovexattr(w/file): %s", ename(errno));
	close(fd);
}

/* ---- starting programs: each attempt in a child ---- */

struct outcome {
	int err;    /* errno of a failed exec, reported by the child; 0 when it ran */
	int status; /* the child's wait status */
};

/* Runs body in a child. When body returns (the exec failed), the child reports errno
 * through a close-on-exec pipe and exits 126. */
static struct outcome in_child(void (*body)(const char *), const char *path)
{
	struct outcome o = {-1, -1};
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		fail("pipe2: %s", ename(errno));
		return o;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fail("fork: %s", ename(errno));
		return o;
	}
	if (pid == 0) {
		close(p[0]);
		errno = 0;
		body(path);
		int e = errno;
		if (write(p[1], &e, sizeof e) < 0)
			_exit(125);
		_exit(126);
	}
	close(p[1]);
	int e = 0;
	ssize_t n = read(p[0], &e, sizeof e);
	close(p[0]);
	waitpid(pid, &o.status, 0);
	o.err = n == (ssize_t)sizeof e ? e : 0;
	return o;
}

/* A program that must not run (`want`, e.g. ENOENT), and one that must (/bin/true). */
static void exec_check(void (*body)(const char *), const char *denied, int want, const char *allowed)
{
	struct outcome o = in_child(body, denied);
	if (o.err != want)
		fail("%s(%s): %s, wanted %s", cur, denied, o.err ? ename(o.err) : "it ran", ename(want));
	o = in_child(body, allowed);
	if (o.err || !WIFEXITED(o.status) || WEXITSTATUS(o.status))
		fail("%s(%s): did not run (%s, status %#x)", cur, allowed, ename(o.err), (unsigned)o.status);
}

static char *targv[] = {(char *)"true", NULL};

static void b_execve(const char *p)
{
	FN(f, int (*)(const char *, char *const *, char *const *));
	f(p, targv, environ);
}
static void b_execv(const char *p)
{
	FN(f, int (*)(const char *, char *const *));
	f(p, targv);
}
static void b_execvpe(const char *p)
{
	FN(f, int (*)(const char *, char *const *, char *const *));
	f(p, targv, environ);
}
static void b_execl(const char *p) /* execl, execlp */
{
	FN(f, int (*)(const char *, const char *, ...));
	f(p, "true", (char *)NULL);
}
static void b_execle(const char *p)
{
	FN(f, int (*)(const char *, const char *, ...));
	f(p, "true", (char *)NULL, environ);
}
static void b_execveat(const char *p)
{
	FN(f, int (*)(int, const char *, char *const *, char *const *, int));
	if (!strcmp(p, "fd:n")) { /* the hidden folder's descriptor */
		f(NONE_DIR_FD, "true", targv, environ, 0);
		return;
	}
	if (!strncmp(p, "fd:", 3)) { /* an O_PATH descriptor of the file */
		int fd = open(p + 3, O_PATH | O_CLOEXEC);
		if (fd < 0)
			return;
		f(fd, "", targv, environ, AT_EMPTY_PATH);
		return;
	}
	f(AT_FDCWD, p, targv, environ, 0);
}
static void b_fexecve(const char *p)
{
	FN(f, int (*)(int, char *const *, char *const *));
	int fd = open(p, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return;
	f(fd, targv, environ);
}

static void t_execve(void) { exec_check(b_execve, "n/true", ENOENT, "/bin/true"); exec_check(b_execve, "v/true", EACCES, "/bin/true"); }
static void t_execv(void) { exec_check(b_execv, "n/true", ENOENT, "/bin/true"); }
static void t_execvpe(void) { exec_check(b_execvpe, "n/true", ENOENT, "true"); }
static void t_execvp(void) { exec_check(b_execv, "n/true", ENOENT, "true"); }
static void t_execl(void) { exec_check(b_execl, "n/true", ENOENT, "/bin/true"); }
static void t_execlp(void) { exec_check(b_execl, "n/true", ENOENT, "true"); }
static void t_execle(void) { exec_check(b_execle, "n/true", ENOENT, "/bin/true"); }
static void t_execveat(void)
{
	exec_check(b_execveat, "n/true", ENOENT, "/bin/true");
	exec_check(b_execveat, "fd:n", ENOENT, "fd:/bin/true");
	exec_check(b_execveat, "fd:v/true", EACCES, "fd:/bin/true");
}
/* fexecve: n/true cannot even be opened; v/true (view) can be opened O_PATH, and its
 * execution is refused */
static void t_fexecve(void) { exec_check(b_fexecve, "v/true", EACCES, "/bin/true"); }

static void t_posix_spawn(void) /* posix_spawn, posix_spawnp */
{
	FN(f, int (*)(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
		      char *const *, char *const *));
	int spawnp = !strcmp(cur, "posix_spawnp");
	pid_t pid = -1;
	int rc = f(&pid, "n/true", NULL, NULL, targv, environ);
	if (rc == 0) {
		int st;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 127)
			fail("%s(n/true) ran it (status %#x)", cur, (unsigned)st);
	} else if (rc != ENOENT) {
		fail("%s(n/true): %s, wanted ENOENT", cur, ename(rc));
	}
	rc = f(&pid, "v/true", NULL, NULL, targv, environ);
	if (rc == 0) {
		int st;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 127)
			fail("%s(v/true) ran it (status %#x)", cur, (unsigned)st);
	} else if (rc != EACCES) {
		fail("%s(v/true): %s, wanted EACCES", cur, ename(rc));
	}
	rc = f(&pid, spawnp ? "true" : "/bin/true", NULL, NULL, targv, environ);
	if (rc)
		fail("%s(true): %s", cur, ename(rc));
	else {
		int st;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			fail("%s(true): status %#x", cur, (unsigned)st);
	}
}

static void t_system(void)
{
	FN(f, int (*)(const char *));
	int st = f("n/true 2>/dev/null");
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 127)
		fail("system(n/true): status %#x, wanted exit 127", (unsigned)st);
	st = f("/bin/true");
	if (st != 0)
		fail("system(/bin/true): status %#x", (unsigned)st);
}

static void t_popen(void)
{
	FN(f, FILE * (*)(const char *, const char *));
	FILE *p = f("n/true 2>/dev/null; echo $?", "r");
	char line[32] = "";
	if (!p) {
		fail("popen(n/true): %s", ename(errno));
		return;
	}
	if (!fgets(line, sizeof line, p) || strcmp(line, "127\n"))
		fail("popen(n/true; echo $?) read '%s', wanted 127", line);
	pclose(p);
	p = f("cat r/file", "r");
	line[0] = 0;
	if (!p || !fgets(line, sizeof line, p) || strcmp(line, "R\n"))
		fail("popen(cat r/file) read '%s'", line);
	if (p)
		pclose(p);
}

static void t_pclose(void)
{
	FN(f, int (*)(FILE *));
	FILE *p = popen("n/true 2>/dev/null", "r");
	if (!p) {
		fail("popen: %s", ename(errno));
		return;
	}
	int st = f(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 127)
		fail("pclose(popen(n/true)): status %#x, wanted exit 127", (unsigned)st);
	p = popen("exit 3", "r");
	st = p ? f(p) : -1;
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 3)
		fail("pclose(popen(exit 3)): status %#x", (unsigned)st);
}

/* A refused dlopen returns NULL (a hard check); its errno should say why. */
static void dl_denied(void *h, int e, const char *what, int want)
{
	if (h) {
		fail("%s(%s) loaded it", cur, what);
		dlclose(h);
	} else if (e != want) {
		gap("%s(%s) returned NULL, but errno is %s, not %s", cur, what, ename(e), ename(want));
	}
	errno = 0;
}

#define DL_DENIED(call, what, want)                                                                \
	do {                                                                                       \
		errno = 0;                                                                         \
		void *h_ = (call);                                                                 \
		int e_ = errno;                                                                    \
		dl_denied(h_, e_, what, want);                                                     \
	} while (0)

static void t_dlopen(void)
{
	FN(f, void *(*)(const char *, int));
	DL_DENIED(f("n/lib.so", RTLD_NOW | RTLD_LOCAL), "n/lib.so", ENOENT);
	DL_DENIED(f("v/lib.so", RTLD_NOW | RTLD_LOCAL), "v/lib.so", EACCES);
	void *h = f("r/lib.so", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		fail("dlopen(r/lib.so): %s", dlerror());
	else
		dlclose(h);
}

static void t_dlmopen(void)
{
	FN(f, void *(*)(Lmid_t, const char *, int));
	DL_DENIED(f(LM_ID_BASE, "n/lib.so", RTLD_NOW | RTLD_LOCAL), "n/lib.so", ENOENT);
	DL_DENIED(f(LM_ID_BASE, "v/lib.so", RTLD_NOW | RTLD_LOCAL), "v/lib.so", EACCES);
	void *h = f(LM_ID_BASE, "r/lib.so", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		fail("dlmopen(r/lib.so): %s", dlerror());
	else
		dlclose(h);
}

/* ---- Unix sockets ---- */

static socklen_t un(struct sockaddr_un *u, const char *path)
{
	memset(u, 0, sizeof *u);
	u->sun_family = AF_UNIX;
	snprintf(u->sun_path, sizeof u->sun_path, "%s", path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static void t_connect(void)
{
	FN(f, int (*)(int, const struct sockaddr *, socklen_t));
	struct sockaddr_un u;
	socklen_t l;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	l = un(&u, "n/sock"); /* exists: without the library, ECONNREFUSED */
	DENY(ENOENT, f(s, (struct sockaddr *)&u, l));
	l = un(&u, "r/sock");
	DENY(EACCES, f(s, (struct sockaddr *)&u, l));
	close(s);
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	unlink("w/srv");
	l = un(&u, "w/srv");
	if (bind(srv, (struct sockaddr *)&u, l) < 0 || listen(srv, 1) < 0) {
		fail("bind+listen w/srv: %s", ename(errno));
		close(srv);
		return;
	}
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	OK(f(s, (struct sockaddr *)&u, l));
	close(s);
	close(srv);
	unlink("w/srv");
}

static void t_bind(void)
{
	FN(f, int (*)(int, const struct sockaddr *, socklen_t));
	struct sockaddr_un u;
	socklen_t l;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	l = un(&u, "n/new.sock");
	DENY(ENOENT, f(s, (struct sockaddr *)&u, l));
	l = un(&u, "r/new.sock");
	DENY(EACCES, f(s, (struct sockaddr *)&u, l));
	absent("r/new.sock");
	unlink("w/bind.sock");
	l = un(&u, "w/bind.sock");
	OK(f(s, (struct sockaddr *)&u, l));
	close(s);
	unlink("w/bind.sock");
}

/* A datagram socket bound at w/dg, for sendto and sendmsg. */
static int dg_server(void)
{
	struct sockaddr_un u;
	socklen_t l = un(&u, "w/dg");
	unlink("w/dg");
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (bind(s, (struct sockaddr *)&u, l) < 0) {
		fail("bind w/dg: %s", ename(errno));
		close(s);
		return -1;
	}
	return s;
}

static void t_sendto(void)
{
	FN(f, ssize_t (*)(int, const void *, size_t, int, const struct sockaddr *, socklen_t));
	struct sockaddr_un u;
	socklen_t l;
	int srv = dg_server();
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	l = un(&u, "n/dg");
	DENY(ENOENT, f(s, "x", 1, 0, (struct sockaddr *)&u, l));
	l = un(&u, "r/sock");
	DENY(EACCES, f(s, "x", 1, 0, (struct sockaddr *)&u, l));
	DENY(EBADF, f(logfd, "x", 1, 0, NULL, 0));
	l = un(&u, "w/dg");
	OK(f(s, "x", 1, 0, (struct sockaddr *)&u, l));
	close(s);
	if (srv >= 0)
		close(srv);
	unlink("w/dg");
}

static void t_send(void)
{
	FN(f, ssize_t (*)(int, const void *, size_t, int));
	DENY(EBADF, f(logfd, "x", 1, 0));
	log_open();
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		fail("socketpair: %s", ename(errno));
		return;
	}
	OK(f(sv[0], "x", 1, 0));
	close(sv[0]);
	close(sv[1]);
}

static void t_sendmsg(void)
{
	FN(f, ssize_t (*)(int, const struct msghdr *, int));
	struct sockaddr_un u;
	char x = 'x';
	struct iovec iov = {.iov_base = &x, .iov_len = 1};
	struct msghdr m = {.msg_name = &u, .msg_iov = &iov, .msg_iovlen = 1};
	int srv = dg_server();
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	m.msg_namelen = un(&u, "n/dg");
	DENY(ENOENT, f(s, &m, 0));
	m.msg_namelen = un(&u, "r/sock");
	DENY(EACCES, f(s, &m, 0));
	m.msg_namelen = un(&u, "w/dg");
	OK(f(s, &m, 0));
	m.msg_name = NULL;
	m.msg_namelen = 0;
	DENY(EBADF, f(logfd, &m, 0));
	close(s);
	if (srv >= 0)
		close(srv);
	unlink("w/dg");
}

/* ---- descriptors: the library's own, and a read-only one of a read-level file ---- */

static void t_close(void) /* close, __close */
{
	FN(f, int (*)(int));
	DENY(EBADF, f(logfd)); /* a number the program never opened */
	log_open();
	int fd = rfd();
	OK(f(fd));
	if (fcntl(fd, F_GETFD) >= 0)
		fail("%s(%d) left it open", cur, fd);
}

static void t_close_range(void)
{
	FN(f, int (*)(unsigned, unsigned, int));
	int fd = rfd();
	OK(f((unsigned)logfd, (unsigned)logfd, 0));
	log_open();
	OK(f((unsigned)fd, (unsigned)fd, 0));
	if (fcntl(fd, F_GETFD) >= 0)
		fail("close_range(%d) left it open", fd);
}

static void t_closefrom(void)
{
	/* in a child: everything from the library's descriptor up goes, but it */
	FN(f, void (*)(int));
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("r/file", O_RDONLY);
		if (fd < 3)
			_exit(3);
		f(3);
		if (raw3(SYS_fcntl, logfd, F_GETFD, 0) < 0)
			_exit(1);
		if (fcntl(fd, F_GETFD) >= 0)
			_exit(2);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail("closefrom(3) in a child: %s",
		     !WIFEXITED(st) ? "killed" : WEXITSTATUS(st) == 1 ? "closed the library's descriptor"
						  : WEXITSTATUS(st) == 2 ? "left a descriptor open"
									 : "setup failed");
}

static void t_dup2(void) /* dup2, __dup2 */
{
	FN(f, int (*)(int, int));
	int fd = rfd(), other = open("w/file", O_RDONLY);
	DENY(EBADF, f(logfd, other));
	log_open();
	/* the program asks for the library's number: it gets it, the log moves away */
	int old = logfd, r;
	OKV(r, f(fd, old));
	char c[4] = "";
	if (r != old || pread(old, c, 2, 0) != 2 || memcmp(c, "R\n", 2))
		fail("dup2(r/file, %d) gave %d, not a copy of r/file at that number", old, r);
	find_log();
	if (logfd == old)
		fail("the log is still at %d", old);
	log_open();
	close(old);
	OKV(r, f(fd, other));
	if (r == other) {
		char b[4] = "";
		if (pread(other, b, 2, 0) != 2 || memcmp(b, "R\n", 2))
			fail("dup2 did not make %d a copy of r/file", other);
	}
	close(fd);
	close(other);
}

static void t_dup3(void)
{
	FN(f, int (*)(int, int, int));
	int fd = rfd(), other = open("w/file", O_RDONLY);
	DENY(EBADF, f(logfd, other, 0));
	log_open();
	int old = logfd, r;
	OKV(r, f(fd, old, O_CLOEXEC));
	if (r != old)
		fail("dup3(r/file, %d) gave %d", old, r);
	find_log();
	if (logfd == old)
		fail("the log is still at %d", old);
	log_open();
	close(old);
	OK(f(fd, other, O_CLOEXEC));
	close(fd);
	close(other);
}

static void t_dup(void)
{
	FN(f, int (*)(int));
	DENY(EBADF, f(logfd));
	int fd = rfd(), d;
	OKV(d, f(fd));
	if (d >= 0)
		close(d);
	close(fd);
}

static void t_fcntl(void) /* fcntl, fcntl64 */
{
	FN(f, int (*)(int, int, ...));
	DENY(EBADF, f(logfd, F_SETFD, 0));
	DENY(EBADF, f(logfd, F_DUPFD, 100));
	DENY(EBADF, f(logfd, F_SETFL, 0));
	DENY(EBADF, f(logfd, F_GETFD));
	DENY(EBADF, f(logfd, F_GETFL));
	log_open();
	int fd = rfd();
	/* F_DUPFD onto the library's number: the program gets that number */
	int old = logfd, r;
	OKV(r, f(fd, F_DUPFD, old));
	if (r != old)
		fail("fcntl(F_DUPFD, %d) gave %d", old, r);
	find_log();
	if (logfd == old)
		fail("the log is still at %d", old);
	log_open();
	close(old);
	OK(f(fd, F_SETFD, FD_CLOEXEC));
	int d;
	OKV(d, f(fd, F_DUPFD_CLOEXEC, 20));
	if (d >= 0)
		close(d);
	close(fd);
}

static void t_ioctl(void)
{
	FN(f, int (*)(int, unsigned long, ...));
	int n = 0;
	DENY(EBADF, f(logfd, FIONREAD, &n));
	DENY(EBADF, f(logfd, FIOCLEX));
	int fd = rfd();
	OK(f(fd, FIONREAD, &n));
	close(fd);
}

static void t_ftruncate(void) /* ftruncate, ftruncate64 */
{
	FN(f, int (*)(int, off_t));
	struct snap s;
	take("r/file", &s);
	DENY(EBADF, f(logfd, 0));
	log_open();
	int fd = rfd();
	errno = 0;
	int rc = f(fd, 0);
	if (rc != -1 || (errno != EINVAL && errno != EBADF))
		fail("%s(O_RDONLY r/file): %d (%s), wanted EINVAL or EBADF", cur, rc, ename(errno));
	close(fd);
	same("r/file", &s);
	wfile("w/t", "12345");
	fd = open("w/t", O_RDWR);
	OK(f(fd, 2));
	close(fd);
	char *t = slurp("w/t");
	if (!t || strcmp(t, "12"))
		fail("%s(w/t, 2) left '%s'", cur, t ? t : "?");
}

static void t_lseek(void) /* lseek, lseek64 */
{
	FN(f, off_t (*)(int, off_t, int));
	DENY(EBADF, f(logfd, 0, SEEK_SET));
	int fd = rfd();
	off_t o;
	OKV(o, f(fd, 1, SEEK_SET));
	if (o != 1)
		fail("%s(r/file, 1) gave %lld", cur, (long long)o);
	close(fd);
}

/* pwrite and friends on the library's descriptor (EBADF, the log unchanged) and on
 * an O_RDONLY descriptor of r/file (EBADF from the kernel, the file unchanged); the
 * control writes w/t. */
static void pw_prologue(struct snap *s)
{
	take("r/file", s);
}

static void pw_epilogue(const struct snap *s)
{
	same("r/file", s);
	log_open();
}

static void t_pwrite(void) /* pwrite, pwrite64 */
{
	FN(f, ssize_t (*)(int, const void *, size_t, off_t));
	struct snap s;
	pw_prologue(&s);
	DENY(EBADF, f(logfd, "X", 1, 0));
	int fd = rfd();
	DENY(EBADF, f(fd, "X", 1, 0));
	close(fd);
	pw_epilogue(&s);
	wfile("w/t", "12345");
	fd = open("w/t", O_WRONLY);
	OK(f(fd, "X", 1, 0));
	close(fd);
}

static void t_pwritev(void) /* pwritev, pwritev64 */
{
	FN(f, ssize_t (*)(int, const struct iovec *, int, off_t));
	struct iovec v = {.iov_base = (char *)"X", .iov_len = 1};
	struct snap s;
	pw_prologue(&s);
	DENY(EBADF, f(logfd, &v, 1, 0));
	int fd = rfd();
	DENY(EBADF, f(fd, &v, 1, 0));
	close(fd);
	pw_epilogue(&s);
	wfile("w/t", "12345");
	fd = open("w/t", O_WRONLY);
	OK(f(fd, &v, 1, 0));
	close(fd);
}

static void t_pwritev2(void) /* pwritev2, pwritev64v2 */
{
	FN(f, ssize_t (*)(int, const struct iovec *, int, off_t, int));
	struct iovec v = {.iov_base = (char *)"X", .iov_len = 1};
	struct snap s;
	pw_prologue(&s);
	DENY(EBADF, f(logfd, &v, 1, 0, 0));
	DENY(EBADF, f(logfd, &v, 1, -1, 0));
	int fd = rfd();
	DENY(EBADF, f(fd, &v, 1, 0, 0));
	close(fd);
	pw_epilogue(&s);
	wfile("w/t", "12345");
	fd = open("w/t", O_WRONLY);
	OK(f(fd, &v, 1, 0, 0));
	close(fd);
}

static void t_fallocate(void) /* fallocate, fallocate64 */
{
	FN(f, int (*)(int, int, off_t, off_t));
	struct snap s;
	pw_prologue(&s);
	DENY(EBADF, f(logfd, 0, 0, 10));
	int fd = rfd();
	DENY(EBADF, f(fd, 0, 0, 10));
	close(fd);
	pw_epilogue(&s);
	wfile("w/t", "12345");
	fd = open("w/t", O_WRONLY);
	errno = 0;
	if (f(fd, 0, 0, 10) < 0 && errno != EOPNOTSUPP)
		fail("%s(w/t): %s", cur, ename(errno));
	close(fd);
}

static void t_copy_file_range(void)
{
	FN(f, ssize_t (*)(int, off_t *, int, off_t *, size_t, unsigned));
	struct snap s;
	pw_prologue(&s);
	int in = rfd();
	DENY(EBADF, f(in, NULL, logfd, NULL, 2, 0));
	DENY(EBADF, f(logfd, NULL, in, NULL, 2, 0));
	int ro = rfd();
	DENY(EBADF, f(in, NULL, ro, NULL, 2, 0));
	close(ro);
	pw_epilogue(&s);
	wfile("w/t", "");
	int out = open("w/t", O_WRONLY);
	ssize_t n;
	OKV(n, f(in, NULL, out, NULL, 2, 0));
	close(out);
	close(in);
	char *t = slurp("w/t");
	if (n == 2 && (!t || strcmp(t, "R\n")))
		fail("copy_file_range(r/file -> w/t) wrote '%s'", t ? t : "?");
}

static void t_mmap(void) /* mmap, mmap64 */
{
	FN(f, void *(*)(void *, size_t, int, int, int, off_t));
	errno = 0;
	void *p = f(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, logfd, 0);
	if (p != MAP_FAILED || errno != EBADF) {
		fail("%s(shared, writable, the library's descriptor): %p (%s), wanted EBADF", cur, p, ename(errno));
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	errno = 0;
	p = f(NULL, 4096, PROT_READ, MAP_PRIVATE, logfd, 0);
	if (p != MAP_FAILED || errno != EBADF) {
		fail("%s(private, read, the library's descriptor): %p (%s), wanted EBADF", cur, p, ename(errno));
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	int fd = rfd();
	errno = 0;
	p = f(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED || errno != EACCES) {
		fail("%s(shared, writable, O_RDONLY r/file): %p (%s), wanted EACCES", cur, p, ename(errno));
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	p = f(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		fail("%s(private, r/file): %s", cur, ename(errno));
	else {
		if (memcmp(p, "R\n", 2))
			fail("%s(r/file) does not show its content", cur);
		munmap(p, 4096);
	}
	close(fd);
}

static void t_fdopen(void)
{
	FN(f, FILE * (*)(int, const char *));
	DENYP(EBADF, f(logfd, "a"));
	log_open();
	int fd = rfd();
	FILE *fp = f(fd, "r");
	if (!fp)
		fail("fdopen(r/file): %s", ename(errno));
	else
		fclose(fp);
}

/* ---- syscall() ---- */

static void t_syscall(void)
{
	FN(f, long (*)(long, ...));
	struct snap s;
	take("r/file", &s);
	DENY(ENOENT, f(SYS_openat, (long)AT_FDCWD, "n/file", (long)O_RDONLY, 0L));
	DENY(EACCES, f(SYS_openat, (long)AT_FDCWD, "r/file", (long)(O_WRONLY | O_TRUNC), 0L));
	DENY(ENOENT, f(SYS_unlinkat, (long)AT_FDCWD, "n/file", 0L));
	DENY(EACCES, f(SYS_unlinkat, (long)AT_FDCWD, "r/file", 0L));
	same("r/file", &s);
	long fd;
	OKV(fd, f(SYS_openat, (long)AT_FDCWD, "r/file", (long)O_RDONLY, 0L));
	if (fd >= 0)
		close((int)fd);
	OK(f(SYS_getpid));
}

/* ---- SIGXFSZ stays ignored under limits.max_file_size ---- */

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* In a child: `reset` asks for SIGXFSZ's default action, then SIGXFSZ is raised; the
 * child must survive it. */
static void xfsz_survives(void (*reset)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		reset();
		raise(SIGXFSZ);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail("%s(SIGXFSZ, SIG_DFL) took effect: the child died of signal %d", cur,
		     WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static void reset_sigaction(void)
{
	FN(f, int (*)(int, const struct sigaction *, struct sigaction *));
	struct sigaction sa = {.sa_handler = SIG_DFL};
	f(SIGXFSZ, &sa, NULL);
}

static void reset_signal(void)
{
	FN(f, sighandler_t (*)(int, sighandler_t));
	f(SIGXFSZ, SIG_DFL);
}

static void t_sigaction(void)
{
	FN(f, int (*)(int, const struct sigaction *, struct sigaction *));
	struct sigaction sa = {.sa_handler = SIG_DFL}, old;
	memset(&old, 0, sizeof old);
	OK(f(SIGXFSZ, &sa, &old));
	if (old.sa_handler != SIG_IGN)
		fail("sigaction(SIGXFSZ): the old action is not SIG_IGN");
	xfsz_survives(reset_sigaction);
	/* control: another signal is handled */
	struct sigaction h = {.sa_handler = on_usr1}, prev;
	sigemptyset(&h.sa_mask);
	got_usr1 = 0;
	OK(f(SIGUSR1, &h, &prev));
	raise(SIGUSR1);
	if (!got_usr1)
		fail("sigaction(SIGUSR1) did not install the handler");
	f(SIGUSR1, &prev, NULL);
}

static void t_signal(void) /* signal, sysv_signal, bsd_signal */
{
	FN(f, sighandler_t (*)(int, sighandler_t));
	if (f(SIGXFSZ, SIG_DFL) != SIG_IGN)
		fail("%s(SIGXFSZ, SIG_DFL) did not return SIG_IGN", cur);
	xfsz_survives(reset_signal);
	got_usr1 = 0;
	sighandler_t prev = f(SIGUSR1, on_usr1);
	if (prev == SIG_ERR)
		fail("%s(SIGUSR1): %s", cur, ename(errno));
	raise(SIGUSR1);
	if (!got_usr1)
		fail("%s(SIGUSR1) did not install the handler", cur);
	signal(SIGUSR1, SIG_DFL);
}

/* ---- guards: chroot, mounts, namespaces, fanotify, inotify ---- */

static void t_chroot(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("n/dir"));
	DENY(EPERM, f("r/dir"));
	DENY(EPERM, f("w"));
}

static void t_mount(void)
{
	FN(f, int (*)(const char *, const char *, const char *, unsigned long, const void *));
	DENY(ENOENT, f("none", "n/dir", "tmpfs", 0, NULL));
	DENY(EPERM, f("none", "w", "tmpfs", 0, NULL));
	DENY(EPERM, f("r/dir", "w", NULL, MS_BIND, NULL));
}

static void t_umount(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("n/dir"));
	DENY(EPERM, f("w"));
}

static void t_umount2(void)
{
	FN(f, int (*)(const char *, int));
	DENY(ENOENT, f("n/dir", MNT_DETACH));
	DENY(EPERM, f("w", MNT_DETACH));
}

static void t_acct(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("n/dir"));
	DENY(EPERM, f("w"));
	DENY(EPERM, f(NULL));
}

static void t_swapon(void)
{
	FN(f, int (*)(const char *, int));
	DENY(ENOENT, f("n/dir", 0));
	DENY(EPERM, f("w", 0));
}

static void t_swapoff(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("n/dir"));
	DENY(EPERM, f("w"));
}

static void t_unshare(void)
{
	FN(f, int (*)(int));
	DENY(EPERM, f(CLONE_NEWNS));
	DENY(EPERM, f(CLONE_NEWUSER));
	OK(f(0));
}

static void t_setns(void)
{
	FN(f, int (*)(int, int));
	int fd = open("/proc/self/ns/mnt", O_RDONLY);
	DENY(EPERM, f(fd, 0));
	DENY(EPERM, f(fd, CLONE_NEWNS));
	if (fd >= 0)
		close(fd);
	DENY(EBADF, f(-1, CLONE_NEWUTS)); /* the control: passed to the kernel */
}

static char clone_stack[64 * 1024] __attribute__((aligned(16)));
static int clone_child(void *arg)
{
	(void)arg;
	_exit(7);
}

static void t_clone(void)
{
	FN(f, int (*)(int (*)(void *), void *, int, void *, ...));
	void *top = clone_stack + sizeof clone_stack;
	DENY(EPERM, f(clone_child, top, CLONE_NEWNS | SIGCHLD, NULL));
	DENY(EPERM, f(clone_child, top, CLONE_NEWUSER | SIGCHLD, NULL));
	fflush(NULL);
	int pid;
	OKV(pid, f(clone_child, top, SIGCHLD, NULL));
	if (pid > 0) {
		int st;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 7)
			fail("clone(SIGCHLD): child status %#x", (unsigned)st);
	}
}

static void t_fanotify_mark(void)
{
	FN(f, int (*)(int, unsigned, uint64_t, int, const char *));
	DENY(ENOENT, f(-1, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "n/file"));
	DENY(EPERM, f(-1, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "r/file"));
}

static void t_inotify_add_watch(void)
{
	FN(f, int (*)(int, const char *, uint32_t));
	int in = inotify_init1(IN_CLOEXEC);
	if (in < 0) {
		fail("inotify_init1: %s", ename(errno));
		return;
	}
	DENY(ENOENT, f(in, "n/file", IN_MODIFY));
	DENY(ENOENT, f(in, "n", IN_CREATE));
	OK(f(in, "v/file", IN_MODIFY)); /* view is enough */
	OK(f(in, "r", IN_CREATE));
	close(in);
}

/* ---- the read and write family, on the library's descriptor and on a plain one ---- */

static void own_refused(long r, int e)
{
	if (r != -1 || e != EBADF)
		fail("%s on the library's descriptor: got %ld (%s), wanted -1 (EBADF)", cur, r, ename(e));
	log_open();
}

#define ON_OWN(expr)                                                                               \
	do {                                                                                       \
		errno = 0;                                                                         \
		long r_ = (long)(expr);                                                            \
		own_refused(r_, errno);                                                            \
	} while (0)

static void t_write(void) /* write, __write, __write_nocancel */
{
	FN(f, ssize_t (*)(int, const void *, size_t));
	ON_OWN(f(logfd, "{\"forged\":1}\n", 13));
	int fd = open("w/wfile", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long n;
	OKV(n, f(fd, "abc", 3));
	close(fd);
	char *t = slurp("w/wfile");
	if (!t || strcmp(t, "abc"))
		fail("%s did not write w/wfile", cur);
}

static void t_writev(void)
{
	FN(f, ssize_t (*)(int, const struct iovec *, int));
	struct iovec v = {.iov_base = "{}\n", .iov_len = 3};
	ON_OWN(f(logfd, &v, 1));
	int fd = open("w/wfile", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	OK(f(fd, &v, 1));
	close(fd);
}

static void t_read(void) /* read, __read, __read_nocancel */
{
	FN(f, ssize_t (*)(int, void *, size_t));
	char b[8] = "";
	ON_OWN(f(logfd, b, sizeof b));
	int fd = rfd();
	long n;
	OKV(n, f(fd, b, sizeof b));
	if (n != 2 || memcmp(b, "R\n", 2))
		fail("%s(r/file) read %ld bytes", cur, n);
	close(fd);
}

static void t_read_chk(void)
{
	FN(f, ssize_t (*)(int, void *, size_t, size_t));
	char b[8] = "";
	ON_OWN(f(logfd, b, sizeof b, sizeof b));
	int fd = rfd();
	OK(f(fd, b, sizeof b, sizeof b));
	close(fd);
}

static void t_readv(void)
{
	FN(f, ssize_t (*)(int, const struct iovec *, int));
	char b[8];
	struct iovec v = {.iov_base = b, .iov_len = sizeof b};
	ON_OWN(f(logfd, &v, 1));
	int fd = rfd();
	OK(f(fd, &v, 1));
	close(fd);
}

static void t_pread(void) /* pread, pread64 and their other names */
{
	FN(f, ssize_t (*)(int, void *, size_t, off_t));
	char b[8] = "";
	ON_OWN(f(logfd, b, sizeof b, 0));
	int fd = rfd();
	long n;
	OKV(n, f(fd, b, sizeof b, 1));
	if (n != 1 || b[0] != '\n')
		fail("%s(r/file, 1) read %ld bytes", cur, n);
	close(fd);
}

static void t_pread_chk(void)
{
	FN(f, ssize_t (*)(int, void *, size_t, off_t, size_t));
	char b[8] = "";
	ON_OWN(f(logfd, b, sizeof b, 0, sizeof b));
	int fd = rfd();
	OK(f(fd, b, sizeof b, 0, sizeof b));
	close(fd);
}

static void t_preadv(void)
{
	FN(f, ssize_t (*)(int, const struct iovec *, int, off_t));
	char b[8];
	struct iovec v = {.iov_base = b, .iov_len = sizeof b};
	ON_OWN(f(logfd, &v, 1, 0));
	int fd = rfd();
	OK(f(fd, &v, 1, 0));
	close(fd);
}

static void t_preadv2(void)
{
	FN(f, ssize_t (*)(int, const struct iovec *, int, off_t, int));
	char b[8];
	struct iovec v = {.iov_base = b, .iov_len = sizeof b};
	ON_OWN(f(logfd, &v, 1, 0, 0));
	int fd = rfd();
	OK(f(fd, &v, 1, 0, 0));
	close(fd);
}

static int pair[2];

static void socks(void)
{
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) < 0)
		fail("socketpair: %s", ename(errno));
	if (send(pair[0], "hi", 2, 0) != 2)
		fail("send on a socketpair: %s", ename(errno));
}

static void unsocks(void)
{
	close(pair[0]);
	close(pair[1]);
}

static void t_recv(void) /* recv, __recv */
{
	FN(f, ssize_t (*)(int, void *, size_t, int));
	char b[8];
	ON_OWN(f(logfd, b, sizeof b, MSG_DONTWAIT));
	socks();
	OK(f(pair[1], b, sizeof b, 0));
	unsocks();
}

static void t_recv_chk(void)
{
	FN(f, ssize_t (*)(int, void *, size_t, size_t, int));
	char b[8];
	ON_OWN(f(logfd, b, sizeof b, sizeof b, MSG_DONTWAIT));
	socks();
	OK(f(pair[1], b, sizeof b, sizeof b, 0));
	unsocks();
}

static void t_recvfrom(void)
{
	FN(f, ssize_t (*)(int, void *, size_t, int, struct sockaddr *, socklen_t *));
	char b[8];
	ON_OWN(f(logfd, b, sizeof b, MSG_DONTWAIT, NULL, NULL));
	socks();
	OK(f(pair[1], b, sizeof b, 0, NULL, NULL));
	unsocks();
}

static void t_recvfrom_chk(void)
{
	FN(f, ssize_t (*)(int, void *, size_t, size_t, int, struct sockaddr *, socklen_t *));
	char b[8];
	ON_OWN(f(logfd, b, sizeof b, sizeof b, MSG_DONTWAIT, NULL, NULL));
	socks();
	OK(f(pair[1], b, sizeof b, sizeof b, 0, NULL, NULL));
	unsocks();
}

static void t_recvmsg(void)
{
	FN(f, ssize_t (*)(int, struct msghdr *, int));
	char b[8];
	struct iovec v = {.iov_base = b, .iov_len = sizeof b};
	struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1};
	ON_OWN(f(logfd, &m, MSG_DONTWAIT));
	socks();
	OK(f(pair[1], &m, 0));
	unsocks();
}

static void t_recvmmsg(void)
{
	FN(f, int (*)(int, struct mmsghdr *, unsigned, int, struct timespec *));
	char b[8];
	struct iovec v = {.iov_base = b, .iov_len = sizeof b};
	struct mmsghdr m = {.msg_hdr = {.msg_iov = &v, .msg_iovlen = 1}};
	ON_OWN(f(logfd, &m, 1, MSG_DONTWAIT, NULL));
	socks();
	OK(f(pair[1], &m, 1, 0, NULL));
	unsocks();
}

static void t_sendmmsg(void) /* sendmmsg, __sendmmsg */
{
	FN(f, int (*)(int, struct mmsghdr *, unsigned, int));
	struct iovec v = {.iov_base = "x", .iov_len = 1};
	struct sockaddr_un u;
	socklen_t l = un(&u, "n/dg");
	struct mmsghdr m = {.msg_hdr = {.msg_name = &u, .msg_namelen = l, .msg_iov = &v, .msg_iovlen = 1}};
	ON_OWN(f(logfd, &m, 1, 0));
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	DENY(ENOENT, f(s, &m, 1, 0)); /* a datagram socket in a hidden folder */
	struct mmsghdr two[2] = {m, m};
	two[0].msg_hdr.msg_name = NULL;
	two[0].msg_hdr.msg_namelen = 0;
	DENY(ENOTCONN, f(s, two, 2, 0)); /* the unnamed one first: the socket has no peer */
	close(s);
	socks();
	struct mmsghdr plain = {.msg_hdr = {.msg_iov = &v, .msg_iovlen = 1}};
	OK(f(pair[0], &plain, 1, 0));
	unsocks();
}

static void t_sendfile(void) /* sendfile, sendfile64 */
{
	FN(f, ssize_t (*)(int, int, off_t *, size_t));
	int p[2];
	if (pipe(p) < 0)
		fail("pipe: %s", ename(errno));
	int fd = rfd();
	ON_OWN(f(logfd, fd, NULL, 2));
	ON_OWN(f(p[1], logfd, NULL, 2));
	OK(f(p[1], fd, NULL, 2));
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void t_splice(void)
{
	FN(f, ssize_t (*)(int, loff_t *, int, loff_t *, size_t, unsigned));
	int p[2];
	if (pipe(p) < 0)
		fail("pipe: %s", ename(errno));
	int fd = rfd();
	ON_OWN(f(fd, NULL, logfd, NULL, 2, 0));
	OK(f(fd, NULL, p[1], NULL, 2, 0));
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void t_tee(void)
{
	FN(f, ssize_t (*)(int, int, size_t, unsigned));
	int p[2], q[2];
	if (pipe(p) < 0 || pipe(q) < 0)
		fail("pipe: %s", ename(errno));
	if (write(p[1], "ab", 2) != 2)
		fail("write to a pipe");
	ON_OWN(f(p[0], logfd, 2, 0));
	OK(f(p[0], q[1], 2, 0));
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

static void t_vmsplice(void)
{
	FN(f, ssize_t (*)(int, const struct iovec *, size_t, unsigned));
	struct iovec v = {.iov_base = "{}\n", .iov_len = 3};
	ON_OWN(f(logfd, &v, 1, 0));
	int p[2];
	if (pipe(p) < 0)
		fail("pipe: %s", ename(errno));
	OK(f(p[1], &v, 1, 0));
	close(p[0]);
	close(p[1]);
}

static void t_shutdown(void)
{
	FN(f, int (*)(int, int));
	ON_OWN(f(logfd, SHUT_RDWR));
	socks();
	OK(f(pair[0], SHUT_RDWR));
	unsocks();
}

static void t_setsockopt(void)
{
	FN(f, int (*)(int, int, int, const void *, socklen_t));
	int v = 1;
	ON_OWN(f(logfd, SOL_SOCKET, SO_PASSCRED, &v, sizeof v));
	socks();
	OK(f(pair[0], SOL_SOCKET, SO_PASSCRED, &v, sizeof v));
	unsocks();
}

static void t_flock(void)
{
	FN(f, int (*)(int, int));
	ON_OWN(f(logfd, LOCK_EX | LOCK_NB));
	int fd = rfd();
	OK(f(fd, LOCK_SH));
	close(fd);
}

static void t_lockf(void) /* lockf, lockf64 */
{
	FN(f, int (*)(int, int, off_t));
	ON_OWN(f(logfd, F_TLOCK, 0));
	int fd = open("w/file", O_RDWR);
	OK(f(fd, F_TLOCK, 0));
	OK(f(fd, F_TEST, 0));
	OK(f(fd, F_ULOCK, 0));
	close(fd);
}

static void t_posix_fallocate(void) /* posix_fallocate, posix_fallocate64 */
{
	FN(f, int (*)(int, off_t, off_t));
	int r = f(logfd, 0, 4096);
	if (r != EBADF)
		fail("%s on the library's descriptor returned %d, wanted EBADF", cur, r);
	log_open();
	int fd = open("w/falloc", O_RDWR | O_CREAT | O_TRUNC, 0644);
	r = f(fd, 0, 100);
	if (r != 0)
		fail("%s(w/falloc) returned %d", cur, r);
	close(fd);
}

static void t_eventfd_read(void)
{
	FN(f, int (*)(int, uint64_t *));
	uint64_t v = 0;
	ON_OWN(f(logfd, &v));
	int e = eventfd(3, 0);
	OK(f(e, &v));
	if (v != 3)
		fail("%s read %llu", cur, (unsigned long long)v);
	close(e);
}

static void t_eventfd_write(void)
{
	FN(f, int (*)(int, uint64_t));
	ON_OWN(f(logfd, 1));
	int e = eventfd(0, 0);
	OK(f(e, 5));
	close(e);
}

static void t_mq_close(void)
{
	FN(f, int (*)(int));
	ON_OWN(f(logfd));
}

static void t_getdirentries(void) /* getdirentries, getdirentries64 */
{
	FN(f, ssize_t (*)(int, char *, size_t, off_t *));
	char buf[4096];
	off_t base = -1;
	ON_OWN(f(logfd, buf, sizeof buf, &base));
	/* n/ is hidden: its descriptor (opened before the library) lists nothing */
	errno = 0;
	long n = f(NONE_DIR_FD, buf, sizeof buf, &base);
	for (long o = 0; n > 0 && o < n;) {
		struct dirent64 *d = (struct dirent64 *)(buf + o);
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			fail("%s(n/) listed %s", cur, d->d_name);
		o += d->d_reclen;
	}
	int fd = open("r", O_RDONLY | O_DIRECTORY);
	long m;
	OKV(m, f(fd, buf, sizeof buf, &base));
	if (m <= 0 || base != 0)
		fail("%s(r/): %ld bytes, base %lld", cur, m, (long long)base);
	close(fd);
}

static void t_vdprintf_own(int (*call)(int))
{
	errno = 0;
	int r = call(logfd);
	own_refused(r, errno);
	int p[2];
	if (pipe(p) < 0)
		fail("pipe: %s", ename(errno));
	if (call(p[1]) != 2)
		fail("%s to a pipe: %s", cur, ename(errno));
	close(p[0]);
	close(p[1]);
}

static int call_dprintf(int fd)
{
	FN(f, int (*)(int, const char *, ...));
	return f(fd, "%s", "{}");
}

static int call_dprintf_chk(int fd)
{
	FN(f, int (*)(int, int, const char *, ...));
	return f(fd, 1, "%s", "{}");
}

static int vcall(int fd, ...)
{
	va_list ap;
	va_start(ap, fd);
	int r;
	if (!strcmp(cur, "vdprintf")) {
		FN(f, int (*)(int, const char *, va_list));
		r = f(fd, "%s", ap);
	} else {
		FN(f, int (*)(int, int, const char *, va_list));
		r = f(fd, 1, "%s", ap);
	}
	va_end(ap);
	return r;
}

static int call_vdprintf(int fd) { return vcall(fd, "{}"); }

static void t_dprintf(void) { t_vdprintf_own(call_dprintf); }
static void t_dprintf_chk(void) { t_vdprintf_own(call_dprintf_chk); }
static void t_vdprintf(void) { t_vdprintf_own(call_vdprintf); }

static void t_login_tty(void)
{
	FN(f, int (*)(int));
	ON_OWN(f(logfd));
}

static void t_backtrace_symbols_fd(void)
{
	FN(f, void (*)(void *const *, int, int));
	void *pc[1] = {(void *)t_backtrace_symbols_fd};
	f(pc, 1, logfd); /* nothing written to the log */
	log_open();
	int p[2];
	if (pipe(p) < 0)
		fail("pipe: %s", ename(errno));
	f(pc, 1, p[1]);
	char b[16];
	if (read(p[0], b, sizeof b) <= 0)
		fail("%s wrote nothing to a pipe", cur);
	close(p[0]);
	close(p[1]);
}

static void t_aio(void) /* aio_read, aio_write, aio_fsync, aio_cancel */
{
	char b[8] = "";
	struct aiocb cb = {.aio_fildes = logfd, .aio_buf = b, .aio_nbytes = 2};
	errno = 0;
	long r;
	if (!strcmp(cur, "aio_read") || !strcmp(cur, "aio_read64") || !strcmp(cur, "aio_write") ||
	    !strcmp(cur, "aio_write64")) {
		FN(f, int (*)(struct aiocb *));
		r = f(&cb);
		own_refused(r, errno);
		int fd = open("w/file", O_RDWR);
		cb.aio_fildes = fd;
		OK(f(&cb));
		const struct aiocb *l[1] = {&cb};
		aio_suspend(l, 1, NULL);
		if (aio_error(&cb) != 0)
			fail("%s(w/file): %s", cur, ename(aio_error(&cb)));
		aio_return(&cb);
		close(fd);
	} else if (!strcmp(cur, "aio_fsync") || !strcmp(cur, "aio_fsync64")) {
		FN(f, int (*)(int, struct aiocb *));
		r = f(O_SYNC, &cb);
		own_refused(r, errno);
	} else {
		FN(f, int (*)(int, struct aiocb *));
		r = f(logfd, NULL);
		own_refused(r, errno);
	}
}

static void t_lio_listio(void) /* lio_listio, lio_listio64 */
{
	FN(f, int (*)(int, struct aiocb *const[], int, struct sigevent *));
	char b[8];
	struct aiocb cb = {.aio_fildes = logfd, .aio_buf = b, .aio_nbytes = 2, .aio_lio_opcode = LIO_WRITE};
	struct aiocb *l[1] = {&cb};
	errno = 0;
	long r = f(LIO_WAIT, l, 1, NULL);
	own_refused(r, errno);
	cb.aio_fildes = open("w/file", O_RDONLY);
	cb.aio_lio_opcode = LIO_READ;
	OK(f(LIO_WAIT, l, 1, NULL));
	close(cb.aio_fildes);
}

static void t_futimes(void)
{
	FN(f, int (*)(int, const struct timeval *));
	int fd = rfd();
	struct snap s;
	take("r/file", &s);
	DENY(EACCES, f(fd, NULL)); /* r/ is read-level: its times are not the program's */
	same("r/file", &s);
	close(fd);
	fd = open("w/file", O_RDONLY);
	OK(f(fd, NULL));
	close(fd);
}

static void t_clnt_create(void)
{
	FN(f, void *(*)(const char *, unsigned long, unsigned long, const char *));
	errno = 0;
	void *c = f("n/sock", 100000, 1, "unix");
	if (c || errno != EPERM)
		fail("clnt_create over a Unix socket: %p (%s), wanted NULL (EPERM)", c, ename(errno));
}

/* ---- temporary names ---- */

static void t_mktemp(void) /* mktemp, __mktemp */
{
	FN(f, char *(*)(char *));
	char t[64] = "w/mtXXXXXX";
	char *r = f(t);
	if (!r || !r[0] || exists(t))
		fail("%s(w/mtXXXXXX) gave '%s'", cur, r ? r : "(null)");
	char nox[] = "w/noX";
	r = f(nox);
	if (!r || r[0] || errno != EINVAL)
		fail("%s(w/noX): '%s' (%s), wanted '' (EINVAL)", cur, r ? r : "(null)", ename(errno));
}

static void t_tempnam(void)
{
	FN(f, char *(*)(const char *, const char *));
	char *r = f("n", "p"); /* n/ is hidden: the next folder of tempnam's list */
	if (!r || !strncmp(r, "n/", 2) || strstr(r, "/n/"))
		fail("tempnam(n, p) gave %s", r ? r : "(null)");
	free(r);
	r = f("w", "p");
	const char *tmpdir = getenv("TMPDIR");
	if (!r || (tmpdir && strncmp(r, tmpdir, strlen(tmpdir))))
		fail("tempnam(w, p) gave %s, not under TMPDIR %s", r ? r : "(null)", tmpdir ? tmpdir : "-");
	free(r);
}

static void t_tmpnam(void) /* tmpnam, tmpnam_r: a free name of P_tmpdir */
{
	FN(f, char *(*)(char *));
	char b[L_tmpnam];
	char *r = f(b);
	if (!r || strncmp(r, "/tmp/file", 9) || exists(r))
		fail("%s gave %s", cur, r ? r : "(null)");
}

/* ---- files libc opens for the program ---- */

static void t_setmntent(void) /* setmntent, __setmntent */
{
	FN(f, FILE * (*)(const char *, const char *));
	DENYP(ENOENT, f("n/file", "r"));
	DENYP(EACCES, f("r/file", "w"));
	FILE *m = f("r/file", "r");
	if (!m)
		fail("%s(r/file, r): %s", cur, ename(errno));
	else
		fclose(m);
}

static void t_catopen(void)
{
	FN(f, nl_catd (*)(const char *, int));
	errno = 0;
	nl_catd c = f("n/file", 0);
	if (c != (nl_catd)-1 || errno != ENOENT)
		fail("catopen(n/file): %p (%s), wanted -1 (ENOENT)", (void *)c, ename(errno));
	/* through NLSPATH: a template into the hidden folder finds nothing */
	char cwd[PATH_MAX], nls[PATH_MAX + 8];
	if (!getcwd(cwd, sizeof cwd))
		fail("getcwd");
	snprintf(nls, sizeof nls, "%s/n/%%N", cwd);
	setenv("NLSPATH", nls, 1);
	errno = 0;
	c = f("file", 0);
	unsetenv("NLSPATH");
	if (c != (nl_catd)-1)
		fail("catopen(file) with NLSPATH=%s opened the hidden n/file", nls);
}

static void t_updwtmp(void) /* updwtmp, updwtmpx */
{
	FN(f, void (*)(const char *, const void *));
	struct utmp ut;
	memset(&ut, 0, sizeof ut);
	ut.ut_type = DEAD_PROCESS;
	struct snap s;
	take("r/file", &s);
	f("r/file", &ut);
	same("r/file", &s);
	f("n/file", &ut);
	unlink("w/wtmp");
	int fd = open("w/wtmp", O_WRONLY | O_CREAT, 0644);
	close(fd);
	f("w/wtmp", &ut);
	struct stat st;
	if (stat("w/wtmp", &st) < 0 || st.st_size != (off_t)sizeof ut)
		fail("%s(w/wtmp) did not append one record", cur);
}

static void t_utmpname(void) /* utmpname, utmpxname */
{
	FN(f, int (*)(const char *));
	DENY(EACCES, f("w/utmp")); /* libc opens it later, by name: not in a write area */
	OK(f("r/file"));
	OK(f("/var/run/utmp"));
}

static void t_mcleanup(void)
{
	FN(f, void (*)(void));
	f(); /* the working directory (ROOT) is read-level: no gmon.out */
	if (exists("gmon.out"))
		fail("_mcleanup wrote gmon.out in a read-level folder");
}

/* ---- POSIX IPC names ---- */

static void t_shm_open(void)
{
	FN(f, int (*)(const char *, int, mode_t));
	DENY(ENOENT, f("/ward-surface", O_RDWR | O_CREAT, 0600)); /* /dev/shm is closed */
	DENY(EINVAL, f("/a/b", O_RDONLY, 0));
}

static void t_shm_unlink(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("/ward-surface"));
}

static void t_sem_open(void)
{
	FN(f, sem_t *(*)(const char *, int, ...));
	errno = 0;
	sem_t *s = f("/ward-surface", O_CREAT, 0600, 1);
	if (s != SEM_FAILED || errno != ENOENT)
		fail("sem_open in the closed /dev/shm: %p (%s), wanted SEM_FAILED (ENOENT)", (void *)s,
		     ename(errno));
}

static void t_sem_unlink(void)
{
	FN(f, int (*)(const char *));
	DENY(ENOENT, f("/ward-surface"));
}

static void t_mq_open(void)
{
	FN(f, mqd_t (*)(const char *, int, ...));
	DENY(EACCES, f("/ward-surface", O_CREAT | O_RDWR, 0600, NULL)); /* /dev/mqueue: read */
	DENY(EINVAL, f("no-slash", O_RDONLY));
}

static void t_mq_open_2(void)
{
	FN(f, mqd_t (*)(const char *, int));
	DENY(EACCES, f("/ward-surface", O_RDWR));
}

static void t_mq_unlink(void)
{
	FN(f, int (*)(const char *));
	DENY(EACCES, f("/ward-surface"));
}

static void t_ftok(void)
{
	FN(f, key_t (*)(const char *, int));
	DENY(ENOENT, f("n/file", 1));
	DENY(ENOENT, f("n/link", 1));
	OK(f("r/file", 1));
}

/* ---- paths libc takes from the environment and the locale functions ---- */

static char hidden_abs[PATH_MAX + 8], write_abs[PATH_MAX + 8];

static void abs_paths(void)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		fail("getcwd");
	snprintf(hidden_abs, sizeof hidden_abs, "%s/n", cwd);
	snprintf(write_abs, sizeof write_abs, "%s/w", cwd);
}

static void t_setenv(void)
{
	FN(f, int (*)(const char *, const char *, int));
	abs_paths();
	DENY(EACCES, f("GCONV_PATH", hidden_abs, 1));
	DENY(EACCES, f("GCONV_PATH", write_abs, 1)); /* changeable by the program */
	char tz[PATH_MAX + 32];
	snprintf(tz, sizeof tz, ":%s/file", hidden_abs);
	DENY(EACCES, f("TZ", tz, 1));
	DENY(EACCES, f("LANGUAGE", "de:../../n", 1));
	if (getenv("GCONV_PATH") && !strcmp(getenv("GCONV_PATH"), hidden_abs))
		fail("GCONV_PATH was set");
	OK(f("WARD_SURFACE_X", hidden_abs, 1)); /* not a variable libc opens */
	OK(f("GCONV_PATH", "/usr/lib", 1));
	unsetenv("GCONV_PATH");
	unsetenv("WARD_SURFACE_X");
}

static void t_putenv(void)
{
	FN(f, int (*)(char *));
	abs_paths();
	static char a[PATH_MAX + 32], b[] = "TZ=UTC";
	snprintf(a, sizeof a, "LOCPATH=%s", hidden_abs);
	DENY(EACCES, f(a));
	OK(f(b));
	unsetenv("TZ");
}

static void t_setlocale(void)
{
	FN(f, char *(*)(int, const char *));
	abs_paths();
	if (f(LC_ALL, hidden_abs))
		fail("setlocale(LC_ALL, hidden folder) succeeded");
	char comp[PATH_MAX + 64];
	snprintf(comp, sizeof comp, "LC_CTYPE=%s;LC_NUMERIC=C", hidden_abs);
	if (f(LC_ALL, comp))
		fail("setlocale(LC_ALL, %s) succeeded", comp);
	if (!f(LC_ALL, "C"))
		fail("setlocale(LC_ALL, C) failed");
}

static void t_newlocale(void) /* newlocale, __newlocale */
{
	FN(f, locale_t (*)(int, const char *, locale_t));
	abs_paths();
	errno = 0;
	locale_t l = f(LC_ALL_MASK, hidden_abs, (locale_t)0);
	if (l)
		fail("newlocale(hidden folder) succeeded");
	l = f(LC_ALL_MASK, "C", (locale_t)0);
	if (!l)
		fail("newlocale(C) failed");
	else
		freelocale(l);
}

static void t_bindtextdomain(void)
{
	FN(f, char *(*)(const char *, const char *));
	abs_paths();
	char *r = f("ward-surface", hidden_abs);
	if (!r || !strcmp(r, hidden_abs))
		fail("bindtextdomain kept the hidden folder (%s)", r ? r : "(null)");
	r = f("ward-surface", "/usr/share/locale");
	if (!r || strcmp(r, "/usr/share/locale"))
		fail("bindtextdomain(/usr/share/locale) gave %s", r ? r : "(null)");
}

static void t_wordexp(void)
{
	FN(f, int (*)(const char *, wordexp_t *, int));
	wordexp_t we;
	int r = f("n/*", &we, WRDE_NOCMD);
	if (r == 0) {
		for (size_t i = 0; i < we.we_wordc; i++)
			if (strcmp(we.we_wordv[i], "n/*"))
				fail("wordexp(n/*) named %s", we.we_wordv[i]);
		wordfree(&we);
	}
	r = f("r/*", &we, WRDE_NOCMD);
	if (r != 0 || we.we_wordc < 2)
		fail("wordexp(r/*): %d, %zu words", r, r == 0 ? we.we_wordc : 0);
	if (r == 0)
		wordfree(&we);
	/* a command substitution runs under the library, whatever the environment says */
	char *saved = getenv("LD_PRELOAD") ? strdup(getenv("LD_PRELOAD")) : NULL;
	unsetenv("LD_PRELOAD");
	r = f("$(cat n/file 2>/dev/null; echo done)", &we, 0);
	if (r != 0 || we.we_wordc != 1 || strcmp(we.we_wordv[0], "done"))
		fail("wordexp($(cat n/file; echo done)): %d, %s", r,
		     r == 0 && we.we_wordc ? we.we_wordv[0] : "-");
	if (r == 0)
		wordfree(&we);
	if (saved && !getenv("LD_PRELOAD"))
		setenv("LD_PRELOAD", saved, 1);
	free(saved);
}

/* inotify: the events of a watched folder do not name its hidden entries. ROOT holds
 * n/ (none) and r/ (read); a listing of n/ through the descriptor opened before the
 * library (fd 7, read by a raw system call) makes an IN_ACCESS event named "n", a
 * read of r/file one named "r" (watching ROOT). */
static void t_inotify_init(void) /* inotify_init, inotify_init1 */
{
	int in;
	if (!strcmp(cur, "inotify_init")) {
		FN(f, int (*)(void));
		in = f();
		if (in >= 0)
			fcntl(in, F_SETFL, O_NONBLOCK);
	} else {
		FN(f, int (*)(int));
		in = f(IN_NONBLOCK | IN_CLOEXEC);
	}
	if (in < 0) {
		fail("%s: %s", cur, ename(errno));
		return;
	}
	if (inotify_add_watch(in, ".", IN_ACCESS) < 0)
		fail("inotify_add_watch(.): %s", ename(errno));
	char b[4096];
	register long r10 __asm__("r10");
	(void)r10;
	raw3(SYS_getdents64, NONE_DIR_FD, (long)b, sizeof b);
	raw3(SYS_lseek, NONE_DIR_FD, 0, SEEK_SET);
	DIR *d = opendir("r");
	if (d) {
		while (readdir(d))
			;
		closedir(d);
	}
	char ev[8192];
	int seen_r = 0, seen_n = 0;
	long n;
	int copy = dup(in);
	while ((n = read(copy, ev, sizeof ev)) > 0) {
		for (long o = 0; o < n;) {
			struct inotify_event *e = (struct inotify_event *)(ev + o);
			if (e->len && !strcmp(e->name, "r"))
				seen_r = 1;
			if (e->len && !strcmp(e->name, "n"))
				seen_n = 1;
			o += (long)sizeof *e + e->len;
		}
	}
	if (seen_n)
		fail("%s: read() gave an event named after the hidden n/", cur);
	if (!seen_r)
		fail("%s: no event for r/ (the control)", cur);
	close(copy);
	close(in);
}

/* dlsym and dlvsym answer with ward's function for a name ward interposes, whatever
 * the handle: libc's own handle, RTLD_NEXT, RTLD_DEFAULT; other names are libc's. */
static const char *obj_of(void *p)
{
	Dl_info di;
	if (!p || !dladdr(p, &di) || !di.dli_fname)
		return "?";
	const char *b = strrchr(di.dli_fname, '/');
	return b ? b + 1 : di.dli_fname;
}

static void lookups(void *(*look)(void *, const char *))
{
	void *libc = dlopen("libc.so.6", RTLD_NOLOAD | RTLD_LAZY);
	if (!libc) {
		fail("dlopen(libc.so.6, RTLD_NOLOAD): %s", dlerror());
		return;
	}
	void *handles[] = {libc, RTLD_NEXT, RTLD_DEFAULT};
	for (int i = 0; i < 3; i++) {
		const char *names[] = {"open", "__open_nocancel", "fopen"};
		for (int k = 0; k < 3; k++) {
			void *p = look(handles[i], names[k]);
			if (strcmp(obj_of(p), "libward.so") && !strstr(obj_of(p), "asan"))
				fail("lookup %d of %s gave %s's, not libward.so's", i, names[k], obj_of(p));
		}
		int (*op)(const char *, int, ...);
		void *p = look(handles[i], "open");
		memcpy(&op, &p, sizeof op);
		if (op)
			DENY(ENOENT, op("n/file", O_RDONLY));
		void *q = look(handles[i], "strlen");
		if (!q || !strcmp(obj_of(q), "libward.so"))
			fail("lookup %d of strlen gave %s", i, obj_of(q));
	}
	dlclose(libc);
}

static void *plain_dlsym(void *h, const char *n)
{
	FN(f, void *(*)(void *, const char *));
	return f(h, n);
}

static void *plain_dlvsym(void *h, const char *n)
{
	FN(f, void *(*)(void *, const char *, const char *));
	return f(h, n, !strcmp(n, "strlen") ? "GLIBC_2.2.5" : "GLIBC_2.2.5");
}

static void t_dlsym(void) { lookups(plain_dlsym); }
static void t_dlvsym(void) { lookups(plain_dlvsym); }

/* ---- the table: every name of shim/symbols.def ---- */

struct test {
	const char *name;
	void (*fn)(void);
};

static const struct test tests[] = {
	{"open", t_open}, {"open64", t_open}, {"openat", t_openat}, {"openat64", t_openat},
	{"__open_2", t_open_2}, {"__open64_2", t_open_2}, {"__openat_2", t_openat_2},
	{"__openat64_2", t_openat_2}, {"creat", t_creat}, {"creat64", t_creat},
	{"fopen", t_fopen}, {"fopen64", t_fopen}, {"freopen", t_freopen}, {"freopen64", t_freopen},
	{"mkstemp", t_mkstemp}, {"mkstemp64", t_mkstemp}, {"mkostemp", t_mkostemp},
	{"mkostemp64", t_mkostemp}, {"mkstemps", t_mkstemps}, {"mkstemps64", t_mkstemps},
	{"mkostemps", t_mkostemps}, {"mkostemps64", t_mkostemps}, {"mkdtemp", t_mkdtemp},
	{"tmpfile", t_tmpfile}, {"tmpfile64", t_tmpfile}, {"open_by_handle_at", t_open_by_handle_at},

	{"fstatat", t_fstatat}, {"fstatat64", t_fstatat}, {"stat", t_stat}, {"stat64", t_stat},
	{"lstat", t_stat}, {"lstat64", t_stat}, {"__xstat", t_xstat}, {"__xstat64", t_xstat},
	{"__lxstat", t_xstat}, {"__lxstat64", t_xstat}, {"__fxstatat", t_fxstatat},
	{"__fxstatat64", t_fxstatat}, {"statx", t_statx}, {"faccessat", t_faccessat},
	{"access", t_access}, {"eaccess", t_access}, {"euidaccess", t_access},
	{"readlinkat", t_readlinkat}, {"readlink", t_readlink}, {"__readlink_chk", t_readlink_chk},
	{"__readlinkat_chk", t_readlinkat_chk}, {"statfs", t_statfs}, {"statfs64", t_statfs},
	{"statvfs", t_statvfs}, {"statvfs64", t_statvfs}, {"pathconf", t_pathconf},
	{"realpath", t_realpath}, {"__realpath_chk", t_realpath_chk},
	{"canonicalize_file_name", t_canonicalize}, {"getxattr", t_getxattr}, {"lgetxattr", t_getxattr},
	{"listxattr", t_listxattr}, {"llistxattr", t_listxattr}, {"name_to_handle_at", t_name_to_handle_at},

	{"opendir", t_opendir}, {"fdopendir", t_fdopendir}, {"closedir", t_closedir},
	{"readdir", t_readdir}, {"readdir64", t_readdir}, {"readdir_r", t_readdir_r},
	{"readdir64_r", t_readdir_r}, {"getdents64", t_getdents64}, {"scandirat", t_scandirat},
	{"scandir", t_scandir}, {"scandir64", t_scandir}, {"scandirat64", t_scandirat},
	{"glob", t_glob}, {"glob64", t_glob}, {"nftw", t_nftw}, {"nftw64", t_nftw}, {"ftw", t_ftw},
	{"ftw64", t_ftw}, {"fts_open", t_fts_open}, {"fts_read", t_fts_read},
	{"fts_children", t_fts_children}, {"fts_close", t_fts_close}, {"chdir", t_chdir},
	{"fchdir", t_fchdir},

	{"mkdirat", t_mkdirat}, {"mkdir", t_mkdir}, {"unlinkat", t_unlinkat}, {"unlink", t_unlink},
	{"rmdir", t_rmdir}, {"remove", t_remove}, {"renameat2", t_renameat2}, {"renameat", t_renameat},
	{"rename", t_rename}, {"linkat", t_linkat}, {"link", t_link}, {"symlinkat", t_symlinkat},
	{"symlink", t_symlink}, {"mknodat", t_mknodat}, {"mknod", t_mknod}, {"mkfifoat", t_mkfifoat},
	{"mkfifo", t_mkfifo}, {"__xmknodat", t_xmknodat}, {"__xmknod", t_xmknod},

	{"fchmodat", t_fchmodat}, {"chmod", t_chmod}, {"lchmod", t_chmod}, {"fchmod", t_fchmod},
	{"fchownat", t_fchownat}, {"chown", t_chown}, {"lchown", t_chown}, {"fchown", t_fchown},
	{"utimensat", t_utimensat}, {"futimens", t_futimens}, {"utimes", t_utimes},
	{"lutimes", t_utimes}, {"futimesat", t_futimesat}, {"utime", t_utime},
	{"truncate", t_truncate}, {"truncate64", t_truncate}, {"setxattr", t_setxattr},
	{"lsetxattr", t_setxattr}, {"removexattr", t_removexattr}, {"lremovexattr", t_removexattr},
	{"fsetxattr", t_fsetxattr}, {"fremovexattr", t_fremovexattr},

	{"execve", t_execve}, {"execveat", t_execveat}, {"fexecve", t_fexecve}, {"execv", t_execv},
	{"execvpe", t_execvpe}, {"execvp", t_execvp}, {"execl", t_execl}, {"execlp", t_execlp},
	{"execle", t_execle}, {"posix_spawn", t_posix_spawn}, {"posix_spawnp", t_posix_spawn},
	{"system", t_system}, {"popen", t_popen}, {"pclose", t_pclose}, {"dlopen", t_dlopen},
	{"dlmopen", t_dlmopen}, {"dlsym", t_dlsym}, {"dlvsym", t_dlvsym},

	{"connect", t_connect}, {"bind", t_bind}, {"sendto", t_sendto}, {"send", t_send},
	{"sendmsg", t_sendmsg},

	{"close", t_close}, {"__close", t_close}, {"close_range", t_close_range},
	{"closefrom", t_closefrom}, {"dup2", t_dup2}, {"__dup2", t_dup2}, {"dup3", t_dup3},
	{"dup", t_dup}, {"fcntl", t_fcntl}, {"fcntl64", t_fcntl}, {"ioctl", t_ioctl},
	{"ftruncate", t_ftruncate}, {"ftruncate64", t_ftruncate}, {"lseek", t_lseek},
	{"lseek64", t_lseek}, {"pwrite", t_pwrite}, {"pwrite64", t_pwrite}, {"pwritev", t_pwritev},
	{"pwritev64", t_pwritev}, {"pwritev2", t_pwritev2}, {"pwritev64v2", t_pwritev2},
	{"fallocate", t_fallocate}, {"fallocate64", t_fallocate},
	{"copy_file_range", t_copy_file_range}, {"mmap", t_mmap}, {"mmap64", t_mmap},
	{"fdopen", t_fdopen},

	{"syscall", t_syscall},

	{"sigaction", t_sigaction}, {"signal", t_signal}, {"sysv_signal", t_signal},
	{"bsd_signal", t_signal},

	{"chroot", t_chroot}, {"mount", t_mount}, {"umount", t_umount}, {"umount2", t_umount2},
	{"unshare", t_unshare}, {"setns", t_setns}, {"clone", t_clone},
	{"acct", t_acct}, {"swapon", t_swapon}, {"swapoff", t_swapoff},
	{"fanotify_mark", t_fanotify_mark}, {"inotify_add_watch", t_inotify_add_watch},
	{"write", t_write}, {"writev", t_writev}, {"read", t_read}, {"readv", t_readv},
	{"pread", t_pread}, {"pread64", t_pread}, {"preadv", t_preadv}, {"preadv64", t_preadv},
	{"preadv2", t_preadv2}, {"preadv64v2", t_preadv2}, {"__read_chk", t_read_chk},
	{"__pread_chk", t_pread_chk}, {"__pread64_chk", t_pread_chk}, {"recv", t_recv},
	{"recvfrom", t_recvfrom}, {"__recv_chk", t_recv_chk}, {"__recvfrom_chk", t_recvfrom_chk},
	{"recvmsg", t_recvmsg}, {"recvmmsg", t_recvmmsg}, {"sendmmsg", t_sendmmsg},
	{"sendfile", t_sendfile}, {"sendfile64", t_sendfile}, {"splice", t_splice}, {"tee", t_tee},
	{"vmsplice", t_vmsplice}, {"shutdown", t_shutdown}, {"setsockopt", t_setsockopt},
	{"flock", t_flock}, {"lockf", t_lockf}, {"lockf64", t_lockf},
	{"posix_fallocate", t_posix_fallocate}, {"posix_fallocate64", t_posix_fallocate},
	{"eventfd_read", t_eventfd_read}, {"eventfd_write", t_eventfd_write}, {"mq_close", t_mq_close},
	{"getdirentries", t_getdirentries}, {"getdirentries64", t_getdirentries},
	{"vdprintf", t_vdprintf}, {"dprintf", t_dprintf}, {"__vdprintf_chk", t_vdprintf},
	{"__dprintf_chk", t_dprintf_chk}, {"login_tty", t_login_tty},
	{"backtrace_symbols_fd", t_backtrace_symbols_fd}, {"aio_read", t_aio}, {"aio_write", t_aio},
	{"aio_fsync", t_aio}, {"aio_cancel", t_aio}, {"lio_listio", t_lio_listio},
	{"futimes", t_futimes}, {"clnt_create", t_clnt_create}, {"mktemp", t_mktemp},
	{"tempnam", t_tempnam}, {"tmpnam", t_tmpnam}, {"tmpnam_r", t_tmpnam},
	{"setmntent", t_setmntent}, {"catopen", t_catopen}, {"updwtmp", t_updwtmp},
	{"updwtmpx", t_updwtmp}, {"utmpname", t_utmpname}, {"utmpxname", t_utmpname},
	{"_mcleanup", t_mcleanup}, {"shm_open", t_shm_open}, {"shm_unlink", t_shm_unlink},
	{"sem_open", t_sem_open}, {"sem_unlink", t_sem_unlink}, {"mq_open", t_mq_open},
	{"__mq_open_2", t_mq_open_2}, {"mq_unlink", t_mq_unlink}, {"ftok", t_ftok},
	{"setenv", t_setenv}, {"putenv", t_putenv}, {"setlocale", t_setlocale},
	{"newlocale", t_newlocale}, {"bindtextdomain", t_bindtextdomain}, {"wordexp", t_wordexp},
	{"inotify_init", t_inotify_init}, {"inotify_init1", t_inotify_init},
};

/* libc's other names of wrapped functions (WARD_ALIAS rows of symbols.def): each is
 * tested with its target's test, called through the alias. The WARD_PRIV rows: a
 * call from the program (not glibc's code) is refused with EPERM, whatever the
 * arguments, and the refusal returns what the row's kind says. */
struct alias {
	const char *name, *target;
};
#define WARD_SYM(n, f)
#define WARD_ALIAS(a, t, f) {#a, #t},
#define WARD_PRIV(n, k, f)
#define WARD_GUARD(n, k, files, f)
static const struct alias aliases[] = {
#include "shim/symbols.def"
	{NULL, NULL},
};
#undef WARD_ALIAS
#undef WARD_PRIV
struct priv {
	const char *name, *kind;
};
#define WARD_ALIAS(a, t, f)
#define WARD_PRIV(n, k, f) {#n, #k},
static const struct priv privs[] = {
#include "shim/symbols.def"
	{NULL, NULL},
};
#undef WARD_PRIV
#undef WARD_GUARD
/* WARD_GUARD rows: forwarded when the files they read are readable, as they are in
 * this tree; their refusals are tested by t/017-libc-guards.t, with the files
 * hidden. Here: each resolves into libward.so. */
#define WARD_PRIV(n, k, f)
#define WARD_GUARD(n, k, files, f) {#n, "guard"},
static const struct priv guards[] = {
#include "shim/symbols.def"
	{NULL, NULL},
};
#undef WARD_SYM
#undef WARD_ALIAS
#undef WARD_PRIV
#undef WARD_GUARD

static const char *priv_kind;

static void t_priv(void)
{
	FN(f, long (*)(long, long, long, long, long, long));
	errno = 0;
	long r = f(0, 0, 0, 0, 0, 0);
	int e = errno;
	long want = !strcmp(priv_kind, "ptr") ? 0 : !strcmp(priv_kind, "err") ? EPERM : -1;
	if (strcmp(priv_kind, "void") && r != want)
		fail("%s(0...) from the program returned %ld, wanted %ld", cur, r, want);
	if (e != EPERM)
		fail("%s(0...) from the program: errno %s, wanted EPERM", cur, ename(e));
}

static void t_resolved(void) {}

static void (*test_of(const char *name))(void)
{
	for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
		if (!strcmp(tests[i].name, name))
			return tests[i].fn;
	return NULL;
}

/* ---- where a name resolves ---- */

static void *ward_handle;

static int find_ward(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	const char *b = strrchr(info->dlpi_name, '/');
	b = b ? b + 1 : info->dlpi_name;
	if (!strcmp(b, "libward.so")) {
		snprintf(data, PATH_MAX, "%s", info->dlpi_name);
		return 1;
	}
	return 0;
}

static const char *base(const char *p)
{
	const char *b = p ? strrchr(p, '/') : NULL;
	return b ? b + 1 : p ? p : "?";
}

/* Checks that sym resolves into libward.so; in a sanitizer build the ASan runtime
 * comes first in the search order and intercepts some names itself (it calls the
 * next definition, libward.so's): then libward.so must define the name too. */
static void check_resolution(void)
{
	Dl_info di;
	if (!dladdr(sym, &di) || !di.dli_fname) {
		fail("dladdr found no object for %s", cur);
		return;
	}
	const char *b = base(di.dli_fname);
	if (!strcmp(b, "libward.so"))
		return;
	if (strstr(b, "asan") || strstr(b, "ubsan") || strstr(b, "sanitizer")) {
		if (!ward_handle) {
			char path[PATH_MAX] = "";
			dl_iterate_phdr(find_ward, path);
			ward_handle = path[0] ? dlopen(path, RTLD_NOLOAD | RTLD_LAZY) : NULL;
		}
		void *w = ward_handle ? dlsym(ward_handle, cur) : NULL;
		if (!w || !dladdr(w, &di) || strcmp(base(di.dli_fname), "libward.so"))
			fail("%s resolves into %s, and libward.so does not define it", cur, b);
		return;
	}
	fail("%s resolves into %s, not libward.so", cur, b);
}

static int known_gap(const char *name)
{
	for (int i = 0; KNOWN_GAPS[i]; i++)
		if (!strcmp(KNOWN_GAPS[i], name))
			return 1;
	return 0;
}

/* Without the library: the sockets of the tree (a file each, no listener). */
static int setup(void)
{
	const char *paths[] = {"n/sock", "n/dg", "r/sock"};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct sockaddr_un u;
		socklen_t l = un(&u, paths[i]);
		unlink(paths[i]);
		int s = socket(AF_UNIX, i == 1 ? SOCK_DGRAM : SOCK_STREAM, 0);
		if (s < 0 || bind(s, (struct sockaddr *)&u, l) < 0) {
			perror(paths[i]);
			return 1;
		}
		close(s);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "setup"))
		return setup();
	/* The library moved WARD_LOG_FD out of the program's way (and hides the log's
	 * name): its descriptor is the one whose /proc/self/fd link ends in the log's name
	 * (argv[1], default log.fifo). */
	logname = argc > 1 ? argv[1] : "log.fifo";
	/* the library moved WARD_LOG_FD out of the program's way and hides its number
	 * (from /proc/self/fd too): found with raw system calls */
	find_log();
	if (logfd < 0 || fcntl(NONE_DIR_FD, F_GETFD) < 0 || fcntl(NONE_FILE_FD, F_GETFD) < 0) {
		fprintf(stderr, "surface: the audit log %s (WARD_LOG_FD), and descriptors %d (n/) and %d "
				"(n/file) must be open\n", logname, NONE_DIR_FD, NONE_FILE_FD);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int failed = 0;
	size_t na = sizeof aliases / sizeof *aliases - 1, np = sizeof privs / sizeof *privs - 1;
	size_t ng = sizeof guards / sizeof *guards - 1;
	size_t nt = sizeof tests / sizeof *tests;
	for (size_t i = 0; i < nt + na + np + ng; i++) {
		void (*fn)(void);
		if (i < nt) {
			cur = tests[i].name;
			fn = tests[i].fn;
		} else if (i < nt + na) {
			cur = aliases[i - nt].name;
			fn = test_of(aliases[i - nt].target);
		} else if (i < nt + na + np) {
			cur = privs[i - nt - na].name;
			priv_kind = privs[i - nt - na].kind;
			fn = t_priv;
		} else {
			cur = guards[i - nt - na - np].name;
			fn = t_resolved;
		}
		bad = hard = 0;
		detail[0] = 0;
		dlerror();
		sym = dlsym(RTLD_DEFAULT, cur);
		if (!sym)
			fail("dlsym(RTLD_DEFAULT, %s) found nothing", cur);
		else if (!fn)
			fail("%s: no test for its target", cur);
		else {
			check_resolution();
			if (!bad)
				fn();
		}
		if (!bad)
			printf("ok %s\n", cur);
		else if (!hard && known_gap(cur))
			printf("todo %s: %s\n", cur, detail);
		else {
			printf("not ok %s: %s\n", cur, detail);
			failed++;
		}
	}
	return failed ? 1 : 0;
}
