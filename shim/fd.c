/* fd.c: the library's own descriptors (the audit log, the sealed policy) stay where
 * they are whatever the program does, and the program cannot use them: closing
 * them, reading or writing them (every read, write, send and receive call, splice,
 * sendfile, copy_file_range), changing their flags, locking, truncating or seeking
 * them, shutting a socket down, duplicating them or making a stream on them fail
 * with EBADF, as for a number the program never opened. The close-everything calls
 * skip them. A program that asks for one of their numbers (dup2, dup3, F_DUPFD onto
 * it) gets it: the library moves its own descriptor to another number first.
 */
#include <aio.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "shim/real.h"
#include "shim/shim.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define OWN_OR(fd, expr) (ws_is_own_fd(fd) ? ws_ret(-EBADF) : (expr))

static long keep_errno(long r, int saved)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	errno = saved;
	return r;
}

WS_EXPORT int close(int fd)
{
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF); /* a number the program never opened */
	int r = ws_close(fd);
	if (WS_UNLIKELY(ws_notify_fd(fd)))
		ws_notify_closed(fd);
	return ws_ret(r);
}

WS_EXPORT int __close(int fd) { return close(fd); }

/* close_range over [first, last] minus the library's descriptors. */
int ws_close_range_impl(unsigned first, unsigned last, unsigned flags)
{
	int own[WS_MAX_OWN_FDS], n = 0;
	for (int i = 0; i < ws.n_own; i++)
		if ((unsigned)ws.own_fds[i] >= first && (unsigned)ws.own_fds[i] <= last)
			own[n++] = ws.own_fds[i];
	for (int i = 1; i < n; i++) /* the few own descriptors, in order */
		for (int j = i; j > 0 && own[j - 1] > own[j]; j--) {
			int t = own[j];
			own[j] = own[j - 1];
			own[j - 1] = t;
		}
	unsigned long cur = first;
	for (int i = 0; i < n; i++) {
		if ((unsigned)own[i] > cur) {
			long r = ws_sc3(SYS_close_range, cur, (unsigned)own[i] - 1, flags);
			if (r < 0)
				return (int)r;
		}
		cur = (unsigned)own[i] + 1ul;
	}
	if (cur <= last) {
		long r = ws_sc3(SYS_close_range, cur, last, flags);
		if (r < 0)
			return (int)r;
	}
	if (!(flags & CLOSE_RANGE_CLOEXEC))
		for (unsigned fd = first; fd <= last && fd < 4096; fd++)
			if (WS_UNLIKELY(ws_notify_fd((int)fd)))
				ws_notify_closed((int)fd);
	return 0;
}

WS_EXPORT int close_range(unsigned first, unsigned last, int flags)
{
	if (first > last)
		return ws_ret(-EINVAL);
	return ws_ret(ws_close_range_impl(first, last, (unsigned)flags));
}

WS_EXPORT void closefrom(int lowfd)
{
	int saved = errno;
	if (lowfd < 0)
		lowfd = 0;
	ws_close_range_impl((unsigned)lowfd, ~0U, 0);
	errno = saved;
}

/* The program names `newfd` as the number it wants: if it is the library's, the
 * library's descriptor moves away first. */
static int make_room(int newfd, bool close_old)
{
	if (!ws_is_own_fd(newfd))
		return 0;
	return ws_own_move(newfd, close_old);
}

WS_EXPORT int dup2(int oldfd, int newfd)
{
	if (ws_is_own_fd(oldfd))
		return ws_ret(-EBADF);
	if (oldfd == newfd) /* dup2 checks oldfd and returns it */
		return ws_fcntl(oldfd, F_GETFD, 0) < 0 ? ws_ret(-EBADF) : newfd;
	if (ws_fcntl(oldfd, F_GETFD, 0) < 0)
		return ws_ret(-EBADF); /* nothing moves for a call that fails */
	int rc = make_room(newfd, false);
	if (rc < 0)
		return ws_ret(rc);
	long r = ws_sc3(SYS_dup3, oldfd, newfd, 0);
	if (r >= 0)
		ws_notify_dup(oldfd, newfd);
	return ws_ret(r);
}

WS_EXPORT int __dup2(int oldfd, int newfd) { return dup2(oldfd, newfd); }

WS_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	if (ws_is_own_fd(oldfd))
		return ws_ret(-EBADF);
	if (oldfd == newfd || (flags & ~O_CLOEXEC))
		return ws_ret(-EINVAL);
	if (ws_fcntl(oldfd, F_GETFD, 0) < 0)
		return ws_ret(-EBADF);
	int rc = make_room(newfd, false);
	if (rc < 0)
		return ws_ret(rc);
	long r = ws_sc3(SYS_dup3, oldfd, newfd, flags);
	if (r >= 0)
		ws_notify_dup(oldfd, newfd);
	return ws_ret(r);
}

WS_EXPORT int dup(int fd)
{
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	long r = ws_sc1(SYS_dup, fd);
	if (r >= 0)
		ws_notify_dup(fd, (int)r);
	return ws_ret(r);
}

static int fcntl_impl(int fd, int cmd, long arg)
{
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	if ((cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && arg >= 0 && arg <= INT_MAX &&
	    ws_fcntl(fd, F_GETFD, 0) >= 0) {
		/* the lowest free number from arg: one of the library's would be skipped */
		int rc = make_room((int)arg, true);
		if (rc < 0)
			return ws_ret(rc);
	}
	long r = ws_sc3(SYS_fcntl, fd, cmd, arg);
	if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC))
		ws_notify_dup(fd, (int)r);
	return ws_ret(r);
}

WS_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);
	return fcntl_impl(fd, cmd, arg);
}

WS_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);
	return fcntl_impl(fd, cmd, arg);
}

/* ioctl requests that change a file's attributes (chattr: immutable, append-only;
 * project quotas; the generation): the kernel asks for ownership, not for a
 * descriptor opened to write, so a read-only descriptor of a read-level file would
 * do. They need write on the file, like chmod. */
static bool changes_file(unsigned long req)
{
	switch (req & 0xffffffffu) {
	case 0x40086602: /* FS_IOC_SETFLAGS */
	case 0x40046602: /* FS_IOC32_SETFLAGS */
	case 0x401c5820: /* FS_IOC_FSSETXATTR */
	case 0x40087602: /* FS_IOC_SETVERSION */
	case 0x40047602: /* FS_IOC32_SETVERSION */
		return true;
	}
	return false;
}

WS_EXPORT int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	long arg = va_arg(ap, long);
	va_end(ap);
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	/* typing into a terminal, or pasting its selection: refused, as ward run's
	 * seccomp filter does (the command is an unsigned int) */
	if ((unsigned)req == TIOCSTI || (unsigned)req == TIOCLINUX)
		return ws_ret(ws_forbid("ioctl", AT_FDCWD, NULL, EPERM));
	if (changes_file(req) && ws_active()) {
		int rc = ws_gate_fd("ioctl", fd, WA_WRITE, WL_WRITE);
		if (rc < 0)
			return ws_ret(rc);
	}
	return ws_ret(ws_sc3(SYS_ioctl, fd, req, arg));
}

WS_EXPORT int ftruncate(int fd, off_t len)
{
	int saved = errno;
	return OWN_OR(fd, (int)keep_errno(ws_sc2(SYS_ftruncate, fd, len), saved));
}

WS_EXPORT int ftruncate64(int fd, off_t len) { return ftruncate(fd, len); }

WS_EXPORT off_t lseek(int fd, off_t off, int whence)
{
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	long r = ws_sc3(SYS_lseek, fd, off, whence);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

WS_EXPORT off_t lseek64(int fd, off_t off, int whence) { return lseek(fd, off, whence); }

WS_EXPORT ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	long r = ws_sc4(SYS_pwrite64, fd, buf, n, off);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

WS_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) { return pwrite(fd, buf, n, off); }

WS_EXPORT ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	long r = ws_sc5(SYS_pwritev, fd, iov, cnt, off, 0);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

WS_EXPORT ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return pwritev(fd, iov, cnt, off);
}

WS_EXPORT ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	long r = ws_sc6(SYS_pwritev2, fd, (long)iov, cnt, (long)off, 0, flags);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

WS_EXPORT ssize_t pwritev64v2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
	return pwritev2(fd, iov, cnt, off, flags);
}

WS_EXPORT int fallocate(int fd, int mode, off_t off, off_t len)
{
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	return ws_ret(ws_sc4(SYS_fallocate, fd, mode, off, len));
}

WS_EXPORT int fallocate64(int fd, int mode, off_t off, off_t len) { return fallocate(fd, mode, off, len); }

WS_EXPORT ssize_t copy_file_range(int in, off_t *off_in, int out, off_t *off_out, size_t len,
				  unsigned flags)
{
	if (ws_is_own_fd(out) || ws_is_own_fd(in))
		return ws_ret(-EBADF);
	long r = ws_sc6(SYS_copy_file_range, in, (long)off_in, out, (long)off_out, (long)len, flags);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

WS_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fd >= 0 && !(flags & MAP_ANONYMOUS) && ws_is_own_fd(fd)) {
		errno = EBADF;
		return MAP_FAILED;
	}
	long r = ws_sc6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
	if ((unsigned long)r > -4096UL) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

WS_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap(addr, len, prot, flags, fd, off);
}


WS_EXPORT FILE *fdopen(int fd, const char *mode)
{
	if (ws_is_own_fd(fd)) {
		errno = EBADF;
		return NULL;
	}
	return real.fdopen(fd, mode);
}

/* ---- reading and writing: every libc route to a descriptor's data ----
 *
 * These end in the raw system call, like the rest of the library; a refused call
 * changes nothing. (Being raw, they are not cancellation points of pthread_cancel.) */

/* -errno results, errno kept on success */
static long fd_ret(long r, int saved)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	errno = saved;
	return r;
}

#define OWN_EBADF(fd)                                                                              \
	do {                                                                                       \
		if (ws_is_own_fd(fd)) {                                                            \
			errno = EBADF;                                                             \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)

WS_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc3(SYS_write, fd, buf, n), saved);
}

WS_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc3(SYS_writev, fd, iov, cnt), saved);
}

WS_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	int saved = errno;
	OWN_EBADF(fd);
	long r = ws_sc3(SYS_read, fd, buf, n);
	while (WS_UNLIKELY(r > 0 && ws_notify_fd(fd))) {
		/* inotify events: those naming hidden entries are taken out; when none is
		 * left, the read goes on (or says EAGAIN, for a non-blocking one) */
		long k = ws_notify_filter(fd, buf, r);
		if (k > 0) {
			r = k;
			break;
		}
		r = ws_sc3(SYS_read, fd, buf, n);
	}
	return fd_ret(r, saved);
}

WS_EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc3(SYS_readv, fd, iov, cnt), saved);
}

WS_EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc4(SYS_pread64, fd, buf, n, off), saved);
}

WS_EXPORT ssize_t pread64(int fd, void *buf, size_t n, off_t off) { return pread(fd, buf, n, off); }

WS_EXPORT ssize_t preadv(int fd, const struct iovec *iov, int cnt, off_t off)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc5(SYS_preadv, fd, iov, cnt, off, 0), saved);
}

WS_EXPORT ssize_t preadv64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	return preadv(fd, iov, cnt, off);
}

WS_EXPORT ssize_t preadv2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc6(SYS_preadv2, fd, (long)iov, cnt, (long)off, 0, flags), saved);
}

WS_EXPORT ssize_t preadv64v2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
	return preadv2(fd, iov, cnt, off, flags);
}

/* The fortified forms check the caller's buffer first, as libc does. */
__attribute__((noreturn)) static void chk_fail(void)
{
	static const char m[] = "*** buffer overflow detected ***: terminated\n";
	ws_write(2, m, sizeof m - 1);
	ws_sc2(SYS_kill, ws_getpid(), SIGABRT);
	ws_exit_group(127);
}

WS_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	if (n > buflen)
		chk_fail();
	return read(fd, buf, n);
}

WS_EXPORT ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
	if (n > buflen)
		chk_fail();
	return pread(fd, buf, n, off);
}

WS_EXPORT ssize_t __pread64_chk(int fd, void *buf, size_t n, off_t off, size_t buflen)
{
	if (n > buflen)
		chk_fail();
	return pread(fd, buf, n, off);
}

WS_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr,
			   socklen_t *alen)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc6(SYS_recvfrom, fd, (long)buf, (long)n, flags, (long)addr, (long)alen), saved);
}

WS_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags) { return recvfrom(fd, buf, n, flags, NULL, NULL); }

WS_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags)
{
	if (n > buflen)
		chk_fail();
	return recvfrom(fd, buf, n, flags, NULL, NULL);
}

WS_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags,
				 struct sockaddr *addr, socklen_t *alen)
{
	if (n > buflen)
		chk_fail();
	return recvfrom(fd, buf, n, flags, addr, alen);
}

WS_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc3(SYS_recvmsg, fd, msg, flags), saved);
}

WS_EXPORT int recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags, struct timespec *tmo)
{
	int saved = errno;
	OWN_EBADF(fd);
	return (int)fd_ret(ws_sc5(SYS_recvmmsg, fd, v, n, flags, tmo), saved);
}

WS_EXPORT ssize_t sendfile(int out, int in, off_t *off, size_t n)
{
	int saved = errno;
	OWN_EBADF(out);
	OWN_EBADF(in);
	return fd_ret(ws_sc4(SYS_sendfile, out, in, off, n), saved);
}

WS_EXPORT ssize_t sendfile64(int out, int in, off_t *off, size_t n) { return sendfile(out, in, off, n); }

WS_EXPORT ssize_t splice(int in, loff_t *off_in, int out, loff_t *off_out, size_t n, unsigned flags)
{
	int saved = errno;
	OWN_EBADF(in);
	OWN_EBADF(out);
	return fd_ret(ws_sc6(SYS_splice, in, (long)off_in, out, (long)off_out, (long)n, flags), saved);
}

WS_EXPORT ssize_t tee(int in, int out, size_t n, unsigned flags)
{
	int saved = errno;
	OWN_EBADF(in);
	OWN_EBADF(out);
	return fd_ret(ws_sc4(SYS_tee, in, out, n, flags), saved);
}

WS_EXPORT ssize_t vmsplice(int fd, const struct iovec *iov, size_t n, unsigned flags)
{
	int saved = errno;
	OWN_EBADF(fd);
	return fd_ret(ws_sc4(SYS_vmsplice, fd, iov, n, flags), saved);
}

WS_EXPORT int shutdown(int fd, int how)
{
	int saved = errno;
	OWN_EBADF(fd);
	return (int)fd_ret(ws_sc2(SYS_shutdown, fd, how), saved);
}

WS_EXPORT int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	int saved = errno;
	OWN_EBADF(fd);
	return (int)fd_ret(ws_sc5(SYS_setsockopt, fd, level, name, val, len), saved);
}

WS_EXPORT int flock(int fd, int op)
{
	int saved = errno;
	OWN_EBADF(fd);
	return (int)fd_ret(ws_sc2(SYS_flock, fd, op), saved);
}

/* lockf is fcntl locking; libc's does the arithmetic, ward's fcntl the call. */
WS_EXPORT int lockf(int fd, int cmd, off_t len)
{
	struct flock fl = {.l_whence = SEEK_CUR, .l_start = 0, .l_len = len};
	switch (cmd) {
	case F_TEST:
		fl.l_type = F_RDLCK;
		if (fcntl_impl(fd, F_GETLK, (long)&fl) < 0)
			return -1;
		if (fl.l_type == F_UNLCK || fl.l_pid == ws_getpid())
			return 0;
		errno = EACCES;
		return -1;
	case F_ULOCK:
		fl.l_type = F_UNLCK;
		return fcntl_impl(fd, F_SETLK, (long)&fl);
	case F_LOCK:
		fl.l_type = F_WRLCK;
		return fcntl_impl(fd, F_SETLKW, (long)&fl);
	case F_TLOCK:
		fl.l_type = F_WRLCK;
		return fcntl_impl(fd, F_SETLK, (long)&fl);
	}
	errno = EINVAL;
	return -1;
}

WS_EXPORT int lockf64(int fd, int cmd, off_t len) { return lockf(fd, cmd, len); }

/* posix_fallocate returns the error; where the file system has no fallocate, libc
 * writes zeros, which libc's own function does: called after the check. */
WS_EXPORT int posix_fallocate(int fd, off_t off, off_t len)
{
	if (ws_is_own_fd(fd))
		return EBADF;
	static int (*libc)(int, off_t, off_t);
	if (!libc)
		libc = (int (*)(int, off_t, off_t))ws_next_sym("posix_fallocate64", NULL);
	return libc ? libc(fd, off, len) : ENOSYS;
}

WS_EXPORT int posix_fallocate64(int fd, off_t off, off_t len) { return posix_fallocate(fd, off, len); }

WS_EXPORT int eventfd_read(int fd, uint64_t *value)
{
	return read(fd, value, sizeof *value) == sizeof *value ? 0 : -1;
}

WS_EXPORT int eventfd_write(int fd, uint64_t value)
{
	return write(fd, &value, sizeof value) == sizeof value ? 0 : -1;
}

WS_EXPORT int mq_close(int fd) { return close(fd); }

/* getdirentries: getdents64 with the position before the read; filtered as listings
 * are (hidden names removed). */
WS_EXPORT ssize_t getdirentries64(int fd, char *buf, size_t n, off_t *base)
{
	int saved = errno;
	OWN_EBADF(fd);
	long pos = ws_sc3(SYS_lseek, fd, 0, SEEK_CUR);
	if (pos < 0)
		return fd_ret(pos, saved);
	long r = ws_active() ? ws_getdents_impl(fd, buf, n) : ws_sc3(SYS_getdents64, fd, buf, n);
	if (r >= 0 && !ws_null(base))
		*base = pos;
	return fd_ret(r, saved);
}

WS_EXPORT ssize_t getdirentries(int fd, char *buf, size_t n, off_t *base)
{
	return getdirentries64(fd, buf, n, base);
}

/* Descriptors carried in structures that libc then uses inside: a stream made on a
 * descriptor (dprintf), the terminal of login_tty, the descriptor of
 * backtrace_symbols_fd. Checked, then libc's function does the work. */
#define LIBC(name, type) ((type)libc_fn(&name##_fn, #name))
static void *libc_fn(void **slot, const char *name)
{
	void *p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (!p) {
		p = ws_next_sym(name, NULL);
		if (!p)
			ws_die("cannot find libc's %s", name);
		__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	}
	return p;
}
static void *vdprintf_fn, *login_tty_fn, *backtrace_symbols_fd_fn, *__vdprintf_chk_fn;

WS_EXPORT int vdprintf(int fd, const char *fmt, va_list ap)
{
	OWN_EBADF(fd);
	return LIBC(vdprintf, int (*)(int, const char *, va_list))(fd, fmt, ap);
}

WS_EXPORT int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

WS_EXPORT int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
{
	OWN_EBADF(fd);
	return LIBC(__vdprintf_chk, int (*)(int, int, const char *, va_list))(fd, flag, fmt, ap);
}

WS_EXPORT int __dprintf_chk(int fd, int flag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = __vdprintf_chk(fd, flag, fmt, ap);
	va_end(ap);
	return r;
}

WS_EXPORT int login_tty(int fd)
{
	OWN_EBADF(fd);
	return LIBC(login_tty, int (*)(int))(fd);
}

WS_EXPORT void backtrace_symbols_fd(void *const *buf, int n, int fd)
{
	if (ws_is_own_fd(fd))
		return;
	LIBC(backtrace_symbols_fd, void (*)(void *const *, int, int))(buf, n, fd);
}

/* POSIX asynchronous I/O: the descriptor is in the request, which a helper thread of
 * libc then reads or writes. */
static void *aio_read_fn, *aio_write_fn, *aio_fsync_fn, *aio_cancel_fn, *lio_listio_fn;

WS_EXPORT int aio_read(struct aiocb *cb)
{
	OWN_EBADF(ws_null(cb) ? -1 : cb->aio_fildes);
	return LIBC(aio_read, int (*)(struct aiocb *))(cb);
}

WS_EXPORT int aio_write(struct aiocb *cb)
{
	OWN_EBADF(ws_null(cb) ? -1 : cb->aio_fildes);
	return LIBC(aio_write, int (*)(struct aiocb *))(cb);
}

WS_EXPORT int aio_fsync(int op, struct aiocb *cb)
{
	OWN_EBADF(ws_null(cb) ? -1 : cb->aio_fildes);
	return LIBC(aio_fsync, int (*)(int, struct aiocb *))(op, cb);
}

WS_EXPORT int aio_cancel(int fd, struct aiocb *cb)
{
	OWN_EBADF(fd);
	OWN_EBADF(ws_null(cb) ? -1 : cb->aio_fildes);
	return LIBC(aio_cancel, int (*)(int, struct aiocb *))(fd, cb);
}

WS_EXPORT int lio_listio(int mode, struct aiocb *const list[], int n, struct sigevent *sev)
{
	for (int i = 0; !ws_null(list) && i < n; i++)
		if (list[i] && list[i]->aio_lio_opcode != LIO_NOP)
			OWN_EBADF(list[i]->aio_fildes);
	return LIBC(lio_listio, int (*)(int, struct aiocb *const[], int, struct sigevent *))(mode, list, n,
											      sev);
}
