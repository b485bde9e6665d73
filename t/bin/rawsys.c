/* rawsys: file operations made with system call instructions of its own, never
 * through libc, so that a preloaded library cannot see them. Built dynamic by make
 * and static by t/600-backstop.t.
 *
 *   rawsys OP PATH [PATH2]   prints "ok" (and for read, the first line) or the errno name
 *   OP: read, create, write (truncate and write an existing file), append, unlink,
 *       mkdir, rmdir, rename PATH PATH2, link PATH PATH2, uring - (io_uring_setup),
 *       tiocsti FD (types "Z" into that terminal), kill PID (SIGKILL), parent -
 *       (SIGKILL to the parent process)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sc(long n, long a, long b, long c, long d, long e)
{
	long r;
#if defined(__x86_64__)
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
	r = x0;
#else
#error "rawsys: x86_64 or aarch64"
#endif
	return r;
}

static void out(const char *s)
{
	sc(SYS_write, 1, (long)s, (long)strlen(s), 0, 0);
}

static const char *name(long e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EXDEV: return "EXDEV";
	case EEXIST: return "EEXIST";
	case ENOSYS: return "ENOSYS";
	case ESRCH: return "ESRCH";
	case ENOTTY: return "ENOTTY";
	case EIO: return "EIO";
	default: return "EOTHER";
	}
}

static int result(long r, const char *extra)
{
	if (r < 0 && r > -4096) {
		out(name(-r));
		out("\n");
		return 1;
	}
	out("ok");
	if (extra) {
		out(" ");
		out(extra);
	}
	out("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		out("usage: rawsys OP PATH [PATH2]\n");
		return 2;
	}
	const char *op = argv[1], *p = argv[2], *q = argc > 3 ? argv[3] : "";
	long at = AT_FDCWD;
	if (!strcmp(op, "read")) {
		long fd = sc(SYS_openat, at, (long)p, O_RDONLY, 0, 0);
		if (fd < 0)
			return result(fd, NULL);
		static char buf[256];
		long n = sc(SYS_read, fd, (long)buf, sizeof buf - 1, 0, 0);
		if (n < 0)
			return result(n, NULL);
		buf[n] = 0;
		char *nl = strchr(buf, '\n');
		if (nl)
			*nl = 0;
		return result(0, buf);
	}
	if (!strcmp(op, "create") || !strcmp(op, "write") || !strcmp(op, "append")) {
		int fl = !strcmp(op, "create") ? O_WRONLY | O_CREAT | O_EXCL
			 : !strcmp(op, "write") ? O_WRONLY | O_TRUNC
						: O_WRONLY | O_APPEND;
		long fd = sc(SYS_openat, at, (long)p, fl, 0644, 0);
		if (fd < 0)
			return result(fd, NULL);
		long n = sc(SYS_write, fd, (long)"RAW\n", 4, 0, 0);
		return result(n < 0 ? n : 0, NULL);
	}
	if (!strcmp(op, "unlink"))
		return result(sc(SYS_unlinkat, at, (long)p, 0, 0, 0), NULL);
	if (!strcmp(op, "rmdir"))
		return result(sc(SYS_unlinkat, at, (long)p, AT_REMOVEDIR, 0, 0), NULL);
	if (!strcmp(op, "mkdir"))
		return result(sc(SYS_mkdirat, at, (long)p, 0755, 0, 0), NULL);
	if (!strcmp(op, "rename"))
		return result(sc(SYS_renameat2, at, (long)p, at, (long)q, 0), NULL);
	if (!strcmp(op, "link"))
		return result(sc(SYS_linkat, at, (long)p, at, (long)q, 0), NULL);
	if (!strcmp(op, "uring")) { /* io_uring_setup(1, params): a ring or ENOSYS */
		static long params[30];
		long fd = sc(425 /* io_uring_setup */, 1, (long)params, 0, 0, 0);
		return result(fd, NULL);
	}
	if (!strcmp(op, "tiocsti")) {
		static const char z = 'Z';
		return result(sc(SYS_ioctl, atoi(p), TIOCSTI, (long)&z, 0, 0), NULL);
	}
	if (!strcmp(op, "kill"))
		return result(sc(SYS_kill, atoi(p), SIGKILL, 0, 0, 0), NULL);
	if (!strcmp(op, "parent"))
		return result(sc(SYS_kill, sc(SYS_getppid, 0, 0, 0, 0, 0), SIGKILL, 0, 0, 0), NULL);
	out("unknown op\n");
	return 2;
}
