/* ipc.c: POSIX shared memory, semaphores and message queues, and ftok: names that
 * libc turns into files (/dev/shm/NAME, /dev/shm/sem.NAME, the mqueue file system)
 * or stats (ftok). Judged as the files they are: /dev/shm is closed unless a
 * justified rule opens it (DESIGN §5), and a program that needs shared memory or
 * semaphores (Python's multiprocessing) needs such a rule.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "shim/shim.h"

/* "/NAME" (one leading slash or more, as glibc accepts) -> DIR/PREFIXNAME; -errno
 * for a name glibc refuses. */
static int ipc_path(char *out, size_t size, const char *dir, const char *prefix, const char *name)
{
	if (ws_null(name))
		return -EINVAL;
	while (*name == '/')
		name++;
	size_t n = strlen(name);
	if (n == 0 || strchr(name, '/'))
		return -EINVAL;
	if (n > NAME_MAX - strlen(prefix))
		return -ENAMETOOLONG;
	size_t dl = strlen(dir), pl = strlen(prefix);
	if (dl + 1 + pl + n >= size)
		return -ENAMETOOLONG;
	memcpy(out, dir, dl);
	out[dl] = '/';
	memcpy(out + dl + 1, prefix, pl);
	memcpy(out + dl + 1 + pl, name, n + 1);
	return 0;
}

WS_EXPORT int shm_open(const char *name, int oflag, mode_t mode)
{
	int saved = errno;
	char path[PATH_MAX];
	int rc = ipc_path(path, sizeof path, "/dev/shm", "", name);
	if (rc < 0)
		return ws_ret(rc);
	if (!ws_active())
		return ws_ret(ws_openat(AT_FDCWD, path, oflag | O_NOFOLLOW | O_CLOEXEC, mode));
	int fd = ws_open_impl("shm_open", AT_FDCWD, path, oflag | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return ws_ret(fd);
	errno = saved;
	return fd;
}

WS_EXPORT int shm_unlink(const char *name)
{
	int saved = errno;
	char path[PATH_MAX];
	int rc = ipc_path(path, sizeof path, "/dev/shm", "", name);
	if (rc < 0)
		return ws_ret(rc);
	rc = ws_active() ? ws_unlink_impl("shm_unlink", AT_FDCWD, path, 0)
			 : (int)ws_sc3(SYS_unlinkat, AT_FDCWD, path, 0);
	if (rc < 0)
		return ws_ret(rc);
	errno = saved;
	return 0;
}

/* sem_open: libc makes and maps the file (a temporary file linked into place when it
 * creates one, opened with O_NOFOLLOW in the fixed /dev/shm); the semaphore is
 * written, so write is needed even to open an existing one. Judged, then libc's. */
static void *sem_open_fn;

WS_EXPORT sem_t *sem_open(const char *name, int oflag, ...)
{
	mode_t mode = 0;
	unsigned value = 0;
	if (oflag & O_CREAT) {
		va_list ap;
		va_start(ap, oflag);
		mode = (mode_t)va_arg(ap, int);
		value = va_arg(ap, unsigned);
		va_end(ap);
	}
	char path[PATH_MAX];
	int rc = ipc_path(path, sizeof path, "/dev/shm", "sem.", name);
	if (rc < 0) {
		errno = -rc;
		return SEM_FAILED;
	}
	if (ws_active()) {
		struct wr r;
		rc = wr_resolve(AT_FDCWD, path, 0, &r);
		if (rc == 0) {
			bool create = !r.exists && (oflag & O_CREAT);
			struct ws_op op = {.fn = "sem_open", .access = create ? WA_CREATE : WA_WRITE,
					   .need = WL_WRITE, .path = path, .r = &r};
			if (r.err || (!r.exists && !(oflag & O_CREAT)))
				rc = ws_refusal(&r, "sem_open", path, WA_WRITE, WL_WRITE);
			else
				rc = ws_gate(&op);
		}
		if (rc < 0) {
			errno = -rc;
			return SEM_FAILED;
		}
	}
	void *p = __atomic_load_n(&sem_open_fn, __ATOMIC_ACQUIRE);
	if (!p) {
		p = ws_next_sym("sem_open", NULL);
		if (!p)
			ws_die("cannot find libc's sem_open");
		__atomic_store_n(&sem_open_fn, p, __ATOMIC_RELEASE);
	}
	return ((sem_t * (*)(const char *, int, ...)) p)(name, oflag, mode, value);
}

WS_EXPORT int sem_unlink(const char *name)
{
	int saved = errno;
	char path[PATH_MAX];
	int rc = ipc_path(path, sizeof path, "/dev/shm", "sem.", name);
	if (rc < 0)
		return ws_ret(rc == -EINVAL ? -ENOENT : rc);
	rc = ws_active() ? ws_unlink_impl("sem_unlink", AT_FDCWD, path, 0)
			 : (int)ws_sc3(SYS_unlinkat, AT_FDCWD, path, 0);
	if (rc < 0)
		return ws_ret(rc);
	errno = saved;
	return 0;
}

/* Message queues live in the mqueue file system, judged as /dev/mqueue/NAME (where
 * it is mounted; the name is judged whether it is mounted or not). */
static int mq_judge(const char *fn, const char *name, int oflag, bool unlink)
{
	char path[PATH_MAX];
	if (ws_null(name) || name[0] != '/')
		return -EINVAL;
	int rc = ipc_path(path, sizeof path, "/dev/mqueue", "", name);
	if (rc < 0)
		return rc;
	if (!ws_active())
		return 0;
	struct wr r;
	memset(&r, 0, sizeof r);
	size_t n = strlen(path);
	memcpy(r.real, path, n + 1);
	r.len = (uint32_t)n;
	r.name_off = 12; /* after "/dev/mqueue/" */
	r.parent_fd = r.obj_fd = -1;
	r.exists = 1;
	r.is_dir = 0;
	int access = WA_READ, need = WL_READ;
	if (unlink) {
		access = WA_DELETE;
		need = WL_WRITE;
	} else if ((oflag & O_ACCMODE) != O_RDONLY || (oflag & O_CREAT)) {
		access = (oflag & O_CREAT) ? WA_CREATE : WA_WRITE;
		need = WL_WRITE;
	}
	struct ws_op op = {.fn = fn, .access = access, .need = need, .path = name, .r = &r};
	return ws_gate(&op);
}

WS_EXPORT mqd_t mq_open(const char *name, int oflag, ...)
{
	int saved = errno;
	mode_t mode = 0;
	struct mq_attr *attr = NULL;
	if (oflag & O_CREAT) {
		va_list ap;
		va_start(ap, oflag);
		mode = (mode_t)va_arg(ap, int);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	int rc = mq_judge("mq_open", name, oflag, false);
	if (rc < 0)
		return (mqd_t)ws_ret(rc);
	long r = ws_sc4(SYS_mq_open, name + 1, oflag, mode, attr);
	if (r < 0)
		return (mqd_t)ws_ret(r);
	errno = saved;
	return (mqd_t)r;
}

/* The fortified form, called when the compiler saw no mode (so no O_CREAT). */
WS_EXPORT mqd_t __mq_open_2(const char *name, int oflag)
{
	if (oflag & O_CREAT)
		ws_die("invalid mq_open call: O_CREAT without mode and attributes");
	return mq_open(name, oflag);
}

WS_EXPORT int mq_unlink(const char *name)
{
	int saved = errno;
	int rc = mq_judge("mq_unlink", name, 0, true);
	if (rc < 0)
		return ws_ret(rc == -EINVAL ? -ENOENT : rc);
	long r = ws_sc1(SYS_mq_unlink, name + 1);
	if (r < 0)
		return ws_ret(r);
	errno = saved;
	return 0;
}

/* ftok: a key from the file's inode and device, through ward's stat (a hidden
 * file is missing). */
WS_EXPORT key_t ftok(const char *path, int id)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return (key_t)-1;
	return (key_t)((st.st_ino & 0xffff) | ((st.st_dev & 0xff) << 16) | (((unsigned)id & 0xff) << 24));
}
