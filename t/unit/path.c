/* t/unit/path.c: lexical path normalisation (common/path.h). */
#include <errno.h>
#include <string.h>

#include "common/path.h"
#include "t/tap/basic.h"

static char out[4096];
static unsigned fl;

static const char *J(const char *base, const char *path)
{
	long n = wn_join(base, strlen(base), path, out, sizeof out, &fl);
	if (n < 0)
		return n == -ENOENT ? "(ENOENT)" : n == -ENAMETOOLONG ? "(ENAMETOOLONG)" : "(error)";
	if ((size_t)n != strlen(out))
		return "(bad length)";
	return out;
}

int main(void)
{
	plan_lazy();
	is_string("/a/b/c", J("/a/b", "c"), "relative joins the base");
	is_string("/c", J("/a/b", "/c"), "absolute ignores the base");
	is_string("/a/b", J("/a/b", "."), ". is the base");
	ok(fl & WN_DOT, "... and says a . was dropped");
	is_string("/a", J("/a/b", ".."), ".. is the parent of the base");
	ok(!(fl & WN_DOTDOT), "... popping a base name is not flagged");
	is_string("/a/b/d", J("/a/b", "c/../d"), "c/../d");
	ok(fl & WN_DOTDOT, "... a .. that removed a name of the path is flagged");
	is_string("/", J("/", "../../.."), ".. stops at /");
	is_string("/", J("/a", "/.."), "/.. is /");
	is_string("/x/y", J("/", "//x///y//"), "repeated slashes fold");
	ok(fl & WN_TRAIL, "a trailing / is flagged");
	J("/", "/x/y");
	ok(!(fl & (WN_TRAIL | WN_DOTDOT | WN_DOT)), "a plain path has no flag");
	J("/", "/x/.");
	ok(fl & WN_TRAIL, "a trailing /. means a folder");
	J("/", "/x/y/..");
	ok(fl & WN_TRAIL, "a trailing /.. means a folder");
	is_string("/a/...", J("/a", "..."), "... is a name");
	is_string("/a/.b", J("/a", ".b"), ".b is a name");
	is_string("/a/..b", J("/a", "..b"), "..b is a name");
	is_string("(ENOENT)", J("/a", ""), "an empty path is ENOENT");
	{
		char big[5000];
		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = 0;
		is_string("(ENAMETOOLONG)", J("/a", big), "a path longer than the buffer is ENAMETOOLONG");
		char small[8];
		is_int(-ENAMETOOLONG, wn_join("/", 1, "/abcdefgh", small, sizeof small, &fl), "the buffer size is respected");
		is_int(7, wn_join("/", 1, "/abcdef", small, sizeof small, &fl), "a path that just fits");
	}
	/* the base may be the output buffer itself */
	strcpy(out, "/base/dir");
	is_int(13, wn_join(out, 9, "x/../y/z", out, sizeof out, &fl), "join in place: length");
	is_string("/base/dir/y/z", out, "join in place");

	is_int(1, (long long)wn_parent_len("/", 1), "parent of /");
	is_int(1, (long long)wn_parent_len("/a", 2), "parent of /a");
	is_int(2, (long long)wn_parent_len("/a/b", 4), "parent of /a/b");
	is_int(4, (long long)wn_parent_len("/a/b/cde", 8), "parent of /a/b/cde");

	ok(wn_is_under("/a/b", 4, "/a", 2), "/a/b is under /a");
	ok(wn_is_under("/a", 2, "/a", 2), "/a is under itself");
	ok(!wn_is_under("/ab", 3, "/a", 2), "/ab is not under /a");
	ok(!wn_is_under("/a", 2, "/a/b", 4), "/a is not under /a/b");
	ok(wn_is_under("/x", 2, "/", 1), "everything is under /");
	ok(wn_is_under("/tmp/ws/a", 9, "/tmp/ws", 7), "/tmp/ws/a is under /tmp/ws");
	ok(!wn_is_under("/tmp/wsx", 8, "/tmp/ws", 7), "/tmp/wsx is not under /tmp/ws");
	return tap_failures() ? 1 : 0;
}
