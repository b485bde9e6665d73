/* t/fuzz/path.c: lexical path normalisation and joining (common/path.c), against a
 * reference that keeps the names on a stack.
 *
 * Input: one byte of options (the output buffer's size, in-place joining), then
 * BASE NUL PATH. BASE is first normalised on its own (joined to "/"); PATH is then
 * joined to it. The result, its flags, its parent and wn_is_under are checked. The
 * output buffer is exactly the size given, so a write past it is caught. */
#include <errno.h>
#include <string.h>

#include "common/path.h"
#include "t/fuzz/fuzz.h"

#define MAXLEN 8192

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

struct ref {
	char s[MAXLEN * 2 + 2];
	size_t n;
	size_t longest; /* the longest the result was on the way */
	unsigned flags;
	size_t fixed; /* s[0..fixed) came from the base */
};

/* Joins as DESIGN.md's "real absolute path" is computed lexically: names pushed,
 * "." dropped, ".." pops one (none above "/"), empty names dropped. */
static void ref_join(struct ref *r, const char *base, size_t blen, const char *path)
{
	r->flags = 0;
	if (path[0] == '/') {
		r->s[0] = '/';
		r->n = 1;
	} else {
		memcpy(r->s, base, blen);
		r->n = blen;
	}
	r->fixed = r->n;
	r->longest = r->n;
	const char *p = path;
	bool last_special = false;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *st = p;
		while (*p && *p != '/')
			p++;
		size_t nl = (size_t)(p - st);
		last_special = false;
		if (nl == 1 && st[0] == '.') {
			r->flags |= WN_DOT;
			last_special = true;
			continue;
		}
		if (nl == 2 && st[0] == '.' && st[1] == '.') {
			last_special = true;
			if (r->n > 1) {
				if (r->n > r->fixed)
					r->flags |= WN_DOTDOT;
				while (r->n > 1 && r->s[r->n - 1] != '/')
					r->n--;
				if (r->n > 1)
					r->n--;
				if (r->n < r->fixed)
					r->fixed = r->n;
			}
			continue;
		}
		if (r->n > 1)
			r->s[r->n++] = '/';
		memcpy(r->s + r->n, st, nl);
		r->n += nl;
		if (r->n > r->longest)
			r->longest = r->n;
	}
	size_t pl = strlen(path);
	if (last_special || (pl > 0 && path[pl - 1] == '/'))
		r->flags |= WN_TRAIL;
	r->s[r->n] = 0;
}

/* Is s[0..n) an absolute normalised path? */
static bool normalised(const char *s, size_t n)
{
	if (n == 0 || s[0] != '/')
		return false;
	if (n == 1)
		return true;
	if (s[n - 1] == '/')
		return false;
	for (size_t i = 0; i < n;) {
		size_t st = ++i; /* after a '/' */
		while (i < n && s[i] != '/')
			i++;
		size_t nl = i - st;
		if (nl == 0 || (nl == 1 && s[st] == '.') || (nl == 2 && s[st] == '.' && s[st + 1] == '.'))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > MAXLEN)
		return 0;
	unsigned opt = data[0];
	data++;
	size--;
	const uint8_t *nul = memchr(data, 0, size);
	static char base_in[MAXLEN + 1], path[MAXLEN + 1];
	size_t bl = nul ? (size_t)(nul - data) : size;
	memcpy(base_in, data, bl);
	base_in[bl] = 0;
	size_t pl = nul ? size - bl - 1 : 0;
	memcpy(path, nul ? nul + 1 : data + size, pl);
	path[pl] = 0;
	if (memchr(path, 0, pl))
		return 0; /* a C string ends at its first NUL */

	/* the base: any string, joined to "/" (it is absolute or made so) */
	static char base[MAXLEN + 2];
	unsigned fl;
	long n = wn_join("/", 1, bl ? base_in : "/", base, sizeof base, &fl);
	FZ_CHECK(n >= 0);
	FZ_CHECKF(normalised(base, (size_t)n) && strlen(base) == (size_t)n, "not normalised: '%s'", base);
	static struct ref R;
	ref_join(&R, "/", 1, bl ? base_in : "/");
	FZ_CHECKF(R.n == (size_t)n && memcmp(R.s, base, R.n) == 0, "'%s' normalised: '%s', the reference says '%s'",
		  base_in, base, R.s);
	if (!bl) {
		/* an empty path is refused */
		FZ_CHECK(wn_join(base, (size_t)n, "", base_in, sizeof base_in, &fl) == -ENOENT);
	}

	/* the join, into a buffer of exactly outsz bytes (maybe the one holding base) */
	size_t outsz = (opt & 0x80) ? 4096 : (opt & 0x3f) + 1;
	bool inplace = opt & 0x40;
	ref_join(&R, base, (size_t)n, pl ? path : "/");
	if (inplace && outsz <= (size_t)n)
		outsz = (size_t)n + 1 + (opt & 0x3f);
	char *out = malloc(outsz);
	if (!out)
		abort();
	const char *b = base;
	if (inplace) {
		memcpy(out, base, (size_t)n + 1 < outsz ? (size_t)n + 1 : outsz);
		b = out;
	}
	long m = wn_join(b, (size_t)n, pl ? path : "/", out, outsz, &fl);
	if (m == -ENAMETOOLONG) {
		/* only when the result, or the way to it, does not fit */
		FZ_CHECKF(R.longest + 1 > outsz, "'%s' + '%s' did not fit %zu bytes, but needs %zu", base, path, outsz,
			  R.longest + 1);
	} else {
		FZ_CHECKF(m >= 0, "'%s' + '%s': %ld", base, path, m);
		FZ_CHECKF((size_t)m == R.n && memcmp(out, R.s, R.n) == 0 && out[m] == 0,
			  "'%s' + '%s': '%s', the reference says '%s'", base, path, out, R.s);
		FZ_CHECKF(fl == R.flags, "'%s' + '%s': flags %u, the reference says %u", base, path, fl, R.flags);
		FZ_CHECK(normalised(out, (size_t)m));
		/* parent and beneath */
		size_t par = wn_parent_len(out, (size_t)m);
		FZ_CHECK(par >= 1 && par <= (size_t)m);
		FZ_CHECK(m == 1 ? par == 1 : (par < (size_t)m && normalised(out, par)));
		FZ_CHECK(m == 1 || wn_is_under(out, (size_t)m, out, par));
		FZ_CHECK(wn_is_under(out, (size_t)m, out, (size_t)m));
		FZ_CHECK(wn_is_under(out, (size_t)m, "/", 1));
		/* beneath the base exactly when the reference's names start with its names */
		bool under = wn_is_under(out, (size_t)m, base, (size_t)n);
		bool want = (size_t)n == 1 ||
			    ((size_t)m >= (size_t)n && memcmp(out, base, (size_t)n) == 0 &&
			     ((size_t)m == (size_t)n || out[n] == '/'));
		FZ_CHECK(under == want);
		/* joining the result again changes nothing */
		static char again[MAXLEN + 2];
		unsigned f2;
		long a = wn_join("/", 1, out, again, sizeof again, &f2);
		FZ_CHECK(a == m && memcmp(again, out, (size_t)m) == 0 && (f2 & WN_DOTDOT) == 0 && (m == 1 || f2 == 0));
	}
	free(out);
	return 0;
}
