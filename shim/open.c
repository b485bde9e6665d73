/* open.c: the open family: open, openat and their 64-bit and fortify names, creat,
 * fopen, freopen, tmpfile, the mkstemp family, and open_by_handle_at.
 *
 * The fast path decides on the lexical path and opens it with openat2 and
 * RESOLVE_NO_SYMLINKS: one system call, and the kernel refuses (ELOOP) if a link
 * appeared on the way, so the object opened is the one decided on. Anything else
 * (a link, "..", a refusal to confirm) takes the walk of resolve.c.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "shim/real.h"
#include "shim/shim.h"

#ifndef __O_TMPFILE
#define __O_TMPFILE 020000000
#endif

static inline int sys_openat2(int dfd, const char *p, uint64_t flags, uint64_t mode, uint64_t res)
{
	struct open_how how = {.flags = flags, .mode = mode, .resolve = res};
	return (int)ws_sc4(SYS_openat2, dfd, p, &how, sizeof how);
}

static bool is_tmpfile(int flags) { return (flags & __O_TMPFILE) == __O_TMPFILE; }

static bool writes(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_CREAT)) || is_tmpfile(flags);
}

/* The level an open needs, and what it does for the log. */
int ws_open_need_for(int flags, int *access)
{
	if (flags & O_PATH) {
		*access = WA_STAT;
		return WL_VIEW;
	}
	if (writes(flags)) {
		*access = (flags & O_CREAT) && (flags & O_EXCL) ? WA_CREATE : WA_WRITE;
		if (is_tmpfile(flags))
			*access = WA_CREATE;
		return WL_WRITE;
	}
	*access = WA_READ;
	return WL_READ;
}

/* The mode argument only exists with O_CREAT or O_TMPFILE. */
static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || is_tmpfile(flags) ? (mode_t)va_arg(ap, int) : 0;
}

/* The slow path: walk, decide, open relative to the resolved parent folder. */
static int open_slow(const char *fn, int dirfd, const char *path, int flags, mode_t mode)
{
	struct wr r;
	int access, need = ws_open_need_for(flags, &access);
	unsigned rf = WR_KEEP;
	if (!(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL)))
		rf |= WR_FOLLOW;
	int rc = wr_resolve(dirfd, path, rf, &r);
	if (rc < 0)
		return rc;
	if (r.magic) {
		/* /proc/self/fd/N of a pipe or socket the program holds: the kernel opens it
		 * (never one of the library's own) */
		bool own = ws_own_fd_path(r.real, r.len);
		wr_done(&r);
		if (own)
			return -ENOENT;
		return ws_openat(dirfd, path, flags, mode);
	}
	if (is_tmpfile(flags))
		r.is_dir = 1;
	else if (r.trail && !r.exists && (flags & O_CREAT))
		r.err = EISDIR; /* "new/" names a folder, which open cannot make */
	if (r.err || (!r.exists && !(flags & O_CREAT)))
		return ws_refusal(&r, fn, path, r.exists || !(flags & O_CREAT) ? access : WA_CREATE, need);
	if (!r.exists)
		access = WA_CREATE;
	else if (r.is_dir && need == WL_READ) {
		access = WA_LIST; /* reading a folder is listing it */
		need = WL_VIEW;
	}
	if (r.exists && (flags & O_CREAT) && (flags & O_EXCL)) {
		/* it exists: EEXIST, unless the policy hides it */
		need = WL_VIEW;
		access = WA_STAT;
	}
	struct ws_op op = {.fn = fn, .access = access, .need = need, .path = path, .r = &r};
	rc = ws_gate(&op);
	if (rc < 0) {
		wr_done(&r);
		return rc;
	}
	int fd;
	if (r.exists && (flags & O_CREAT) && (flags & O_EXCL))
		fd = -EEXIST;
	else if (r.exists && r.len == 1)
		fd = ws_openat(r.obj_fd, ".", flags & ~(O_CREAT | O_EXCL), mode);
	else
		fd = ws_openat(r.parent_fd, wr_name(&r), flags | (r.is_link ? 0 : O_NOFOLLOW), mode);
	wr_done(&r);
	return fd;
}

/* The core of every open: returns a descriptor or -errno. */
int ws_open_impl(const char *fn, int dirfd, const char *path, int flags, mode_t mode)
{
	char lex[PATH_MAX];
	unsigned nf;
	int access, need = ws_open_need_for(flags, &access);

	long n = wr_lexical(dirfd, path, lex, sizeof lex, &nf);
	if (n < 0) {
		if (n == -ENOTDIR || n == -EBADF) /* the kernel's own answer for a bad dirfd */
			return ws_openat(dirfd, path, flags, mode);
		return (int)n;
	}
	if (nf & (WN_DOTDOT | WN_TRAIL)) /* ".." or "name/": the walk answers */
		return open_slow(fn, dirfd, path, flags, mode);

	struct wg_path p;
	if (wg_split(&p, lex, (size_t)n) < 0)
		return -ENAMETOOLONG;
	int is_dir = (flags & O_DIRECTORY) || is_tmpfile(flags) || (nf & WN_TRAIL) ? 1 : -1;
	struct wd_out d;
	wd_decide(ws.pol, &p, is_dir, &d);
	if (d.need_dir || d.level < need)
		return open_slow(fn, dirfd, path, flags, mode); /* confirm on the real path */

	bool logit = ws.log_fd >= 0 && (need == WL_WRITE || ws.pol->log_reads);
	if (logit) {
		/* Know what will happen before it happens: the line is written first. */
		int probe = sys_openat2(AT_FDCWD, lex, O_PATH | O_CLOEXEC, 0,
					RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
		if (probe == -ELOOP)
			return open_slow(fn, dirfd, path, flags, mode);
		if (probe >= 0)
			ws_close(probe);
		if (probe == -ENOENT && (flags & O_CREAT))
			access = WA_CREATE;
		else if (probe < 0 && !is_tmpfile(flags))
			return open_slow(fn, dirfd, path, flags, mode); /* let the walk answer */
		struct wr r;
		memcpy(r.real, lex, (size_t)n + 1);
		r.len = (uint32_t)n;
		r.is_dir = is_dir;
		r.magic = 0;
		struct ws_op op = {.fn = fn, .access = access, .need = need, .path = path, .r = &r};
		if (ws_log_op(&op, 0, &d, NULL, 0) < 0)
			return -EACCES; /* no unlogged allow */
	}
	int fd = sys_openat2(AT_FDCWD, lex, (uint64_t)(unsigned)flags,
			     (flags & O_CREAT) || is_tmpfile(flags) ? mode & 07777 : 0,
			     RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	/* ELOOP: a link on the way; EINVAL: flags that open tolerates and openat2 not */
	if (fd == -ELOOP || fd == -EXDEV || fd == -EINVAL)
		return open_slow(fn, dirfd, path, flags, mode);
	return fd;
}

static int do_open(const char *fn, int dirfd, const char *path, int flags, mode_t mode)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_openat(dirfd, path, flags, mode));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	int fd = ws_open_impl(fn, dirfd, path, flags, mode);
	if (fd < 0)
		return ws_ret(fd);
	errno = saved;
	return fd;
}

WS_EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = open_mode(flags, ap);
	va_end(ap);
	return do_open("open", AT_FDCWD, path, flags, mode);
}

WS_EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = open_mode(flags, ap);
	va_end(ap);
	return do_open("open", AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

WS_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = open_mode(flags, ap);
	va_end(ap);
	return do_open("openat", dirfd, path, flags, mode);
}

WS_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = open_mode(flags, ap);
	va_end(ap);
	return do_open("openat", dirfd, path, flags | O_LARGEFILE, mode);
}

/* Fortify: called when the compiler saw no mode; O_CREAT here is a bug it reports. */
WS_EXPORT int __open_2(const char *path, int flags)
{
	return do_open("open", AT_FDCWD, path, flags, 0);
}

WS_EXPORT int __open64_2(const char *path, int flags)
{
	return do_open("open", AT_FDCWD, path, flags | O_LARGEFILE, 0);
}

WS_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return do_open("openat", dirfd, path, flags, 0);
}

WS_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return do_open("openat", dirfd, path, flags | O_LARGEFILE, 0);
}

WS_EXPORT int creat(const char *path, mode_t mode)
{
	return do_open("creat", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

WS_EXPORT int creat64(const char *path, mode_t mode)
{
	return do_open("creat", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC | O_LARGEFILE, mode);
}

/* fopen's mode string as open flags: r, w, a, +, x, e (the rest is for stdio). */
static int fopen_flags(const char *mode)
{
	int fl;
	switch (mode[0]) {
	case 'r': fl = O_RDONLY; break;
	case 'w': fl = O_WRONLY | O_CREAT | O_TRUNC; break;
	case 'a': fl = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return -1;
	}
	for (const char *m = mode + 1; *m && *m != ','; m++) {
		if (*m == '+')
			fl = (fl & ~O_ACCMODE) | O_RDWR;
		else if (*m == 'x')
			fl |= O_EXCL;
		else if (*m == 'e')
			fl |= O_CLOEXEC;
	}
	return fl;
}

static FILE *do_fopen(const char *fn, const char *path, const char *mode)
{
	int saved = errno;
	if (ws_null(path) || ws_null(mode)) {
		errno = EINVAL;
		return NULL;
	}
	int fl = fopen_flags(mode);
	if (fl < 0) {
		errno = EINVAL;
		return NULL;
	}
	int fd = ws_open_impl(fn, AT_FDCWD, path, fl | O_LARGEFILE, 0666);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	FILE *f = real.fdopen(fd, mode);
	if (!f) {
		int e = errno;
		ws_close(fd);
		errno = e;
		return NULL;
	}
	errno = saved;
	return f;
}

WS_EXPORT FILE *fopen(const char *path, const char *mode)
{
	if (!ws_active()) {
		/* the library's own early reads (none use stdio) and libraries that run
		 * before it: open with raw calls */
		int fl = mode ? fopen_flags(mode) : -1;
		if (fl < 0) {
			errno = EINVAL;
			return NULL;
		}
		int fd = ws_openat(AT_FDCWD, path, fl | O_LARGEFILE, 0666);
		if (fd < 0) {
			errno = -fd;
			return NULL;
		}
		return real.fdopen ? real.fdopen(fd, mode) : NULL;
	}
	return do_fopen("fopen", path, mode);
}

WS_EXPORT FILE *fopen64(const char *path, const char *mode) { return fopen(path, mode); }

/* freopen: our open decides and opens; libc then reopens the stream on exactly that
 * object through /proc/self/fd/N. With no path, the stream's own file is reopened
 * with a new mode, which is judged like an open of that file. */
WS_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	if (!ws_active())
		return real.freopen(path, mode, stream);
	int fl = mode ? fopen_flags(mode) : -1;
	if (fl < 0) {
		errno = EINVAL;
		return NULL;
	}
	char mode2[64];
	size_t o = 0;
	for (const char *m = mode; *m && o < sizeof mode2 - 1; m++)
		if (*m != 'x')
			mode2[o++] = *m; /* the file exists by then */
	mode2[o] = 0;
	if (ws_null(path)) {
		int fd = stream ? fileno(stream) : -1;
		if (fd >= 0) {
			int access, need = ws_open_need_for(fl, &access);
			int rc = ws_gate_fd("freopen", fd, access, need);
			if (rc < 0) {
				errno = -rc;
				return NULL;
			}
		}
		return real.freopen(NULL, mode2, stream);
	}
	int fd = ws_open_impl("freopen", AT_FDCWD, path, (fl | O_LARGEFILE) & ~O_EXCL, 0666);
	if (fd < 0) {
		if (stream)
			real.fclose(stream); /* freopen closes the stream even when it fails */
		errno = -fd;
		return NULL;
	}
	char proc[32];
	ws_proc_fd(proc, fd);
	FILE *f = real.freopen(proc, mode2, stream);
	int e = errno;
	ws_close(fd);
	errno = e;
	return f;
}

WS_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	return freopen(path, mode, stream);
}

/* ---- temporary files ---- */

/* The folder for tmpfile(): the private TMPDIR of `ward run` when there is one. */
static const char *tmp_folder(void)
{
	if (ws.pol && ws.pol->tmpdir_len)
		return WP_STR(ws.pol, ws.pol->tmpdir_off);
	return "/tmp";
}

static uint64_t rnd(void)
{
	uint64_t v;
	if (ws_sc3(SYS_getrandom, &v, sizeof v, 0) != (long)sizeof v) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)ts.tv_sec;
	}
	return v;
}

/* Fills the six X of a template (before `suffix` bytes) and tries to create the file
 * (or folder), like glibc: up to many attempts while the name exists. Denials end
 * the attempts at once. */
int ws_make_temp(char *tmpl, int suffixlen, int flags, bool dir)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t len = tmpl ? strlen(tmpl) : 0;
	if (!tmpl || suffixlen < 0 || len < 6 + (size_t)suffixlen ||
	    memcmp(tmpl + len - suffixlen - 6, "XXXXXX", 6) != 0)
		return -EINVAL;
	char *x = tmpl + len - suffixlen - 6;
	for (int attempt = 0; attempt < 238328; attempt++) {
		uint64_t v = rnd();
		for (int i = 0; i < 6; i++) {
			x[i] = letters[v % 62];
			v /= 62;
		}
		int rc;
		if (dir) {
			rc = ws_mkdir_impl("mkdtemp", AT_FDCWD, tmpl, 0700);
		} else {
			rc = ws_open_impl("mkstemp", AT_FDCWD, tmpl,
					  (flags & ~O_ACCMODE) | O_RDWR | O_CREAT | O_EXCL, 0600);
		}
		if (rc != -EEXIST)
			return rc;
	}
	return -EEXIST;
}

static int mkstemp_common(char *tmpl, int suffixlen, int flags)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(-EAGAIN);
	int fd = ws_make_temp(tmpl, suffixlen, flags, false);
	if (fd < 0)
		return ws_ret(fd);
	errno = saved;
	return fd;
}

WS_EXPORT int mkstemp(char *t) { return mkstemp_common(t, 0, 0); }
WS_EXPORT int mkstemp64(char *t) { return mkstemp_common(t, 0, O_LARGEFILE); }
WS_EXPORT int mkostemp(char *t, int fl) { return mkstemp_common(t, 0, fl); }
WS_EXPORT int mkostemp64(char *t, int fl) { return mkstemp_common(t, 0, fl | O_LARGEFILE); }
WS_EXPORT int mkstemps(char *t, int sl) { return mkstemp_common(t, sl, 0); }
WS_EXPORT int mkstemps64(char *t, int sl) { return mkstemp_common(t, sl, O_LARGEFILE); }
WS_EXPORT int mkostemps(char *t, int sl, int fl) { return mkstemp_common(t, sl, fl); }
WS_EXPORT int mkostemps64(char *t, int sl, int fl) { return mkstemp_common(t, sl, fl | O_LARGEFILE); }

WS_EXPORT char *mkdtemp(char *tmpl)
{
	int saved = errno;
	if (!ws_active()) {
		errno = EAGAIN;
		return NULL;
	}
	int rc = ws_make_temp(tmpl, 0, 0, true);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	errno = saved;
	return tmpl;
}

/* ---- temporary names: a name is free when ward's lstat says so (a hidden name
 * looks free, as it looks missing) ---- */

static int free_name(char *tmpl, int suffixlen)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t len = strlen(tmpl);
	if (len < 6 + (size_t)suffixlen || memcmp(tmpl + len - suffixlen - 6, "XXXXXX", 6) != 0)
		return -EINVAL;
	char *x = tmpl + len - suffixlen - 6;
	for (int attempt = 0; attempt < 238328; attempt++) {
		uint64_t v = rnd();
		for (int i = 0; i < 6; i++) {
			x[i] = letters[v % 62];
			v /= 62;
		}
		struct stat st;
		int saved = errno;
		if (lstat(tmpl, &st) < 0) {
			int e = errno;
			errno = saved;
			return e == ENOENT ? 0 : -e;
		}
	}
	return -EEXIST;
}

WS_EXPORT char *mktemp(char *tmpl)
{
	int saved = errno;
	if (ws_null(tmpl)) {
		errno = EINVAL;
		return NULL;
	}
	int rc = free_name(tmpl, 0);
	if (rc < 0) {
		tmpl[0] = 0;
		errno = -rc;
		return tmpl;
	}
	errno = saved;
	return tmpl;
}

static bool is_folder(const char *p)
{
	struct stat st;
	int saved = errno;
	bool r = p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
	errno = saved;
	return r;
}

/* tempnam: DIR/PFXXXXXXX, where DIR is $TMPDIR, else dir, else P_tmpdir, else the
 * private TMPDIR of `ward run` (libc's own order, with ward's folder last, since
 * /tmp is closed). */
WS_EXPORT char *tempnam(const char *dir, const char *pfx)
{
	const char *d = getenv("TMPDIR");
	if (!is_folder(d))
		d = is_folder(dir) ? dir : is_folder(P_tmpdir) ? P_tmpdir : tmp_folder();
	if (!is_folder(d)) {
		errno = ENOENT;
		return NULL;
	}
	char buf[PATH_MAX];
	const char *p = !ws_null(pfx) && *pfx ? pfx : "file";
	size_t pl = strnlen(p, 5);
	size_t dl = strlen(d);
	while (dl > 1 && d[dl - 1] == '/')
		dl--;
	if (dl + 1 + pl + 6 >= sizeof buf) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	snprintf(buf, sizeof buf, "%.*s/%.*sXXXXXX", (int)dl, d, (int)pl, p);
	int rc = free_name(buf, 0);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	return strdup(buf);
}

/* tmpnam: P_tmpdir/fileXXXXXX (or ward's private TMPDIR when /tmp is closed: only
 * tmpnam(NULL) can return that longer name; a caller's buffer holds L_tmpnam). */
static bool tmp_name(char *buf, size_t size)
{
	const char *d = is_folder(P_tmpdir) ? P_tmpdir : tmp_folder();
	if (!is_folder(d) || (size_t)snprintf(buf, size, "%s/fileXXXXXX", d) >= size)
		return false;
	return free_name(buf, 0) == 0;
}

WS_EXPORT char *tmpnam_r(char s[L_tmpnam])
{
	char buf[PATH_MAX];
	if (ws_null(s) || !tmp_name(buf, sizeof buf) || strlen(buf) >= L_tmpnam)
		return NULL;
	memcpy(s, buf, strlen(buf) + 1);
	return s;
}

WS_EXPORT char *tmpnam(char s[L_tmpnam])
{
	static char own[PATH_MAX];
	char buf[PATH_MAX];
	if (!tmp_name(buf, sizeof buf))
		return NULL;
	if (!ws_null(s)) {
		if (strlen(buf) >= L_tmpnam)
			return NULL;
		memcpy(s, buf, strlen(buf) + 1);
		return s;
	}
	memcpy(own, buf, strlen(buf) + 1);
	return own;
}

WS_EXPORT FILE *tmpfile(void)
{
	int saved = errno;
	if (!ws_active()) {
		errno = EAGAIN;
		return NULL;
	}
	const char *dir = tmp_folder();
	int fd = ws_open_impl("tmpfile", AT_FDCWD, dir, __O_TMPFILE | O_DIRECTORY | O_RDWR | O_EXCL, 0600);
	if (fd == -EOPNOTSUPP || fd == -EISDIR || fd == -EINVAL) {
		/* no O_TMPFILE on that file system: a named file, unlinked at once */
		char t[PATH_MAX];
		snprintf(t, sizeof t, "%s/tmpfXXXXXX", dir);
		fd = ws_make_temp(t, 0, 0, false);
		if (fd >= 0) {
			ws_unlink_impl("tmpfile", AT_FDCWD, t, 0);
		}
	}
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	FILE *f = real.fdopen(fd, "w+");
	if (!f) {
		int e = errno;
		ws_close(fd);
		errno = e;
		return NULL;
	}
	errno = saved;
	return f;
}

WS_EXPORT FILE *tmpfile64(void) { return tmpfile(); }

/* open_by_handle_at: the handle names an object with no path; open it as O_PATH,
 * learn its real path, decide, then reopen exactly it with the flags asked. */
WS_EXPORT int open_by_handle_at(int mount_fd, struct file_handle *handle, int flags)
{
	int saved = errno;
	int pfd = (int)ws_sc3(SYS_open_by_handle_at, mount_fd, handle, O_PATH | O_CLOEXEC);
	if (!ws_active() || pfd < 0) {
		if (pfd >= 0) {
			ws_close(pfd);
			return ws_ret(ws_sc3(SYS_open_by_handle_at, mount_fd, handle, flags));
		}
		return ws_ret(pfd);
	}
	int access, need = ws_open_need_for(flags, &access);
	/* A handle may reach a file whose name the kernel does not know (no dentry
	 * cached): /proc then shows a name that is not this file's. The name judged must
	 * lead back to this very object, or the file is treated as missing. */
	char name[PATH_MAX];
	long nl = wr_fd_path(pfd, name, sizeof name);
	int rc = nl < 0 ? (int)nl : 0;
	if (rc == 0) {
		struct stat a, b;
		int chk = sys_openat2(AT_FDCWD, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0,
				      RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
		bool same = chk >= 0 && ws_sc2(SYS_fstat, chk, &a) == 0 && ws_sc2(SYS_fstat, pfd, &b) == 0 &&
			    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
		if (chk >= 0)
			ws_close(chk);
		if (!same)
			rc = ws_forbid("open_by_handle_at", AT_FDCWD, NULL, ENOENT);
	}
	if (rc == 0)
		rc = ws_gate_fd("open_by_handle_at", pfd, access, need);
	if (rc < 0) {
		ws_close(pfd);
		return ws_ret(rc);
	}
	char proc[32];
	ws_proc_fd(proc, pfd);
	int fd = ws_openat(AT_FDCWD, proc, flags & ~(O_CREAT | O_EXCL), 0);
	ws_close(pfd);
	if (fd < 0)
		return ws_ret(fd);
	errno = saved;
	return fd;
}
