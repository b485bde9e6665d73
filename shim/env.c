/* env.c: paths that libc takes from the environment and from the locale and
 * message-catalog functions, and opens inside itself.
 *
 * libc reads TZ and TZDIR (time zone files), LOCPATH, LANG and LC_* (locale folders:
 * a locale name that begins with '/' is a folder), LANGUAGE (message catalogs),
 * GCONV_PATH (character set modules, loaded as code), HOSTALIASES and
 * RESOLV_HOST_CONF (resolver files), DATEMSK (getdate's templates). Those opens are
 * inside libc, where no interposer sees them; so the values are judged where they
 * enter: at the library's start (a value that names what the policy hides, or a
 * path the program could change, is replaced by one that names nothing, and the
 * replacement is logged), and in setenv and putenv (refused with EACCES). The same
 * judgement applies to the folder names given to setlocale, newlocale and
 * bindtextdomain.
 *
 * "A path the program could change": the object or one of its folders is in a write
 * area. libc opens the path later, by name; the program could put a link there in
 * between. Such paths are refused for these variables.
 */
#include <fcntl.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "shim/shim.h"

extern char **environ;

enum { K_FILE, K_DIR, K_PATHLIST, K_TZ, K_LOCALE, K_LANGLIST };

static const struct {
	const char *name;
	int kind;
} watched[] = {
	{"TZ", K_TZ},
	{"TZDIR", K_DIR},
	{"LOCPATH", K_PATHLIST},
	{"GCONV_PATH", K_PATHLIST},
	{"HOSTALIASES", K_FILE},
	{"RESOLV_HOST_CONF", K_FILE},
	{"DATEMSK", K_FILE},
	{"LANGUAGE", K_LANGLIST},
	{"LANG", K_LOCALE},
	{"LC_ALL", K_LOCALE},
	{"LC_CTYPE", K_LOCALE},
	{"LC_NUMERIC", K_LOCALE},
	{"LC_TIME", K_LOCALE},
	{"LC_COLLATE", K_LOCALE},
	{"LC_MONETARY", K_LOCALE},
	{"LC_MESSAGES", K_LOCALE},
	{"LC_PAPER", K_LOCALE},
	{"LC_NAME", K_LOCALE},
	{"LC_ADDRESS", K_LOCALE},
	{"LC_TELEPHONE", K_LOCALE},
	{"LC_MEASUREMENT", K_LOCALE},
	{"LC_IDENTIFICATION", K_LOCALE},
};
#define N_WATCHED (sizeof watched / sizeof watched[0])

/* What a refused value becomes: a path that names nothing (ENOTDIR), so that libc
 * acts as for a missing file. */
#define NOWHERE "/dev/null/ward-hidden"

/* Is (the object at) path, or one of the folders on its way, writable by policy? */
static bool in_write_area(const char *real, size_t len)
{
	char p[PATH_MAX];
	if (len >= sizeof p)
		return true;
	memcpy(p, real, len + 1);
	for (;;) {
		struct wg_path g;
		struct wd_out d;
		if (wg_split(&g, p, len) < 0)
			return true;
		wd_decide(ws.pol, &g, -1, &d);
		if (d.level >= WL_WRITE)
			return true;
		if (len <= 1)
			return false;
		len = wn_parent_len(p, len);
		p[len] = 0;
	}
}

/* May libc open `path` (read) on the program's behalf? Logs a refusal. */
static bool path_ok(const char *fn, const char *path)
{
	if (!path[0])
		return true;
	struct wr r;
	int rc = wr_resolve(AT_FDCWD, path, WR_FOLLOW, &r);
	if (rc < 0)
		return rc == -ENAMETOOLONG ? false : true; /* EFAULT etc.: libc fails the same */
	struct ws_op op = {.fn = fn, .access = WA_READ, .need = WL_READ, .path = path, .r = &r};
	if (r.err || !r.exists) {
		/* missing: libc will find nothing, unless the name is hidden (then it must
		 * look missing, and a link could make it exist later) */
		struct wg_path g;
		struct wd_out d;
		if (wg_split(&g, r.real, r.len) < 0)
			return false;
		wd_decide(ws.pol, &g, -1, &d);
		if (d.level > WL_NONE && !in_write_area(r.real, r.len))
			return true;
		op.need = WL_WRITE + 1; /* refused, and logged as such */
		ws_gate(&op);
		return ws.mode == WM_AUDIT;
	}
	if (in_write_area(r.real, r.len)) {
		op.need = WL_WRITE + 1;
		ws_gate(&op);
		return ws.mode == WM_AUDIT;
	}
	return ws_gate(&op) == 0;
}

/* Each element of a ':' list. */
static bool list_ok(const char *fn, const char *v, bool names)
{
	char one[PATH_MAX];
	while (*v) {
		const char *e = strchr(v, ':');
		size_t n = e ? (size_t)(e - v) : strlen(v);
		if (n >= sizeof one)
			return false;
		memcpy(one, v, n);
		one[n] = 0;
		if (names) {
			if (memchr(one, '/', n))
				return false; /* a message-catalog locale is a name, never a path */
		} else if (n && !path_ok(fn, one)) {
			return false;
		}
		v += n;
		if (*v == ':')
			v++;
	}
	return true;
}

static bool value_ok(const char *fn, int kind, const char *v)
{
	switch (kind) {
	case K_FILE:
	case K_DIR:
		return path_ok(fn, v);
	case K_PATHLIST:
		return list_ok(fn, v, false);
	case K_LANGLIST:
		return list_ok(fn, v, true);
	case K_LOCALE:
		return v[0] != '/' || path_ok(fn, v);
	case K_TZ: {
		if (v[0] == ':')
			v++;
		if (!v[0])
			return true;
		if (v[0] == '/')
			return path_ok(fn, v);
		/* a name under TZDIR (libc tries any TZ value as a file there first) */
		const char *dir = getenv("TZDIR");
		char p[PATH_MAX];
		size_t dl = strlen(dir && *dir ? dir : "/usr/share/zoneinfo"), vl = strlen(v);
		if (dl + 1 + vl >= sizeof p)
			return false;
		memcpy(p, dir && *dir ? dir : "/usr/share/zoneinfo", dl);
		p[dl] = '/';
		memcpy(p + dl + 1, v, vl + 1);
		return path_ok(fn, p);
	}
	}
	return false;
}

static int watched_index(const char *name, size_t nl)
{
	for (size_t i = 0; i < N_WATCHED; i++)
		if (strlen(watched[i].name) == nl && memcmp(watched[i].name, name, nl) == 0)
			return (int)i;
	return -1;
}

/* At start: every watched variable of the environment is judged; a refused one is
 * replaced in place (no allocation: the program's environ array is rewritten). */
void ws_env_judge(void)
{
	static char repl[N_WATCHED][40];
	for (char **e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq)
			continue;
		int i = watched_index(*e, (size_t)(eq - *e));
		if (i < 0 || value_ok("environ", watched[i].kind, eq + 1))
			continue;
		const char *to = watched[i].kind == K_LANGLIST ? "" :
				 watched[i].kind == K_TZ       ? ":" NOWHERE : NOWHERE;
		size_t nl = strlen(watched[i].name);
		memcpy(repl[i], watched[i].name, nl);
		repl[i][nl] = '=';
		memcpy(repl[i] + nl + 1, to, strlen(to) + 1);
		*e = repl[i];
	}
}

/* ---- setenv, putenv ---- */

static void *setenv_fn, *putenv_fn, *setlocale_fn, *newlocale_fn, *bindtextdomain_fn;

static void *libc(void **slot, const char *name)
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

WS_EXPORT int setenv(const char *name, const char *value, int overwrite)
{
	if (ws_active() && !ws_null(name) && !ws_null(value)) {
		int i = watched_index(name, strlen(name));
		if (i >= 0 && !value_ok("setenv", watched[i].kind, value)) {
			errno = EACCES;
			return -1;
		}
	}
	return ((int (*)(const char *, const char *, int))libc(&setenv_fn, "setenv"))(name, value, overwrite);
}

WS_EXPORT int putenv(char *string)
{
	if (ws_active() && !ws_null(string)) {
		const char *eq = strchr(string, '=');
		int i = eq ? watched_index(string, (size_t)(eq - string)) : -1;
		if (i >= 0 && !value_ok("putenv", watched[i].kind, eq + 1)) {
			errno = EACCES;
			return -1;
		}
	}
	return ((int (*)(char *))libc(&putenv_fn, "putenv"))(string);
}

/* ---- locales and message catalogs named by folder ---- */

/* A locale argument: a name, or "CAT=name;CAT=name;..." (what setlocale(LC_ALL,
 * NULL) returns); every name that begins with '/' is a folder to judge. */
static bool locale_ok(const char *fn, const char *loc)
{
	char one[PATH_MAX];
	const char *p = loc;
	while (*p) {
		const char *start = p;
		const char *eq = strchr(p, '=');
		const char *semi = strchr(p, ';');
		if (eq && (!semi || eq < semi))
			start = eq + 1;
		const char *end = semi ? semi : p + strlen(p);
		size_t n = (size_t)(end - start);
		if (n >= sizeof one)
			return false;
		memcpy(one, start, n);
		one[n] = 0;
		if (one[0] == '/' && !path_ok(fn, one))
			return false;
		p = *end ? end + 1 : end;
	}
	return true;
}

WS_EXPORT char *setlocale(int category, const char *locale)
{
	if (!ws_null(locale) && ws_active() && !locale_ok("setlocale", locale))
		return NULL; /* as for a locale that is not installed */
	return ((char *(*)(int, const char *))libc(&setlocale_fn, "setlocale"))(category, locale);
}

WS_EXPORT locale_t newlocale(int mask, const char *locale, locale_t base)
{
	if (!ws_null(locale) && ws_active() && !locale_ok("newlocale", locale)) {
		errno = ENOENT;
		return (locale_t)0;
	}
	return ((locale_t(*)(int, const char *, locale_t))libc(&newlocale_fn, "newlocale"))(mask, locale,
											     base);
}

WS_EXPORT char *bindtextdomain(const char *domain, const char *dirname)
{
	if (!ws_null(dirname) && ws_active() && !path_ok("bindtextdomain", dirname))
		dirname = NOWHERE; /* the domain's catalogs are then missing */
	return ((char *(*)(const char *, const char *))libc(&bindtextdomain_fn, "bindtextdomain"))(domain,
												    dirname);
}
