/* sys.h: raw system calls that never go through libc's exported symbols.
 *
 * The preload library interposes open, stat, syscall() and friends, so its own file
 * access must not call them by name (the call would bind back to the interposer).
 * These helpers issue the system call instruction directly; they return the
 * kernel's result: a non-negative value, or -errno. They touch no errno, no TLS and
 * no lock, so they are safe in signal handlers and in vfork children.
 */
#ifndef WARD_SYS_H
#define WARD_SYS_H

#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>

#if defined(__x86_64__)
static inline long ws_sc6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
static inline long ws_sc6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ __volatile__("svc 0"
			     : "+r"(x0)
			     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			     : "memory");
	return x0;
}
#else
#error "ward: raw system calls are implemented for x86_64 and aarch64 only"
#endif

#define ws_sc0(n) ws_sc6((n), 0, 0, 0, 0, 0, 0)
#define ws_sc1(n, a) ws_sc6((n), (long)(a), 0, 0, 0, 0, 0)
#define ws_sc2(n, a, b) ws_sc6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define ws_sc3(n, a, b, c) ws_sc6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define ws_sc4(n, a, b, c, d) ws_sc6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define ws_sc5(n, a, b, c, d, e) \
	ws_sc6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

/* Thin typed wrappers: each returns the kernel's value or -errno. */
static inline int ws_close(int fd) { return (int)ws_sc1(SYS_close, fd); }
static inline long ws_write(int fd, const void *b, size_t n) { return ws_sc3(SYS_write, fd, b, n); }
static inline long ws_read(int fd, void *b, size_t n) { return ws_sc3(SYS_read, fd, b, n); }
static inline long ws_pread(int fd, void *b, size_t n, off_t o) { return ws_sc4(SYS_pread64, fd, b, n, o); }
static inline int ws_openat(int dfd, const char *p, int fl, unsigned mode)
{
	return (int)ws_sc4(SYS_openat, dfd, p, fl, mode);
}
static inline int ws_fcntl(int fd, int cmd, long arg) { return (int)ws_sc3(SYS_fcntl, fd, cmd, arg); }
static inline long ws_readlinkat(int dfd, const char *p, char *b, size_t n)
{
	return ws_sc4(SYS_readlinkat, dfd, p, b, n);
}
static inline int ws_getpid(void) { return (int)ws_sc0(SYS_getpid); }
/* Does the kernel have openat2, the ground of every check (Linux 5.6)? Asked once
 * per session, by its first process (the library's, or `ward run`). */
static inline bool ws_has_openat2(void)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
	int t = (int)ws_sc4(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
	if (t < 0)
		return false;
	ws_close(t);
	return true;
}
__attribute__((noreturn)) static inline void ws_exit_group(int st)
{
	for (;;)
		ws_sc1(SYS_exit_group, st);
	__builtin_unreachable();
}

#endif
