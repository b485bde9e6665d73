/* stat.c: looking at names without opening them: stat and its many names (node
 * still calls __xstat64), statx, access, readlink, statfs, statvfs, pathconf,
 * realpath, and reading extended attributes. A `none` path is ENOENT; `view` is
 * enough for everything here but access() with R_OK, W_OK or X_OK, which answers
 * what the policy would allow.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "shim/real.h"
#include "shim/shim.h"

#ifndef AT_STATX_SYNC_TYPE
#define AT_STATX_SYNC_TYPE 0x6000
#endif

/* The fast path of the stat family, as in resolve.c and open.c: one openat2 with
 * RESOLVE_NO_SYMLINKS on the lexical path (when it succeeds, no link was crossed and
 * that path is the real one), the status read from that very descriptor, then the
 * decision on that path. Unlike wr_resolve with WR_KEEP it opens no parent folder,
 * which a stat has no use for, and a missing object is answered at once (ENOENT,
 * whether the path is hidden or not; a hidden one is logged as a denial). Fills `st` (or, with `stx`, calls statx on the descriptor with `mask`
 * and `sync`). Returns 0 or -errno when it answered, 1 when the walk must answer (a
 * link, "..", a trailing "/" on a file, an error other than ENOENT). */
static int stat_fast(const char *fn, int dirfd, const char *path, int flags, struct stat *st,
		     unsigned mask, int sync, void *stx, struct wr *rp)
{
	struct wr *r = rp; /* the caller's, which its slow path reuses: one on the stack */
	unsigned nf;
	long n = wr_lexical(dirfd, path, r->real, sizeof r->real, &nf);
	if (n < 0 || (nf & WN_DOTDOT))
		return 1;
	struct open_how how = {.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
			       .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	int fd = (int)ws_sc4(SYS_openat2, AT_FDCWD, r->real, &how, sizeof how);
	if (fd == -ENOENT) {
		/* missing, with no link on the way: the lexical path is the real one; a
		 * hidden one is logged as the denial it is */
		if (ws.log_fd >= 0) {
			r->len = (uint32_t)n;
			r->exists = 0;
			r->is_dir = -1;
			r->err = ENOENT;
			r->parent_fd = r->obj_fd = -1;
			r->magic = 0;
			uint32_t i = r->len;
			while (i > 1 && r->real[i - 1] != '/')
				i--;
			r->name_off = r->len <= 1 ? 0 : i;
			return ws_refusal(r, fn, path, WA_STAT, WL_VIEW);
		}
		return -ENOENT;
	}
	if (fd < 0)
		return 1;
	mode_t m;
	int rc;
	if (stx) {
		rc = (int)ws_sc5(SYS_statx, fd, "", AT_EMPTY_PATH | sync, mask | STATX_TYPE, stx);
		m = ((struct statx *)stx)->stx_mode;
	} else {
		rc = (int)ws_sc2(SYS_fstat, fd, st);
		m = st->st_mode;
	}
	ws_close(fd);
	if (rc < 0)
		return 1;
	bool trail = (nf & WN_TRAIL) != 0;
	if (S_ISLNK(m) && (!(flags & AT_SYMLINK_NOFOLLOW) || trail))
		return 1; /* the link is followed: the walk reads it */
	if (trail && !S_ISDIR(m))
		return 1;
	r->len = (uint32_t)n;
	uint32_t i = r->len;
	while (i > 1 && r->real[i - 1] != '/')
		i--;
	r->name_off = r->len <= 1 ? 0 : i;
	r->exists = 1;
	r->is_dir = S_ISDIR(m);
	r->is_link = S_ISLNK(m);
	r->err = 0;
	r->parent_fd = r->obj_fd = -1;
	r->magic = 0;
	r->lexical = true;
	r->trail = trail;
	struct ws_op op = {.fn = fn, .access = WA_STAT, .need = WL_VIEW, .path = path, .r = r};
	return ws_gate(&op);
}

/* The stat of (dirfd, path), or -errno. An empty path with AT_EMPTY_PATH is the
 * descriptor itself: no name to judge. */
static int do_fstatat(const char *fn, int dirfd, const char *path, struct stat *st, int flags)
{
	if (!ws_active())
		return (int)ws_sc4(SYS_newfstatat, dirfd, path, st, flags);
	if (ws_null(path))
		return -EFAULT;
	if (!path[0] && (flags & AT_EMPTY_PATH))
		return (int)ws_sc4(SYS_newfstatat, dirfd, path, st, flags);
	struct stat fst;
	struct wr r;
	int fr = stat_fast(fn, dirfd, path, flags, &fst, 0, 0, NULL, &r);
	if (fr <= 0) {
		if (fr == 0)
			*st = fst;
		return fr;
	}
	int rc = ws_prepare(fn, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : WR_FOLLOW, WA_STAT,
			    WL_VIEW, false, &r);
	if (rc < 0)
		return rc;
	bool magic = r.magic;
	*st = r.st;
	wr_done(&r);
	if (magic) /* a descriptor of the program's with no name (a pipe): the kernel's stat */
		return (int)ws_sc4(SYS_newfstatat, dirfd, path, st, flags);
	return 0;
}

static int stat_ret(int rc, int saved)
{
	if (rc < 0)
		return ws_ret(rc);
	errno = saved;
	return 0;
}

WS_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	int saved = errno;
	return stat_ret(do_fstatat("fstatat", dirfd, path, st, flags), saved);
}

WS_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	int saved = errno;
	return stat_ret(do_fstatat("fstatat", dirfd, path, (struct stat *)st, flags), saved);
}

WS_EXPORT int stat(const char *path, struct stat *st)
{
	int saved = errno;
	return stat_ret(do_fstatat("stat", AT_FDCWD, path, st, 0), saved);
}

WS_EXPORT int stat64(const char *path, struct stat64 *st)
{
	int saved = errno;
	return stat_ret(do_fstatat("stat", AT_FDCWD, path, (struct stat *)st, 0), saved);
}

WS_EXPORT int lstat(const char *path, struct stat *st)
{
	int saved = errno;
	return stat_ret(do_fstatat("lstat", AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW), saved);
}

WS_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	int saved = errno;
	return stat_ret(do_fstatat("lstat", AT_FDCWD, path, (struct stat *)st, AT_SYMLINK_NOFOLLOW),
			saved);
}

/* The old names with a version argument: node 20 is built against an old glibc and
 * calls these. On x86_64 and aarch64 the struct is the kernel's. */
WS_EXPORT int __xstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return stat(path, st);
}
WS_EXPORT int __xstat64(int ver, const char *path, struct stat64 *st)
{
	(void)ver;
	return stat64(path, st);
}
WS_EXPORT int __lxstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return lstat(path, st);
}
WS_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	(void)ver;
	return lstat64(path, st);
}
WS_EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	(void)ver;
	return fstatat(dirfd, path, st, flags);
}
WS_EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	(void)ver;
	return fstatat64(dirfd, path, st, flags);
}

int ws_statx_impl(int dirfd, const char *path, int flags, unsigned mask, void *buf)
{
	if (!ws_active())
		return (int)ws_sc5(SYS_statx, dirfd, path, flags, mask, buf);
	if (ws_null(path))
		return -EFAULT;
	if (!path[0] && (flags & AT_EMPTY_PATH))
		return (int)ws_sc5(SYS_statx, dirfd, path, flags, mask, buf);
	struct statx sx;
	struct wr r;
	int fr = stat_fast("statx", dirfd, path, flags, NULL, mask, flags & AT_STATX_SYNC_TYPE, &sx, &r);
	if (fr <= 0) {
		if (fr == 0)
			memcpy(buf, &sx, sizeof sx);
		return fr;
	}
	int rc = ws_prepare("statx", dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : WR_FOLLOW,
			    WA_STAT, WL_VIEW, false, &r);
	if (rc < 0)
		return rc;
	if (r.magic) /* a descriptor of the program's with no name (a pipe): the kernel's answer */
		rc = (int)ws_sc5(SYS_statx, dirfd, path, flags, mask, buf);
	else
		rc = (int)ws_sc5(SYS_statx, r.obj_fd, "", AT_EMPTY_PATH | (flags & AT_STATX_SYNC_TYPE), mask,
				 buf);
	wr_done(&r);
	return rc;
}

WS_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)
{
	int saved = errno;
	return stat_ret(ws_statx_impl(dirfd, path, flags, mask, buf), saved);
}

/* ---- access ---- */

int ws_access_impl(const char *fn, int dirfd, const char *path, int mode, int flags)
{
	if (!ws_active())
		return (int)ws_sc4(SYS_faccessat2, dirfd, path, mode, flags);
	if (ws_null(path))
		return -EFAULT;
	if (!path[0] && (flags & AT_EMPTY_PATH))
		return (int)ws_sc4(SYS_faccessat2, dirfd, path, mode, flags);
	int need = WL_VIEW;
	if (mode & (R_OK | X_OK))
		need = WL_READ;
	if (mode & W_OK)
		need = WL_WRITE;
	struct wr r;
	int rc = wr_resolve(dirfd, path, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : WR_FOLLOW) | WR_KEEP, &r);
	if (rc < 0)
		return rc;
	if (r.err || !r.exists)
		return ws_refusal(&r, fn, path, WA_STAT, need);
	struct ws_op op = {.fn = fn, .access = WA_STAT, .need = need, .path = path, .r = &r, .quiet = true};
	rc = ws_gate(&op);
	if (rc == 0 && mode != F_OK) {
		/* the kernel's own answer on the very object (a folder's X_OK and so on) */
		rc = r.len == 1 ? (int)ws_sc4(SYS_faccessat2, r.obj_fd, "", mode, flags | AT_EMPTY_PATH)
				: (int)ws_sc4(SYS_faccessat2, r.parent_fd, wr_name(&r), mode,
					      (flags & AT_EACCESS) | AT_SYMLINK_NOFOLLOW);
	}
	wr_done(&r);
	return rc;
}

WS_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	int saved = errno;
	return stat_ret(ws_access_impl("faccessat", dirfd, path, mode, flags), saved);
}

WS_EXPORT int access(const char *path, int mode)
{
	int saved = errno;
	return stat_ret(ws_access_impl("access", AT_FDCWD, path, mode, 0), saved);
}

WS_EXPORT int eaccess(const char *path, int mode)
{
	int saved = errno;
	return stat_ret(ws_access_impl("eaccess", AT_FDCWD, path, mode, AT_EACCESS), saved);
}

WS_EXPORT int euidaccess(const char *path, int mode)
{
	int saved = errno;
	return stat_ret(ws_access_impl("euidaccess", AT_FDCWD, path, mode, AT_EACCESS), saved);
}

/* ---- readlink ---- */

long ws_readlink_impl(int dirfd, const char *path, char *buf, size_t size)
{
	if (!ws_active())
		return ws_readlinkat(dirfd, path, buf, size);
	if (ws_null(path))
		return -EFAULT;
	if (!path[0])
		return ws_readlinkat(dirfd, path, buf, size); /* the descriptor itself */
	struct wr r;
	int rc = ws_prepare("readlink", dirfd, path, 0, WA_STAT, WL_VIEW, false, &r);
	if (rc < 0)
		return rc;
	long n = r.is_link ? ws_readlinkat(r.obj_fd, "", buf, size) : -EINVAL;
	wr_done(&r);
	return n;
}

static ssize_t rl_ret(long n, int saved)
{
	if (n < 0) {
		errno = (int)-n;
		return -1;
	}
	errno = saved;
	return n;
}

WS_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	int saved = errno;
	return rl_ret(ws_readlink_impl(dirfd, path, buf, size), saved);
}

WS_EXPORT ssize_t readlink(const char *path, char *buf, size_t size)
{
	int saved = errno;
	return rl_ret(ws_readlink_impl(AT_FDCWD, path, buf, size), saved);
}

WS_EXPORT ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		abort(); /* what glibc's check does: a buffer overflow in the caller */
	return readlink(path, buf, len);
}

WS_EXPORT ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		abort();
	return readlinkat(dirfd, path, buf, len);
}

/* ---- statfs, statvfs, pathconf: about the file system of a path ---- */

WS_EXPORT int statfs(const char *path, struct statfs *buf)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc2(SYS_statfs, path, buf));
	struct wr r;
	int rc = ws_prepare("statfs", AT_FDCWD, path, WR_FOLLOW, WA_STAT, WL_VIEW, false, &r);
	if (rc < 0)
		return ws_ret(rc);
	rc = (int)ws_sc2(SYS_fstatfs, r.obj_fd, buf);
	wr_done(&r);
	return stat_ret(rc, saved);
}

WS_EXPORT int statfs64(const char *path, struct statfs64 *buf) { return statfs(path, (struct statfs *)buf); }

WS_EXPORT int statvfs(const char *path, struct statvfs *buf)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(-EAGAIN);
	struct wr r;
	int rc = ws_prepare("statvfs", AT_FDCWD, path, WR_FOLLOW, WA_STAT, WL_VIEW, false, &r);
	if (rc < 0)
		return ws_ret(rc);
	rc = real.fstatvfs(r.obj_fd, buf);
	int e = errno;
	wr_done(&r);
	if (rc < 0) {
		errno = e;
		return -1;
	}
	errno = saved;
	return 0;
}

WS_EXPORT int statvfs64(const char *path, struct statvfs64 *buf)
{
	return statvfs(path, (struct statvfs *)buf);
}

WS_EXPORT long pathconf(const char *path, int name)
{
	int saved = errno;
	if (!ws_active()) {
		errno = EAGAIN;
		return -1;
	}
	struct wr r;
	int rc = ws_prepare("pathconf", AT_FDCWD, path, WR_FOLLOW, WA_STAT, WL_VIEW, false, &r);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	errno = saved;
	long v = real.fpathconf(r.obj_fd, name);
	int e = errno;
	wr_done(&r);
	errno = e;
	return v;
}

/* ---- realpath: the resolver's own answer ---- */

static char *do_realpath(const char *path, char *resolved, size_t max)
{
	int saved = errno;
	if (ws_null(path)) {
		errno = EINVAL;
		return NULL;
	}
	if (!ws_active()) {
		errno = EAGAIN;
		return NULL;
	}
	struct wr r;
	int rc = ws_prepare("realpath", AT_FDCWD, path, WR_FOLLOW, WA_STAT, WL_VIEW, false, &r);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	char phys[PATH_MAX];
	const char *out = r.real;
	size_t len = r.len;
	/* "/proc/self" is the name rules see; realpath answers with the number, as libc */
	if (wn_is_under(r.real, r.len, "/proc/self", 10) || wn_is_under(r.real, r.len, "/proc/thread-self", 17)) {
		long n = wr_fd_path(r.obj_fd, phys, sizeof phys);
		if (n > 0) {
			out = phys;
			len = (size_t)n;
		}
	}
	wr_done(&r);
	if (len + 1 > max) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (!resolved) {
		resolved = malloc(len + 1);
		if (!resolved) {
			errno = ENOMEM;
			return NULL;
		}
	}
	memcpy(resolved, out, len + 1);
	errno = saved;
	return resolved;
}

WS_EXPORT char *realpath(const char *path, char *resolved) { return do_realpath(path, resolved, PATH_MAX); }

WS_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolvedlen < PATH_MAX)
		abort();
	return do_realpath(path, resolved, PATH_MAX);
}

WS_EXPORT char *canonicalize_file_name(const char *path) { return do_realpath(path, NULL, PATH_MAX); }

/* ---- extended attributes, read side (view) ---- */

static long xattr_read(const char *fn, const char *path, bool follow, int kind, const char *name,
		       void *value, size_t size)
{
	int saved = errno;
	if (!ws_active())
		return -EAGAIN;
	struct wr r;
	int rc = ws_prepare(fn, AT_FDCWD, path, follow ? WR_FOLLOW : 0, WA_STAT, WL_VIEW, false, &r);
	if (rc < 0)
		return rc;
	char p[PATH_MAX];
	long n;
	/* exactly the resolved object: the folder by descriptor, then its last name */
	if (r.len == 1 || r.parent_fd < 0) {
		ws_proc_fd(p, r.obj_fd);
	} else {
		ws_proc_fd(p, r.parent_fd);
		size_t l = strlen(p);
		snprintf(p + l, sizeof p - l, "/%s", wr_name(&r));
	}
	if (kind == 0)
		n = ws_sc4(SYS_lgetxattr, p, name, value, size);
	else
		n = ws_sc3(SYS_llistxattr, p, (char *)value, size);
	wr_done(&r);
	if (n >= 0)
		errno = saved;
	return n;
}

static ssize_t xr(long n)
{
	if (n < 0) {
		errno = (int)-n;
		return -1;
	}
	return n;
}

WS_EXPORT ssize_t getxattr(const char *path, const char *name, void *value, size_t size)
{
	return xr(xattr_read("getxattr", path, true, 0, name, value, size));
}
WS_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	return xr(xattr_read("lgetxattr", path, false, 0, name, value, size));
}
WS_EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	return xr(xattr_read("listxattr", path, true, 1, NULL, list, size));
}
WS_EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	return xr(xattr_read("llistxattr", path, false, 1, NULL, list, size));
}

/* ---- name_to_handle_at ---- */

WS_EXPORT int name_to_handle_at(int dirfd, const char *path, struct file_handle *handle, int *mount_id,
				int flags)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_name_to_handle_at, dirfd, path, handle, mount_id, flags));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	if (!path[0] && (flags & AT_EMPTY_PATH))
		return ws_ret(ws_sc5(SYS_name_to_handle_at, dirfd, path, handle, mount_id, flags));
	struct wr r;
	int rc = ws_prepare("name_to_handle_at", dirfd, path, (flags & AT_SYMLINK_FOLLOW) ? WR_FOLLOW : 0,
			    WA_STAT, WL_VIEW, false, &r);
	if (rc < 0)
		return ws_ret(rc);
	rc = (int)ws_sc5(SYS_name_to_handle_at, r.obj_fd, "", handle, mount_id, AT_EMPTY_PATH);
	wr_done(&r);
	return stat_ret(rc, saved);
}
