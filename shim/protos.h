/* protos.h: prototypes of the libc names the library exports that no public header
 * declares (fortify and versioned entry points that compilers emit calls to). */
#ifndef WARD_PROTOS_H
#define WARD_PROTOS_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);
ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen);
char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);
int __xmknod(int ver, const char *path, mode_t mode, dev_t *dev);
int __xmknodat(int ver, int dirfd, const char *path, mode_t mode, dev_t *dev);
int __close(int fd);
int __dup2(int oldfd, int newfd);
ssize_t pwritev64v2(int fd, const struct iovec *iov, int cnt, off_t off, int flags);
#include <signal.h>
__sighandler_t bsd_signal(int sig, __sighandler_t handler);
#include <stdarg.h>
#include <sys/socket.h>
ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
ssize_t __pread_chk(int fd, void *buf, size_t n, off_t off, size_t buflen);
ssize_t __pread64_chk(int fd, void *buf, size_t n, off_t off, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags, struct sockaddr *addr,
		       socklen_t *alen);
ssize_t sendfile(int out, int in, off_t *off, size_t n);
ssize_t sendfile64(int out, int in, off_t *off, size_t n);
int flock(int fd, int op);
int mq_close(int fd);
int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap);
int __dprintf_chk(int fd, int flag, const char *fmt, ...);
int login_tty(int fd);
void backtrace_symbols_fd(void *const *buf, int n, int fd);
/* Sun RPC (glibc's rpc headers are not installed on Debian: the client is opaque) */
void *clnt_create(const char *host, unsigned long prog, unsigned long vers, const char *proto);
#include <mqueue.h>
mqd_t __mq_open_2(const char *name, int oflag);
void _mcleanup(void);

#endif
