/* limits.c: limits.max_file_size. The kernel enforces it for every write, raw system
 * calls included: RLIMIT_FSIZE (soft and hard, so the program cannot raise it), with
 * SIGXFSZ ignored so that a write past it fails with EFBIG instead of killing the
 * program. A program that asks for SIGXFSZ back is told yes and keeps it ignored. */
#include <dlfcn.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "shim/real.h"
#include "shim/shim.h"

static bool limited(void) { return ws.pol && ws.pol->max_file_size; }

void ws_apply_limits(void)
{
	if (!limited())
		return;
	struct rlimit rl;
	if (ws_sc2(SYS_getrlimit, RLIMIT_FSIZE, &rl) < 0)
		ws_die("cannot read RLIMIT_FSIZE");
	rlim_t want = (rlim_t)ws.pol->max_file_size;
	if (rl.rlim_max < want)
		want = rl.rlim_max;
	rl.rlim_cur = rl.rlim_max = want;
	if (ws_sc2(SYS_setrlimit, RLIMIT_FSIZE, &rl) < 0)
		ws_die("cannot set RLIMIT_FSIZE for limits.max_file_size");
	struct sigaction ign;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	if (real.sigaction(SIGXFSZ, &ign, NULL) < 0)
		ws_die("cannot ignore SIGXFSZ for limits.max_file_size");
}

/* These may be called before the library's constructor has bound the real
 * functions (a sanitizer runtime preloaded first installs its handlers early): then
 * they are bound here. */
#define BOUND(f) (real.f ? real.f : (real.f = (__typeof__(real.f))ws_next_sym(#f, NULL)))

WS_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (sig == SIGXFSZ && limited()) {
		if (old) {
			memset(old, 0, sizeof *old);
			old->sa_handler = SIG_IGN;
		}
		return 0;
	}
	if (!BOUND(sigaction)) {
		errno = ENOSYS;
		return -1;
	}
	return real.sigaction(sig, act, old);
}

WS_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	if (sig == SIGXFSZ && limited())
		return SIG_IGN;
	if (!BOUND(signal))
		return SIG_ERR;
	return real.signal(sig, handler);
}

WS_EXPORT sighandler_t sysv_signal(int sig, sighandler_t handler)
{
	if (sig == SIGXFSZ && limited())
		return SIG_IGN;
	if (!BOUND(sysv_signal))
		return SIG_ERR;
	return real.sysv_signal(sig, handler);
}

WS_EXPORT sighandler_t bsd_signal(int sig, sighandler_t handler)
{
	return signal(sig, handler);
}
