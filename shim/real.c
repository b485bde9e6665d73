/* real.c: binding the libc functions the library forwards to (see real.h). Once, at
 * start; a function that cannot be found is a fatal error, never a silent pass. */
#include "shim/real.h"

#include "shim/shim.h"

WS_HOT struct ws_real_tab real;

/* The newest version is what programs built on this glibc call; where an old
 * version would change semantics, the version is named. */
static void *bind(const char *name, const char *version)
{
	void *p = version ? dlvsym(RTLD_NEXT, name, version) : NULL;
	if (!p)
		p = dlsym(RTLD_NEXT, name);
	if (!p)
		ws_die("cannot find libc's %s", name);
	return p;
}

void ws_bind_real(void)
{
	real.fdopen = bind("fdopen", NULL);
	real.freopen = bind("freopen", NULL);
	real.fclose = bind("fclose", NULL);
	real.fdopendir = bind("fdopendir", NULL);
	real.readdir = bind("readdir", NULL);
	real.readdir64 = bind("readdir64", NULL);
	real.readdir_r = bind("readdir_r", NULL);
	real.readdir64_r = bind("readdir64_r", NULL);
	real.closedir = bind("closedir", NULL);
	real.dirfd = bind("dirfd", NULL);
	real.glob = bind("glob", "GLIBC_2.27");
	real.glob64 = bind("glob64", "GLIBC_2.27");
	real.posix_spawn = bind("posix_spawn", "GLIBC_2.15");
	real.fts_open = bind("fts_open", NULL);
	real.fts_read = bind("fts_read", NULL);
	real.fts_children = bind("fts_children", NULL);
	real.fts_set = bind("fts_set", NULL);
	real.fts_close = bind("fts_close", NULL);
	real.dlopen = bind("dlopen", "GLIBC_2.34");
	real.dlmopen = bind("dlmopen", "GLIBC_2.34");
	real.fstatvfs = bind("fstatvfs", NULL);
	real.fpathconf = bind("fpathconf", NULL);
	real.sigaction = bind("sigaction", NULL);
	real.signal = bind("signal", NULL);
	real.sysv_signal = bind("sysv_signal", NULL);
	real.clone = bind("clone", NULL);
}
