/* files.c: libc functions that open a file the program names, inside libc: the
 * mount table (setmntent), message catalogs (catopen), the login records (updwtmp,
 * utmpname), the profiler's output (_mcleanup), and temporary names (mktemp,
 * tempnam, tmpnam), which tell whether a name exists.
 *
 * Each opens the file through ward's own open (judged, resolved once) and, where
 * libc must still do the work, hands libc exactly that object as /proc/self/fd/N.
 */
#include <fcntl.h>
#include <locale.h>
#include <mntent.h>
#include <nl_types.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>
#include <utmpx.h>

#include "shim/real.h"
#include "shim/shim.h"

static void *libc_sym(void **slot, const char *name)
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

/* ---- the mount table ---- */

WS_EXPORT FILE *setmntent(const char *file, const char *mode)
{
	char m[16];
	if (ws_null(file) || ws_null(mode) || strlen(mode) > sizeof m - 2) {
		errno = EINVAL;
		return NULL;
	}
	size_t n = strlen(mode);
	memcpy(m, mode, n);
	m[n] = 'e'; /* libc's setmntent opens close-on-exec */
	m[n + 1] = 0;
	FILE *f = fopen(file, m);
	if (f)
		__fsetlocking(f, FSETLOCKING_BYCALLER);
	return f;
}

/* ---- message catalogs ---- */

static void *catopen_fn;

/* libc opens the catalog it is given; given /proc/self/fd/N, that is the file ward
 * opened and judged. */
static nl_catd open_judged(const char *path, int flag)
{
	int fd = ws_open_impl("catopen", AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		errno = -fd;
		return (nl_catd)-1;
	}
	char proc[32];
	ws_proc_fd(proc, fd);
	nl_catd c = ((nl_catd(*)(const char *, int))libc_sym(&catopen_fn, "catopen"))(proc, flag);
	int e = errno;
	ws_close(fd);
	errno = e;
	return c;
}

/* One NLSPATH template with %N, %L, %l, %t, %c and %% filled; false when it does not
 * fit or uses an unknown %. */
static bool expand(char *out, size_t size, const char *t, size_t tl, const char *name, const char *lang)
{
	size_t o = 0;
	const char *us = strchr(lang, '_'), *dot = strchr(lang, '.'), *at = strchr(lang, '@');
	const char *lend = us ? us : dot ? dot : at ? at : lang + strlen(lang);
	for (size_t i = 0; i < tl; i++) {
		const char *s = NULL;
		size_t sl = 0;
		if (t[i] != '%') {
			s = &t[i];
			sl = 1;
		} else if (++i >= tl) {
			return false;
		} else {
			switch (t[i]) {
			case 'N': s = name; sl = strlen(name); break;
			case 'L': s = lang; sl = strlen(lang); break;
			case 'l': s = lang; sl = (size_t)(lend - lang); break;
			case 't':
				s = us ? us + 1 : "";
				sl = us ? (size_t)((dot ? dot : at ? at : us + strlen(us)) - us - 1) : 0;
				break;
			case 'c':
				s = dot ? dot + 1 : "";
				sl = dot ? (size_t)((at ? at : dot + strlen(dot)) - dot - 1) : 0;
				break;
			case '%': s = "%"; sl = 1; break;
			default: return false;
			}
		}
		if (o + sl >= size)
			return false;
		memcpy(out + o, s, sl);
		o += sl;
	}
	out[o] = 0;
	return true;
}

WS_EXPORT nl_catd catopen(const char *name, int flag)
{
	int saved = errno;
	if (ws_null(name) || !name[0]) {
		errno = ENOENT;
		return (nl_catd)-1;
	}
	if (!ws_active())
		return ((nl_catd(*)(const char *, int))libc_sym(&catopen_fn, "catopen"))(name, flag);
	if (strchr(name, '/'))
		return open_judged(name, flag);
	/* the search of libc's catopen: NLSPATH, then the system's folders */
	static const char sys[] = "/usr/share/locale/%L/%N:/usr/share/locale/%L/LC_MESSAGES/%N:"
				  "/usr/share/locale/%l/%N:/usr/share/locale/%l/LC_MESSAGES/%N:";
	const char *env = getenv("NLSPATH");
	const char *lang = flag == NL_CAT_LOCALE ? setlocale(LC_MESSAGES, NULL) : getenv("LANG");
	if (!lang || !*lang || strcmp(lang, "POSIX") == 0)
		lang = "C";
	if (strchr(lang, '/'))
		lang = "C";
	for (int pass = 0; pass < 2; pass++) {
		const char *list = pass == 0 ? (env && *env ? env : "") : sys;
		while (*list) {
			const char *e = strchr(list, ':');
			size_t tl = e ? (size_t)(e - list) : strlen(list);
			char path[PATH_MAX];
			if (tl && expand(path, sizeof path, list, tl, name, lang)) {
				nl_catd c = open_judged(path, flag);
				if (c != (nl_catd)-1) {
					errno = saved;
					return c;
				}
			}
			list += tl;
			if (*list == ':')
				list++;
		}
	}
	errno = ENOENT;
	return (nl_catd)-1;
}

/* ---- login records ---- */

WS_EXPORT void updwtmp(const char *file, const struct utmp *ut)
{
	int saved = errno;
	if (ws_null(file) || ws_null(ut))
		return;
	int fd = ws_open_impl("updwtmp", AT_FDCWD, file, O_WRONLY | O_APPEND | O_CLOEXEC, 0);
	if (fd >= 0) {
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		ws_fcntl(fd, F_SETLKW, (long)&fl);
		long w = ws_write(fd, ut, sizeof *ut);
		if (w >= 0 && w != (long)sizeof *ut) {
			/* a short record would break the file: take it back */
			long end = ws_sc3(SYS_lseek, fd, 0, SEEK_END);
			if (end >= w)
				ws_sc2(SYS_ftruncate, fd, end - w);
		}
		fl.l_type = F_UNLCK;
		ws_fcntl(fd, F_SETLK, (long)&fl);
		ws_close(fd);
	}
	errno = saved;
}

WS_EXPORT void updwtmpx(const char *file, const struct utmpx *ut)
{
	updwtmp(file, (const struct utmp *)ut); /* the same record on glibc */
}

static void *utmpname_fn;

/* utmpname only names the file; the getut* and pututline calls open it (guarded in
 * priv.c against this name). A name in a write area is refused: libc opens it later
 * by name, and the program could put a link there in between. */
WS_EXPORT int utmpname(const char *file)
{
	if (!ws_null(file) && ws_active()) {
		struct wr r;
		int rc = wr_resolve(AT_FDCWD, file, WR_FOLLOW, &r);
		if (rc < 0) {
			errno = -rc;
			return -1;
		}
		struct wg_path g;
		struct wd_out d;
		if (wg_split(&g, r.real, r.len) < 0) {
			errno = ENAMETOOLONG;
			return -1;
		}
		wd_decide(ws.pol, &g, 0, &d);
		if (d.level >= WL_WRITE) {
			struct ws_op op = {.fn = "utmpname", .access = WA_READ, .need = WL_WRITE + 1,
					   .path = file, .r = &r};
			if (ws_gate(&op) < 0) {
				errno = EACCES;
				return -1;
			}
		}
		ws_set_utmp_file(r.real);
	}
	return ((int (*)(const char *))libc_sym(&utmpname_fn, "utmpname"))(file);
}

WS_EXPORT int utmpxname(const char *file) { return utmpname(file); }

/* ---- the profiler's output (programs built with -pg) ---- */

static void *mcleanup_fn, *moncontrol_fn;

WS_EXPORT void _mcleanup(void)
{
	if (ws_active()) {
		/* gmon.out in the working directory, or GMON_OUT_PREFIX.PID */
		char name[PATH_MAX];
		const char *pre = getenv("GMON_OUT_PREFIX");
		if (pre && *pre)
			snprintf(name, sizeof name, "%s.%d", pre, ws_getpid());
		else
			snprintf(name, sizeof name, "gmon.out");
		struct wr r;
		int rc = ws_prepare("_mcleanup", AT_FDCWD, name, 0, WA_WRITE, WL_WRITE, true, &r);
		if (rc < 0) {
			/* profiling stops, nothing is written */
			((void (*)(int))libc_sym(&moncontrol_fn, "moncontrol"))(0);
			return;
		}
		wr_done(&r);
	}
	((void (*)(void))libc_sym(&mcleanup_fn, "_mcleanup"))();
}
