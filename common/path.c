/* path.c: lexical path normalisation (see path.h). No allocation, no system call. */
#include "path.h"

#include <errno.h>
#include <string.h>

long wn_join(const char *base, size_t blen, const char *path, char *out, size_t outsz,
	     unsigned *flags)
{
	size_t o;
	size_t fixed; /* out[0..fixed) came from `base` and is known to be real */
	*flags = 0;
	if (!path || !*path)
		return -ENOENT;
	if (outsz < 2)
		return -ENAMETOOLONG;
	if (path[0] == '/') {
		out[0] = '/';
		o = 1;
	} else {
		if (blen == 0 || base[0] != '/')
			return -ENOENT;
		if (blen >= outsz)
			return -ENAMETOOLONG;
		if (out != base)
			memmove(out, base, blen); /* `base` may already be in `out` */
		o = blen;
	}
	fixed = o;
	const char *p = path;
	int last_special = 0;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *st = p;
		while (*p && *p != '/')
			p++;
		size_t nl = (size_t)(p - st);
		last_special = 0;
		if (nl == 1 && st[0] == '.') {
			*flags |= WN_DOT;
			last_special = 1;
			continue;
		}
		if (nl == 2 && st[0] == '.' && st[1] == '.') {
			last_special = 1;
			if (o > 1) {
				size_t np = o;
				while (np > 1 && out[np - 1] != '/')
					np--;
				if (np > 1)
					np--; /* drop the separating '/' */
				if (o > fixed)
					*flags |= WN_DOTDOT;
				o = np;
				if (o < fixed)
					fixed = o;
			}
			continue;
		}
		if (o > 1) {
			if (o + 1 >= outsz)
				return -ENAMETOOLONG;
			out[o++] = '/';
		}
		if (o + nl >= outsz)
			return -ENAMETOOLONG;
		memcpy(out + o, st, nl);
		o += nl;
	}
	size_t pl = (size_t)(p - path);
	if (last_special || (pl > 0 && path[pl - 1] == '/'))
		*flags |= WN_TRAIL;
	out[o] = 0;
	return (long)o;
}

size_t wn_parent_len(const char *s, size_t len)
{
	if (len <= 1)
		return 1;
	size_t i = len;
	while (i > 0 && s[i - 1] != '/')
		i--;
	return i <= 1 ? 1 : i - 1;
}

int wn_is_under(const char *a, size_t al, const char *b, size_t bl)
{
	if (bl == 1 && b[0] == '/')
		return 1;
	if (al < bl || memcmp(a, b, bl) != 0)
		return 0;
	return al == bl || a[bl] == '/';
}
