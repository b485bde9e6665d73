/* glob.c: compile and match ward's path patterns (see glob.h). Pure code: no
 * allocation, no recursion, no system call. */
#include "glob.h"

#include <string.h>

int wg_split(struct wg_path *p, const char *s, size_t len)
{
	uint32_t n = 0;
	size_t i = 0;

	p->s = s;
	while (i < len) {
		while (i < len && s[i] == '/')
			i++;
		if (i >= len)
			break;
		size_t st = i;
		while (i < len && s[i] != '/')
			i++;
		if (n >= WG_MAX_DEPTH)
			return -1;
		p->off[n] = (uint16_t)st;
		p->len[n] = (uint16_t)(i - st);
		n++;
	}
	p->n = n;
	return 0;
}

const char *wg_check_name(const char *s, size_t len)
{
	if (len == 2 && s[0] == '*' && s[1] == '*')
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\\') {
			if (i + 1 >= len)
				return "a '\\' at the end of a name escapes nothing";
			i++;
		} else if (c == '*') {
			if (i + 1 < len && s[i + 1] == '*')
				return "'**' must be a whole name (as in 'a/**/b')";
		} else if (c == '[') {
			size_t j = i + 1;
			if (j < len && (s[j] == '!' || s[j] == '^'))
				j++;
			if (j < len && s[j] == ']')
				j++;
			while (j < len && s[j] != ']') {
				if (s[j] == '\\')
					j++;
				j++;
			}
			if (j >= len)
				return "a '[' class is not closed by ']'";
			if (j == i + 1 || (j == i + 2 && (s[i + 1] == '!' || s[i + 1] == '^')))
				return "an empty '[]' class";
			i = j;
		} else if (c == ']') {
			return "a ']' without its '['";
		}
	}
	return NULL;
}

/* Is the name free of wildcards, once escapes are read? */
static bool is_special(char c) { return c == '*' || c == '?' || c == '[' || c == '\\'; }

size_t wg_classify(const char *s, size_t len, char *out, uint8_t *kind)
{
	if (len == 2 && s[0] == '*' && s[1] == '*') {
		*kind = WG_STARSTAR;
		out[0] = 0;
		return 0;
	}
	bool has_wild = false;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			out[o++] = s[++i];
		} else if (s[i] == '*' || s[i] == '?' || s[i] == '[') {
			has_wild = true;
			break;
		} else {
			out[o++] = s[i];
		}
	}
	if (!has_wild) {
		*kind = WG_LIT;
		out[o] = 0;
		return o;
	}
	/* `lit*` with no other special character: a prefix. */
	if (len >= 1 && s[len - 1] == '*') {
		bool plain = true;
		for (size_t i = 0; i + 1 < len; i++)
			if (is_special(s[i]))
				plain = false;
		if (plain) {
			memcpy(out, s, len - 1);
			out[len - 1] = 0;
			*kind = WG_PREFIX;
			return len - 1;
		}
	}
	/* `*lit` with no other special character: a suffix. */
	if (s[0] == '*') {
		bool plain = true;
		for (size_t i = 1; i < len; i++)
			if (is_special(s[i]))
				plain = false;
		if (plain) {
			memcpy(out, s + 1, len - 1);
			out[len - 1] = 0;
			*kind = WG_SUFFIX;
			return len - 1;
		}
	}
	memcpy(out, s, len);
	out[len] = 0;
	*kind = WG_GLOB;
	return len;
}

/* Matches one character class starting at pat[*pi] == '['; advances *pi past ']'. */
static bool class_match(const char *pat, size_t pl, size_t *pi, unsigned char c)
{
	size_t i = *pi + 1;
	bool neg = false, hit = false;
	if (i < pl && (pat[i] == '!' || pat[i] == '^')) {
		neg = true;
		i++;
	}
	bool first = true;
	while (i < pl && (pat[i] != ']' || first)) {
		first = false;
		unsigned char lo = (unsigned char)pat[i];
		if (lo == '\\' && i + 1 < pl)
			lo = (unsigned char)pat[++i];
		i++;
		unsigned char hi = lo;
		if (i + 1 < pl && pat[i] == '-' && pat[i + 1] != ']') {
			hi = (unsigned char)pat[i + 1];
			if (hi == '\\' && i + 2 < pl) {
				hi = (unsigned char)pat[i + 2];
				i++;
			}
			i += 2;
		}
		if (c >= lo && c <= hi)
			hit = true;
	}
	*pi = i < pl ? i + 1 : i;
	return hit != neg;
}

bool wg_fnmatch(const char *pat, size_t pl, const char *s, size_t sl)
{
	size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;

	while (si < sl) {
		if (pi < pl) {
			char c = pat[pi];
			if (c == '*') {
				star_p = ++pi;
				star_s = si;
				continue;
			}
			if (c == '?') {
				pi++;
				si++;
				continue;
			}
			if (c == '[') {
				size_t np = pi;
				if (class_match(pat, pl, &np, (unsigned char)s[si])) {
					pi = np;
					si++;
					continue;
				}
			} else {
				if (c == '\\' && pi + 1 < pl)
					c = pat[++pi];
				if (c == s[si]) {
					pi++;
					si++;
					continue;
				}
			}
		}
		if (star_p == (size_t)-1)
			return false;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < pl && pat[pi] == '*')
		pi++;
	return pi == pl;
}

bool wg_name_match(const char *base, const struct wg_comp *c, const char *n, size_t nl)
{
	const char *cs = base + c->off;
	switch (c->kind) {
	case WG_LIT:
		return nl == c->len && memcmp(n, cs, nl) == 0;
	case WG_PREFIX:
		return nl >= c->len && memcmp(n, cs, c->len) == 0;
	case WG_SUFFIX:
		return nl >= c->len && memcmp(n + nl - c->len, cs, c->len) == 0;
	case WG_GLOB:
		return wg_fnmatch(cs, c->len, n, nl);
	case WG_ANY:
	case WG_STARSTAR:
		return true;
	}
	return false;
}

static const struct wg_comp starstar = {0, 0, WG_STARSTAR, {0}};
static const struct wg_comp anyname = {0, 0, WG_ANY, {0}};

/* The classic single-backtrack wildcard algorithm over names: `**` plays the part of
 * `*`, and every other name matches exactly one path name. `extra` names (`tail`) are
 * appended to the pattern. Matches the first `m` names of `p`. */
static bool full_match(const char *base, const struct wg_comp *pat, uint32_t np, const struct wg_comp *const *tail,
		       uint32_t ntail, const struct wg_path *p, uint32_t m)
{
	uint32_t total = np + ntail;
	uint32_t i = 0, j = 0;
	uint32_t star_i = UINT32_MAX, star_j = 0;

	while (j < m) {
		if (i < total) {
			const struct wg_comp *c = i < np ? &pat[i] : tail[i - np];
			if (c->kind == WG_STARSTAR) {
				star_i = i++;
				star_j = j;
				continue;
			}
			if (wg_name_match(base, c, p->s + p->off[j], p->len[j])) {
				i++;
				j++;
				continue;
			}
		}
		if (star_i == UINT32_MAX)
			return false;
		i = star_i + 1;
		j = ++star_j;
	}
	while (i < total) {
		const struct wg_comp *c = i < np ? &pat[i] : tail[i - np];
		if (c->kind != WG_STARSTAR)
			break;
		i++;
	}
	return i == total;
}

enum wg_result wg_match(const char *base, const struct wg_comp *pat, uint32_t np, bool dironly,
			const struct wg_path *p)
{
	const struct wg_comp *t1[1] = {&starstar};
	const struct wg_comp *t2[2] = {&anyname, &starstar};

	if (!dironly)
		return full_match(base, pat, np, t1, 1, p, p->n) ? WG_YES : WG_NO;
	/* A folder-only pattern covers whatever lies strictly beneath a match... */
	if (full_match(base, pat, np, t2, 2, p, p->n))
		return WG_YES;
	/* ...and the path itself only when it is a folder. */
	return full_match(base, pat, np, NULL, 0, p, p->n) ? WG_IFDIR : WG_NO;
}

bool wg_match_exact(const char *base, const struct wg_comp *pat, uint32_t np, const struct wg_path *p, uint32_t k)
{
	return full_match(base, pat, np, NULL, 0, p, k);
}

bool wg_can_match_beneath(const char *base, const struct wg_comp *pat, uint32_t np, const struct wg_path *p,
			  uint32_t k)
{
	/* Run the matcher over the k names as a set of live pattern positions (an NFA),
	 * then ask whether a live position still has a name to consume. Patterns are
	 * bounded by WG_MAX_DEPTH names; positions are kept in a bitset. */
	enum { W = (WG_MAX_DEPTH + 2 + 63) / 64 };
	uint64_t cur[W], nxt[W];
	if (np > WG_MAX_DEPTH)
		return true; /* cannot judge: the caller treats that as "could" */
	memset(cur, 0, sizeof cur);
	cur[0] = 1;
	/* epsilon closure: `**` may match zero names */
	for (uint32_t i = 0; i < np; i++)
		if ((cur[i / 64] >> (i % 64)) & 1 && pat[i].kind == WG_STARSTAR)
			cur[(i + 1) / 64] |= 1ull << ((i + 1) % 64);
	for (uint32_t j = 0; j < k; j++) {
		memset(nxt, 0, sizeof nxt);
		bool any = false;
		for (uint32_t i = 0; i < np; i++) {
			if (!((cur[i / 64] >> (i % 64)) & 1))
				continue;
			if (pat[i].kind == WG_STARSTAR) {
				nxt[i / 64] |= 1ull << (i % 64);
				any = true;
			} else if (wg_name_match(base, &pat[i], p->s + p->off[j], p->len[j])) {
				nxt[(i + 1) / 64] |= 1ull << ((i + 1) % 64);
				any = true;
			}
		}
		if (!any)
			return false;
		for (uint32_t i = 0; i < np; i++)
			if ((nxt[i / 64] >> (i % 64)) & 1 && pat[i].kind == WG_STARSTAR)
				nxt[(i + 1) / 64] |= 1ull << ((i + 1) % 64);
		memcpy(cur, nxt, sizeof cur);
	}
	/* A pattern that matches the prefix itself covers all beneath it alike. */
	if ((cur[np / 64] >> (np % 64)) & 1)
		return false;
	/* A live position before the end has names left to match beneath the prefix. */
	for (uint32_t i = 0; i < np; i++)
		if ((cur[i / 64] >> (i % 64)) & 1)
			return true;
	return false;
}

int wg_kid_last(const char *base, const struct wg_comp *pat, uint32_t np, const struct wg_path *p,
		uint32_t k, uint32_t *pos, int max)
{
	/* The same set of live positions as wg_can_match_beneath, after the k names. */
	enum { W = (WG_MAX_DEPTH + 2 + 63) / 64 };
	uint64_t cur[W], nxt[W];
	if (np > WG_MAX_DEPTH)
		return -1;
	memset(cur, 0, sizeof cur);
	cur[0] = 1;
	for (uint32_t i = 0; i < np; i++)
		if ((cur[i / 64] >> (i % 64)) & 1 && pat[i].kind == WG_STARSTAR)
			cur[(i + 1) / 64] |= 1ull << ((i + 1) % 64);
	for (uint32_t j = 0; j < k; j++) {
		memset(nxt, 0, sizeof nxt);
		bool any = false;
		for (uint32_t i = 0; i < np; i++) {
			if (!((cur[i / 64] >> (i % 64)) & 1))
				continue;
			if (pat[i].kind == WG_STARSTAR) {
				nxt[i / 64] |= 1ull << (i % 64);
				any = true;
			} else if (wg_name_match(base, &pat[i], p->s + p->off[j], p->len[j])) {
				nxt[(i + 1) / 64] |= 1ull << ((i + 1) % 64);
				any = true;
			}
		}
		if (!any)
			return 0;
		for (uint32_t i = 0; i < np; i++)
			if ((nxt[i / 64] >> (i % 64)) & 1 && pat[i].kind == WG_STARSTAR)
				nxt[(i + 1) / 64] |= 1ull << ((i + 1) % 64);
		memcpy(cur, nxt, sizeof cur);
	}
	/* A child x is matched exactly when a live name position i matches x and only
	 * `**` follow it. A live `**` followed by only `**` would match the folder
	 * itself: not the case this answers (the caller checked), so it is refused. */
	int n = 0;
	for (uint32_t i = 0; i < np; i++) {
		if (!((cur[i / 64] >> (i % 64)) & 1))
			continue;
		bool rest = true;
		for (uint32_t t = i + 1; t < np && rest; t++)
			rest = pat[t].kind == WG_STARSTAR;
		if (!rest)
			continue;
		if (pat[i].kind == WG_STARSTAR || n == max)
			return -1;
		pos[n++] = i;
	}
	return n;
}
