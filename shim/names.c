/* names.c: operations on names: mkdir, rmdir, unlink, remove, rename, link,
 * symlink, mknod, mkfifo. Each acts on the resolved parent folder's descriptor and
 * the last name (mkdirat, unlinkat, renameat2, linkat, symlinkat, mknodat), so
 * nothing is resolved twice.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hash.h"
#include "shim/shim.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static int finish(int rc, int saved)
{
	if (rc < 0)
		return ws_ret(rc);
	errno = saved;
	return rc;
}

/* ---- mkdir ---- */

/* A recursive mkdir (node's fs.mkdir with recursive, Python's os.makedirs) reads ENOENT
 * as "the parent is missing": it makes the parent, which exists, and asks for the name
 * again. For a hidden name that answer never changes and node loops forever. So the
 * retry is told apart: a mkdir of a hidden name refused with ENOENT is remembered (per
 * thread, as hashes), and when the same name is asked again after its parent was made or
 * found to exist, the answer is EACCES, which ends such loops. A single attempt, and any
 * attempt not preceded by the parent, still gets the contract's ENOENT. */
static __thread struct {
	uint64_t name, parent;
	int parent_seen;
} mk_retry __attribute__((tls_model("initial-exec")));

static uint64_t real_hash(const char *s, size_t n) { return XXH3_64bits(s, n); }

static size_t parent_len(const struct wr *r)
{
	return r->name_off > 1 ? r->name_off - 1 : 1;
}

static bool mkdir_retried(const struct wr *r)
{
	return mk_retry.parent_seen && mk_retry.name == real_hash(r->real, r->len);
}

static void mkdir_refused(const struct wr *r)
{
	mk_retry.name = real_hash(r->real, r->len);
	mk_retry.parent = real_hash(r->real, parent_len(r));
	mk_retry.parent_seen = 0;
}

static void mkdir_parent_made(const struct wr *r, int rc)
{
	if (mk_retry.name && (rc == 0 || rc == -EEXIST) &&
	    real_hash(r->real, r->len) == mk_retry.parent)
		mk_retry.parent_seen = 1;
}

int ws_mkdir_impl(const char *fn, int dirfd, const char *path, mode_t mode)
{
	struct wr r;
	int rc = wr_resolve(dirfd, path, WR_KEEP, &r);
	if (rc < 0)
		return rc;
	if (r.err)
		return ws_refusal(&r, fn, path, WA_CREATE, WL_WRITE);
	r.is_dir = 1;
	if (r.exists) {
		/* EEXIST comes before any permission, as in the kernel (mkdir -p relies on
		 * it), but a hidden name must look missing: then there is nothing there. */
		struct ws_op op = {.fn = fn, .access = WA_STAT, .need = WL_VIEW, .path = path, .r = &r,
				   .quiet = true};
		rc = ws_gate(&op);
		rc = rc < 0 ? rc : -EEXIST;
		mkdir_parent_made(&r, rc);
		wr_done(&r);
		return rc;
	}
	struct ws_op op = {.fn = fn, .access = WA_CREATE, .need = WL_WRITE, .path = path, .r = &r,
			   .retry = mkdir_retried(&r)};
	rc = ws_gate(&op);
	if (rc == -ENOENT)
		mkdir_refused(&r);
	if (rc == 0)
		rc = (int)ws_sc3(SYS_mkdirat, r.parent_fd, wr_name(&r), mode);
	mkdir_parent_made(&r, rc);
	wr_done(&r);
	return rc;
}

WS_EXPORT int mkdirat(int dirfd, const char *path, mode_t mode)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_mkdirat, dirfd, path, mode));
	return finish(ws_mkdir_impl("mkdir", dirfd, path, mode), saved);
}

WS_EXPORT int mkdir(const char *path, mode_t mode) { return mkdirat(AT_FDCWD, path, mode); }

/* ---- unlink, rmdir, remove ---- */

int ws_last_kind(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 1 && path[0] == '/')
		return WS_LAST_ROOT;
	size_t i = n;
	while (i > 0 && path[i - 1] != '/')
		i--;
	size_t l = n - i;
	if (l == 1 && path[i] == '.')
		return WS_LAST_DOT;
	if (l == 2 && path[i] == '.' && path[i + 1] == '.')
		return WS_LAST_DOTDOT;
	return WS_LAST_NAME;
}

int ws_unlink_impl(const char *fn, int dirfd, const char *path, int flags)
{
	struct wr r;
	/* "d/." and "d/.." name no entry of a folder: the kernel refuses them whatever
	 * they lead to (rmdir: EINVAL, ENOTEMPTY; unlink: EISDIR) */
	int kind = ws_last_kind(path);
	if (kind != WS_LAST_NAME) {
		if (!(flags & AT_REMOVEDIR))
			return -EISDIR;
		return kind == WS_LAST_DOT ? -EINVAL : kind == WS_LAST_DOTDOT ? -ENOTEMPTY : -EBUSY;
	}
	int rc = ws_prepare(fn, dirfd, path, 0, WA_DELETE, WL_WRITE, false, &r);
	if (rc < 0)
		return rc;
	if (r.len == 1)
		rc = -EBUSY; /* the root */
	else
		rc = (int)ws_sc3(SYS_unlinkat, r.parent_fd, wr_name(&r), flags);
	wr_done(&r);
	if (rc == 0 && (flags & AT_REMOVEDIR))
		wr_cwd_changed();
	return rc;
}

WS_EXPORT int unlinkat(int dirfd, const char *path, int flags)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_unlinkat, dirfd, path, flags));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	return finish(ws_unlink_impl(flags & AT_REMOVEDIR ? "rmdir" : "unlink", dirfd, path, flags),
		      saved);
}

WS_EXPORT int unlink(const char *path)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_unlinkat, AT_FDCWD, path, 0));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	return finish(ws_unlink_impl("unlink", AT_FDCWD, path, 0), saved);
}

WS_EXPORT int rmdir(const char *path)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	return finish(ws_unlink_impl("rmdir", AT_FDCWD, path, AT_REMOVEDIR), saved);
}

/* remove: a file is unlinked, a folder removed (as glibc: unlink, then rmdir on EISDIR). */
WS_EXPORT int remove(const char *path)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_unlinkat, AT_FDCWD, path, 0));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	struct wr r;
	int rc = ws_prepare("remove", AT_FDCWD, path, 0, WA_DELETE, WL_WRITE, false, &r);
	if (rc < 0)
		return ws_ret(rc);
	rc = (int)ws_sc3(SYS_unlinkat, r.parent_fd, wr_name(&r), r.is_dir == 1 ? AT_REMOVEDIR : 0);
	wr_done(&r);
	return finish(rc, saved);
}

/* ---- rename, link: two paths, write at both ends, and nothing beneath a moved
 * folder may end up at a higher level than it has now ---- */

static int two_path(const char *fn, int olddirfd, const char *oldpath, int newdirfd,
		    const char *newpath, unsigned oldflags, int flags, bool is_link)
{
	struct wr a, b;
	if (!is_link && (ws_last_kind(oldpath) != WS_LAST_NAME || ws_last_kind(newpath) != WS_LAST_NAME))
		return -EBUSY; /* rename of "." or "..", or onto one: as the kernel answers */
	int rc = wr_resolve(olddirfd, oldpath, oldflags | WR_KEEP, &a);
	if (rc < 0)
		return rc;
	if (a.err || !a.exists)
		return ws_refusal(&a, fn, oldpath, WA_WRITE, WL_WRITE);
	rc = wr_resolve(newdirfd, newpath, WR_KEEP, &b);
	if (rc < 0) {
		wr_done(&a);
		return rc;
	}
	if (b.err || (!b.exists && (flags & RENAME_EXCHANGE))) {
		wr_done(&a);
		return ws_refusal(&b, fn, newpath, WA_WRITE, WL_WRITE);
	}
	if (!b.exists)
		b.is_dir = a.is_dir;
	struct ws_op op = {
		.fn = fn, .access = WA_WRITE, .need = WL_WRITE, .path = oldpath, .r = &a,
		.path2 = newpath, .r2 = &b, .need2 = WL_WRITE, .access2 = WA_CREATE,
		.move = true, .src_is_dir = a.is_dir == 1, .exchange = (flags & RENAME_EXCHANGE) != 0,
	};
	rc = ws_gate(&op);
	if (rc == 0) {
		if (a.len == 1 || b.len == 1)
			rc = -EBUSY;
		else if (is_link)
			rc = (int)ws_sc5(SYS_linkat, a.parent_fd, wr_name(&a), b.parent_fd, wr_name(&b), 0);
		else
			rc = (int)ws_sc5(SYS_renameat2, a.parent_fd, wr_name(&a), b.parent_fd, wr_name(&b),
					 flags);
		if (rc == 0 && !is_link && a.is_dir == 1)
			wr_cwd_changed();
	}
	wr_done(&a);
	wr_done(&b);
	return rc;
}

WS_EXPORT int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
			unsigned int flags)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, flags));
	if (ws_null(oldpath) || ws_null(newpath))
		return ws_ret(-EFAULT);
	return finish(two_path("rename", olddirfd, oldpath, newdirfd, newpath, 0, (int)flags, false),
		      saved);
}

WS_EXPORT int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	return renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

WS_EXPORT int rename(const char *oldpath, const char *newpath)
{
	return renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

WS_EXPORT int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_linkat, olddirfd, oldpath, newdirfd, newpath, flags));
	if (ws_null(oldpath) || ws_null(newpath))
		return ws_ret(-EFAULT);
	if ((flags & AT_EMPTY_PATH) && !oldpath[0]) {
		/* link a descriptor's object: judge it by its real path */
		int rc = ws_gate_fd("link", olddirfd, WA_WRITE, WL_WRITE);
		if (rc < 0)
			return ws_ret(rc);
		struct wr b;
		rc = ws_prepare("link", newdirfd, newpath, 0, WA_CREATE, WL_WRITE, true, &b);
		if (rc < 0)
			return ws_ret(rc);
		if (b.exists)
			rc = -EEXIST;
		else
			rc = (int)ws_sc5(SYS_linkat, olddirfd, "", b.parent_fd, wr_name(&b), AT_EMPTY_PATH);
		wr_done(&b);
		return finish(rc, saved);
	}
	return finish(two_path("link", olddirfd, oldpath, newdirfd, newpath,
			       (flags & AT_SYMLINK_FOLLOW) ? WR_FOLLOW : 0, 0, true),
		      saved);
}

WS_EXPORT int link(const char *oldpath, const char *newpath)
{
	return linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

/* ---- symlink, mknod, mkfifo: create one name ---- */

static int create_name(const char *fn, int dirfd, const char *path, int kind, const char *target,
		       mode_t mode, dev_t dev)
{
	struct wr r;
	int rc = wr_resolve(dirfd, path, WR_KEEP, &r);
	if (rc < 0)
		return rc;
	if (r.err)
		return ws_refusal(&r, fn, path, WA_CREATE, WL_WRITE);
	if (r.exists) {
		struct ws_op q = {.fn = fn, .access = WA_STAT, .need = WL_VIEW, .path = path, .r = &r,
				  .quiet = true};
		rc = ws_gate(&q);
		wr_done(&r);
		return rc < 0 ? rc : -EEXIST;
	}
	r.is_dir = 0;
	struct ws_op op = {.fn = fn, .access = WA_CREATE, .need = WL_WRITE, .path = path, .r = &r};
	rc = ws_gate(&op);
	if (rc == 0) {
		if (kind == 0)
			rc = (int)ws_sc3(SYS_symlinkat, target, r.parent_fd, wr_name(&r));
		else
			rc = (int)ws_sc4(SYS_mknodat, r.parent_fd, wr_name(&r), mode, dev);
	}
	wr_done(&r);
	return rc;
}

WS_EXPORT int symlinkat(const char *target, int dirfd, const char *linkpath)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_symlinkat, target, dirfd, linkpath));
	if (ws_null(target) || ws_null(linkpath))
		return ws_ret(-EFAULT);
	return finish(create_name("symlink", dirfd, linkpath, 0, target, 0, 0), saved);
}

WS_EXPORT int symlink(const char *target, const char *linkpath)
{
	return symlinkat(target, AT_FDCWD, linkpath);
}

WS_EXPORT int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc4(SYS_mknodat, dirfd, path, mode, dev));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	return finish(create_name("mknod", dirfd, path, 1, NULL, mode, dev), saved);
}

WS_EXPORT int mknod(const char *path, mode_t mode, dev_t dev) { return mknodat(AT_FDCWD, path, mode, dev); }

WS_EXPORT int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return mknodat(dirfd, path, (mode & 07777) | S_IFIFO, 0);
}

WS_EXPORT int mkfifo(const char *path, mode_t mode) { return mkfifoat(AT_FDCWD, path, mode); }

/* The old names with a version argument (still exported, still called). */
WS_EXPORT int __xmknodat(int ver, int dirfd, const char *path, mode_t mode, dev_t *dev)
{
	(void)ver;
	return mknodat(dirfd, path, mode, dev ? *dev : 0);
}

WS_EXPORT int __xmknod(int ver, const char *path, mode_t mode, dev_t *dev)
{
	(void)ver;
	return mknodat(AT_FDCWD, path, mode, dev ? *dev : 0);
}
