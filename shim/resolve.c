/* resolve.c: from what a program passes (a descriptor and a path) to the real path
 * of the object, and descriptors of it and of its parent folder.
 *
 * The fast path is one openat2 with RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS on
 * the lexically normalised absolute path: when it succeeds, no link was crossed, so
 * that path is the real one. When a link is on the way (ELOOP), or a ".." follows a
 * name the program gave, the slow path walks one name at a time with O_PATH
 * descriptors, reads each link, and keeps the real path beside the descriptor. The
 * object used afterwards is always reached through these descriptors (or, for calls
 * that can refuse links themselves, through the same real path with
 * RESOLVE_NO_SYMLINKS), so a link swapped between the check and the use changes
 * nothing.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>

#include "common/decide.h"
#include "common/path.h"
#include "shim/shim.h"

#define MAX_LINKS 40

static inline int sys_openat2(int dfd, const char *p, uint64_t flags, uint64_t resolve)
{
	struct open_how how = {.flags = flags, .mode = 0, .resolve = resolve};
	return (int)ws_sc4(SYS_openat2, dfd, p, &how, sizeof how);
}

static inline int sys_fstat(int fd, struct stat *st) { return (int)ws_sc2(SYS_fstat, fd, st); }

void ws_proc_fd(char *buf, int fd)
{
	static const char pre[] = "/proc/self/fd/";
	memcpy(buf, pre, sizeof pre - 1);
	char t[12];
	int n = 0;
	unsigned u = (unsigned)fd;
	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	size_t o = sizeof pre - 1;
	while (n)
		buf[o++] = t[--n];
	buf[o] = 0;
}

static bool ends_with(const char *s, size_t n, const char *suf)
{
	size_t l = strlen(suf);
	return n >= l && memcmp(s + n - l, suf, l) == 0;
}

long wr_fd_path(int fd, char *buf, size_t size)
{
	char proc[32];
	if (fd < 0)
		return -EBADF;
	ws_proc_fd(proc, fd);
	long n = ws_readlinkat(AT_FDCWD, proc, buf, size - 1);
	if (n < 0)
		return n == -ENOENT ? -EBADF : n;
	if ((size_t)n >= size - 1)
		return -ENAMETOOLONG;
	buf[n] = 0;
	if (buf[0] != '/')
		return -ENOTDIR; /* a pipe, socket or anonymous object: no folder */
	if (ends_with(buf, (size_t)n, " (deleted)"))
		return -ENOENT;
	return n;
}

long wr_cwd(char *buf, size_t size)
{
	long n = ws_sc2(SYS_getcwd, buf, size);
	if (n < 0)
		return n;
	if (n == 0 || buf[0] != '/')
		return -ENOENT; /* "(unreachable)": the working directory is gone */
	return n - 1;       /* the system call counts the NUL */
}

void wr_cwd_changed(void) {}

long wr_lexical(int dirfd, const char *path, char *out, size_t size, unsigned *nflags)
{
	if (ws_null(path))
		return -EFAULT;
	if (path[0] == '/')
		return wn_join("", 0, path, out, size, nflags);
	if (!path[0])
		return -ENOENT;
	long bl = dirfd == AT_FDCWD ? wr_cwd(out, size) : wr_fd_path(dirfd, out, size);
	if (bl < 0)
		return bl;
	return wn_join(out, (size_t)bl, path, out, size, nflags);
}

static void set_name(struct wr *r)
{
	if (r->len <= 1) {
		r->name_off = 0;
		return;
	}
	uint32_t i = r->len;
	while (i > 0 && r->real[i - 1] != '/')
		i--;
	r->name_off = i;
}

void wr_done(struct wr *r)
{
	if (r->parent_fd >= 0)
		ws_close(r->parent_fd);
	if (r->obj_fd >= 0)
		ws_close(r->obj_fd);
	r->parent_fd = r->obj_fd = -1;
}

/* Appends "/" and a name to r->real. */
static int append(struct wr *r, const char *name, size_t nl)
{
	if (r->len + 1 + nl >= sizeof r->real)
		return -ENAMETOOLONG;
	if (r->len > 1)
		r->real[r->len++] = '/';
	memcpy(r->real + r->len, name, nl);
	r->len += (uint32_t)nl;
	r->real[r->len] = 0;
	return 0;
}

/* After a failed walk: the rest of the path, folded lexically onto what is resolved,
 * so that the decision (hidden or not) still has a path to look at. */
static void append_rest(struct wr *r, const char *rest)
{
	char tmp[PATH_MAX];
	unsigned fl;
	long n = wn_join(r->real, r->len, rest, tmp, sizeof tmp, &fl);
	if (n > 0) {
		memcpy(r->real, tmp, (size_t)n + 1);
		r->len = (uint32_t)n;
	}
}

static void pop(struct wr *r)
{
	r->len = (uint32_t)wn_parent_len(r->real, r->len);
	r->real[r->len] = 0;
}

/* Is a link target read under /proc an object with no name to judge: "pipe:[12]",
 * "socket:[3]", "anon_inode:[eventfd]", "net:[4026531840]", a memfd
 * ("/memfd:NAME (deleted)"), or a file no longer in any folder ("/x/f (deleted)",
 * an O_TMPFILE)? Under /proc/self/fd it is one of the program's own descriptors,
 * which the program can already use, so the kernel answers for it. */
static bool magic_object(const char *t)
{
	size_t n = strlen(t);
	if (t[0] == '/')
		return strncmp(t, "/memfd:", 7) == 0 || ends_with(t, n, " (deleted)");
	for (const char *p = t; *p; p++)
		if (*p == ':')
			return true;
	return false;
}

/* The walk: one name at a time. */
static int walk(int dirfd, const char *path, unsigned flags, struct wr *r)
{
	char work[PATH_MAX];
	size_t pl = strlen(path);
	int cur, prev = -1;
	int links = 0;
	struct stat st;

	if (pl >= sizeof work)
		return -ENAMETOOLONG;
	memcpy(work, path, pl + 1);
	r->exists = 0;
	r->is_dir = -1;
	r->is_link = 0;
	r->err = 0;
	r->magic = 0;
	r->lexical = false;

	if (work[0] == '/') {
		cur = ws_openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
		r->real[0] = '/';
		r->real[1] = 0;
		r->len = 1;
	} else {
		long bl = dirfd == AT_FDCWD ? wr_cwd(r->real, sizeof r->real)
					    : wr_fd_path(dirfd, r->real, sizeof r->real);
		if (bl < 0)
			return (int)bl;
		r->len = (uint32_t)bl;
		/* The walk starts from the folder of that name, not from the descriptor
		 * (or working directory) itself: another thread may have put another
		 * folder there since its name was read (dup2, fchdir), and names found
		 * in that one would be judged under this one's name. */
		cur = sys_openat2(AT_FDCWD, r->real, O_PATH | O_DIRECTORY | O_CLOEXEC,
				  RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	}
	if (cur < 0)
		return cur;

	size_t pos = 0;
	bool last_special = false;
	for (;;) {
		while (work[pos] == '/')
			pos++;
		if (!work[pos])
			break;
		size_t st0 = pos;
		while (work[pos] && work[pos] != '/')
			pos++;
		size_t nl = pos - st0;
		size_t after = pos;
		while (work[after] == '/')
			after++;
		bool last = work[after] == 0;
		bool trail = last && after > pos; /* "name/" */
		char saved = work[pos];
		work[pos] = 0;
		const char *name = work + st0;
		last_special = false;

		if (nl == 1 && name[0] == '.') {
			work[pos] = saved;
			last_special = true;
			continue;
		}
		if (nl == 2 && name[0] == '.' && name[1] == '.') {
			work[pos] = saved;
			last_special = true;
			if (r->len <= 1)
				continue;
			int nfd = ws_openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
			if (nfd < 0) {
				r->err = -nfd;
				append_rest(r, work + st0);
				goto out_err;
			}
			pop(r);
			/* The name now says the parent; the folder reached must be the one of
			 * that name. A folder moved while it is walked (".." of a folder that
			 * is no longer where its name says) would give a name that is not the
			 * object's: refuse rather than judge a name that lies. /proc/self
			 * keeps its name, a link, and is not checked (it cannot move). */
			if (!wn_is_under(r->real, r->len, "/proc", 5)) {
				struct stat a, b;
				int lfd = sys_openat2(AT_FDCWD, r->real, O_PATH | O_DIRECTORY | O_CLOEXEC,
						      RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
				bool same = lfd >= 0 && sys_fstat(lfd, &a) == 0 && sys_fstat(nfd, &b) == 0 &&
					    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
				if (lfd >= 0)
					ws_close(lfd);
				if (!same) {
					ws_close(nfd);
					r->err = ENOENT;
					append_rest(r, work + after);
					goto out_err;
				}
			}
			ws_close(cur);
			if (prev >= 0)
				ws_close(prev);
			prev = -1;
			cur = nfd;
			continue;
		}

		int nfd = ws_openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
		if (nfd < 0) {
			if (nfd == -ENOENT && last) {
				/* the object does not exist; its folder does */
				int e = append(r, name, nl);
				work[pos] = saved;
				if (e < 0) {
					ws_close(cur);
					if (prev >= 0)
						ws_close(prev);
					return e;
				}
				if (prev >= 0)
					ws_close(prev);
				r->parent_fd = cur;
				r->exists = 0;
				r->is_dir = trail ? 1 : -1;
				goto done;
			}
			r->err = -nfd;
			work[pos] = saved;
			append_rest(r, work + st0);
			goto out_err;
		}
		int e = sys_fstat(nfd, &st);
		if (e < 0) {
			ws_close(nfd);
			r->err = -e;
			work[pos] = saved;
			append_rest(r, work + st0);
			goto out_err;
		}
		if (S_ISLNK(st.st_mode) && (!last || (flags & WR_FOLLOW) || trail)) {
			char target[PATH_MAX];
			long tl = ws_readlinkat(nfd, "", target, sizeof target - 1);
			ws_close(nfd);
			work[pos] = saved;
			if (tl < 0 || ++links > MAX_LINKS) {
				r->err = tl < 0 ? (int)-tl : ELOOP;
				append_rest(r, work + st0);
				goto out_err;
			}
			target[tl] = 0;
			bool in_proc = wn_is_under(r->real, r->len, "/proc", 5);
			if (in_proc && magic_object(target)) {
				/* a descriptor of the program that is no file (pipe, socket) */
				if (!last) {
					r->err = ENOTDIR;
					append_rest(r, work + st0);
					goto out_err;
				}
				if (append(r, name, nl) < 0) {
					r->err = ENAMETOOLONG;
					goto out_err;
				}
				r->magic = 1;
				r->exists = 1;
				if (prev >= 0)
					ws_close(prev);
				r->parent_fd = cur;
				goto done;
			}
			if (in_proc && target[0] == '/' && ends_with(target, (size_t)tl, " (deleted)")) {
				r->err = ENOENT;
				append_rest(r, work + st0);
				goto out_err;
			}
			/* /proc/self and /proc/thread-self keep their names in the real path, so
			 * that rules can name the process's own entries. */
			bool self = r->len == 5 && memcmp(r->real, "/proc", 5) == 0 &&
				    (strcmp(name, "self") == 0 || strcmp(name, "thread-self") == 0);
			if (self) {
				int sfd = ws_openat(cur, target, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
				if (sfd < 0) {
					r->err = -sfd;
					append_rest(r, work + st0);
					goto out_err;
				}
				append(r, name, nl);
				if (prev >= 0)
					ws_close(prev);
				prev = cur;
				cur = sfd;
				continue;
			}
			/* splice: target + "/" + the rest */
			size_t rest = strlen(work + pos);
			if ((size_t)tl + rest >= sizeof work) {
				r->err = ENAMETOOLONG;
				goto out_err;
			}
			/* work + pos is "" or begins with the '/' before the next name, so a
			 * trailing slash of the original path is kept, and none is added */
			char tmp[PATH_MAX];
			memcpy(tmp, target, (size_t)tl);
			memcpy(tmp + tl, work + pos, rest + 1);
			memcpy(work, tmp, (size_t)tl + rest + 1);
			pos = 0;
			if (target[0] == '/') {
				int rfd = ws_openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
				if (rfd < 0) {
					r->err = -rfd;
					goto out_err;
				}
				ws_close(cur);
				if (prev >= 0)
					ws_close(prev);
				prev = -1;
				cur = rfd;
				r->real[0] = '/';
				r->real[1] = 0;
				r->len = 1;
			}
			continue;
		}
		if (!last && !S_ISDIR(st.st_mode)) {
			ws_close(nfd);
			work[pos] = saved;
			r->err = ENOTDIR;
			append_rest(r, work + st0);
			goto out_err;
		}
		if (append(r, name, nl) < 0) {
			ws_close(nfd);
			r->err = ENAMETOOLONG;
			goto out_err;
		}
		work[pos] = saved;
		if (prev >= 0)
			ws_close(prev);
		prev = cur;
		cur = nfd;
		if (last) {
			r->exists = 1;
			r->st = st;
			r->is_dir = S_ISDIR(st.st_mode);
			r->is_link = S_ISLNK(st.st_mode);
			if (trail && !r->is_dir) {
				r->err = ENOTDIR;
				goto out_err;
			}
			break;
		}
	}
	/* the object is `cur`; its parent `prev` (or found now, after "." and "..") */
	if (!r->exists) {
		r->exists = 1;
		if (sys_fstat(cur, &r->st) == 0) {
			r->is_dir = S_ISDIR(r->st.st_mode);
			r->is_link = S_ISLNK(r->st.st_mode);
		}
	}
	if (prev < 0 || last_special) {
		if (prev >= 0)
			ws_close(prev);
		prev = r->len > 1 ? ws_openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC, 0) : -1;
	}
	r->parent_fd = prev;
	r->obj_fd = cur;
done:
	set_name(r);
	if (!(flags & WR_KEEP))
		wr_done(r);
	return 0;
out_err:
	ws_close(cur);
	if (prev >= 0)
		ws_close(prev);
	r->parent_fd = r->obj_fd = -1;
	set_name(r);
	return 0;
}

/* Opens (O_PATH, without links) the parent folder of the lexical path in r. */
static int open_parent_lexical(struct wr *r)
{
	uint32_t cut = r->name_off > 1 ? r->name_off - 1 : 1;
	char keep = r->real[cut];
	r->real[cut] = 0;
	int pfd = sys_openat2(AT_FDCWD, r->real, O_PATH | O_DIRECTORY | O_CLOEXEC,
			      RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	r->real[cut] = keep;
	return pfd;
}

/* A link on the way, and only the object is wanted: the kernel follows the links
 * (never a /proc magic link) to a descriptor, and names the object it reached. The
 * object used afterwards is that descriptor, so the name judged is the one of the
 * object used. What lies under /proc (whose /proc/self keeps its name in decisions)
 * or is deleted goes to the walk. Returns 0, or -1 for the walk. */
static int kernel_follow(struct wr *r, unsigned flags)
{
	int fd = sys_openat2(AT_FDCWD, r->real, O_PATH | O_CLOEXEC, RESOLVE_NO_MAGICLINKS);
	if (fd < 0)
		return -1;
	char buf[PATH_MAX];
	struct stat st;
	long n = wr_fd_path(fd, buf, sizeof buf);
	if (n <= 0 || wn_is_under(buf, (size_t)n, "/proc", 5) || sys_fstat(fd, &st) < 0) {
		ws_close(fd);
		return -1;
	}
	memcpy(r->real, buf, (size_t)n + 1);
	r->len = (uint32_t)n;
	r->exists = 1;
	r->st = st;
	r->is_dir = S_ISDIR(st.st_mode);
	r->is_link = 0;
	r->lexical = false;
	r->err = 0;
	set_name(r);
	if (flags & WR_KEEP)
		r->obj_fd = fd;
	else
		ws_close(fd);
	return 0;
}

int wr_resolve(int dirfd, const char *path, unsigned flags, struct wr *r)
{
	unsigned nf;
	r->parent_fd = r->obj_fd = -1;
	r->err = 0;
	r->magic = 0;
	r->is_link = 0;
	if (ws_null(path))
		return -EFAULT;
	long n = wr_lexical(dirfd, path, r->real, sizeof r->real, &nf);
	if (n < 0)
		return (int)n;
	r->len = (uint32_t)n;
	r->trail = (nf & WN_TRAIL) != 0;
	if (!(nf & WN_DOTDOT)) {
		/* fast path: the whole path without a link */
		int fd = sys_openat2(AT_FDCWD, r->real, O_PATH | O_NOFOLLOW | O_CLOEXEC,
				     RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
		if (fd >= 0) {
			struct stat st;
			if (sys_fstat(fd, &st) < 0) {
				ws_close(fd);
				goto slow;
			}
			if (S_ISLNK(st.st_mode) && ((flags & WR_FOLLOW) || r->trail)) {
				ws_close(fd);
				goto slow;
			}
			r->exists = 1;
			r->st = st;
			r->is_dir = S_ISDIR(st.st_mode);
			r->is_link = S_ISLNK(st.st_mode);
			r->lexical = true;
			if (r->trail && !r->is_dir)
				r->err = ENOTDIR;
			set_name(r);
			if (flags & WR_KEEP) {
				r->obj_fd = fd;
				if (r->len > 1) {
					r->parent_fd = open_parent_lexical(r);
					if (r->parent_fd < 0) {
						wr_done(r);
						goto slow;
					}
				}
			} else {
				ws_close(fd);
			}
			return 0;
		}
		if (fd == -ENOENT || fd == -ENOTDIR || fd == -EACCES || fd == -ENAMETOOLONG) {
			/* Missing: is it the last name only? Then the folder exists, without a
			 * link on its way, and the object would be created in it. */
			set_name(r);
			if (r->len <= 1) {
				r->err = -fd;
				return 0;
			}
			int pfd = open_parent_lexical(r);
			if (pfd == -ELOOP)
				goto slow;
			r->lexical = true;
			r->exists = 0;
			r->is_dir = r->trail ? 1 : -1;
			if (pfd < 0 || fd != -ENOENT) {
				if (pfd >= 0)
					ws_close(pfd);
				r->err = pfd < 0 ? -pfd : -fd;
				return 0;
			}
			if (flags & WR_KEEP)
				r->parent_fd = pfd;
			else
				ws_close(pfd);
			return 0;
		}
		if (fd != -ELOOP && fd != -EXDEV && fd != -EAGAIN) {
			r->err = -fd;
			set_name(r);
			return 0;
		}
		if (fd == -ELOOP && (flags & WR_OBJONLY) && (flags & WR_FOLLOW) && !r->trail &&
		    kernel_follow(r, flags) == 0)
			return 0;
	}
slow:
	r->parent_fd = r->obj_fd = -1;
	return walk(dirfd, path, flags, r);
}
