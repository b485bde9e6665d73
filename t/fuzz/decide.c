/* t/fuzz/decide.c: decisions on a loaded policy (common/decide.c), against a linear
 * reference that reads DESIGN.md section 5 literally.
 *
 * Input: a policy text, a line "----", then paths, one a line (relative ones are
 * under ROOT, the private folder). The policy is compiled as the library would
 * (with a private TMPDIR); for each path and each of "a folder", "not a folder" and
 * "unknown":
 * - wd_decide gives the reference's level, hidden flag and deciding rule: a hide
 *   pattern that matches the path or a parent makes it none; otherwise the last
 *   rule that matches decides (in /tmp, /var/tmp and /dev/shm outside ROOT and
 *   TMPDIR, only a rule that names them), else the default (none in those three,
 *   which are view themselves); a folder on the way to a granted area is view
 *   rather than none;
 * - "unknown" gives the same answer as both others unless it says it needs to know;
 * - wd_decide_kid (the per-folder plans of listings), when it answers, gives the
 *   answer of wd_decide for the path's folder and last name;
 * - asking again gives the same answer (the per-thread memo).
 * wd_move_ok and wd_exec_allowed run on pairs of the paths (no crash, no leak).
 * An input that begins with the magic of a compiled policy ("WARDPOL1") is such a
 * blob, as a process inherits one (WARD_POLICY_FD): if wp_verify accepts it, every
 * decision, listing plan, move check and the policy event must be safe on it. */
#include <string.h>
#include <time.h>

#include "common/audit.h"
#include "common/decide.h"
#include "common/jsonl.h"
#include "common/path.h"
#include "common/policy.h"
#include "conf/load.h"
#include "t/fuzz/fuzz.h"

static const struct wc_libconfig lc = {config_init, config_destroy, config_read_string};
static char tmpdir_run[4200];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *t = fz_tmpdir();
	snprintf(tmpdir_run, sizeof tmpdir_run, "%s/run-tmp", t);
	return 0;
}

/* A rule's names, raw as written (escapes kept), from its normalised pattern. */
struct rnames {
	const char *n[WG_MAX_DEPTH + 1];
	size_t l[WG_MAX_DEPTH + 1];
	size_t np;
	bool dironly;
};

static void names_of(const struct wp_hdr *h, const struct wp_rule *r, struct rnames *o)
{
	const char *s = WP_STR(h, r->pat_off);
	size_t len = r->pat_len;
	o->np = 0;
	o->dironly = r->dironly;
	for (size_t i = 1; i < len;) {
		size_t st = i;
		while (i < len && s[i] != '/')
			i++;
		if (i > st && o->np <= WG_MAX_DEPTH) {
			o->n[o->np] = s + st;
			o->l[o->np] = i - st;
			o->np++;
		}
		i++;
	}
}

/* How each pattern matches the path being checked (ref_match: 0, 1, or 2 "only if
 * a folder"), worked out once per path. */
static int *rm;
static size_t rmcap;

static void ref_all(const struct wp_hdr *h, const struct wg_path *p)
{
	static struct rnames rn;
	static const char *qn[WG_MAX_DEPTH];
	static size_t ql[WG_MAX_DEPTH];
	if (h->nrules > rmcap) {
		rmcap = h->nrules;
		rm = realloc(rm, rmcap * sizeof *rm);
		if (!rm)
			abort();
	}
	for (uint32_t j = 0; j < p->n; j++) {
		qn[j] = p->s + p->off[j];
		ql[j] = p->len[j];
	}
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t i = 0; i < h->nrules; i++) {
		if (R[i].kind == WK_EXEC) {
			rm[i] = 0;
			continue;
		}
		names_of(h, &R[i], &rn);
		rm[i] = ref_match(rn.n, rn.l, rn.np, rn.dironly, qn, ql, p->n);
	}
}

/* 1 rule i counts for the path (is_dir known: 0 or 1), 0 not; for is_dir -1, 2
 * when it would count only for a folder. */
static int ref_rule(uint32_t i, int is_dir)
{
	int m = rm[i];
	if (m == 2)
		return is_dir == 1 ? 1 : is_dir < 0 ? 2 : 0;
	return m;
}

/* Is the path (s, len) a proper ancestor of the literal folder of a granting rule,
 * of ROOT or of TMPDIR? (a folder "on the way") */
static bool ref_on_the_way(const struct wp_hdr *h, const char *s, size_t len)
{
	const struct wp_rule *R = wp_rules(h);
	const struct wg_comp *C = wp_comps(h);
	for (uint32_t i = 0; i < h->nrules; i++) {
		const struct wp_rule *r = &R[i];
		if (r->kind != WK_RULE || r->level == WL_NONE)
			continue;
		/* the first j literal names of the rule, j < anchor */
		char tmp[8192];
		size_t t = 0;
		for (uint32_t j = 0; j < r->anchor; j++) {
			if ((t == 0 && len == 1) || (t == len && memcmp(tmp, s, len) == 0))
				return true;
			const struct wg_comp *c = &C[r->comps + j];
			if (t + 1 + c->len >= sizeof tmp)
				break;
			tmp[t++] = '/';
			memcpy(tmp + t, WP_STR(h, c->off), c->len);
			t += c->len;
		}
	}
	const char *ex[2] = {WP_STR(h, h->root_off), WP_STR(h, h->tmpdir_off)};
	uint32_t exl[2] = {h->root_len, h->tmpdir_len};
	for (int e = 0; e < 2; e++) {
		if (exl[e] == 0 || ex[e][0] != '/')
			continue;
		if (len == 1)
			return true;
		if (len < exl[e] && memcmp(ex[e], s, len) == 0 && ex[e][len] == '/')
			return true;
	}
	return false;
}

struct ref_out {
	int level;
	bool hidden;
	uint32_t rule; /* WP_NONE32: default; for a hide: any */
	bool need;     /* is_dir -1 and a folder-only pattern could decide */
};

static void ref_decide(const struct wp_hdr *h, const struct wg_path *p, int is_dir, struct ref_out *o)
{
	const struct wp_rule *R = wp_rules(h);
	const char *s = p->s;
	size_t len = p->n ? (size_t)p->off[p->n - 1] + p->len[p->n - 1] : 1;
	bool closed = wp_in_closed(s, len) &&
		      !(h->root_len && wn_is_under(s, len, WP_STR(h, h->root_off), h->root_len)) &&
		      !(h->tmpdir_len && wn_is_under(s, len, WP_STR(h, h->tmpdir_off), h->tmpdir_len));
	o->need = false;
	o->hidden = false;
	for (uint32_t i = 0; i < h->nrules && !o->hidden; i++) {
		if (R[i].kind != WK_HIDE)
			continue;
		int m = ref_rule(i, is_dir);
		if (m == 1)
			o->hidden = true;
		else if (m == 2)
			o->need = true;
	}
	uint32_t best = WP_NONE32, best_order = 0;
	for (uint32_t i = 0; i < h->nrules; i++) {
		const struct wp_rule *r = &R[i];
		if (r->kind != WK_RULE || (closed && !r->closed) || wd_rule_has_expired(h, r))
			continue;
		int m = ref_rule(i, is_dir);
		if (m == 1 && (best == WP_NONE32 || r->order > best_order)) {
			best = i;
			best_order = r->order;
		}
	}
	/* a folder-only rule after the best one would have decided, were it a folder */
	for (uint32_t i = 0; i < h->nrules && is_dir < 0; i++) {
		const struct wp_rule *r = &R[i];
		if (r->kind != WK_RULE || (closed && !r->closed) || wd_rule_has_expired(h, r))
			continue;
		if ((best == WP_NONE32 || r->order > best_order) && ref_rule(i, is_dir) == 2)
			o->need = true;
	}
	if (o->hidden) {
		o->level = WL_NONE;
		o->rule = WP_NONE32;
		return;
	}
	o->rule = best;
	if (best != WP_NONE32) {
		o->level = R[best].level;
		return;
	}
	if (closed)
		o->level = wp_is_closed_root(s, len) ? WL_VIEW : WL_NONE;
	else
		o->level = h->default_level;
	if (o->level == WL_NONE && ref_on_the_way(h, s, len))
		o->level = WL_VIEW;
}

static const char *lv(int l)
{
	return wp_level_name(l);
}

static void check_path(const struct wp_hdr *h, const char *path, size_t len)
{
	static struct wg_path P;
	if (wg_split(&P, path, len) < 0)
		return;
	struct wd_out d[3];
	struct ref_out r[3];
	ref_all(h, &P);
	static const int kinds[3] = {0, 1, -1};
	for (int k = 0; k < 3; k++) {
		wd_decide(h, &P, kinds[k], &d[k]);
		ref_decide(h, &P, kinds[k], &r[k]);
		FZ_CHECKF(d[k].level == r[k].level && d[k].hidden == r[k].hidden,
			  "%s (is_dir %d): %s%s, the reference says %s%s", path, kinds[k], lv(d[k].level),
			  d[k].hidden ? " (hidden)" : "", lv(r[k].level), r[k].hidden ? " (hidden)" : "");
		if (r[k].hidden) {
			FZ_CHECK(d[k].rule < h->nrules && wp_rules(h)[d[k].rule].kind == WK_HIDE);
			FZ_CHECK(ref_rule(d[k].rule, kinds[k]) == 1);
		} else {
			FZ_CHECKF(d[k].rule == r[k].rule, "%s (is_dir %d): rule %u, the reference says %u", path,
				  kinds[k], d[k].rule, r[k].rule);
		}
		/* again: the memo of the folder must not change the answer */
		struct wd_out again;
		wd_decide(h, &P, kinds[k], &again);
		FZ_CHECK(again.level == d[k].level && again.rule == d[k].rule && again.hidden == d[k].hidden);
	}
	/* unknown type: the answer of both, unless it says it needs the type */
	if (!d[2].need_dir) {
		FZ_CHECKF(d[2].level == d[0].level && d[2].level == d[1].level,
			  "%s: %s when the type is unknown, %s for a file, %s for a folder, and no need_dir", path,
			  lv(d[2].level), lv(d[0].level), lv(d[1].level));
	}
	if (r[2].need && !d[2].need_dir)
		FZ_CHECKF(r[0].level == r[1].level && r[0].hidden == r[1].hidden,
			  "%s: the type matters and need_dir is not set", path);
	/* the plans of a listing: the path as an entry of its folder */
	if (P.n > 0) {
		size_t dl = P.n > 1 ? (size_t)P.off[P.n - 2] + P.len[P.n - 2] : 1;
		const char *name = path + P.off[P.n - 1];
		size_t nl = P.len[P.n - 1];
		for (int k = 0; k < 2; k++) {
			struct wd_out kd;
			if (wd_decide_kid(h, path, dl, name, nl, kinds[k], &kd) != 0)
				continue;
			FZ_CHECKF(kd.level == d[k].level && kd.hidden == d[k].hidden && kd.rule == d[k].rule,
				  "%s (is_dir %d) as an entry of its folder: %s rule %u, wd_decide: %s rule %u", path,
				  kinds[k], lv(kd.level), kd.rule, lv(d[k].level), d[k].rule);
		}
	}
}

/* A compiled policy received from elsewhere (the sealed memfd of WARD_POLICY_FD
 * that a process inherits): whatever passes wp_verify must be safe to decide on,
 * to list with, and to write the policy event of. */
static void forged(const uint8_t *data, size_t size)
{
	uint64_t *blob = malloc(size + 8);
	if (!blob)
		abort();
	memcpy(blob, data, size);
	const struct wp_hdr *h = (const struct wp_hdr *)blob;
	if (wp_verify(blob, size) == NULL) {
		static const char *const paths[] = {
			"/", "/etc", "/etc/passwd", "/tmp", "/tmp/a/b", "/home/fuzz/.env", "/var/tmp/x", "/dev/shm",
			"/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/0/1/2/3/4/5/6/7/8/9",
		};
		for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
			struct wd_out o;
			size_t l = strlen(paths[i]);
			for (int k = -1; k <= 1; k++) {
				if (wd_decide_str(h, paths[i], l, k, &o) == 0) {
					uint32_t ll;
					(void)wd_rule_label(h, o.rule, &ll);
				}
			}
			if (l > 1) {
				const char *sl = strrchr(paths[i], '/');
				size_t dl = sl == paths[i] ? 1 : (size_t)(sl - paths[i]);
				for (int k = 0; k <= 1; k++)
					(void)wd_decide_kid(h, paths[i], dl, sl + 1, l - (size_t)(sl + 1 - paths[i]), k, &o);
			}
			static struct wg_path A, B;
			if (wg_split(&A, paths[i], l) == 0 && wg_split(&B, paths[0], 1) == 0) {
				(void)wd_move_ok(h, &A, &B);
				(void)wd_move_ok(h, &B, &A);
				(void)wd_exec_allowed(h, &A);
			}
		}
		static char line[WJ_LINE_MAX];
		(void)wa_policy_line(line, h, 1, NULL);
	}
	free(blob);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 8 && memcmp(data, "WARDPOL1", 8) == 0) {
		forged(data, size);
		return 0;
	}
	if (size > 16384)
		return 0;
	char *part[2];
	size_t len[2];
	size_t n = fz_split(data, size, part, len, 2);
	if (n < 2 || memchr(part[0], 0, len[0])) {
		fz_free_parts(part, n);
		return 0;
	}
	struct wc_opts o;
	memset(&o, 0, sizeof o);
	o.cwd = fz_tmpdir();
	o.home = "/home/fuzz";
	o.state = "/home/fuzz/.local/state/ward";
	o.tmpdir = tmpdir_run;
	o.hide_extra = "/home/fuzz/.local/state/ward/audit.jsonl";
	o.mode = -1;
	char err[2048];
	size_t bsize;
	struct wp_hdr *h = wc_compile_text(&lc, "fuzz.conf", part[0], &o, &bsize, err, sizeof err);
	if (!h) {
		fz_free_parts(part, n);
		return 0;
	}
	FZ_CHECK(wp_verify(h, bsize) == NULL);
	/* the session started 50,000.5 s ago: rules that expire sooner have expired */
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	h->start_bt_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - 50000500000000LL;

	static char paths[64][4200];
	static size_t plens[64];
	size_t np = 0;
	const char *root = WP_STR(h, h->root_off);
	for (char *line = part[1]; line && *line && np < 64;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		unsigned fl;
		long m = wn_join(root, h->root_len, line, paths[np], sizeof paths[np], &fl);
		if (m > 0) {
			plens[np] = (size_t)m;
			check_path(h, paths[np], (size_t)m);
			np++;
		}
		line = nl ? nl + 1 : NULL;
	}
	for (size_t i = 0; i + 1 < np; i++) {
		static struct wg_path A, B;
		if (wg_split(&A, paths[i], plens[i]) < 0 || wg_split(&B, paths[i + 1], plens[i + 1]) < 0)
			continue;
		(void)wd_move_ok(h, &A, &B);
		(void)wd_exec_allowed(h, &A);
	}
	free(h);
	fz_free_parts(part, n);
	return 0;
}
