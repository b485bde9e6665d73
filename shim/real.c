/* real.c: binding the libc functions the library forwards to (see real.h). Once, at
 * start; a function that cannot be found is a fatal error, never a silent pass. */
#include "shim/real.h"

#include "shim/shim.h"

WS_HOT struct ws_real_tab real;

/* The newest version is what programs built on this glibc call; where an old
 * version would change semantics, the version is named. Looked up in the objects
 * after libward.so without dlsym, which the library interposes (elfsym.c). */
static void *bind_real(const char *name, const char *version)
{
	void *p = version ? ws_next_sym(name, version) : NULL;
	if (!p)
		p = ws_next_sym(name, NULL);
	if (!p)
		ws_die("cannot find libc's %s", name);
	return p;
}

void ws_bind_real(void)
{
	real.fdopen = bind_real("fdopen", NULL);
	real.freopen = bind_real("freopen", NULL);
	real.fclose = bind_real("fclose", NULL);
	real.fdopendir = bind_real("fdopendir", NULL);
	real.readdir = bind_real("readdir", NULL);
	real.readdir64 = bind_real("readdir64", NULL);
	real.readdir_r = bind_real("readdir_r", NULL);
	real.readdir64_r = bind_real("readdir64_r", NULL);
	real.closedir = bind_real("closedir", NULL);
	real.dirfd = bind_real("dirfd", NULL);
	real.glob = bind_real("glob", "GLIBC_2.27");
	real.glob64 = bind_real("glob64", "GLIBC_2.27");
	real.posix_spawn = bind_real("posix_spawn", "GLIBC_2.15");
	real.fts_open = bind_real("fts_open", NULL);
	real.fts_read = bind_real("fts_read", NULL);
	real.fts_children = bind_real("fts_children", NULL);
	real.fts_set = bind_real("fts_set", NULL);
	real.fts_close = bind_real("fts_close", NULL);
	real.dlopen = bind_real("dlopen", "GLIBC_2.34");
	real.dlmopen = bind_real("dlmopen", "GLIBC_2.34");
	real.fstatvfs = bind_real("fstatvfs", NULL);
	real.fpathconf = bind_real("fpathconf", NULL);
	real.sigaction = bind_real("sigaction", NULL);
	real.signal = bind_real("signal", NULL);
	real.sysv_signal = bind_real("sysv_signal", NULL);
	real.clone = bind_real("clone", NULL);
}
