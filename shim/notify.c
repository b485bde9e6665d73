/* notify.c: inotify. A watch tells whether a name exists and what happens to it: it
 * needs `view`, like stat, and is put on the object judged. The events of a watched
 * folder name its entries: the names of hidden entries are taken out of what read()
 * returns, as they are taken out of listings.
 *
 * The library knows its inotify descriptors (inotify_init, inotify_init1, and their
 * copies by dup, dup2, dup3, F_DUPFD) and, for each watch, the real path of the
 * folder watched. An event whose watch it does not know, with a name, is dropped
 * (fail closed). At most WS_NOTIFY_FDS descriptor numbers and WS_NOTIFY_WATCHES
 * watches: past them, inotify_init and inotify_add_watch fail (EMFILE, ENOSPC).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>

#include "shim/shim.h"

#define WS_NOTIFY_FDS 4096
#define WS_NOTIFY_WATCHES 8192

/* inst[fd]: 0, or 1 + the number of the descriptor that made the instance */
static _Atomic(short) inst[WS_NOTIFY_FDS];
static struct watch {
	_Atomic(int) key; /* 0: free; else (instance << 20 | wd) + 1 ... see wkey() */
	int wd;
	char *dir; /* real path of the folder watched (malloc'd), NULL for a file */
	size_t dl;
} watches[WS_NOTIFY_WATCHES];

static int wkey(int instance, int wd) { return instance * 1048576 + (wd & 0xfffff) + 1; }

bool ws_notify_fd(int fd)
{
	return fd >= 0 && fd < WS_NOTIFY_FDS && atomic_load_explicit(&inst[fd], memory_order_relaxed);
}

void ws_notify_dup(int from, int to)
{
	if (to < 0 || to >= WS_NOTIFY_FDS)
		return;
	short v = ws_notify_fd(from) ? atomic_load(&inst[from]) : 0;
	atomic_store(&inst[to], v);
}

void ws_notify_closed(int fd)
{
	if (fd < 0 || fd >= WS_NOTIFY_FDS || !atomic_load(&inst[fd]))
		return;
	/* a vfork child shares this memory with its parent, which still holds the
	 * descriptor: nothing is forgotten there */
	if (ws_getpid() != ws.pid)
		return;
	short me = (short)(fd + 1);
	bool own = atomic_load(&inst[fd]) == me;
	atomic_store(&inst[fd], 0);
	if (!own)
		return;
	/* the instance's creating number is gone: its watches are forgotten (copies of
	 * it that remain then drop the events with names) */
	for (int i = 0; i < WS_NOTIFY_WATCHES; i++) {
		int k = atomic_load(&watches[i].key);
		if (k && (k - 1) / 1048576 == fd) {
			free(watches[i].dir);
			watches[i].dir = NULL;
			atomic_store(&watches[i].key, 0);
		}
	}
}

static int init_impl(int flags)
{
	int saved = errno;
	int fd = (int)ws_sc1(SYS_inotify_init1, flags);
	if (fd < 0)
		return ws_ret(fd);
	if (fd >= WS_NOTIFY_FDS) {
		ws_close(fd);
		return ws_ret(-EMFILE);
	}
	ws_notify_closed(fd); /* a stale record of an earlier instance at this number */
	atomic_store(&inst[fd], (short)(fd + 1));
	errno = saved;
	return fd;
}

WS_EXPORT int inotify_init(void) { return init_impl(0); }
WS_EXPORT int inotify_init1(int flags) { return init_impl(flags); }

static void remember(int fd, int wd, const struct wr *r)
{
	int instance = atomic_load(&inst[fd]) - 1;
	int key = wkey(instance, wd);
	for (int i = 0; i < WS_NOTIFY_WATCHES; i++)
		if (atomic_load(&watches[i].key) == key) {
			free(watches[i].dir);
			watches[i].dir = NULL;
			atomic_store(&watches[i].key, 0);
		}
	for (int i = 0; i < WS_NOTIFY_WATCHES; i++) {
		int expected = 0;
		if (atomic_compare_exchange_strong(&watches[i].key, &expected, -1)) {
			watches[i].wd = wd;
			watches[i].dir = r->is_dir == 1 ? strdup(r->real) : NULL;
			watches[i].dl = r->len;
			atomic_store(&watches[i].key, key);
			return;
		}
	}
}

WS_EXPORT int inotify_add_watch(int fd, const char *path, uint32_t mask)
{
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_inotify_add_watch, fd, path, mask));
	int saved = errno;
	if (!ws_notify_fd(fd)) {
		/* one made where the library did not see it (before it started, or by a
		 * raw system call): taken on, or the kernel's own answer (EBADF, EINVAL) */
		char proc[32], t[32];
		if (fd < 0 || ws_fcntl(fd, F_GETFD, 0) < 0)
			return ws_ret(-EBADF);
		ws_proc_fd(proc, fd);
		long n = ws_readlinkat(AT_FDCWD, proc, t, sizeof t);
		if (n != 18 || memcmp(t, "anon_inode:inotify", 18) != 0)
			return ws_ret(-EINVAL);
		if (fd >= WS_NOTIFY_FDS)
			return ws_ret(-EMFILE);
		atomic_store(&inst[fd], (short)(fd + 1));
	}
	struct wr r;
	int rc = ws_prepare("inotify_add_watch", AT_FDCWD, path, (mask & IN_DONT_FOLLOW) ? 0 : WR_FOLLOW,
			    WA_STAT, WL_VIEW, false, &r);
	if (rc < 0)
		return ws_ret(rc);
	/* the watch is put on the object judged, through its descriptor; a link not
	 * followed is reached through its folder */
	char p[PATH_MAX];
	ws_proc_fd(p, r.obj_fd);
	if (r.is_link && (mask & IN_DONT_FOLLOW) && r.parent_fd >= 0) {
		ws_proc_fd(p, r.parent_fd);
		size_t l = strlen(p);
		if (l + 1 + strlen(wr_name(&r)) >= sizeof p) {
			wr_done(&r);
			return ws_ret(-ENAMETOOLONG);
		}
		p[l] = '/';
		strcpy(p + l + 1, wr_name(&r));
	} else {
		mask &= ~(uint32_t)IN_DONT_FOLLOW; /* the magic link must be followed */
	}
	int used = 0;
	for (int i = 0; i < WS_NOTIFY_WATCHES; i++)
		used += atomic_load(&watches[i].key) != 0;
	if (used >= WS_NOTIFY_WATCHES) {
		wr_done(&r);
		return ws_ret(-ENOSPC);
	}
	rc = (int)ws_sc3(SYS_inotify_add_watch, fd, p, mask);
	if (rc >= 0)
		remember(fd, rc, &r);
	wr_done(&r);
	if (rc < 0)
		return ws_ret(rc);
	errno = saved;
	return rc;
}

static const struct watch *find(int instance, int wd)
{
	int key = wkey(instance, wd);
	for (int i = 0; i < WS_NOTIFY_WATCHES; i++)
		if (atomic_load(&watches[i].key) == key)
			return &watches[i];
	return NULL;
}

/* Is fd still an inotify descriptor? (A number the library marked may have been
 * closed where it did not see it: fclose of a stream made on it.) */
static bool still_inotify(int fd)
{
	char proc[32], t[32];
	ws_proc_fd(proc, fd);
	long n = ws_readlinkat(AT_FDCWD, proc, t, sizeof t);
	if (n == 18 && memcmp(t, "anon_inode:inotify", 18) == 0)
		return true;
	atomic_store(&inst[fd], 0);
	return false;
}

long ws_notify_filter(int fd, char *buf, long n)
{
	if (!still_inotify(fd))
		return n;
	int instance = atomic_load(&inst[fd]) - 1;
	long in = 0, out = 0;
	while (in + (long)sizeof(struct inotify_event) <= n) {
		struct inotify_event *e = (struct inotify_event *)(buf + in);
		long sz = (long)sizeof *e + e->len;
		if (in + sz > n)
			break;
		bool keep = true;
		if (e->len && ws.mode != WM_AUDIT) {
			const struct watch *w = find(instance, e->wd);
			size_t nl = strnlen(e->name, e->len);
			if (!w || !w->dir)
				keep = false; /* a name under a watch the library does not know */
			else
				keep = ws_entry_visible(w->dir, w->dl, e->name, nl,
							(e->mask & IN_ISDIR) ? 4 /* DT_DIR */ : 0, -1);
		}
		if (keep) {
			if (out != in)
				memmove(buf + out, buf + in, (size_t)sz);
			out += sz;
		}
		in += sz;
	}
	return out;
}
