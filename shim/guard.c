/* guard.c: calls that would change what a path means, or reach files without one.
 *
 * ward judges real paths from the root of the session. chroot, mounts, new mount or
 * user namespaces and pivot_root change what "/" and the names under it are, so a
 * program under ward may not make them: they fail with EPERM (ENOENT when the path
 * named is hidden) and the refusal is logged. fanotify marks need privilege and
 * report other programs' files; they are refused the same way (inotify: notify.c).
 * Process accounting, swap files and quotas write where the kernel is told: refused.
 */

#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/swap.h>
#include <string.h>
#include <unistd.h>

#include "shim/real.h"
#include "shim/shim.h"

/* namespaces that change what paths name: mount and user (which grants the right to
 * make mount namespaces and to chroot) */
#define WS_PATH_NS (CLONE_NEWNS | CLONE_NEWUSER)

WS_EXPORT int chroot(const char *path)
{
	if (!ws_active())
		return ws_ret(ws_sc1(SYS_chroot, path));
	return ws_ret(ws_forbid("chroot", AT_FDCWD, path, EPERM));
}

WS_EXPORT int mount(const char *src, const char *target, const char *type, unsigned long flags,
		    const void *data)
{
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_mount, src, target, type, flags, data));
	return ws_ret(ws_forbid("mount", AT_FDCWD, target, EPERM));
}

WS_EXPORT int umount2(const char *target, int flags)
{
	if (!ws_active())
		return ws_ret(ws_sc2(SYS_umount2, target, flags));
	return ws_ret(ws_forbid("umount2", AT_FDCWD, target, EPERM));
}

WS_EXPORT int umount(const char *target)
{
	return umount2(target, 0);
}

WS_EXPORT int unshare(int flags)
{
	if (ws_active() && (flags & WS_PATH_NS))
		return ws_ret(ws_forbid("unshare", AT_FDCWD, NULL, EPERM));
	return ws_ret(ws_sc1(SYS_unshare, flags));
}

WS_EXPORT int setns(int fd, int nstype)
{
	/* any namespace descriptor may be a mount or user namespace (nstype 0) */
	if (ws_active() && (nstype == 0 || (nstype & WS_PATH_NS)))
		return ws_ret(ws_forbid("setns", AT_FDCWD, NULL, EPERM));
	return ws_ret(ws_sc2(SYS_setns, fd, nstype));
}

/* clone(): glibc's own fork and threads do not come through this name. */
WS_EXPORT int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	pid_t *ptid = va_arg(ap, pid_t *);
	void *tls = va_arg(ap, void *);
	pid_t *ctid = va_arg(ap, pid_t *);
	va_end(ap);
	if (ws_active() && (flags & WS_PATH_NS))
		return ws_ret(ws_forbid("clone", AT_FDCWD, NULL, EPERM));
	return real.clone(fn, stack, flags, arg, ptid, tls, ctid);
}

WS_EXPORT int fanotify_mark(int fd, unsigned int flags, uint64_t mask, int dirfd, const char *path)
{
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_fanotify_mark, fd, flags, mask, dirfd, path));
	return ws_ret(ws_forbid("fanotify_mark", dirfd, path ? path : ".", EPERM));
}

/* Process accounting and swap files write to a file the kernel names: refused. */
WS_EXPORT int acct(const char *path)
{
	if (!ws_active())
		return ws_ret(ws_sc1(SYS_acct, path));
	return ws_ret(ws_forbid("acct", AT_FDCWD, path, EPERM));
}

WS_EXPORT int swapon(const char *path, int flags)
{
	if (!ws_active())
		return ws_ret(ws_sc2(SYS_swapon, path, flags));
	return ws_ret(ws_forbid("swapon", AT_FDCWD, path, EPERM));
}

WS_EXPORT int swapoff(const char *path)
{
	if (!ws_active())
		return ws_ret(ws_sc1(SYS_swapoff, path));
	return ws_ret(ws_forbid("swapoff", AT_FDCWD, path, EPERM));
}
