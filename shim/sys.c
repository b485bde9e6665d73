/* sys.c: libc's syscall(). Node makes its stats, some closes and copies through it,
 * and a program may reach any path call this way; the path and descriptor calls are
 * decoded and sent to their wrappers, io_uring_setup fails with ENOSYS (libuv then
 * falls back to plain calls that the library sees), everything else goes through.
 * Arguments arrive as raw longs: descriptors are cast to int (node's AT_FDCWD comes
 * as 4294967196). */
#include <dirent.h>
#include <mqueue.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "shim/shim.h"

#include <sched.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/swap.h>

/* Numbers shared by every architecture since Linux 5.1 */
#define WS_SYS_open_tree 428
#define WS_SYS_move_mount 429
#define WS_SYS_fsopen 430
#define WS_SYS_fsconfig 431
#define WS_SYS_fsmount 432
#define WS_SYS_fspick 433
#define WS_SYS_clone3 435
#define WS_SYS_mount_setattr 442
#define WS_SYS_fchmodat2 452
/* the last system call whose paths this library knows (mseal, Linux 6.10); 463 on
 * are the *xattrat calls, open_tree_attr, file_getattr... */
#define WS_SYS_LAST_KNOWN 462

#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif

static long ret(long r)
{
	return r; /* wrappers already set errno and return -1 on failure */
}

/* errno-style results of the -errno cores */
static long core(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

WS_EXPORT long syscall(long n, ...)
{
	va_list ap;
	va_start(ap, n);
	long a = va_arg(ap, long), b = va_arg(ap, long), c = va_arg(ap, long);
	long d = va_arg(ap, long), e = va_arg(ap, long), f = va_arg(ap, long);
	va_end(ap);
	int saved = errno;

	if (!ws_active())
		return core(ws_sc6(n, a, b, c, d, e, f));
	switch (n) {
#ifdef SYS_open
	case SYS_open:
		return ret(open((const char *)a, (int)b, (mode_t)c));
#endif
#ifdef SYS_creat
	case SYS_creat:
		return ret(creat((const char *)a, (mode_t)b));
#endif
	case SYS_openat:
		return ret(openat((int)a, (const char *)b, (int)c, (mode_t)d));
	case SYS_openat2: {
		const struct open_how *how = (const struct open_how *)c;
		if (!how || (size_t)d < sizeof(uint64_t) * 3)
			return core(-EINVAL);
		if (how->resolve) {
			/* the program's own resolution limits: let the kernel check them first */
			struct open_how probe = {.flags = O_PATH | O_CLOEXEC, .resolve = how->resolve};
			long pr = ws_sc4(SYS_openat2, (int)a, b, &probe, sizeof probe);
			if (pr < 0 && pr != -ENOENT)
				return core(pr);
			if (pr >= 0)
				ws_close((int)pr);
		}
		long r = ws_open_impl("openat2", (int)a, (const char *)b, (int)how->flags, (mode_t)how->mode);
		if (r >= 0)
			errno = saved;
		return core(r);
	}
#ifdef SYS_stat
	case SYS_stat:
		return ret(stat((const char *)a, (struct stat *)b));
#endif
#ifdef SYS_lstat
	case SYS_lstat:
		return ret(lstat((const char *)a, (struct stat *)b));
#endif
	case SYS_newfstatat:
		return ret(fstatat((int)a, (const char *)b, (struct stat *)c, (int)d));
	case SYS_statx: {
		long r = ws_statx_impl((int)a, (const char *)b, (int)c, (unsigned)d, (void *)e);
		if (r >= 0)
			errno = saved;
		return core(r);
	}
#ifdef SYS_access
	case SYS_access:
		return ret(access((const char *)a, (int)b));
#endif
	case SYS_faccessat:
		return ret(faccessat((int)a, (const char *)b, (int)c, 0));
	case SYS_faccessat2:
		return ret(faccessat((int)a, (const char *)b, (int)c, (int)d));
#ifdef SYS_readlink
	case SYS_readlink:
		return ret(readlink((const char *)a, (char *)b, (size_t)c));
#endif
	case SYS_readlinkat:
		return ret(readlinkat((int)a, (const char *)b, (char *)c, (size_t)d));
	case SYS_getdents64: {
		long r = ws_getdents_impl((int)a, (void *)b, (size_t)c);
		if (r >= 0)
			errno = saved;
		return core(r);
	}
#ifdef SYS_getdents
	case SYS_getdents:
		return core(-ENOSYS); /* the old record format: not filtered, so not offered */
#endif
	case SYS_close:
		return ret(close((int)a));
	case SYS_close_range:
		if ((unsigned)a > (unsigned)b)
			return core(-EINVAL);
		return core(ws_close_range_impl((unsigned)a, (unsigned)b, (unsigned)c));
	case SYS_dup:
		return ret(dup((int)a));
#ifdef SYS_dup2
	case SYS_dup2:
		return ret(dup2((int)a, (int)b));
#endif
	case SYS_dup3:
		return ret(dup3((int)a, (int)b, (int)c));
	case SYS_fcntl:
		return ret(fcntl((int)a, (int)b, c));
	case SYS_copy_file_range:
		return ret(copy_file_range((int)a, (off_t *)b, (int)c, (off_t *)d, (size_t)e, (unsigned)f));
	case SYS_ftruncate:
		return ret(ftruncate((int)a, (off_t)b));
	case SYS_pwrite64:
		return ret(pwrite((int)a, (const void *)b, (size_t)c, (off_t)d));
	case SYS_io_uring_setup:
	case SYS_io_uring_enter:
	case SYS_io_uring_register:
		return core(-ENOSYS);
	case SYS_read:
		return ret(read((int)a, (void *)b, (size_t)c));
	case SYS_write:
		return ret(write((int)a, (const void *)b, (size_t)c));
	case SYS_readv:
		return ret(readv((int)a, (const struct iovec *)b, (int)c));
	case SYS_writev:
		return ret(writev((int)a, (const struct iovec *)b, (int)c));
	case SYS_pread64:
		return ret(pread((int)a, (void *)b, (size_t)c, (off_t)d));
	case SYS_preadv:
		return ret(preadv((int)a, (const struct iovec *)b, (int)c, (off_t)d));
	case SYS_pwritev:
		return ret(pwritev((int)a, (const struct iovec *)b, (int)c, (off_t)d));
	case SYS_preadv2:
		return ret(preadv2((int)a, (const struct iovec *)b, (int)c, (off_t)d, (int)f));
	case SYS_pwritev2:
		return ret(pwritev2((int)a, (const struct iovec *)b, (int)c, (off_t)d, (int)f));
	case SYS_mmap:
		return (long)mmap((void *)a, (size_t)b, (int)c, (int)d, (int)e, (off_t)f);
	case SYS_sendfile:
		return ret(sendfile((int)a, (int)b, (off_t *)c, (size_t)d));
	case SYS_recvfrom:
		return ret(recvfrom((int)a, (void *)b, (size_t)c, (int)d, (struct sockaddr *)e, (socklen_t *)f));
	case SYS_recvmsg:
		return ret(recvmsg((int)a, (struct msghdr *)b, (int)c));
	case SYS_recvmmsg:
		return ret(recvmmsg((int)a, (struct mmsghdr *)b, (unsigned)c, (int)d, (struct timespec *)e));
	case SYS_sendmmsg:
		return ret(sendmmsg((int)a, (struct mmsghdr *)b, (unsigned)c, (int)d));
	case SYS_shutdown:
		return ret(shutdown((int)a, (int)b));
	case SYS_setsockopt:
		return ret(setsockopt((int)a, (int)b, (int)c, (const void *)d, (socklen_t)e));
	case SYS_flock:
		return ret(flock((int)a, (int)b));
	case SYS_splice:
		return ret(splice((int)a, (loff_t *)b, (int)c, (loff_t *)d, (size_t)e, (unsigned)f));
	case SYS_tee:
		return ret(tee((int)a, (int)b, (size_t)c, (unsigned)d));
	case SYS_vmsplice:
		return ret(vmsplice((int)a, (const struct iovec *)b, (size_t)c, (unsigned)d));
	case SYS_uselib:
		return core(ws_forbid("uselib", AT_FDCWD, (const char *)a, EPERM));
	case SYS_mq_open: {
		/* the system call takes the name without its leading '/' */
		char name[NAME_MAX + 2];
		const char *qn = (const char *)a;
		if (ws_null(qn) || strlen(qn) > NAME_MAX)
			return core(-EINVAL);
		name[0] = '/';
		strcpy(name + 1, qn);
		return (long)mq_open(name, (int)b, (mode_t)c, (struct mq_attr *)d);
	}
	case SYS_mq_unlink: {
		char name[NAME_MAX + 2];
		const char *qn = (const char *)a;
		if (ws_null(qn) || strlen(qn) > NAME_MAX)
			return core(-EINVAL);
		name[0] = '/';
		strcpy(name + 1, qn);
		return ret(mq_unlink(name));
	}
	case SYS_execve:
		return ret(execve((const char *)a, (char *const *)b, (char *const *)c));
	case SYS_execveat:
		return ret(execveat((int)a, (const char *)b, (char *const *)c, (char *const *)d, (int)e));
#ifdef SYS_unlink
	case SYS_unlink:
		return ret(unlink((const char *)a));
#endif
	case SYS_unlinkat:
		return ret(unlinkat((int)a, (const char *)b, (int)c));
#ifdef SYS_rmdir
	case SYS_rmdir:
		return ret(rmdir((const char *)a));
#endif
#ifdef SYS_rename
	case SYS_rename:
		return ret(rename((const char *)a, (const char *)b));
#endif
	case SYS_renameat:
		return ret(renameat((int)a, (const char *)b, (int)c, (const char *)d));
	case SYS_renameat2:
		return ret(renameat2((int)a, (const char *)b, (int)c, (const char *)d, (unsigned)e));
#ifdef SYS_link
	case SYS_link:
		return ret(link((const char *)a, (const char *)b));
#endif
	case SYS_linkat:
		return ret(linkat((int)a, (const char *)b, (int)c, (const char *)d, (int)e));
#ifdef SYS_symlink
	case SYS_symlink:
		return ret(symlink((const char *)a, (const char *)b));
#endif
	case SYS_symlinkat:
		return ret(symlinkat((const char *)a, (int)b, (const char *)c));
#ifdef SYS_mkdir
	case SYS_mkdir:
		return ret(mkdir((const char *)a, (mode_t)b));
#endif
	case SYS_mkdirat:
		return ret(mkdirat((int)a, (const char *)b, (mode_t)c));
#ifdef SYS_mknod
	case SYS_mknod:
		return ret(mknod((const char *)a, (mode_t)b, (dev_t)c));
#endif
	case SYS_mknodat:
		return ret(mknodat((int)a, (const char *)b, (mode_t)c, (dev_t)d));
#ifdef SYS_chmod
	case SYS_chmod:
		return ret(chmod((const char *)a, (mode_t)b));
#endif
	case SYS_fchmodat:
		return ret(fchmodat((int)a, (const char *)b, (mode_t)c, 0));
	case SYS_fchmod:
		return ret(fchmod((int)a, (mode_t)b));
#ifdef SYS_chown
	case SYS_chown:
		return ret(chown((const char *)a, (uid_t)b, (gid_t)c));
#endif
#ifdef SYS_lchown
	case SYS_lchown:
		return ret(lchown((const char *)a, (uid_t)b, (gid_t)c));
#endif
	case SYS_fchownat:
		return ret(fchownat((int)a, (const char *)b, (uid_t)c, (gid_t)d, (int)e));
	case SYS_fchown:
		return ret(fchown((int)a, (uid_t)b, (gid_t)c));
	case SYS_utimensat:
		return ret(utimensat((int)a, (const char *)b, (const struct timespec *)c, (int)d));
#ifdef SYS_utimes
	case SYS_utimes:
		return ret(utimes((const char *)a, (const struct timeval *)b));
#endif
#ifdef SYS_futimesat
	case SYS_futimesat:
		return ret(futimesat((int)a, (const char *)b, (const struct timeval *)c));
#endif
#ifdef SYS_utime
	case SYS_utime:
		return ret(utime((const char *)a, (const struct utimbuf *)b));
#endif
	case SYS_truncate:
		return ret(truncate((const char *)a, (off_t)b));
	case SYS_chdir:
		return ret(chdir((const char *)a));
	case SYS_fchdir:
		return ret(fchdir((int)a));
	case SYS_statfs:
		return ret(statfs((const char *)a, (struct statfs *)b));
	case SYS_setxattr:
		return ret(setxattr((const char *)a, (const char *)b, (const void *)c, (size_t)d, (int)e));
	case SYS_lsetxattr:
		return ret(lsetxattr((const char *)a, (const char *)b, (const void *)c, (size_t)d, (int)e));
	case SYS_fsetxattr:
		return ret(fsetxattr((int)a, (const char *)b, (const void *)c, (size_t)d, (int)e));
	case SYS_removexattr:
		return ret(removexattr((const char *)a, (const char *)b));
	case SYS_lremovexattr:
		return ret(lremovexattr((const char *)a, (const char *)b));
	case SYS_fremovexattr:
		return ret(fremovexattr((int)a, (const char *)b));
	case SYS_getxattr:
		return ret(getxattr((const char *)a, (const char *)b, (void *)c, (size_t)d));
	case SYS_lgetxattr:
		return ret(lgetxattr((const char *)a, (const char *)b, (void *)c, (size_t)d));
	case SYS_listxattr:
		return ret(listxattr((const char *)a, (char *)b, (size_t)c));
	case SYS_llistxattr:
		return ret(llistxattr((const char *)a, (char *)b, (size_t)c));
	case SYS_name_to_handle_at:
		return ret(name_to_handle_at((int)a, (const char *)b, (struct file_handle *)c, (int *)d, (int)e));
	case SYS_open_by_handle_at:
		return ret(open_by_handle_at((int)a, (struct file_handle *)b, (int)c));
	case SYS_connect:
		return ret(connect((int)a, (const struct sockaddr *)b, (socklen_t)c));
	case SYS_bind:
		return ret(bind((int)a, (const struct sockaddr *)b, (socklen_t)c));
	case SYS_sendto:
		return ret(sendto((int)a, (const void *)b, (size_t)c, (int)d, (const struct sockaddr *)e,
				  (socklen_t)f));
	case SYS_sendmsg:
		return ret(sendmsg((int)a, (const struct msghdr *)b, (int)c));
	case SYS_ioctl:
		return ret(ioctl((int)a, (unsigned long)b, c));
	case SYS_lseek:
		return ret(lseek((int)a, (off_t)b, (int)c));
	case SYS_fallocate:
		return ret(fallocate((int)a, (int)b, (off_t)c, (off_t)d));
	case WS_SYS_fchmodat2:
		return ret(fchmodat((int)a, (const char *)b, (mode_t)c, (int)d));
	case SYS_inotify_init:
		return ret(inotify_init());
	case SYS_inotify_init1:
		return ret(inotify_init1((int)a));
	case SYS_inotify_add_watch:
		return ret(inotify_add_watch((int)a, (const char *)b, (uint32_t)c));
	case SYS_chroot:
		return ret(chroot((const char *)a));
	case SYS_mount:
		return ret(mount((const char *)a, (const char *)b, (const char *)c, (unsigned long)d,
				 (const void *)e));
	case SYS_umount2:
		return ret(umount2((const char *)a, (int)b));
	case SYS_unshare:
		return ret(unshare((int)a));
	case SYS_setns:
		return ret(setns((int)a, (int)b));
	case SYS_fanotify_mark:
		return ret(fanotify_mark((int)a, (unsigned)b, (uint64_t)c, (int)d, (const char *)e));
	case SYS_acct:
		return ret(acct((const char *)a));
	case SYS_swapon:
		return ret(swapon((const char *)a, (int)b));
	case SYS_swapoff:
		return ret(swapoff((const char *)a));
	case SYS_quotactl:
		return core(ws_forbid("quotactl", AT_FDCWD, (const char *)b, EPERM));
	case 443: /* quotactl_fd */
		return core(ws_forbid("quotactl_fd", AT_FDCWD, NULL, EPERM));
	case SYS_pivot_root:
		return core(ws_forbid("pivot_root", AT_FDCWD, (const char *)a, EPERM));
	case WS_SYS_open_tree:
		return core(ws_forbid("open_tree", (int)a, (const char *)b, EPERM));
	case WS_SYS_move_mount:
	case WS_SYS_fsopen:
	case WS_SYS_fsconfig:
	case WS_SYS_fsmount:
	case WS_SYS_fspick:
	case WS_SYS_mount_setattr:
		return core(ws_forbid("mount", AT_FDCWD, NULL, EPERM));
	case SYS_clone:
		if ((unsigned long)a & (CLONE_NEWNS | CLONE_NEWUSER))
			return core(ws_forbid("clone", AT_FDCWD, NULL, EPERM));
		break;
	case WS_SYS_clone3:
		if (a && (size_t)b >= sizeof(uint64_t) && (*(const uint64_t *)a & (CLONE_NEWNS | CLONE_NEWUSER)))
			return core(ws_forbid("clone3", AT_FDCWD, NULL, EPERM));
		break;
	default:
		/* System calls newer than this library may take paths it cannot judge
		 * (getxattrat, file_getattr...): they fail as on an older kernel. */
		if (n > WS_SYS_LAST_KNOWN)
			return core(-ENOSYS);
		break;
	}
	long r = ws_sc6(n, a, b, c, d, e, f);
	if (r < 0 && r > -4096)
		return core(r);
	errno = saved;
	return r;
}
