/* t/fuzz/glob.c: the pattern compiler and matcher (common/glob.c), against the
 * reference matcher of fuzz.c.
 *
 * Input: PATTERN NUL PATH. The pattern is normalised as a policy's are
 * (wp_norm_pattern); a valid one is compiled name by name (wg_classify) and matched
 * against the normalised path, and every answer is compared with the reference:
 * wg_match (the path or a parent), wg_match_exact for each prefix, and two
 * properties the decisions rely on: wg_can_match_beneath never says "no" when a
 * longer prefix of the path matches (wd_move_ok would let a folder move raise a
 * level), and wg_kid_last's positions decide the path's last name exactly as the
 * whole match does (wd_decide_kid's plans). */
#include <string.h>

#include "common/glob.h"
#include "common/path.h"
#include "common/policy.h"
#include "t/fuzz/fuzz.h"

#define MAXLEN 4096

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2 * MAXLEN)
		return 0;
	const uint8_t *nul = memchr(data, 0, size);
	size_t patl = nul ? (size_t)(nul - data) : size;
	const char *rawpath = nul ? (const char *)nul + 1 : "";
	size_t rawpl = nul ? size - patl - 1 : 0;
	if (memchr(rawpath, 0, rawpl))
		return 0;

	/* the pattern, absolute */
	static char pat[MAXLEN + 2], norm[MAXLEN + 4];
	size_t o = 0;
	if (patl == 0 || data[0] != '/')
		pat[o++] = '/';
	if (o + patl > MAXLEN)
		return 0;
	memcpy(pat + o, data, patl);
	pat[o + patl] = 0;
	const char *msg;
	long nl = wp_norm_pattern(pat, norm, sizeof norm, &msg);
	if (nl < 0) {
		FZ_CHECK(msg != NULL);
		return 0;
	}
	FZ_CHECK((size_t)nl == strlen(norm) && norm[0] == '/');
	bool dironly = nl > 1 && norm[nl - 1] == '/';
	/* normalising again changes nothing */
	static char norm2[MAXLEN + 4];
	long nl2 = wp_norm_pattern(norm, norm2, sizeof norm2, &msg);
	FZ_CHECKF(nl2 == nl && strcmp(norm, norm2) == 0, "normalised twice: '%s' then '%s'", norm, norm2);

	/* compile: names into comps, their stored text into base */
	static struct wg_comp comps[WG_MAX_DEPTH + 1];
	static char base[2 * MAXLEN + WG_MAX_DEPTH * 2];
	static const char *pn[WG_MAX_DEPTH + 1];
	static size_t pl[WG_MAX_DEPTH + 1];
	size_t np = 0, bo = 1; /* base[0] is an empty string */
	base[0] = 0;
	for (size_t i = 1; i < (size_t)nl;) {
		size_t st = i;
		while (i < (size_t)nl && norm[i] != '/')
			i++;
		if (i == st) {
			i++;
			continue;
		}
		if (np == WG_MAX_DEPTH)
			return 0; /* the builder refuses it (too many names) */
		FZ_CHECKF(wg_check_name(norm + st, i - st) == NULL, "a normalised name is invalid: %.*s",
			  (int)(i - st), norm + st);
		uint8_t kind;
		size_t len = wg_classify(norm + st, i - st, base + bo, &kind);
		FZ_CHECK(len <= i - st && base[bo + len] == 0);
		comps[np] = (struct wg_comp){(uint32_t)bo, (uint32_t)len, kind, {0}};
		pn[np] = norm + st;
		pl[np] = i - st;
		bo += len + 1;
		np++;
	}

	/* the path, normalised */
	static char path[MAXLEN + 2], praw[MAXLEN + 2];
	if (rawpl > MAXLEN)
		return 0;
	memcpy(praw, rawpath, rawpl);
	praw[rawpl] = 0;
	unsigned fl;
	long plen = wn_join("/", 1, rawpl ? praw : "/", path, sizeof path, &fl);
	if (plen < 0)
		return 0;
	static struct wg_path P;
	if (wg_split(&P, path, (size_t)plen) < 0)
		return 0;
	static const char *qn[WG_MAX_DEPTH];
	static size_t ql[WG_MAX_DEPTH];
	for (uint32_t j = 0; j < P.n; j++) {
		qn[j] = path + P.off[j];
		ql[j] = P.len[j];
	}

	/* each name: the compiled kind matches as the raw name does */
	for (size_t i = 0; i < np; i++)
		for (uint32_t j = 0; j < P.n; j++) {
			bool got = wg_name_match(base, &comps[i], qn[j], ql[j]);
			bool want = comps[i].kind == WG_STARSTAR || ref_name_match(pn[i], pl[i], qn[j], ql[j]);
			FZ_CHECKF(got == want, "name '%.*s' (kind %d) against '%.*s': %d, the reference says %d",
				  (int)pl[i], pn[i], comps[i].kind, (int)ql[j], qn[j], got, want);
		}

	enum wg_result m = wg_match(base, comps, (uint32_t)np, dironly, &P);
	int want = ref_match(pn, pl, np, dironly, qn, ql, P.n);
	FZ_CHECKF((int)m == want, "'%s' against '%s': %d, the reference says %d", norm, path, (int)m, want);

	/* the prefixes of the path, one by one (and the two references agree) */
	static bool pre[WG_MAX_DEPTH + 1];
	ref_prefixes(pn, pl, np, qn, ql, P.n, pre);
	FZ_CHECK(pre[P.n] == ref_full(pn, pl, np, qn, ql, P.n));
	for (uint32_t k = 0; k <= P.n; k++) {
		bool e = wg_match_exact(base, comps, (uint32_t)np, &P, k);
		FZ_CHECKF(e == pre[k], "'%s' exactly against %u names of '%s': %d, the reference says %d", norm, k,
			  path, e, pre[k]);
	}
	for (uint32_t k = 0; k < P.n; k++) {
		/* a longer prefix matches, this one does not: something beneath it can */
		bool longer = false;
		for (uint32_t j = k + 1; j <= P.n && !longer; j++)
			longer = pre[j];
		if (longer && !pre[k])
			FZ_CHECKF(wg_can_match_beneath(base, comps, (uint32_t)np, &P, k),
				  "'%s' matches beneath %u names of '%s', wg_can_match_beneath says no", norm, k, path);
	}
	if (P.n > 0) {
		/* the path's folder and its last name, as a listing sees them */
		static struct wg_path F;
		F = P;
		F.n = P.n - 1;
		if (wg_match(base, comps, (uint32_t)np, dironly, &F) == WG_NO) {
			uint32_t pos[3];
			int n = wg_kid_last(base, comps, (uint32_t)np, &P, P.n - 1, pos, 3);
			if (n >= 0) {
				bool by_pos = false;
				for (int t = 0; t < n; t++) {
					FZ_CHECK(pos[t] < np);
					by_pos |= wg_name_match(base, &comps[pos[t]], qn[P.n - 1], ql[P.n - 1]);
				}
				FZ_CHECKF(by_pos == (want != 0),
					  "'%s': the last name of '%s' by wg_kid_last's %d positions: %d, the whole path: %d",
					  norm, path, n, by_pos, want);
			}
		}
	}
	return 0;
}
