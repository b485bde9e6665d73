/* wordexp.c: wordexp, the shell's expansions inside libc: "~user" (a passwd lookup),
 * "$(...)" and backquotes (a /bin/sh that libc starts with the program's own
 * environment), and globbing (listings of folders, with libc's own glob).
 *
 *  - The shell of a command substitution gets ward's variables back into the
 *    environment first (as every exec wrapper gives a child), so that it runs
 *    under the library, whatever the program did to its environment.
 *  - "~" needs the passwd database readable.
 *  - Words that name hidden objects are taken out of the result: a glob of a hidden
 *    folder's entries names nothing. (What stays visible: that a pattern matched
 *    something hidden makes its words disappear, where a pattern that matches
 *    nothing is kept as it was written; names are never shown.)
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <wordexp.h>

#include "shim/shim.h"

static void *wordexp_fn, *setenv_fn;

static void *sym(void **slot, const char *name)
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

/* ward's kept variables (LD_PRELOAD, WARD_*) into the environment, as children get
 * them. */
static void restore_env(void)
{
	int (*set)(const char *, const char *, int) =
		(int (*)(const char *, const char *, int))sym(&setenv_fn, "setenv");
	for (int i = 0; i < ws.n_env_keep; i++) {
		const char *kv = ws.env_keep[i];
		const char *eq = strchr(kv, '=');
		char name[64];
		size_t nl = eq ? (size_t)(eq - kv) : 0;
		if (!eq || nl >= sizeof name)
			continue;
		memcpy(name, kv, nl);
		name[nl] = 0;
		const char *cur = getenv(name);
		if (!cur || strcmp(cur, eq + 1) != 0)
			set(name, eq + 1, 1);
	}
}

/* Does word name an existing object that the policy hides? */
static bool hidden_word(const char *w)
{
	char lex[PATH_MAX];
	unsigned nf;
	long n = wr_lexical(AT_FDCWD, w, lex, sizeof lex, &nf);
	if (n <= 0)
		return false;
	struct wg_path g;
	struct wd_out d;
	if (wg_split(&g, lex, (size_t)n) < 0)
		return false;
	wd_decide(ws.pol, &g, -1, &d);
	if (d.level > WL_NONE)
		return false;
	struct stat st;
	return ws_sc4(SYS_newfstatat, AT_FDCWD, lex, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

WS_EXPORT int wordexp(const char *words, wordexp_t *we, int flags)
{
	int (*real_wordexp)(const char *, wordexp_t *, int) =
		(int (*)(const char *, wordexp_t *, int))sym(&wordexp_fn, "wordexp");
	if (!ws_active() || ws_null(words) || ws_null(we))
		return real_wordexp(words, we, flags);
	if (!(flags & WRDE_NOCMD) && (strchr(words, '`') || strstr(words, "$(")))
		restore_env();
	if (strchr(words, '~')) {
		struct wr r;
		if (wr_resolve(AT_FDCWD, "/etc/passwd", WR_FOLLOW, &r) == 0) {
			struct ws_op op = {.fn = "wordexp", .access = WA_READ, .need = WL_READ,
					   .path = "/etc/passwd", .r = &r};
			if (ws_gate(&op) < 0)
				return WRDE_BADCHAR;
		}
	}
	size_t before = (flags & WRDE_APPEND) ? we->we_wordc : 0;
	int rc = real_wordexp(words, we, flags);
	if (rc != 0 || ws.mode == WM_AUDIT)
		return rc;
	size_t offs = (flags & WRDE_DOOFFS) ? we->we_offs : 0;
	size_t o = offs + before;
	for (size_t i = offs + before; i < offs + we->we_wordc; i++) {
		char *w = we->we_wordv[i];
		if (w && hidden_word(w)) {
			free(w);
			continue;
		}
		we->we_wordv[o++] = w;
	}
	we->we_wordc = o - offs;
	we->we_wordv[o] = NULL;
	return 0;
}
