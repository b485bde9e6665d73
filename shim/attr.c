/* attr.c: changing what is known about a file: chmod, chown, utime and friends,
 * truncate, and writing extended attributes. All need `write`. The change is made
 * on the resolved object itself: through its O_PATH descriptor where the kernel
 * allows it, else through /proc/self/fd/N of that descriptor. The descriptor forms
 * (fchmod, fchown, fsetxattr...) are judged by the real path of the descriptor.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "shim/shim.h"

static int finish(int rc, int saved)
{
	if (rc < 0)
		return ws_ret(rc);
	errno = saved;
	return rc;
}

/* The object as a path the kernel follows to exactly it: /proc/self/fd/N, or for a
 * link that must not be followed, /proc/self/fd/<parent>/<name>. */
static void object_path(const struct wr *r, bool nofollow, char *p, size_t size)
{
	if (nofollow && r->is_link && r->parent_fd >= 0) {
		ws_proc_fd(p, r->parent_fd);
		size_t l = strlen(p);
		snprintf(p + l, size - l, "/%s", wr_name(r));
	} else {
		ws_proc_fd(p, r->obj_fd);
	}
}

static int prep(const char *fn, int dirfd, const char *path, bool follow, struct wr *r)
{
	return ws_prepare(fn, dirfd, path, follow ? WR_FOLLOW : 0, WA_WRITE, WL_WRITE, false, r);
}

/* ---- chmod ---- */

static int chmod_impl(const char *fn, int dirfd, const char *path, mode_t mode, bool follow)
{
	struct wr r;
	int rc = prep(fn, dirfd, path, follow, &r);
	if (rc < 0)
		return rc;
	char p[PATH_MAX];
	if (!follow && r.is_link)
		rc = -EOPNOTSUPP; /* Linux has no modes on links */
	else {
		object_path(&r, false, p, sizeof p);
		rc = (int)ws_sc3(SYS_fchmodat, AT_FDCWD, p, mode);
	}
	wr_done(&r);
	return rc;
}

WS_EXPORT int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_fchmodat, dirfd, path, mode));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	return finish(chmod_impl("chmod", dirfd, path, mode, !(flags & AT_SYMLINK_NOFOLLOW)), saved);
}

WS_EXPORT int chmod(const char *path, mode_t mode) { return fchmodat(AT_FDCWD, path, mode, 0); }
WS_EXPORT int lchmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW);
}

WS_EXPORT int fchmod(int fd, mode_t mode)
{
	int saved = errno;
	if (ws_active()) {
		int rc = ws_gate_fd("fchmod", fd, WA_WRITE, WL_WRITE);
		if (rc < 0)
			return ws_ret(rc);
	}
	return finish((int)ws_sc2(SYS_fchmod, fd, mode), saved);
}

/* ---- chown ---- */

static int chown_impl(const char *fn, int dirfd, const char *path, uid_t uid, gid_t gid, bool follow)
{
	struct wr r;
	int rc = prep(fn, dirfd, path, follow, &r);
	if (rc < 0)
		return rc;
	rc = (int)ws_sc5(SYS_fchownat, r.obj_fd, "", uid, gid, AT_EMPTY_PATH);
	wr_done(&r);
	return rc;
}

WS_EXPORT int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_fchownat, dirfd, path, uid, gid, flags));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		int rc = ws_gate_fd("fchownat", dirfd, WA_WRITE, WL_WRITE);
		if (rc < 0)
			return ws_ret(rc);
		return finish((int)ws_sc5(SYS_fchownat, dirfd, path, uid, gid, flags), saved);
	}
	return finish(chown_impl("chown", dirfd, path, uid, gid, !(flags & AT_SYMLINK_NOFOLLOW)), saved);
}

WS_EXPORT int chown(const char *path, uid_t uid, gid_t gid) { return fchownat(AT_FDCWD, path, uid, gid, 0); }
WS_EXPORT int lchown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

WS_EXPORT int fchown(int fd, uid_t uid, gid_t gid)
{
	int saved = errno;
	if (ws_active()) {
		int rc = ws_gate_fd("fchown", fd, WA_WRITE, WL_WRITE);
		if (rc < 0)
			return ws_ret(rc);
	}
	return finish((int)ws_sc3(SYS_fchown, fd, uid, gid), saved);
}

/* ---- times ---- */

static int times_impl(const char *fn, int dirfd, const char *path, const struct timespec ts[2],
		      bool follow)
{
	struct wr r;
	int rc = prep(fn, dirfd, path, follow, &r);
	if (rc < 0)
		return rc;
	if (!follow && r.is_link && r.parent_fd >= 0)
		rc = (int)ws_sc4(SYS_utimensat, r.parent_fd, wr_name(&r), ts, AT_SYMLINK_NOFOLLOW);
	else {
		char p[PATH_MAX];
		object_path(&r, false, p, sizeof p);
		rc = (int)ws_sc4(SYS_utimensat, AT_FDCWD, p, ts, 0);
	}
	wr_done(&r);
	return rc;
}

static int utimens_impl(int dirfd, const char *path, const struct timespec ts[2], int flags)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc4(SYS_utimensat, dirfd, path, ts, flags));
	if (ws_null(path) || (!path[0] && (flags & AT_EMPTY_PATH))) {
		/* futimens: the descriptor's object */
		int rc = ws_gate_fd("futimens", dirfd, WA_WRITE, WL_WRITE);
		if (rc < 0)
			return ws_ret(rc);
		return finish((int)ws_sc4(SYS_utimensat, dirfd, path, ts, flags), saved);
	}
	return finish(times_impl("utimensat", dirfd, path, ts, !(flags & AT_SYMLINK_NOFOLLOW)), saved);
}

WS_EXPORT int utimensat(int dirfd, const char *path, const struct timespec ts[2], int flags)
{
	return utimens_impl(dirfd, path, ts, flags);
}

WS_EXPORT int futimens(int fd, const struct timespec ts[2]) { return utimens_impl(fd, NULL, ts, 0); }

static const struct timespec *tv_to_ts(const struct timeval tv[2], struct timespec ts[2])
{
	if (!tv)
		return NULL;
	for (int i = 0; i < 2; i++) {
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return ts;
}

WS_EXPORT int utimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	return utimens_impl(AT_FDCWD, path, tv_to_ts(tv, ts), 0);
}

WS_EXPORT int futimes(int fd, const struct timeval tv[2])
{
	struct timespec ts[2];
	return utimens_impl(fd, NULL, tv_to_ts(tv, ts), 0);
}

WS_EXPORT int lutimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	return utimens_impl(AT_FDCWD, path, tv_to_ts(tv, ts), AT_SYMLINK_NOFOLLOW);
}

WS_EXPORT int futimesat(int dirfd, const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	return utimens_impl(dirfd, path, tv_to_ts(tv, ts), 0);
}

WS_EXPORT int utime(const char *path, const struct utimbuf *buf)
{
	struct timespec ts[2];
	if (buf) {
		ts[0].tv_sec = buf->actime;
		ts[0].tv_nsec = 0;
		ts[1].tv_sec = buf->modtime;
		ts[1].tv_nsec = 0;
	}
	return utimens_impl(AT_FDCWD, path, buf ? ts : NULL, 0);
}

/* ---- truncate ---- */

WS_EXPORT int truncate(const char *path, off_t len)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc2(SYS_truncate, path, len));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	struct wr r;
	int rc = prep("truncate", AT_FDCWD, path, true, &r);
	if (rc < 0)
		return ws_ret(rc);
	char p[PATH_MAX];
	object_path(&r, false, p, sizeof p);
	rc = (int)ws_sc2(SYS_truncate, p, len);
	wr_done(&r);
	return finish(rc, saved);
}

WS_EXPORT int truncate64(const char *path, off_t len) { return truncate(path, len); }

/* ---- extended attributes, write side ---- */

static int xattr_write(const char *fn, const char *path, bool follow, const char *name,
		       const void *value, size_t size, int flags, bool remove)
{
	int saved = errno;
	if (ws_null(path))
		return ws_ret(-EFAULT);
	struct wr r;
	int rc = prep(fn, AT_FDCWD, path, follow, &r);
	if (rc < 0)
		return ws_ret(rc);
	char p[PATH_MAX];
	object_path(&r, !follow, p, sizeof p);
	/* A link itself (not followed) is reached through its folder and changed with
	 * the l* call; any other object through its descriptor's magic link, which only
	 * the following call goes through. */
	bool on_link = !follow && r.is_link;
	if (on_link)
		rc = remove ? (int)ws_sc2(SYS_lremovexattr, p, name)
			    : (int)ws_sc5(SYS_lsetxattr, p, name, value, size, flags);
	else
		rc = remove ? (int)ws_sc2(SYS_removexattr, p, name)
			    : (int)ws_sc5(SYS_setxattr, p, name, value, size, flags);
	wr_done(&r);
	return finish(rc, saved);
}

WS_EXPORT int setxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_setxattr, path, name, value, size, flags));
	return xattr_write("setxattr", path, true, name, value, size, flags, false);
}

WS_EXPORT int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_lsetxattr, path, name, value, size, flags));
	return xattr_write("lsetxattr", path, false, name, value, size, flags, false);
}

WS_EXPORT int removexattr(const char *path, const char *name)
{
	if (!ws_active())
		return ws_ret(ws_sc2(SYS_removexattr, path, name));
	return xattr_write("removexattr", path, true, name, NULL, 0, 0, true);
}

WS_EXPORT int lremovexattr(const char *path, const char *name)
{
	if (!ws_active())
		return ws_ret(ws_sc2(SYS_lremovexattr, path, name));
	return xattr_write("lremovexattr", path, false, name, NULL, 0, 0, true);
}

WS_EXPORT int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
	int saved = errno;
	if (ws_active()) {
		int rc = ws_gate_fd("fsetxattr", fd, WA_WRITE, WL_WRITE);
		if (rc < 0)
			return ws_ret(rc);
	}
	return finish((int)ws_sc5(SYS_fsetxattr, fd, name, value, size, flags), saved);
}

WS_EXPORT int fremovexattr(int fd, const char *name)
{
	int saved = errno;
	if (ws_active()) {
		int rc = ws_gate_fd("fremovexattr", fd, WA_WRITE, WL_WRITE);
		if (rc < 0)
			return ws_ret(rc);
	}
	return finish((int)ws_sc2(SYS_fremovexattr, fd, name), saved);
}
