/* fd.c: the library's own descriptors (the audit log, the sealed policy) stay where
 * they are whatever the program does: close and the close-everything calls skip
 * them; dup2/dup3 onto them, duplicating them, changing their flags, positional
 * writes, truncation and seeks on them are refused with EBADF.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <sys/mman.h>
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
		return 0; /* "closed", as far as the program can tell; still in place */
	return ws_ret(ws_close(fd));
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

WS_EXPORT int dup2(int oldfd, int newfd)
{
	if (ws_is_own_fd(oldfd) || ws_is_own_fd(newfd))
		return ws_ret(-EBADF);
	if (oldfd == newfd) /* dup2 checks oldfd and returns it */
		return ws_fcntl(oldfd, F_GETFD, 0) < 0 ? ws_ret(-EBADF) : newfd;
	return ws_ret(ws_sc3(SYS_dup3, oldfd, newfd, 0));
}

WS_EXPORT int __dup2(int oldfd, int newfd) { return dup2(oldfd, newfd); }

WS_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	if (ws_is_own_fd(oldfd) || ws_is_own_fd(newfd))
		return ws_ret(-EBADF);
	return ws_ret(ws_sc3(SYS_dup3, oldfd, newfd, flags));
}

WS_EXPORT int dup(int fd) { return OWN_OR(fd, ws_ret(ws_sc1(SYS_dup, fd))); }

static int fcntl_impl(int fd, int cmd, long arg)
{
	if (ws_is_own_fd(fd) && cmd != F_GETFD && cmd != F_GETFL)
		return ws_ret(-EBADF);
	return ws_ret(ws_sc3(SYS_fcntl, fd, cmd, arg));
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
	if (fd >= 0 && ws_is_own_fd(fd) && (prot & PROT_WRITE) && (flags & MAP_SHARED)) {
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
