/* dir.c: folders: opendir and listings with hidden entries taken out (readdir,
 * readdir_r, getdents64, scandir, glob, nftw, ftw, fts), chdir, fchdir.
 *
 * A DIR stream opened through the library is remembered with its folder's real path
 * (a small lock-free table), so that each entry can be judged without a system call.
 * Streams the library did not open (none should exist) are judged through
 * /proc/self/fd at each call.
 */
#include <dirent.h>
#include <fcntl.h>
#include <fts.h>
#include <ftw.h>
#include <glob.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim/real.h"
#include "shim/shim.h"

/* ---- the table of open DIR streams ----
 *
 * Each stream is judged by the folder it was opened on: its real path, and its
 * identity (device and inode), kept here. The descriptor libc reads the stream
 * through can be closed or replaced behind it (close, dup2, fclose or freopen of a
 * FILE on that number, ...), so each time libc has refilled its buffer (the entry
 * it returns does not lie after the previous one), the descriptor is checked to be
 * the same folder still; if not, the stream is lost and readdir ends it with EBADF
 * rather than judge another folder's names by the first one's path. A stream is
 * opened only when it can be remembered (EMFILE past NDIRS open streams). */

#define NDIRS 256
struct dslot {
	_Atomic(void *) dir;
	_Atomic int lost;          /* the descriptor is no longer the folder */
	_Atomic uintptr_t last;    /* the entry libc returned last, 0 before the first */
	dev_t dev;
	ino_t ino;
	uint32_t len;
	char path[PATH_MAX];
};
static struct dslot dslots[NDIRS];
static _Atomic int dslots_hi; /* slots from here on have never been used */

#define SLOT_CLAIMED ((void *)1)

/* A free slot, claimed with a placeholder, or NULL when all are taken. */
static struct dslot *dir_claim(void)
{
	for (int i = 0; i < NDIRS; i++) {
		void *expected = NULL;
		if (atomic_compare_exchange_strong(&dslots[i].dir, &expected, SLOT_CLAIMED)) {
			int hi = atomic_load(&dslots_hi);
			while (hi < i + 1 && !atomic_compare_exchange_weak(&dslots_hi, &hi, i + 1))
				;
			return &dslots[i];
		}
	}
	return NULL;
}

static void dir_publish(struct dslot *s, DIR *d, const char *path, size_t len, const struct stat *st)
{
	memcpy(s->path, path, len + 1);
	s->len = (uint32_t)len;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	atomic_store(&s->lost, 0);
	atomic_store_explicit(&s->last, 0, memory_order_relaxed);
	atomic_store_explicit(&s->dir, (void *)d, memory_order_release);
}

static void dir_release(struct dslot *s) { atomic_store_explicit(&s->dir, NULL, memory_order_release); }

static struct dslot *dir_slot(DIR *d)
{
	int hi = atomic_load_explicit(&dslots_hi, memory_order_acquire);
	for (int i = 0; i < hi; i++)
		if (atomic_load_explicit(&dslots[i].dir, memory_order_acquire) == (void *)d)
			return &dslots[i];
	return NULL;
}

static void dir_forget(DIR *d)
{
	struct dslot *s = dir_slot(d);
	if (s)
		dir_release(s);
}

/* The real path of the folder of a stream: *path points at the table's copy (it
 * stays while the stream is open), or at buf when it was read through /proc (a
 * stream opened before the library was ready). Returns its length or -errno. */
static long dir_path(DIR *d, struct dslot *s, char *buf, size_t size, const char **path)
{
	if (s) {
		*path = s->path;
		return s->len;
	}
	*path = buf;
	return wr_fd_path(real.dirfd(d), buf, size);
}

/* Is the descriptor of s still its folder? Checked when libc has just refilled its
 * buffer (entry `e` does not lie after the previous one), or at every call when
 * `always` (readdir_r copies entries out: no way to tell). A stream found changed
 * stays lost. */
static bool dir_still(struct dslot *s, DIR *d, const void *e, bool always)
{
	if (atomic_load_explicit(&s->lost, memory_order_relaxed))
		return false;
	/* relaxed load and store, not an exchange: one reader per stream is the rule
	 * (readdir is not made for two threads on one stream), and this runs per entry */
	uintptr_t p = (uintptr_t)e, last = atomic_load_explicit(&s->last, memory_order_relaxed);
	atomic_store_explicit(&s->last, p, memory_order_relaxed);
	if (!always && last && p > last)
		return true;
	struct stat st;
	if (ws_sc2(SYS_fstat, real.dirfd(d), &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino)
		return true;
	atomic_store(&s->lost, 1);
	return false;
}

/* ---- opening ---- */

/* A stream on fd, the folder real_path whose status is st, remembered; NULL and
 * errno when it cannot be (fd is then closed when `owned`). */
static DIR *open_dir_fd(int fd, bool owned, const char *real_path, size_t len, const struct stat *st)
{
	struct dslot *s = dir_claim();
	if (!s) {
		if (owned)
			ws_close(fd);
		errno = EMFILE; /* a stream that could not be judged is not opened */
		return NULL;
	}
	DIR *d = real.fdopendir(fd);
	if (ws_null(d)) {
		int e = errno;
		dir_release(s);
		if (owned)
			ws_close(fd);
		errno = e;
		return NULL;
	}
	dir_publish(s, d, real_path, len, st);
	return d;
}

DIR *ws_opendir_impl(const char *fn, int dirfd, const char *path)
{
	struct wr r;
	int rc = ws_prepare(fn, dirfd, path, WR_FOLLOW, WA_LIST, WL_VIEW, false, &r);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	if (r.is_dir != 1) {
		wr_done(&r);
		errno = ENOTDIR;
		return NULL;
	}
	int fd = ws_openat(r.obj_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0) {
		wr_done(&r);
		errno = -fd;
		return NULL;
	}
	DIR *d = open_dir_fd(fd, true, r.real, r.len, &r.st);
	wr_done(&r);
	return d;
}

WS_EXPORT DIR *opendir(const char *path)
{
	int saved = errno;
	if (!ws_active()) {
		int fd = ws_openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
		if (fd < 0) {
			errno = -fd;
			return NULL;
		}
		return real.fdopendir(fd);
	}
	if (ws_null(path)) {
		errno = EFAULT;
		return NULL;
	}
	DIR *d = ws_opendir_impl("opendir", AT_FDCWD, path);
	if (d)
		errno = saved;
	return d;
}

WS_EXPORT DIR *fdopendir(int fd)
{
	int saved = errno;
	if (!ws_active())
		return real.fdopendir(fd);
	char p[PATH_MAX];
	long n = wr_fd_path(fd, p, sizeof p);
	if (n == -EBADF || n == -ENOTDIR || n == -ENOENT) {
		/* no folder, or a deleted one: libc gives its own error (EBADF, ENOTDIR),
		 * or a stream with no entries */
		return real.fdopendir(fd);
	}
	if (n < 0) {
		errno = (int)-n; /* a folder whose name is too long to judge */
		return NULL;
	}
	struct stat st;
	long sr = ws_sc2(SYS_fstat, fd, &st);
	if (sr < 0) {
		errno = (int)-sr;
		return NULL;
	}
	int rc = ws_gate_fd_named("fdopendir", fd, p, (size_t)n, &st, WA_LIST, WL_VIEW);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	DIR *d = open_dir_fd(fd, false, p, (size_t)n, &st);
	if (d)
		errno = saved;
	return d;
}

WS_EXPORT int closedir(DIR *d)
{
	if (!ws_null(d))
		dir_forget(d);
	return real.closedir(d);
}

/* ---- reading ---- */

static bool visible(DIR *d, const char *path, long plen, const char *name, unsigned char type)
{
	if (plen < 0) /* deleted: nothing to hide; no name (too long): nothing shown */
		return plen == -ENOENT;
	size_t nl = strlen(name);
	int v = ws_entry_known(path, (size_t)plen, name, nl, type);
	if (v >= 0)
		return v;
	return ws_entry_visible(path, (size_t)plen, name, nl, type, real.dirfd(d));
}

/* On x86_64 and aarch64, dirent64 is dirent: one reader serves both names. */
_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64) &&
		       offsetof(struct dirent, d_name) == offsetof(struct dirent64, d_name) &&
		       offsetof(struct dirent, d_type) == offsetof(struct dirent64, d_type),
	       "dirent and dirent64 differ");

/* The next entry of d that the policy lets the program see, read with libc's readdir
 * or readdir64. */
static struct dirent *next_visible(DIR *d, bool is64)
{
	int saved = errno;
	char buf[PATH_MAX];
	const char *p = buf;
	long pl = -2;
	struct dslot *s = ws_null(d) ? NULL : dir_slot(d);
	for (;;) {
		struct dirent *e = is64 ? (struct dirent *)real.readdir64(d) : real.readdir(d);
		if (!e)
			return NULL;
		if (s && !dir_still(s, d, e, false)) {
			errno = EBADF;
			return NULL;
		}
		if (pl == -2)
			pl = dir_path(d, s, buf, sizeof buf, &p);
		if (visible(d, p, pl, e->d_name, e->d_type)) {
			errno = saved;
			return e;
		}
	}
}

WS_EXPORT struct dirent *readdir(DIR *d)
{
	if (!ws_active())
		return real.readdir(d);
	return next_visible(d, false);
}

WS_EXPORT struct dirent64 *readdir64(DIR *d)
{
	if (!ws_active())
		return real.readdir64(d);
	return (struct dirent64 *)next_visible(d, true);
}

/* The same for readdir_r and readdir64_r, which copy each entry out. */
static int next_visible_r(DIR *d, struct dirent *entry, struct dirent **result, bool is64)
{
	char buf[PATH_MAX];
	const char *p = buf;
	struct dslot *s = ws_null(d) ? NULL : dir_slot(d);
	long pl = dir_path(d, s, buf, sizeof buf, &p);
	for (;;) {
		int rc = is64 ? real.readdir64_r(d, (struct dirent64 *)entry, (struct dirent64 **)result)
			      : real.readdir_r(d, entry, result);
		if (rc != 0 || !*result)
			return rc;
		if (s && !dir_still(s, d, entry, true)) {
			*result = NULL;
			return EBADF;
		}
		if (visible(d, p, pl, entry->d_name, entry->d_type))
			return 0;
	}
}

WS_EXPORT int readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
	if (!ws_active())
		return real.readdir_r(d, entry, result);
	return next_visible_r(d, entry, result, false);
}

WS_EXPORT int readdir64_r(DIR *d, struct dirent64 *entry, struct dirent64 **result)
{
	if (!ws_active())
		return real.readdir64_r(d, entry, result);
	return next_visible_r(d, (struct dirent *)entry, (struct dirent **)result, true);
}

/* getdents64 (the glibc function and syscall()): the buffer is filtered in place. */
long ws_getdents_impl(int fd, void *buf, size_t size)
{
	for (;;) {
		long n = ws_sc3(SYS_getdents64, fd, buf, size);
		if (n <= 0 || !ws_active())
			return n;
		char p[PATH_MAX];
		long pl = wr_fd_path(fd, p, sizeof p);
		if (pl == -ENOENT)
			return n; /* a deleted folder: nothing to hide */
		if (pl < 0)
			return pl; /* a folder with no name to judge (too long): no names */
		char *b = buf;
		long in = 0, out = 0;
		while (in < n) {
			struct dirent64 *e = (struct dirent64 *)(b + in);
			unsigned short rl = e->d_reclen;
			if (rl == 0 || in + rl > n)
				break;
			if (ws_entry_visible(p, (size_t)pl, e->d_name, strlen(e->d_name), e->d_type, fd)) {
				if (out != in)
					memmove(b + out, b + in, rl);
				out += rl;
			}
			in += rl;
		}
		if (out > 0)
			return out;
		/* everything here was hidden: read on, or the caller would think it is the end */
	}
}

WS_EXPORT ssize_t getdents64(int fd, void *buf, size_t size)
{
	int saved = errno;
	long n = ws_getdents_impl(fd, buf, size);
	if (n < 0)
		return ws_ret(n);
	errno = saved;
	return n;
}

/* ---- scandir: built on the filtered readdir ---- */

static int scan(DIR *d, struct dirent ***namelist, int (*filter)(const struct dirent *),
		int (*compar)(const struct dirent **, const struct dirent **))
{
	struct dirent **list = NULL;
	size_t n = 0, cap = 0;
	int saved = errno;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (filter && !filter(e)) {
			errno = 0;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			struct dirent **nl = realloc(list, cap * sizeof *nl);
			if (!nl)
				goto oom;
			list = nl;
		}
		size_t sz = offsetof(struct dirent, d_name) + strlen(e->d_name) + 1;
		struct dirent *c = malloc(sz < sizeof *c ? sizeof *c : sz);
		if (!c)
			goto oom;
		memcpy(c, e, sz);
		list[n++] = c;
		errno = 0;
	}
	if (errno) {
		int err = errno;
		for (size_t i = 0; i < n; i++)
			free(list[i]);
		free(list);
		closedir(d);
		errno = err;
		return -1;
	}
	closedir(d);
	if (compar && n > 1)
		qsort(list, n, sizeof *list, (int (*)(const void *, const void *))compar);
	*namelist = list;
	errno = saved;
	return (int)n;
oom:
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	closedir(d);
	errno = ENOMEM;
	return -1;
}

WS_EXPORT int scandirat(int dirfd, const char *path, struct dirent ***namelist,
			int (*filter)(const struct dirent *),
			int (*compar)(const struct dirent **, const struct dirent **))
{
	if (!ws_active()) {
		errno = EAGAIN;
		return -1;
	}
	if (ws_null(path)) {
		errno = EFAULT;
		return -1;
	}
	DIR *d = ws_opendir_impl("scandir", dirfd, path);
	if (ws_null(d))
		return -1;
	return scan(d, namelist, filter, compar);
}

WS_EXPORT int scandir(const char *path, struct dirent ***namelist, int (*filter)(const struct dirent *),
		      int (*compar)(const struct dirent **, const struct dirent **))
{
	return scandirat(AT_FDCWD, path, namelist, filter, compar);
}

/* On x86_64 and aarch64, dirent64 is dirent: the 64-bit names are the same calls. */
WS_EXPORT int scandir64(const char *path, struct dirent64 ***namelist,
			int (*filter)(const struct dirent64 *),
			int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
	return scandirat(AT_FDCWD, path, (struct dirent ***)namelist,
			 (int (*)(const struct dirent *))filter,
			 (int (*)(const struct dirent **, const struct dirent **))compar);
}

WS_EXPORT int scandirat64(int dirfd, const char *path, struct dirent64 ***namelist,
			  int (*filter)(const struct dirent64 *),
			  int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
	return scandirat(dirfd, path, (struct dirent ***)namelist, (int (*)(const struct dirent *))filter,
			 (int (*)(const struct dirent **, const struct dirent **))compar);
}

/* ---- glob: libc's matcher, reading folders through the library ---- */

static void *g_opendir(const char *p) { return opendir(p); }
static void *g_readdir(void *d) { return readdir((DIR *)d); }
static void g_closedir(void *d) { closedir((DIR *)d); }
static int g_stat(const char *p, void *st) { return stat(p, (struct stat *)st); }
static int g_lstat(const char *p, void *st) { return lstat(p, (struct stat *)st); }

WS_EXPORT int glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *pglob)
{
	if (ws_active() && !(flags & GLOB_ALTDIRFUNC) && pglob) {
		pglob->gl_opendir = g_opendir;
		pglob->gl_readdir = (struct dirent * (*)(void *)) g_readdir;
		pglob->gl_closedir = g_closedir;
		pglob->gl_stat = (int (*)(const char *, struct stat *))g_stat;
		pglob->gl_lstat = (int (*)(const char *, struct stat *))g_lstat;
		flags |= GLOB_ALTDIRFUNC;
	}
	return real.glob(pattern, flags, errfunc, pglob);
}

WS_EXPORT int glob64(const char *pattern, int flags, int (*errfunc)(const char *, int), glob64_t *pglob)
{
	if (ws_active() && !(flags & GLOB_ALTDIRFUNC) && pglob) {
		pglob->gl_opendir = g_opendir;
		pglob->gl_readdir = (struct dirent64 * (*)(void *)) g_readdir;
		pglob->gl_closedir = g_closedir;
		pglob->gl_stat = (int (*)(const char *, struct stat64 *))g_stat;
		pglob->gl_lstat = (int (*)(const char *, struct stat64 *))g_lstat;
		flags |= GLOB_ALTDIRFUNC;
	}
	return real.glob64(pattern, flags, errfunc, pglob);
}

/* ---- nftw, ftw: walked here, through the filtered readdir and checked stat ---- */

typedef int (*nftw_fn)(const char *, const struct stat *, int, struct FTW *);

struct walk {
	nftw_fn fn;
	int flags;
	int maxfds;
	dev_t dev;
	char path[PATH_MAX];
};

static int walk_one(struct walk *w, size_t len, int base, int level);

/* A folder's names are read whole, its stream closed, and only then is each name
 * walked: one stream open at a time however deep the tree (the library opens at most
 * NDIRS streams at once), as glibc does past its nopenfd. */
static int walk_dir(struct walk *w, size_t len, int level, const struct stat *st)
{
	DIR *d = opendir(w->path);
	if (ws_null(d))
		return 1; /* unreadable: FTW_DNR */
	char *names = NULL;
	size_t used = 0, cap = 0;
	struct dirent *e;
	int rc = 0;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t nl = strlen(e->d_name) + 1;
		if (used + nl > cap) {
			size_t nc = cap ? cap * 2 : 4096;
			while (nc < used + nl)
				nc *= 2;
			char *nn = realloc(names, nc);
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
			cap = nc;
		}
		memcpy(names + used, e->d_name, nl);
		used += nl;
	}
	int err = rc ? ENOMEM : errno;
	closedir(d);
	if (rc == 0 && err) /* the listing ended with an error: say so, as readdir did */
		rc = -1;
	for (size_t off = 0; rc == 0 && off < used;) {
		const char *name = names + off;
		size_t nl = strlen(name);
		off += nl + 1;
		if (len + 1 + nl >= sizeof w->path) {
			rc = -1;
			err = ENAMETOOLONG;
			break;
		}
		size_t nlen = len;
		if (nlen == 0 || w->path[nlen - 1] != '/')
			w->path[nlen++] = '/';
		memcpy(w->path + nlen, name, nl + 1);
		rc = walk_one(w, nlen + nl, (int)nlen, level + 1);
		w->path[len] = 0;
		if (rc != 0) {
			if ((w->flags & FTW_ACTIONRETVAL) && rc == FTW_SKIP_SIBLINGS)
				rc = 0;
			err = 0;
			break;
		}
	}
	free(names);
	if (rc == -1 && err)
		errno = err;
	(void)st;
	return rc;
}

static int walk_one(struct walk *w, size_t len, int base, int level)
{
	struct stat st;
	struct FTW ftw = {.base = base, .level = level};
	int type;
	int r = (w->flags & FTW_PHYS) ? lstat(w->path, &st) : stat(w->path, &st);
	if (r < 0) {
		if (!(w->flags & FTW_PHYS) && errno == ENOENT && lstat(w->path, &st) == 0 && S_ISLNK(st.st_mode))
			type = FTW_SLN;
		else if (level == 0)
			return -1;
		else
			type = FTW_NS;
	} else if (S_ISDIR(st.st_mode)) {
		if ((w->flags & FTW_MOUNT) && level > 0 && st.st_dev != w->dev)
			return 0;
		type = (w->flags & FTW_DEPTH) ? FTW_DP : FTW_D;
	} else if (S_ISLNK(st.st_mode)) {
		type = FTW_SL;
	} else {
		type = FTW_F;
	}
	if (type == FTW_D || type == FTW_DP) {
		int rc = 0;
		if (type == FTW_D) {
			rc = w->fn(w->path, &st, FTW_D, &ftw);
			if (rc != 0) {
				if ((w->flags & FTW_ACTIONRETVAL) && rc == FTW_SKIP_SUBTREE)
					return 0;
				return rc;
			}
		}
		int dr = walk_dir(w, len, level, &st);
		if (dr == 1)
			return w->fn(w->path, &st, FTW_DNR, &ftw);
		if (dr != 0)
			return dr;
		if (type == FTW_DP)
			return w->fn(w->path, &st, FTW_DP, &ftw);
		return 0;
	}
	return w->fn(w->path, &st, type, &ftw);
}

WS_EXPORT int nftw(const char *dir, nftw_fn fn, int maxfds, int flags)
{
	if (ws_null(dir) || ws_null(fn)) {
		errno = EINVAL;
		return -1;
	}
	struct walk *w = malloc(sizeof *w);
	if (!w) {
		errno = ENOMEM;
		return -1;
	}
	size_t len = strlen(dir);
	if (len >= sizeof w->path) {
		free(w);
		errno = ENAMETOOLONG;
		return -1;
	}
	w->fn = fn;
	w->flags = flags & ~FTW_CHDIR; /* paths are given whole; no need to move the cwd */
	w->maxfds = maxfds;
	memcpy(w->path, dir, len + 1);
	struct stat st;
	if (stat(dir, &st) == 0)
		w->dev = st.st_dev;
	size_t base = len;
	while (base > 0 && w->path[base - 1] != '/')
		base--;
	int rc = walk_one(w, len, (int)base, 0);
	free(w);
	return rc;
}

WS_EXPORT int nftw64(const char *dir, int (*fn)(const char *, const struct stat64 *, int, struct FTW *),
		     int maxfds, int flags)
{
	return nftw(dir, (nftw_fn)fn, maxfds, flags);
}

struct ftw_adapter {
	int (*fn)(const char *, const struct stat *, int);
};
static __thread struct ftw_adapter *cur_ftw;

static int ftw_cb(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)f;
	if (type == FTW_DP)
		type = FTW_D;
	if (type == FTW_SL || type == FTW_SLN)
		type = FTW_NS;
	return cur_ftw->fn(p, st, type);
}

WS_EXPORT int ftw(const char *dir, int (*fn)(const char *, const struct stat *, int), int maxfds)
{
	struct ftw_adapter a = {fn};
	struct ftw_adapter *prev = cur_ftw;
	cur_ftw = &a;
	int rc = nftw(dir, ftw_cb, maxfds, 0);
	cur_ftw = prev;
	return rc;
}

WS_EXPORT int ftw64(const char *dir, int (*fn)(const char *, const struct stat64 *, int), int maxfds)
{
	return ftw(dir, (int (*)(const char *, const struct stat *, int))fn, maxfds);
}

/* ---- fts: libc walks; hidden entries are skipped and not entered ---- */

#define NFTS 16
static struct {
	_Atomic(void *) fts;
	char cwd[PATH_MAX];
} fts_tab[NFTS];

static const char *fts_cwd(FTS *f)
{
	for (int i = 0; i < NFTS; i++)
		if (atomic_load(&fts_tab[i].fts) == (void *)f)
			return fts_tab[i].cwd;
	return NULL;
}

/* Is the entry at `path` (length len, as fts spells it) hidden? */
static bool fts_hidden_path(FTS *f, FTSENT *e, const char *path, size_t len)
{
	char p[PATH_MAX], given[PATH_MAX];
	unsigned fl;
	if (len >= sizeof given)
		return true;
	memcpy(given, path, len);
	given[len] = 0;
	const char *cwd = fts_cwd(f);
	long n = given[0] == '/' ? wn_join("", 0, given, p, sizeof p, &fl)
		 : cwd && cwd[0] ? wn_join(cwd, strlen(cwd), given, p, sizeof p, &fl)
				 : -1;
	if (n < 0)
		return true; /* no path to judge: hidden (fail closed) */
	int info = e->fts_info;
	int is_dir = info == FTS_D || info == FTS_DP || info == FTS_DC || info == FTS_DNR ? 1
		     : info == FTS_NSOK || info == FTS_NS                        ? -1
										  : 0;
	struct wd_out d;
	if (wd_decide_str(ws.pol, p, (size_t)n, is_dir, &d) < 0)
		return true;
	if (d.need_dir) { /* not known to be a folder or not: the stricter answer */
		struct wd_out a;
		if (wd_decide_str(ws.pol, p, (size_t)n, 1, &a) < 0 || a.level < d.level)
			d = a;
		if (wd_decide_str(ws.pol, p, (size_t)n, 0, &a) < 0 || a.level < d.level)
			d = a;
	}
	return d.level == WL_NONE && ws.mode != WM_AUDIT;
}

/* An entry fts_read returned: its fts_path is its own path. */
static bool fts_hidden(FTS *f, FTSENT *e)
{
	return fts_hidden_path(f, e, e->fts_path, e->fts_pathlen);
}

WS_EXPORT FTS *fts_open(char *const *argv, int options, int (*compar)(const FTSENT **, const FTSENT **))
{
	FTS *f = real.fts_open(argv, options, compar);
	if (f && ws_active()) {
		int i;
		for (i = 0; i < NFTS; i++) {
			void *expected = NULL;
			if (atomic_compare_exchange_strong(&fts_tab[i].fts, &expected, (void *)1)) {
				if (wr_cwd(fts_tab[i].cwd, sizeof fts_tab[i].cwd) < 0)
					fts_tab[i].cwd[0] = 0;
				atomic_store(&fts_tab[i].fts, (void *)f);
				break;
			}
		}
		if (i == NFTS) {
			/* no room to know where its relative paths start: no walk, as no
			 * listing past the streams' table (fail closed) */
			real.fts_close(f);
			errno = EMFILE;
			return NULL;
		}
	}
	return f;
}

WS_EXPORT FTSENT *fts_read(FTS *f)
{
	for (;;) {
		FTSENT *e = real.fts_read(f);
		wr_cwd_changed(); /* fts may have moved the working directory */
		if (!e || !ws_active())
			return e;
		if (!fts_hidden(f, e))
			return e;
		if (e->fts_info == FTS_DP)
			continue; /* the post-order visit of a hidden folder (a hidden root) */
		if (e->fts_level == 0) {
			e->fts_info = FTS_NS;
			e->fts_errno = ENOENT;
			return e;
		}
		real.fts_set(f, e, FTS_SKIP);
	}
}

WS_EXPORT FTSENT *fts_children(FTS *f, int options)
{
	FTSENT *head = real.fts_children(f, options);
	wr_cwd_changed();
	if (!ws_active())
		return head;
	/* The children's fts_path is fts's shared buffer, which holds only the folder's
	 * path: each child's path is the current entry's path, "/", and its name. */
	const FTSENT *cur = f->fts_cur;
	char path[PATH_MAX];
	size_t dl = cur ? cur->fts_pathlen : 0;
	if (cur && dl >= sizeof path)
		dl = sizeof path - 1;
	if (cur)
		memcpy(path, cur->fts_path, dl);
	FTSENT **pp = &head;
	while (*pp) {
		bool hide;
		if (!cur) {
			hide = fts_hidden(f, *pp); /* the roots, before the first fts_read */
		} else {
			size_t nl = (*pp)->fts_namelen;
			if (dl + 1 + nl >= sizeof path) {
				hide = true;
			} else {
				size_t o = dl;
				if (o == 0 || path[o - 1] != '/')
					path[o++] = '/';
				memcpy(path + o, (*pp)->fts_name, nl);
				hide = fts_hidden_path(f, *pp, path, o + nl);
			}
		}
		if (hide)
			*pp = (*pp)->fts_link; /* left to fts to free with the rest */
		else
			pp = &(*pp)->fts_link;
	}
	return head;
}

WS_EXPORT int fts_close(FTS *f)
{
	for (int i = 0; i < NFTS; i++)
		if (atomic_load(&fts_tab[i].fts) == (void *)f)
			atomic_store(&fts_tab[i].fts, NULL);
	int rc = real.fts_close(f);
	wr_cwd_changed();
	return rc;
}

/* ---- the working directory ---- */

WS_EXPORT int chdir(const char *path)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc1(SYS_chdir, path));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	struct wr r;
	int rc = ws_prepare("chdir", AT_FDCWD, path, WR_FOLLOW, WA_LIST, WL_VIEW, false, &r);
	if (rc < 0)
		return ws_ret(rc);
	rc = r.is_dir == 1 ? (int)ws_sc1(SYS_fchdir, r.obj_fd) : -ENOTDIR;
	wr_done(&r);
	wr_cwd_changed();
	if (rc < 0)
		return ws_ret(rc);
	errno = saved;
	return 0;
}

WS_EXPORT int fchdir(int fd)
{
	int saved = errno;
	if (!ws_active())
		return ws_ret(ws_sc1(SYS_fchdir, fd));
	int rc = ws_gate_fd("fchdir", fd, WA_LIST, WL_VIEW);
	if (rc == 0)
		rc = (int)ws_sc1(SYS_fchdir, fd);
	wr_cwd_changed();
	if (rc < 0)
		return ws_ret(rc);
	errno = saved;
	return 0;
}
