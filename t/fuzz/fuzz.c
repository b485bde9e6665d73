/* fuzz.c: helpers of the fuzz targets, and the reference matcher (see fuzz.h). */
#include "t/fuzz/fuzz.h"

#include <stdarg.h>
#include <string.h>
#include <unistd.h>

void fz_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("fuzz: property failed: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

size_t fz_split(const uint8_t *data, size_t size, char **parts, size_t *lens, size_t max)
{
	size_t n = 0, st = 0, sl = strlen(FZ_SEP);
	while (n < max) {
		size_t end = size;
		if (n + 1 < max) {
			for (size_t i = st; i + sl <= size; i++)
				if (memcmp(data + i, FZ_SEP, sl) == 0) {
					end = i;
					break;
				}
		}
		size_t len = end - st;
		parts[n] = malloc(len + 1);
		if (!parts[n])
			abort();
		memcpy(parts[n], data + st, len);
		parts[n][len] = 0;
		lens[n] = len;
		n++;
		if (end == size)
			break;
		st = end + sl;
	}
	return n;
}

void fz_free_parts(char **parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(parts[i]);
}

static char tmpdir[4096];
static pid_t tmpdir_owner;

static void rm_tmpdir(void)
{
	if (tmpdir[0] && getpid() == tmpdir_owner) {
		char cmd[4200];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: could not remove %s\n", tmpdir);
	}
}

const char *fz_tmpdir(void)
{
	if (tmpdir[0])
		return tmpdir;
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/ward-fuzz.XXXXXX", base && base[0] == '/' ? base : "/tmp");
	if (!mkdtemp(tmpl) || !realpath(tmpl, tmpdir) || chdir(tmpdir) != 0) {
		perror("fuzz: a private folder");
		exit(1);
	}
	tmpdir_owner = getpid();
	atexit(rm_tmpdir);
	return tmpdir;
}

/* ---- the reference matcher ---- */

/* One class at pat[*i] == '['; moves *i past its ']'. Syntax (glob.h): '!' or '^'
 * first negates; a ']' first (after them) is a member; '\' takes the next
 * character; "a-z" is a range of bytes, unless the '-' is last. */
static bool ref_class(const char *pat, size_t pl, size_t *i, unsigned char c)
{
	size_t k = *i + 1;
	bool neg = false, hit = false;
	if (k < pl && (pat[k] == '!' || pat[k] == '^')) {
		neg = true;
		k++;
	}
	bool first = true;
	while (k < pl && (first || pat[k] != ']')) {
		first = false;
		unsigned char lo = (unsigned char)pat[k];
		if (lo == '\\' && k + 1 < pl)
			lo = (unsigned char)pat[++k];
		k++;
		unsigned char hi = lo;
		if (k + 1 < pl && pat[k] == '-' && pat[k + 1] != ']') {
			k++;
			hi = (unsigned char)pat[k];
			if (hi == '\\' && k + 1 < pl)
				hi = (unsigned char)pat[++k];
			k++;
		}
		if (lo <= c && c <= hi)
			hit = true;
	}
	*i = k + 1; /* past ']' */
	return hit != neg;
}

/* A name's pattern as tokens: '*', '?', a class (its start in the pattern), or a
 * literal byte. */
struct tok {
	char kind; /* '*', '?', '[' or 'c' */
	unsigned char c;
	size_t at;
};

bool ref_name_match(const char *pat, size_t pl, const char *s, size_t sl)
{
	/* tokens, then a table: ok[t][k] = tokens t.. match s[k..) (no recursion,
	 * so that "*a*a*a*a" costs what it should) */
	static struct tok *T;
	static bool *ok;
	static size_t tcap, okcap;
	if (pl + 1 > tcap) {
		tcap = pl + 1;
		T = realloc(T, tcap * sizeof *T);
	}
	size_t nt = 0;
	if (!T)
		abort();
	for (size_t i = 0; i < pl;) {
		char c = pat[i];
		if (c == '*' || c == '?') {
			T[nt++] = (struct tok){c, 0, i};
			i++;
		} else if (c == '[') {
			size_t k = i;
			T[nt++] = (struct tok){'[', 0, i};
			ref_class(pat, pl, &k, 0);
			i = k > pl ? pl : k;
		} else if (c == '\\' && i + 1 < pl) {
			T[nt++] = (struct tok){'c', (unsigned char)pat[i + 1], i};
			i += 2;
		} else {
			T[nt++] = (struct tok){'c', (unsigned char)c, i};
			i++;
		}
	}
	/* a literal name: no table */
	bool lit = true;
	for (size_t t = 0; t < nt && lit; t++)
		lit = T[t].kind == 'c';
	if (lit) {
		if (nt != sl)
			return false;
		for (size_t t = 0; t < nt; t++)
			if (T[t].c != (unsigned char)s[t])
				return false;
		return true;
	}
	size_t w = sl + 1;
	if ((nt + 1) * w > okcap) {
		okcap = (nt + 1) * w;
		ok = realloc(ok, okcap);
	}
	if (!ok)
		abort();
	memset(ok + nt * w, 0, w);
	ok[nt * w + sl] = true;
	for (size_t t = nt; t-- > 0;) {
		for (size_t k = sl + 1; k-- > 0;) {
			bool v;
			if (T[t].kind == '*')
				v = ok[(t + 1) * w + k] || (k < sl && ok[t * w + k + 1]);
			else if (k == sl)
				v = false;
			else if (T[t].kind == '?')
				v = ok[(t + 1) * w + k + 1];
			else if (T[t].kind == '[') {
				size_t at = T[t].at;
				v = ref_class(pat, pl, &at, (unsigned char)s[k]) && ok[(t + 1) * w + k + 1];
			} else
				v = T[t].c == (unsigned char)s[k] && ok[(t + 1) * w + k + 1];
			ok[t * w + k] = v;
		}
	}
	return ok[0];
}

static bool is_starstar(const char *p, size_t l)
{
	return l == 2 && p[0] == '*' && p[1] == '*';
}

bool ref_full(const char *const *pn, const size_t *pl, size_t np, const char *const *qn, const size_t *ql,
	      size_t m)
{
	/* ok[i][j] = names i.. of the pattern match names j.. of the path; `**` takes
	 * zero names or one more */
	size_t w = m + 1;
	bool *ok = calloc((np + 1) * w, 1);
	if (!ok)
		abort();
	ok[np * w + m] = true;
	for (size_t i = np; i-- > 0;) {
		bool ss = is_starstar(pn[i], pl[i]);
		for (size_t j = m + 1; j-- > 0;) {
			bool v;
			if (ss)
				v = ok[(i + 1) * w + j] || (j < m && ok[i * w + j + 1]);
			else
				v = j < m && ok[(i + 1) * w + j + 1] && ref_name_match(pn[i], pl[i], qn[j], ql[j]);
			ok[i * w + j] = v;
		}
	}
	bool r = ok[0];
	free(ok);
	return r;
}

void ref_prefixes(const char *const *pn, const size_t *pl, size_t np, const char *const *qn, const size_t *ql,
		  size_t m, bool *out)
{
	/* reach[i][j]: the first i names of the pattern match the first j of the path */
	size_t w = m + 1;
	bool *reach = calloc((np + 1) * w, 1);
	if (!reach)
		abort();
	reach[0] = true;
	for (size_t i = 0; i < np; i++) {
		bool ss = is_starstar(pn[i], pl[i]);
		for (size_t j = 0; j <= m; j++) {
			if (!reach[i * w + j])
				continue;
			if (ss) {
				for (size_t k = j; k <= m; k++)
					reach[(i + 1) * w + k] = true;
				break; /* the later j add nothing */
			}
			if (j < m && ref_name_match(pn[i], pl[i], qn[j], ql[j]))
				reach[(i + 1) * w + j + 1] = true;
		}
	}
	memcpy(out, reach + np * w, w);
	free(reach);
}

int ref_match(const char *const *pn, const size_t *pl, size_t np, bool dironly, const char *const *qn,
	      const size_t *ql, size_t m)
{
	/* a pattern that matches a folder covers everything beneath it; one written
	 * with a trailing '/' matches folders only: a parent is one, the path itself
	 * only if it is */
	bool pre[WG_REF_MAX + 1];
	if (m > WG_REF_MAX)
		abort();
	ref_prefixes(pn, pl, np, qn, ql, m, pre);
	for (size_t k = 0; k < m; k++)
		if (pre[k])
			return 1;
	if (pre[m])
		return dironly ? 2 : 1;
	return 0;
}

/* LeakSanitizer's suppressions (a hook it calls when present): libconfig itself
 * leaks the string it was reading when a syntax error stops it (its scanner's
 * buffer, strbuf_append); ward cannot free that, and a process whose policy has a
 * syntax error exits anyway. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig.so\n";
}
