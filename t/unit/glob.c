/* t/unit/glob.c: the pattern matcher, alone. */
#include <string.h>

#include "common/glob.h"
#include "common/path.h"
#include "t/tap/basic.h"

/* Compiles a pattern into comps over a private string store. */
struct pat {
	char store[4096];
	struct wg_comp c[64];
	uint32_t n;
	bool dironly;
};

static void compile(struct pat *p, const char *s)
{
	size_t o = 0, len = strlen(s);
	p->n = 0;
	p->dironly = len > 1 && s[len - 1] == '/';
	for (size_t i = 0; i < len;) {
		while (i < len && s[i] == '/')
			i++;
		if (i >= len)
			break;
		size_t st = i;
		while (i < len && s[i] != '/')
			i++;
		struct wg_comp *c = &p->c[p->n++];
		c->off = (uint32_t)o;
		c->len = (uint32_t)wg_classify(s + st, i - st, p->store + o, &c->kind);
		o += c->len + 1;
	}
}

static int m(const char *pattern, const char *path)
{
	struct pat p;
	struct wg_path wp;
	compile(&p, pattern);
	wg_split(&wp, path, strlen(path));
	return wg_match(p.store, p.c, p.n, p.dironly, &wp);
}

static int beneath(const char *pattern, const char *path)
{
	struct pat p;
	struct wg_path wp;
	compile(&p, pattern);
	wg_split(&wp, path, strlen(path));
	return wg_can_match_beneath(p.store, p.c, p.n, &wp, wp.n);
}

int main(void)
{
	plan_lazy();
	/* names */
	ok(wg_fnmatch("*.pem", 5, "a.pem", 5), "*.pem matches a.pem");
	ok(wg_fnmatch("*.pem", 5, ".pem", 4), "* matches an empty run");
	ok(!wg_fnmatch("*.pem", 5, "a.pemx", 6), "*.pem does not match a.pemx");
	ok(wg_fnmatch("a?c", 3, "abc", 3), "? matches one character");
	ok(!wg_fnmatch("a?c", 3, "ac", 2), "? needs one character");
	ok(wg_fnmatch("[abc]x", 6, "bx", 2), "class");
	ok(!wg_fnmatch("[!abc]x", 7, "bx", 2), "negated class");
	ok(wg_fnmatch("[a-c]x", 6, "cx", 2), "range");
	ok(wg_fnmatch("\\*x", 3, "*x", 2), "escaped star is literal");
	ok(!wg_fnmatch("\\*x", 3, "ax", 2), "escaped star matches only a star");
	ok(wg_fnmatch("*a*b*c", 6, "xxaxxbxxc", 9), "backtracking");
	ok(wg_fnmatch("*", 1, ".hidden", 7), "* matches a leading dot");
	ok(wg_check_name("a**", 3) != NULL, "'**' inside a name is refused");
	ok(wg_check_name("[ab", 3) != NULL, "an open class is refused");
	ok(wg_check_name("a]", 2) != NULL, "a lone ] is refused");
	ok(wg_check_name("[]]", 3) == NULL, "a class holding ] is fine");
	ok(wg_check_name("**", 2) == NULL, "** alone is fine");
	ok(wg_check_name("ab\\", 3) != NULL, "a trailing backslash is refused");

	/* paths */
	is_int(WG_YES, m("/home/u/docs", "/home/u/docs"), "literal matches itself");
	is_int(WG_YES, m("/home/u/docs", "/home/u/docs/a/b"), "a folder covers what is beneath");
	is_int(WG_NO, m("/home/u/docs", "/home/u/docsx"), "no partial name");
	is_int(WG_NO, m("/home/u/docs", "/home/u"), "not the parent");
	is_int(WG_YES, m("/**/.env", "/a/b/.env"), "/**/.env anywhere");
	is_int(WG_YES, m("/**/.env", "/.env"), "** matches zero names");
	is_int(WG_YES, m("/**/.env", "/a/.env/x"), "beneath a .env folder");
	is_int(WG_NO, m("/**/.env", "/a/b/.envx"), "not .envx");
	is_int(WG_YES, m("/**", "/"), "/** is the root");
	is_int(WG_YES, m("/", "/x/y"), "/ covers all");
	is_int(WG_YES, m("/r/**", "/r"), "r/** matches r itself");
	is_int(WG_YES, m("/r/*/x", "/r/a/x/y"), "* is one name");
	is_int(WG_NO, m("/r/*/x", "/r/a/b/x"), "* is not two names");
	is_int(WG_YES, m("/r/**/x", "/r/a/b/x"), "** is many names");
	is_int(WG_IFDIR, m("/r/scratch/", "/r/scratch"), "folder-only pattern: the path itself only if a folder");
	is_int(WG_YES, m("/r/scratch/", "/r/scratch/f"), "folder-only pattern covers beneath");
	is_int(WG_YES, m("/**/.ssh/", "/h/.ssh/id"), "/**/.ssh/ beneath");
	is_int(WG_YES, m("/**/*.pem", "/a/b.pem"), "/**/*.pem");
	is_int(WG_YES, m("/**/.config/gcloud/", "/h/.config/gcloud/x"), "two names after **");
	is_int(WG_NO, m("/**/.config/gcloud/", "/h/.config/x/gcloud"), "two names in order");
	is_int(WG_YES, m("/a/**/b/**/c", "/a/x/b/y/z/c"), "two ** ");

	/* beneath */
	ok(beneath("/**/.env", "/h/u"), "/**/.env can match beneath any folder");
	ok(!beneath("/h/u/docs", "/h/u/src"), "a sibling rule cannot");
	ok(beneath("/h/u/src/private", "/h/u/src"), "a rule beneath can");
	ok(!beneath("/h/u/src", "/h/u/src"), "a rule that covers the folder itself is not 'beneath'");
	ok(!beneath("/h/u/**", "/h/u/src"), "a rule that covers an ancestor is not 'beneath'");
	ok(beneath("/h/*/secret", "/h/u"), "a glob beneath can");

	/* normalisation */
	char out[256];
	unsigned fl;
	long n = wn_join("/a/b", 4, "c/../d/./e/", out, sizeof out, &fl);
	is_string("/a/b/d/e", out, "join and fold");
	ok(n == 8 && (fl & WN_DOTDOT) && (fl & WN_TRAIL), "flags: dotdot and trailing slash");
	wn_join("/a/b", 4, "../../..", out, sizeof out, &fl);
	is_string("/", out, ".. stops at the root");
	ok(!(fl & WN_DOTDOT), "popping base names is not a lexical risk");
	wn_join("/x", 2, "/p//q/", out, sizeof out, &fl);
	is_string("/p/q", out, "absolute path ignores base");
	is_int(-2, wn_join("/x", 2, "", out, sizeof out, &fl), "empty path is ENOENT");
	ok(wn_is_under("/a/b", 4, "/a", 2) && !wn_is_under("/ab", 3, "/a", 2), "is_under");
	is_int(2, (long long)wn_parent_len("/a/b", 4), "parent of /a/b");
	is_int(1, (long long)wn_parent_len("/a", 2), "parent of /a");
	return tap_failures() ? 1 : 0;
}
