/* t/unit/decide.c: the decision function against the matching rules of the contract
 * (DESIGN.md section 5): absolute, `~/` and root-relative patterns, the glob syntax,
 * folder-only patterns, coverage of what lies beneath, hide and unhide, the last
 * matching rule, inherited rules first, default, the /tmp /var/tmp /dev/shm closure,
 * expires, the index (checked against a linear reference on 10,000 rules), and
 * wd_move_ok. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/decide.h"
#include "common/path.h"
#include "common/policy.h"
#include "conf/load.h"
#include "t/tap/basic.h"

static const struct wc_libconfig lc = {config_init, config_destroy, config_read_string};

/* ---- building policies with the builder ---- */

static struct wp_builder *B;

static void start(void)
{
	B = wpb_new();
	if (!B)
		bail("wpb_new");
}

static void add(int kind, const char *label, const char *pat, int level, uint32_t expires,
		const char *just)
{
	char err[512];
	if (wpb_add(B, kind, pat, level, 0, expires, just, label, false, err, sizeof err) < 0)
		bail("wpb_add %s: %s", pat, err);
}

static void rule(const char *label, const char *pat, int level)
{
	add(WK_RULE, label, pat, level, 0, NULL);
}

static void hide(const char *label, const char *pat)
{
	add(WK_HIDE, label, pat, WL_NONE, 0, NULL);
}

static struct wp_hdr *finish(int def, const char *root, const char *tmpdir)
{
	char err[512];
	size_t size;
	wpb_set(B, def, WM_ENFORCE, WB_AUTO, false, 0, false);
	wpb_set_paths(B, root, "/home/tester", "test", tmpdir, NULL);
	void *blob = wpb_finish(B, &size, err, sizeof err);
	if (!blob)
		bail("wpb_finish: %s", err);
	const char *bad = wp_verify(blob, size);
	if (bad)
		bail("wp_verify: %s", bad);
	wpb_free(B);
	B = NULL;
	struct wp_hdr *h = blob;
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	h->start_bt_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return h;
}

static int64_t now_bt(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* "LEVEL LABEL" for a path: the level and the rule as `ward explain` writes it. */
static const char *ex3(const struct wp_hdr *h, const char *path, int is_dir, struct wd_out *o)
{
	static char buf[4][512];
	static int k;
	char *b = buf[k++ & 3];
	struct wd_out tmp;
	if (!o)
		o = &tmp;
	if (wd_decide_str(h, path, strlen(path), is_dir, o) < 0) {
		snprintf(b, 512, "(too deep)");
		return b;
	}
	uint32_t ll;
	const char *lab = wd_rule_label(h, o->rule, &ll);
	snprintf(b, 512, "%s %.*s", wp_level_name(o->level), (int)ll, lab);
	return b;
}

static const char *ex(const struct wp_hdr *h, const char *path)
{
	return ex3(h, path, 0, NULL);
}

static const char *exd(const struct wp_hdr *h, const char *path)
{
	return ex3(h, path, 1, NULL);
}

/* ---- building policies from files ---- */

static const char *tmp;

static void write_file(const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		bail("cannot write %s", path);
}

static struct wp_hdr *compile_file(const char *name, const char *root, char *err, size_t errsz)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	struct wc_opts o;
	memset(&o, 0, sizeof o);
	o.cwd = tmp;
	o.home = "/home/tester";
	o.state = "/home/tester/.local/state/ward";
	o.root = root;
	o.mode = -1;
	size_t size;
	void *blob = wc_compile(&lc, path, false, &o, &size, err, errsz);
	if (blob) {
		struct wp_hdr *h = blob;
		h->start_bt_ns = now_bt();
	}
	return blob;
}

static struct wp_hdr *must_compile(const char *name, const char *root)
{
	char err[2048];
	struct wp_hdr *h = compile_file(name, root, err, sizeof err);
	if (!h)
		bail("wc_compile %s: %s", name, err);
	return h;
}

/* ---- the linear reference ---- */

/* Do the pattern names pn[0..np) match the path names xn[0..nx), the path or one
 * of its parent folders? Written apart from common/glob.c, on fnmatch(3). */
static bool ref_names(char **pn, int np, char **xn, int nx, bool dironly, int is_dir)
{
	if (np == 0) {
		if (nx > 0)
			return true; /* a parent folder matched: it covers what is beneath */
		return !dironly || is_dir == 1;
	}
	if (strcmp(pn[0], "**") == 0) {
		for (int k = 0; k <= nx; k++)
			if (ref_names(pn + 1, np - 1, xn + k, nx - k, dironly, is_dir))
				return true;
		return false;
	}
	if (nx == 0)
		return false;
	if (fnmatch(pn[0], xn[0], 0) != 0)
		return false;
	return ref_names(pn + 1, np - 1, xn + 1, nx - 1, dironly, is_dir);
}

struct rpat {
	char text[256];
	char *copy; /* the names point into it */
	char *names[32];
	int n;
	bool dironly, closed, hide;
	int level;
	uint32_t expires;
	char label[32];
};

static int split(char *s, char **names, int max)
{
	int n = 0;
	for (char *t = strtok(s, "/"); t && n < max; t = strtok(NULL, "/"))
		names[n++] = t;
	return n;
}

static bool under(const char *p, const char *dir)
{
	size_t l = strlen(dir);
	if (l == 1 && dir[0] == '/')
		return true;
	return l && strncmp(p, dir, l) == 0 && (p[l] == 0 || p[l] == '/');
}

static bool in_closed(const char *p)
{
	return under(p, "/tmp") || under(p, "/var/tmp") || under(p, "/dev/shm");
}

/* DESIGN 5: ROOT's tree is exempt only when ROOT lies strictly beneath one of them. */
static bool root_exempt(const char *root)
{
	return root && in_closed(root) && strcmp(root, "/tmp") && strcmp(root, "/var/tmp") &&
	       strcmp(root, "/dev/shm");
}

/* The fixed part of a pattern: its names before the first that holds a wildcard
 * (an escaped character is a plain one). */
static bool names_closed(const char *pat)
{
	char fixed[256] = "";
	char copy[256];
	snprintf(copy, sizeof copy, "%s", pat);
	for (char *t = strtok(copy, "/"); t; t = strtok(NULL, "/")) {
		char plain[256];
		size_t o = 0;
		bool wild = false;
		for (size_t i = 0; t[i]; i++) {
			if (t[i] == '\\' && t[i + 1])
				plain[o++] = t[++i];
			else if (strchr("*?[", t[i]))
				wild = true;
			else
				plain[o++] = t[i];
		}
		plain[o] = 0;
		if (wild)
			break;
		strcat(fixed, "/");
		strcat(fixed, plain);
	}
	return in_closed(fixed[0] ? fixed : "/");
}

struct refpol {
	struct rpat *p;
	int n;
	int def;
	const char *root, *tmpdir;
};

/* README, "Where ward departs from its design contract": /tmp, /var/tmp and /dev/shm
 * themselves, and the folders on the way to a granted area (the proper parents of a
 * rule's fixed part, of ROOT and of the private TMPDIR), are `view` where the default
 * (or the closure) would make them `none`. */
static bool ref_on_the_way(const struct refpol *rp, const char *path)
{
	if (!strcmp(path, "/tmp") || !strcmp(path, "/var/tmp") || !strcmp(path, "/dev/shm"))
		return true;
	const char *dirs[2] = {rp->root, rp->tmpdir};
	for (int i = 0; i < 2; i++)
		if (dirs[i] && under(dirs[i], path) && strcmp(dirs[i], path) != 0)
			return true;
	for (int i = 0; i < rp->n; i++) {
		const struct rpat *r = &rp->p[i];
		if (r->hide || r->level == WL_NONE)
			continue;
		char fixed[256] = "";
		for (int k = 0; k < r->n; k++) {
			if (strpbrk(r->names[k], "*?[\\"))
				break;
			strcat(fixed, "/");
			strcat(fixed, r->names[k]);
		}
		if (fixed[0] && (strcmp(path, "/") == 0 || under(fixed, path)) && strcmp(fixed, path) != 0)
			return true;
	}
	return false;
}

static void ref_decide(const struct refpol *rp, const char *path, int is_dir, int *level,
		       int *rule, bool *hidden)
{
	char copy[512];
	char *xn[64];
	snprintf(copy, sizeof copy, "%s", path);
	int nx = split(copy, xn, 64);
	bool closed = in_closed(path) && !(root_exempt(rp->root) && under(path, rp->root)) &&
		      !under(path, rp->tmpdir);
	for (int i = 0; i < rp->n; i++) {
		const struct rpat *r = &rp->p[i];
		if (r->hide && ref_names((char **)r->names, r->n, xn, nx, r->dironly, is_dir)) {
			*level = WL_NONE;
			*rule = i;
			*hidden = true;
			return;
		}
	}
	*hidden = false;
	for (int i = rp->n; i-- > 0;) {
		const struct rpat *r = &rp->p[i];
		if (r->hide)
			continue;
		if (closed && !r->closed)
			continue;
		if (r->expires == 100)
			continue; /* expired */
		if (ref_names((char **)r->names, r->n, xn, nx, r->dironly, is_dir)) {
			*level = r->level;
			*rule = i;
			return;
		}
	}
	*rule = -1;
	*level = closed ? WL_NONE : rp->def;
	if (*level == WL_NONE && ref_on_the_way(rp, path))
		*level = WL_VIEW;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % n);
}

static void gen_name(char *out, size_t sz, bool allow_ss)
{
	uint32_t x = rnd(100);
	uint32_t k = rnd(16);
	if (x < 55)
		snprintf(out, sz, "n%u", k);
	else if (x < 63)
		snprintf(out, sz, "*");
	else if (x < 69)
		snprintf(out, sz, "n1*");
	else if (x < 75)
		snprintf(out, sz, "*%u", k % 10);
	else if (x < 80)
		snprintf(out, sz, "n?");
	else if (x < 84)
		snprintf(out, sz, "n[1-3]");
	else if (x < 86)
		snprintf(out, sz, "[!n]*");
	else if (x < 88)
		snprintf(out, sz, ".env");
	else if (allow_ss)
		snprintf(out, sz, "**");
	else
		snprintf(out, sz, "n%u", k);
}

static void gen_pattern(struct rpat *r)
{
	char s[256] = "";
	uint32_t top = rnd(100);
	int depth = 1 + (int)rnd(4);
	if (top < 6)
		strcat(s, "/tmp");
	else if (top < 9)
		strcat(s, "/var/tmp");
	else if (top < 11)
		strcat(s, "/dev/shm");
	else if (top < 14)
		strcat(s, "/t*");
	bool prev_ss = false;
	for (int i = 0; i < depth; i++) {
		char nm[32];
		gen_name(nm, sizeof nm, !prev_ss);
		prev_ss = strcmp(nm, "**") == 0;
		strcat(s, "/");
		strcat(s, nm);
	}
	r->dironly = rnd(10) == 0;
	if (r->dironly)
		strcat(s, "/");
	snprintf(r->text, sizeof r->text, "%s", s);
	r->closed = names_closed(s);
	r->copy = strdup(s);
	r->n = split(r->copy, r->names, 32);
}

static void gen_path(char *out, size_t sz)
{
	char s[512] = "";
	uint32_t top = rnd(100);
	if (top < 10)
		strcat(s, "/tmp");
	else if (top < 15)
		strcat(s, "/var/tmp");
	else if (top < 20)
		strcat(s, "/dev/shm");
	else if (top < 23)
		strcat(s, "/tmpx");
	/* /tmp, /var/tmp and /dev/shm themselves have their own test above */
	int depth = (top < 20 ? 1 : 0) + (int)rnd(7);
	for (int i = 0; i < depth; i++) {
		uint32_t x = rnd(100);
		char nm[32];
		if (x < 80)
			snprintf(nm, sizeof nm, "n%u", rnd(16));
		else if (x < 85)
			snprintf(nm, sizeof nm, ".env");
		else if (x < 90)
			snprintf(nm, sizeof nm, "x%u", rnd(10));
		else
			snprintf(nm, sizeof nm, "n1%u", rnd(30));
		strcat(s, "/");
		strcat(s, nm);
	}
	snprintf(out, sz, "%s", s[0] ? s : "/");
}

/* One entry: wd_decide_kid answers, as wd_decide does on the whole path, `want`. */
static void kid_is(const struct wp_hdr *h, const char *dir, const char *name, int is_dir, int want,
		   const char *what)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct wd_out a, b;
	wd_decide_str(h, path, strlen(path), is_dir, &a);
	int rc = wd_decide_kid(h, dir, strlen(dir), name, strlen(name), is_dir, &b);
	ok(rc == 0 && b.level == want && a.level == want && a.rule == b.rule && a.hidden == b.hidden,
	   "entries: %s (%s: %s, whole path %s)", what, path, rc ? "no plan" : wp_level_name(b.level),
	   wp_level_name(a.level));
}

/* The entries of a folder (wd_decide_kid, used by listings) against wd_decide on the
 * whole path and against the reference: for `nfolders` random folders, every name of
 * a vocabulary that the patterns use, asked about in turns over three folders so that
 * the per-folder plans are reused, replaced and found again. */
static void kids_vs_decide(const struct wp_hdr *h, const struct refpol *rp, int nfolders)
{
	static const char *const vocab[] = {
		"n0", "n1", "n2", "n3", "n4", "n5", "n7", "n9", "n11", "n12", "n15", "n10", "n13", "n19",
		"n21", "n29", ".env", "x0", "x3", "x9", "tmp", "shm", "n", "nn", "a", "[x]1", "n1*", "x",
	};
	const int nv = (int)(sizeof vocab / sizeof *vocab);
	int bad = 0, asked = 0, planned = 0, hid = 0, byrule = 0, closed = 0, fell = 0;
	for (int f = 0; f < nfolders; f++) {
		char dirs[3][512];
		for (int t = 0; t < 3; t++)
			gen_path(dirs[t], sizeof dirs[t]);
		static const int turn[4] = {0, 1, 0, 2};
		for (int v = 0; v < nv; v++) {
			for (int t = 0; t < 4; t++) {
				const char *dir = dirs[turn[t]];
				for (int is_dir = 0; is_dir <= 1; is_dir++) {
					char path[2048];
					size_t dl = strlen(dir);
					snprintf(path, sizeof path, "%s%s%s", dir, dl > 1 ? "/" : "", vocab[v]);
					struct wd_out a, b;
					if (wd_decide_str(h, path, strlen(path), is_dir, &a) < 0)
						bail("too deep: %s", path);
					asked++;
					if (wd_decide_kid(h, dir, dl, vocab[v], strlen(vocab[v]), is_dir, &b) < 0) {
						fell++;
						continue;
					}
					planned++;
					int lv, ri;
					bool hd;
					ref_decide(rp, path, is_dir, &lv, &ri, &hd);
					bool same = a.level == b.level && a.rule == b.rule && a.hidden == b.hidden &&
						    a.closed == b.closed && !b.need_dir && b.level == lv && b.hidden == hd;
					if (!same) {
						if (bad < 10)
							diag("%s (is_dir %d): entry %s rule %d%s%s, whole path %s rule %d%s%s, reference %s",
							     path, is_dir, wp_level_name(b.level),
							     b.rule == WP_NONE32 ? -1 : (int)b.rule, b.hidden ? " hidden" : "",
							     b.closed ? " closed" : "", wp_level_name(a.level),
							     a.rule == WP_NONE32 ? -1 : (int)a.rule, a.hidden ? " hidden" : "",
							     a.closed ? " closed" : "", wp_level_name(lv));
						bad++;
					}
					hid += b.hidden;
					byrule += !b.hidden && b.rule != WP_NONE32;
					closed += b.closed;
				}
			}
		}
	}
	is_int(0, bad, "%d rules, %d entry questions in %d folders: the entries' plans agree with the whole path and the reference",
	       (int)h->nrules, asked, nfolders * 3);
	/* (with 10,000 random patterns, thousands start with a wildcard: their folders
	 * have too many candidates for a plan, and wd_decide answers) */
	ok(planned > (h->nrules > 1000 ? asked / 50 : asked / 2) && fell > 0 && hid > 0 && byrule > planned / 5 && closed > 0,
	   "the entries' sample is not trivial (%d planned, %d fell back, %d hidden, %d by a rule, %d closed)",
	   planned, fell, hid, byrule, closed);
}

/* Builds a random policy of n patterns, and checks `npaths` random paths against the
 * reference. */
static void index_vs_reference(int n, int npaths, const char *root)
{
	struct refpol rp = {.n = n, .def = WL_READ, .root = root, .tmpdir = "/dev/shm/n2"};
	rp.p = calloc((size_t)n, sizeof *rp.p);
	if (!rp.p)
		bail("calloc");
	start();
	int nhide = 0, nexp = 0;
	for (int i = 0; i < n; i++) {
		struct rpat *r = &rp.p[i];
		gen_pattern(r);
		snprintf(r->label, sizeof r->label, "r%d", i);
		r->hide = rnd(1000) < (n > 1000 ? 3u : 20u);
		if (r->hide) {
			/* hide patterns of the shapes presets use, so that they do not hide
			 * everything */
			uint32_t a = rnd(16), c = rnd(30);
			char txt[256];
			switch (rnd(8)) {
			case 0: snprintf(txt, sizeof txt, "/**/.env"); break;
			case 1: snprintf(txt, sizeof txt, "/**/n1%u", c); break;
			case 2: snprintf(txt, sizeof txt, "/n%u/**/n1%u", a, c); break;
			case 3: snprintf(txt, sizeof txt, "/**/n1*/n%u/", a); break;
			case 4: snprintf(txt, sizeof txt, "/n%u/n1%u", a, c); break;
			case 5: snprintf(txt, sizeof txt, "/**/x%u", a % 10); break;
			case 6: snprintf(txt, sizeof txt, "/tmp/n%u/n1%u", a, c); break;
			default: snprintf(txt, sizeof txt, "/**/[x]%u", a % 10); break;
			}
			snprintf(r->text, sizeof r->text, "%s", txt);
			r->dironly = txt[strlen(txt) - 1] == '/';
			r->closed = names_closed(txt);
			free(r->copy);
			r->copy = strdup(txt);
			r->n = split(r->copy, r->names, 32);
			nhide++;
			add(WK_HIDE, r->label, r->text, WL_NONE, 0, NULL);
			continue;
		}
		r->level = (int)rnd(4);
		uint32_t e = rnd(100);
		r->expires = e < 4 ? 100 : e < 8 ? 100000 : 0;
		nexp += r->expires != 0;
		add(WK_RULE, r->label, r->text, r->level, r->expires, "j");
	}
	struct wp_hdr *h = finish(rp.def, rp.root, rp.tmpdir);
	h->start_bt_ns = now_bt() - (int64_t)1000 * 1000000000; /* 1000 s ago */
	is_int(n, h->nrules, "%d patterns: all in the table", n);

	int bad = 0, by_rule = 0, hidden = 0, closed = 0, defaults = 0;
	for (int i = 0; i < npaths; i++) {
		char path[512];
		gen_path(path, sizeof path);
		for (int is_dir = -1; is_dir <= 1; is_dir++) {
			int lv, ri;
			bool hd;
			ref_decide(&rp, path, is_dir < 0 ? 0 : is_dir, &lv, &ri, &hd);
			struct wd_out o;
			if (wd_decide_str(h, path, strlen(path), is_dir, &o) < 0)
				bail("too deep: %s", path);
			bool same = o.level == lv && o.hidden == hd &&
				    (hd || (ri < 0 ? o.rule == WP_NONE32 : o.rule == (uint32_t)ri));
			if (!same) {
				if (bad < 10)
					diag("%s (is_dir %d): ward %s rule %d%s, reference %s rule %d (%s)%s",
					     path, is_dir, wp_level_name(o.level),
					     o.rule == WP_NONE32 ? -1 : (int)o.rule, o.hidden ? " hidden" : "",
					     wp_level_name(lv), ri, ri >= 0 ? rp.p[ri].text : "default",
					     hd ? " hidden" : "");
				bad++;
			}
			if (is_dir == 0) {
				by_rule += !hd && ri >= 0;
				hidden += hd;
				closed += o.closed;
				defaults += ri < 0;
			}
		}
	}
	is_int(0, bad, "%d rules (%d hide, %d expiring), %d paths x 3: the index agrees with the linear reference",
	       n, nhide, nexp, npaths);
	ok(by_rule > npaths / 5 && hidden > 0 && closed > 0 && (n > 1000 || defaults > 0),
	   "the sample is not trivial (%d decided by a rule, %d hidden, %d closed, %d default)", by_rule,
	   hidden, closed, defaults);
	kids_vs_decide(h, &rp, npaths / 10);
	free(h);
	for (int i = 0; i < n; i++)
		free(rp.p[i].copy);
	free(rp.p);
}

/* ---- wd_move_ok ---- */

static bool move_ok(const struct wp_hdr *h, const char *src, const char *dst)
{
	struct wg_path s, d;
	wg_split(&s, src, strlen(src));
	wg_split(&d, dst, strlen(dst));
	return wd_move_ok(h, &s, &d);
}

int main(void)
{
	plan_lazy();
	struct wp_hdr *h;
	struct wd_out o;

	/* absolute patterns, coverage beneath, default */
	start();
	rule("r1", "/p/docs", WL_WRITE);
	rule("r2", "/p/meta", WL_VIEW);
	h = finish(WL_NONE, "/p", NULL);
	is_string("write r1", ex(h, "/p/docs"), "absolute pattern matches the path itself");
	is_string("write r1", ex(h, "/p/docs/a/b/c.txt"), "a rule that matches a folder covers everything beneath");
	is_string("view r2", ex(h, "/p/meta/x"), "view rule beneath");
	is_string("none default", ex(h, "/p/docsx"), "no partial name match");
	/* README, "Where ward departs from its design contract": the folders on the way
	 * to a granted area can be seen where the default would hide them */
	is_string("view default", ex(h, "/p"), "a rule does not cover its parent, which is only seen (view), being on the way");
	is_string("view default", ex(h, "/"), "/ is on the way to the granted areas: view");
	is_string("none default", ex(h, "/q"), "a folder not on the way to a granted area: default");
	is_string("none default", ex(h, "/p/other"), "a sibling of the granted areas: default");
	ex3(h, "/q/z", 0, &o);
	is_int(WP_NONE32, o.rule, "default: rule index is WP_NONE32");
	ok(!o.hidden && !o.closed, "default: neither hidden nor closed");
	free(h);

	start();
	rule("r1", "/p/docs", WL_WRITE);
	h = finish(WL_READ, "/p", NULL);
	is_string("read default", ex(h, "/etc/passwd"), "default = read applies where no rule matches");
	free(h);

	/* glob syntax */
	start();
	rule("star", "/g/*.txt", WL_READ);
	rule("q", "/g/f?o", WL_WRITE);
	rule("cls", "/g/[ab]x", WL_VIEW);
	rule("neg", "/g/[!ab]y", WL_VIEW);
	rule("rng", "/g/[a-c]z", WL_READ);
	rule("ss", "/g/**/deep", WL_WRITE);
	rule("lit", "/g/lit\\*", WL_READ);
	rule("mid", "/m/*/conf", WL_READ);
	h = finish(WL_NONE, "/g", NULL);
	is_string("read star", ex(h, "/g/a.txt"), "* within a name");
	is_string("read star", ex(h, "/g/.txt"), "* matches an empty run");
	is_string("read star", ex(h, "/g/.hidden.txt"), "* matches a leading dot");
	is_string("none default", ex(h, "/g/sub/a.txt"), "* does not cross a /");
	is_string("read star", ex(h, "/g/a.txt/inner"), "beneath a name matched by *");
	is_string("none default", ex(h, "/g/a.txtx"), "*.txt does not match a.txtx");
	is_string("write q", ex(h, "/g/foo"), "? one character");
	is_string("write q", ex(h, "/g/f.o"), "? any character");
	is_string("none default", ex(h, "/g/fo"), "? needs a character");
	is_string("none default", ex(h, "/g/fooo"), "? exactly one character");
	is_string("view cls", ex(h, "/g/ax"), "[ab] matches a");
	is_string("view cls", ex(h, "/g/bx"), "[ab] matches b");
	is_string("none default", ex(h, "/g/cx"), "[ab] does not match c");
	is_string("view neg", ex(h, "/g/cy"), "[!ab] matches c");
	is_string("none default", ex(h, "/g/ay"), "[!ab] does not match a");
	is_string("read rng", ex(h, "/g/bz"), "[a-c] range");
	is_string("none default", ex(h, "/g/dz"), "[a-c] range excludes d");
	is_string("write ss", ex(h, "/g/deep"), "** matches zero names");
	is_string("write ss", ex(h, "/g/1/2/3/deep"), "** matches many names");
	is_string("write ss", ex(h, "/g/1/deep/x"), "** pattern covers beneath");
	is_string("none default", ex(h, "/g/1/deeper"), "** then a literal: whole names");
	is_string("none default", ex(h, "/h/deep"), "** stays under its fixed part");
	is_string("read lit", ex(h, "/g/lit*"), "an escaped * is literal");
	is_string("none default", ex(h, "/g/litx"), "an escaped * matches only a *");
	is_string("read mid", ex(h, "/m/a/conf"), "* as a whole name: one name");
	is_string("none default", ex(h, "/m/a/b/conf"), "* as a whole name is not two names");
	free(h);

	start();
	rule("all", "/**", WL_READ);
	h = finish(WL_NONE, "/", NULL);
	is_string("read all", ex(h, "/"), "/** matches the root");
	is_string("read all", ex(h, "/a/b/c"), "/** matches everything");
	free(h);

	/* trailing / : folders only */
	start();
	rule("dir", "/p/scratch/", WL_WRITE);
	h = finish(WL_READ, "/p", NULL);
	is_string("write dir", exd(h, "/p/scratch"), "folder-only pattern matches a folder");
	is_string("read default", ex(h, "/p/scratch"), "folder-only pattern does not match a file");
	ex3(h, "/p/scratch", -1, &o);
	ok(o.need_dir && o.level == WL_READ, "unknown type: need_dir is set, the level is that of a file");
	ex3(h, "/p/scratch", 0, &o);
	ok(!o.need_dir, "known file: need_dir is not set");
	is_string("write dir", ex(h, "/p/scratch/f"), "folder-only pattern covers beneath (the parent is a folder)");
	ex3(h, "/p/scratch/f", -1, &o);
	ok(o.level == WL_WRITE && !o.need_dir, "beneath a folder-only match: no need to know the type");
	is_string("read default", ex(h, "/p/scratchy"), "folder-only: no partial name");
	free(h);

	/* hide wins over the rules */
	start();
	hide("h1", "/**/.env");
	hide("h2", "/**/.ssh/");
	hide("h3", "/etc/shadow");
	rule("all", "/**", WL_READ);
	rule("docs", "/p/docs/**", WL_WRITE);
	rule("envw", "/p/docs/.env", WL_WRITE);
	h = finish(WL_NONE, "/p", NULL);
	ex3(h, "/p/docs/.env", 0, &o);
	ok(o.level == WL_NONE && o.hidden, "docs/** write does not reveal docs/.env (hidden)");
	is_string("none h1", ex(h, "/p/docs/.env"), "the hide pattern is the deciding rule");
	is_string("none h1", ex(h, "/.env"), "/**/.env: at the top");
	is_string("none h1", ex(h, "/p/docs/.env/inner"), "a hidden folder hides what is beneath");
	is_string("write docs", ex(h, "/p/docs/.envrc"), "hide matches whole names");
	is_string("none h2", ex(h, "/home/u/.ssh/id_rsa"), "a folder-only hide hides what is beneath");
	is_string("none h2", exd(h, "/home/u/.ssh"), "a folder-only hide hides the folder");
	is_string("read all", ex(h, "/home/u/.ssh"), "a folder-only hide does not hide a file of that name");
	is_string("none h3", ex(h, "/etc/shadow"), "absolute hide");
	is_string("read all", ex(h, "/etc/shadow-"), "absolute hide: whole name");
	is_string("write docs", ex(h, "/p/docs/x"), "docs/** covers docs/x");
	free(h);

	/* unhide */
	start();
	hide("h1", "/**/*.key");
	hide("h2", "/**/*.pem");
	rule("all", "/**", WL_READ);
	is_int(0, wpb_unhide(B, "/**/*.key"), "wpb_unhide of an inherited hide: 0");
	is_int(-1, wpb_unhide(B, "/**/*.crt"), "wpb_unhide of an unknown pattern: -1");
	h = finish(WL_NONE, "/", NULL);
	is_string("read all", ex(h, "/a/b.key"), "unhidden pattern no longer hides");
	is_string("none h2", ex(h, "/a/b.pem"), "the other hide stays");
	free(h);

	/* the last matching rule decides */
	start();
	rule("r1", "/**", WL_READ);
	rule("r2", "/p", WL_WRITE);
	rule("r3", "/p/secret", WL_NONE);
	rule("r4", "/p/secret/pub", WL_READ);
	h = finish(WL_NONE, "/p", NULL);
	is_string("read r1", ex(h, "/q"), "only the broad rule");
	is_string("write r2", ex(h, "/p/x"), "a later rule on a parent");
	is_string("none r3", ex(h, "/p/secret/k"), "a later, narrower rule");
	is_string("read r4", ex(h, "/p/secret/pub/y"), "the last of four");
	free(h);
	start();
	rule("r1", "/p/secret", WL_NONE);
	rule("r2", "/p", WL_WRITE);
	h = finish(WL_NONE, "/p", NULL);
	is_string("write r2", ex(h, "/p/secret/k"), "a later rule on a parent folder wins over an earlier narrower one");
	free(h);
	start();
	rule("r1", "/p/a", WL_WRITE);
	rule("r2", "/p/a", WL_VIEW);
	h = finish(WL_NONE, "/p", NULL);
	is_string("view r2", ex(h, "/p/a"), "the same pattern twice: the last decides");
	free(h);

	/* the closure of /tmp, /var/tmp, /dev/shm */
	start();
	h = finish(WL_WRITE, "/p", NULL);
	ex3(h, "/tmp/x", 0, &o);
	ok(o.level == WL_NONE && o.closed, "default write does not open /tmp (closed)");
	/* DESIGN 5 says "they and everything beneath them are none"; the README departs
	 * from it: the three folders themselves can be seen, not what they hold */
	is_string("view default", ex(h, "/tmp"), "/tmp itself can be seen (README), no more");
	is_string("view default", exd(h, "/var/tmp"), "/var/tmp itself can be seen (README), no more");
	is_string("view default", exd(h, "/dev/shm"), "/dev/shm itself can be seen (README), no more");
	is_string("none default", ex(h, "/var/tmp/x"), "/var/tmp is closed");
	is_string("none default", ex(h, "/dev/shm/sem.x"), "/dev/shm is closed");
	is_string("write default", ex(h, "/tmpx/y"), "/tmpx is not /tmp");
	is_string("write default", ex(h, "/var/tmpx"), "/var/tmpx is not /var/tmp");
	is_string("write default", ex(h, "/var"), "/var is not closed");
	free(h);
	start();
	rule("r1", "/p", WL_NONE);
	rule("r2", "/p/docs", WL_WRITE);
	h = finish(WL_NONE, "/", NULL);
	is_string("none r1", ex(h, "/p"), "a folder on the way that a none rule names stays none");
	free(h);

	start();
	rule("all", "/**", WL_WRITE);
	rule("t", "/t*/**", WL_WRITE);
	rule("cache", "/**/.cache", WL_WRITE);
	rule("glob", "/*/tmp/**", WL_READ);
	h = finish(WL_NONE, "/p", NULL);
	is_string("none default", ex(h, "/tmp/x"), "/** write does not open /tmp");
	is_string("none default", ex(h, "/tmp/a/b"), "/t*/** does not name /tmp");
	is_string("none default", ex(h, "/tmp/.cache"), "/**/.cache does not name /tmp");
	is_string("none default", ex(h, "/var/tmp/z"), "/*/tmp/** does not name /var/tmp");
	is_string("none default", ex(h, "/dev/shm/z"), "/** does not open /dev/shm");
	is_string("write cache", ex(h, "/home/u/.cache"), "outside, the broad rules apply");
	free(h);

	start();
	add(WK_RULE, "exp", "/tmp/exports", WL_WRITE, 0, "the export tool");
	rule("all", "/**", WL_READ);
	add(WK_RULE, "vt", "/var/tmp/**", WL_READ, 0, "why");
	add(WK_RULE, "shm", "/dev/shm", WL_WRITE, 0, "multiprocessing");
	add(WK_RULE, "tnone", "/tmp/exports/private", WL_NONE, 0, NULL);
	hide("h", "/**/.env");
	h = finish(WL_NONE, "/p", NULL);
	is_string("write exp", ex(h, "/tmp/exports/f"), "a rule naming /tmp/exports opens it");
	is_string("write exp", ex(h, "/tmp/exports"), "... the folder itself");
	is_string("none default", ex(h, "/tmp/exportsx"), "... not a sibling");
	is_string("none default", ex(h, "/tmp/other"), "... nor the rest of /tmp");
	is_string("read vt", ex(h, "/var/tmp/a/b"), "/var/tmp/** names /var/tmp");
	is_string("read vt", ex(h, "/var/tmp"), "/var/tmp/** matches /var/tmp itself");
	is_string("write shm", ex(h, "/dev/shm/sem.x"), "a rule naming /dev/shm opens it");
	is_string("none tnone", ex(h, "/tmp/exports/private/k"), "a later none rule naming /tmp closes again");
	is_string("none h", ex(h, "/tmp/exports/.env"), "hide applies in an opened closed area");
	is_string("read all", ex(h, "/etc/x"), "the broad rule after the naming rule still applies elsewhere");
	free(h);

	/* ROOT and the private TMPDIR under /tmp are exempt */
	start();
	rule("all", "/**", WL_WRITE);
	h = finish(WL_READ, "/tmp/ws", "/tmp/ward-private");
	ex3(h, "/tmp/ws/a", 0, &o);
	ok(o.level == WL_WRITE && !o.closed, "ROOT under /tmp follows the rules");
	is_string("write all", ex(h, "/tmp/ws"), "ROOT itself follows the rules");
	is_string("none default", ex(h, "/tmp/wsx"), "a sibling of ROOT stays closed");
	is_string("none default", ex(h, "/tmp/other/f"), "the rest of /tmp stays closed");
	is_string("write all", ex(h, "/tmp/ward-private/x"), "the private TMPDIR follows the rules");
	free(h);
	start();
	h = finish(WL_READ, "/tmp/ws", NULL);
	is_string("read default", ex(h, "/tmp/ws/a/b"), "ROOT under /tmp: default applies");
	free(h);
	/* only a ROOT strictly beneath a closed folder is exempt (DESIGN 5): / (running
	 * from /) and /tmp itself exempt nothing */
	static const char *const above[] = {"/", "/tmp", "/var", "/var/tmp", "/dev/shm"};
	for (size_t i = 0; i < sizeof above / sizeof *above; i++) {
		start();
		rule("all", "/**", WL_READ);
		h = finish(WL_READ, above[i], NULL);
		ex3(h, "/tmp/x", 0, &o);
		ok(o.level == WL_NONE && o.closed, "ROOT %s: /tmp/x stays none (closed)", above[i]);
		is_string("none default", ex(h, "/var/tmp/x/y"), "ROOT %s: /var/tmp/x/y stays none", above[i]);
		struct wd_out k;
		ok(wd_decide_kid(h, "/tmp", 4, "x", 1, 0, &k) < 0 || (k.level == WL_NONE && k.closed),
		   "ROOT %s: the entries of /tmp agree", above[i]);
		free(h);
	}
	/* an escaped character is a plain one: /tm\p/x names /tmp/x */
	start();
	add(WK_RULE, "esc", "/tm\\p/x", WL_WRITE, 0, "why");
	h = finish(WL_NONE, "/p", NULL);
	is_string("write esc", ex(h, "/tmp/x/f"), "/tm\\p/x opens /tmp/x (its fixed part is /tmp/x)");
	free(h);
	ok(wp_names_closed("/tm\\p/x", 7), "wp_names_closed: /tm\\p/x names /tmp");
	ok(wp_names_closed("/var/t\\mp/*", 12), "wp_names_closed: /var/t\\mp/* names /var/tmp");
	ok(!wp_names_closed("/t\\*p/x", 7), "wp_names_closed: /t\\*p is the literal name t*p, not /tmp");
	ok(!wp_names_closed("/t*/x", 5), "wp_names_closed: /t*/x does not name /tmp");
	{
		char fx[64];
		long fl = wp_fixed_part("/tmp/a\\[1\\]/o*/x", 17, fx, sizeof fx);
		is_string("/tmp/a[1]", fl > 0 ? fx : "(error)", "wp_fixed_part: escapes read, stops at a wildcard");
	}

	/* expires */
	start();
	rule("base", "/p", WL_READ);
	add(WK_RULE, "exp", "/p/reports", WL_WRITE, 1800, NULL);
	h = finish(WL_NONE, "/p", NULL);
	const struct wp_rule *R = wp_rules(h);
	h->start_bt_ns = now_bt();
	is_string("write exp", ex(h, "/p/reports/r.txt"), "expires: counts within its time");
	ok(!wd_rule_has_expired(h, &R[1]), "wd_rule_has_expired: not yet");
	ok(!wd_rule_has_expired(h, &R[0]), "a rule without expires never expires");
	h->start_bt_ns = now_bt() - (int64_t)1801 * 1000000000;
	is_string("read base", ex(h, "/p/reports/r.txt"), "expires: past its time the rule no longer counts");
	ok(wd_rule_has_expired(h, &R[1]), "wd_rule_has_expired: yes");
	h->start_bt_ns = now_bt() - (int64_t)1790 * 1000000000;
	is_string("write exp", ex(h, "/p/reports/r.txt"), "expires: 10 s before its end it still counts");
	free(h);

	/* wd_exec_allowed */
	start();
	rule("all", "/**", WL_READ);
	add(WK_EXEC, "x1", "/usr/bin/*", WL_NONE, 0, NULL);
	wpb_set(B, WL_NONE, WM_ENFORCE, WB_AUTO, false, 0, true);
	{
		char err[256];
		size_t size;
		wpb_set_paths(B, "/", NULL, "t", NULL, NULL);
		h = wpb_finish(B, &size, err, sizeof err);
		wpb_free(B);
		if (!h)
			bail("%s", err);
	}
	{
		struct wg_path p;
		wg_split(&p, "/usr/bin/python3", 16);
		ok(wd_exec_allowed(h, &p), "exec allowlist: /usr/bin/python3");
		wg_split(&p, "/usr/local/bin/x", 16);
		ok(!wd_exec_allowed(h, &p), "exec allowlist: /usr/local/bin/x is not listed");
	}
	free(h);

	/* wd_move_ok */
	start();
	rule("all", "/**", WL_READ);
	rule("w", "/p/w", WL_WRITE);
	rule("w2", "/p/w2", WL_WRITE);
	rule("ro", "/p/w/a/ro", WL_READ);
	rule("cfg", "/p/*/cfg", WL_VIEW);
	rule("low", "/p/w2/x/low", WL_READ);
	hide("h", "/**/.env");
	h = finish(WL_NONE, "/p", NULL);
	ok(move_ok(h, "/p/w/b", "/p/w2/b"), "move a plain folder between write areas");
	ok(!move_ok(h, "/p/w/a", "/p/w2/a"), "refused: a read rule beneath the folder would become write");
	ok(!move_ok(h, "/p/w", "/p/w2/w"), "refused: p/w/cfg (view) would become write");
	ok(move_ok(h, "/p/w/b", "/p/w2/x"), "allowed: levels beneath the destination only go down");
	ok(move_ok(h, "/p/w/b", "/p/w/c"), "a hide anywhere stays a hide anywhere");
	free(h);
	start();
	rule("all", "/**", WL_READ);
	rule("w", "/p/w", WL_WRITE);
	rule("w2", "/p/w2", WL_WRITE);
	hide("h", "/**/cfg/secret");
	h = finish(WL_NONE, "/p", NULL);
	ok(!move_ok(h, "/p/w/cfg", "/p/w/other"), "refused: renaming cfg/ would reveal cfg/secret (hide straddles the name)");
	ok(move_ok(h, "/p/w/cfg", "/p/w2/cfg"), "allowed: cfg/ keeps its name, cfg/secret stays hidden");
	ok(move_ok(h, "/p/w/y", "/p/w2/cfg"), "allowed: renaming y/ to cfg/ only hides y/secret (a lower level)");
	free(h);
	/* the closed folders beneath a moved folder */
	start();
	h = finish(WL_WRITE, "/p", NULL);
	ok(!move_ok(h, "/var", "/x"), "refused: /var -> /x would make /x/tmp (closed as /var/tmp) write");
	ok(!move_ok(h, "/dev", "/d2"), "refused: /dev holds /dev/shm");
	ok(move_ok(h, "/var/lib", "/x"), "allowed: /var/lib holds no closed folder");
	ok(move_ok(h, "/home/u", "/home/v"), "allowed: a plain folder under default write");
	free(h);
	start();
	add(WK_RULE, "vt", "/var/tmp", WL_WRITE, 0, "why");
	h = finish(WL_WRITE, "/p", NULL);
	ok(move_ok(h, "/var", "/x"), "allowed: /var/tmp is write by a justified rule, nothing beneath is lower");
	free(h);

	/* patterns from files: ~/, root-relative, extends, unhide */
	tmp = test_tmpdir();
	char p[4096], want[4200];
	snprintf(p, sizeof p, "%s/proj", tmp);
	mkdir(p, 0700);
	write_file("home.conf",
		   "version = 1;\n"
		   "root = \"proj\";\n"
		   "rules = (\n"
		   "  { path = \"/**\"; level = \"read\"; },\n"        /* 4 */
		   "  { path = \"~/docs\"; level = \"write\"; },\n"    /* 5 */
		   "  { path = \"out\"; level = \"write\"; },\n"       /* 6 */
		   "  { path = \"./meta\"; level = \"view\"; },\n"     /* 7 */
		   "  { path = \"**/.env\"; level = \"none\"; },\n"    /* 8 */
		   "  { path = \"~/\"; level = \"view\"; },\n"         /* 9 */
		   "  { path = \"~/docs\"; level = \"write\"; }\n"     /* 10 */
		   ");\n");
	h = must_compile("home.conf", NULL);
	snprintf(want, sizeof want, "write %s/home.conf:10", tmp);
	is_string(want, ex(h, "/home/tester/docs/a"), "~/docs is under HOME");
	snprintf(want, sizeof want, "view %s/home.conf:9", tmp);
	is_string(want, ex(h, "/home/tester/x"), "~/ is HOME itself");
	snprintf(want, sizeof want, "read %s/home.conf:4", tmp);
	is_string(want, ex(h, "/home/testerx"), "~/ is not a name prefix");
	snprintf(p, sizeof p, "%s/proj/out/r.txt", tmp);
	snprintf(want, sizeof want, "write %s/home.conf:6", tmp);
	is_string(want, ex(h, p), "a relative pattern is under root (relative to the policy's folder)");
	snprintf(p, sizeof p, "%s/out/r.txt", tmp);
	is_string("none default", ex(h, p),
		  "... not under the policy's folder, which lies in /tmp outside ROOT: closed, /** does not count");
	snprintf(p, sizeof p, "%s/proj/meta", tmp);
	snprintf(want, sizeof want, "view %s/home.conf:7", tmp);
	is_string(want, ex(h, p), "./meta is under root");
	snprintf(p, sizeof p, "%s/proj/a/b/.env", tmp);
	snprintf(want, sizeof want, "none %s/home.conf:8", tmp);
	is_string(want, ex(h, p), "**/.env: any depth under root");
	snprintf(p, sizeof p, "%s/proj/.env", tmp);
	is_string(want, ex(h, p), "**/.env: zero names under root");
	snprintf(want, sizeof want, "read %s/home.conf:4", tmp);
	is_string(want, ex(h, "/elsewhere/.env"), "**/.env is not 'anywhere'");
	free(h);

	/* -r overrides root */
	snprintf(p, sizeof p, "%s/other", tmp);
	mkdir(p, 0700);
	h = must_compile("home.conf", p);
	snprintf(p, sizeof p, "%s/other/out/r.txt", tmp);
	snprintf(want, sizeof want, "write %s/home.conf:6", tmp);
	is_string(want, ex(h, p), "the root given to wc_compile overrides the policy's");
	free(h);

	/* "**" alone is root and all beneath it */
	write_file("ss.conf", "version = 1;\nrules = ( { path = \"**\"; level = \"write\"; } );\n");
	h = must_compile("ss.conf", NULL);
	snprintf(want, sizeof want, "write %s/ss.conf:2", tmp);
	is_string(want, exd(h, tmp), "** is root itself (root: the working directory)");
	snprintf(p, sizeof p, "%s/a/b", tmp);
	is_string(want, ex(h, p), "** is all beneath root");
	is_string("none default", ex(h, "/etc/x"), "** does not reach out of root");
	free(h);

	/* inherited rules first */
	write_file("base.conf",
		   "version = 1;\n"
		   "default = \"view\";\n"
		   "hide = ( \"/**/*.pem\", \"/**/*.key\" );\n"
		   "rules = (\n"
		   "  { path = \"/data\"; level = \"write\"; },\n" /* 5 */
		   "  { path = \"/logs\"; level = \"none\"; },\n"  /* 6 */
		   "  { path = \"/keep\"; level = \"read\"; }\n"   /* 7 */
		   ");\n");
	write_file("child.conf",
		   "version = 1;\n"
		   "extends = \"base.conf\";\n"
		   "unhide = ( \"/**/*.key\" );\n"
		   "rules = (\n"
		   "  { path = \"/data\"; level = \"read\"; },\n" /* 5 */
		   "  { path = \"/logs\"; level = \"write\"; }\n" /* 6 */
		   ");\n");
	h = must_compile("child.conf", NULL);
	snprintf(want, sizeof want, "read %s/child.conf:5", tmp);
	is_string(want, ex(h, "/data/x"), "the child's rule comes after the inherited one (write -> read)");
	snprintf(want, sizeof want, "write %s/child.conf:6", tmp);
	is_string(want, ex(h, "/logs/x"), "the child's rule comes after the inherited one (none -> write)");
	snprintf(want, sizeof want, "read %s/base.conf:7", tmp);
	is_string(want, ex(h, "/keep/x"), "an inherited rule the child does not touch");
	is_string("view default", ex(h, "/other"), "the inherited default");
	snprintf(want, sizeof want, "none %s/base.conf:3", tmp);
	is_string(want, ex(h, "/data/a.pem"), "the inherited hide list applies");
	snprintf(want, sizeof want, "read %s/child.conf:5", tmp);
	is_string(want, ex(h, "/data/a.key"), "unhide takes a pattern out of the inherited list");
	free(h);

	/* a preset's hide list is kept by a policy that grants write */
	write_file("preset.conf",
		   "version = 1;\n"
		   "extends = \"agent-safe\";\n"
		   "hide = ( \"/**/*.secret\" );\n"
		   "rules = ( { path = \"docs\"; level = \"write\"; } );\n");
	h = must_compile("preset.conf", NULL);
	snprintf(p, sizeof p, "%s/docs/.env", tmp);
	ex3(h, p, 0, &o);
	ok(o.level == WL_NONE && o.hidden, "extends agent-safe: docs write does not reveal docs/.env");
	snprintf(p, sizeof p, "%s/docs/a.secret", tmp);
	snprintf(want, sizeof want, "none %s/preset.conf:3", tmp);
	is_string(want, ex(h, p), "hide lists add up through extends");
	snprintf(p, sizeof p, "%s/docs/a.txt", tmp);
	snprintf(want, sizeof want, "write %s/preset.conf:4", tmp);
	is_string(want, ex(h, p), "the child's rule comes after the preset's");
	ex3(h, "/usr/bin/env", 0, &o);
	ok(o.level == WL_READ && strncmp(ex(h, "/usr/bin/env"), "read preset agent-safe:", 23) == 0,
	   "a preset rule is labelled 'preset agent-safe:N' (%s)", ex(h, "/usr/bin/env"));
	ok(strncmp(ex(h, "/etc/shadow"), "none preset agent-safe:", 23) == 0,
	   "a preset hide is labelled 'preset agent-safe:N' (%s)", ex(h, "/etc/shadow"));
	is_string("none default", ex(h, "/tmp/ward-elsewhere/x"), "the preset's /** does not open /tmp");
	free(h);

	/* the entries of a folder (listings): a plan per folder answers as wd_decide */
	start();
	rule("k1", "/**", WL_READ);
	rule("k2", "/a/b", WL_WRITE);
	hide("k3", "/a/c/");
	add(WK_RULE, "k4", "/e", WL_WRITE, 1, NULL);
	add(WK_RULE, "k5", "/g", WL_WRITE, 100000, NULL);
	hide("k6", "/**/*.key");
	hide("k7", "/**/.env");
	rule("k8", "/**/cache", WL_WRITE);
	add(WK_RULE, "k9", "/tmp/ok/**", WL_WRITE, 0, "tests");
	rule("k10", "/a/*/z?", WL_NONE);
	h = finish(WL_NONE, "/tmp/r", NULL);
	h->start_bt_ns = now_bt() - (int64_t)1000 * 1000000000; /* k4 has expired */
	kid_is(h, "/a", "b", 0, WL_WRITE, "an entry that is a rule's literal end (the entry's own prefix)");
	kid_is(h, "/a", "c", 1, WL_NONE, "a folder-only hide of an entry, on a folder");
	kid_is(h, "/a", "c", 0, WL_READ, "a folder-only hide of an entry, on a file");
	kid_is(h, "/e", "f", 0, WL_READ, "beneath an expired rule, the rule before it");
	kid_is(h, "/g", "f", 0, WL_WRITE, "beneath an expiring rule still in force");
	kid_is(h, "/a", "x.key", 0, WL_NONE, "a hide by name glob");
	kid_is(h, "/a", ".env", 0, WL_NONE, "a hide by name");
	kid_is(h, "/a", "cache", 1, WL_WRITE, "a rule by name (the entry's own name)");
	kid_is(h, "/a/cache", "x", 0, WL_WRITE, "beneath a rule by name (the folder's name)");
	kid_is(h, "/tmp/ok", "f", 0, WL_WRITE, "a closed area opened by a rule");
	kid_is(h, "/tmp/no", "f", 0, WL_NONE, "a closed area");
	kid_is(h, "/tmp/r", "f", 0, WL_READ, "ROOT under /tmp is not closed");
	kid_is(h, "/a/q", "z1", 0, WL_NONE, "a glob that ends at the entry");
	kid_is(h, "/a/q", "z12", 0, WL_READ, "a glob that ends at the entry, not matching");
	struct wd_out ko;
	ok(wd_decide_kid(h, "/", 1, "tmp", 3, 1, &ko) < 0 && wd_decide_kid(h, "/var", 4, "tmp", 3, 1, &ko) < 0 &&
	   wd_decide_kid(h, "/dev", 4, "shm", 3, 1, &ko) < 0 && wd_decide_kid(h, "/tmp", 4, "r", 1, 1, &ko) < 0 &&
	   wd_decide_kid(h, "/a", 2, "b", 1, -1, &ko) < 0,
	   "entries: the folders holding a closed area or ROOT's top, and unknown types, go to wd_decide");
	free(h);
	start();
	rule("k1", "/p/q/r", WL_WRITE);
	h = finish(WL_NONE, NULL, NULL);
	kid_is(h, "/p", "q", 1, WL_VIEW, "an entry on the way to a granted area");
	kid_is(h, "/p", "z", 1, WL_NONE, "an entry off the way");
	kid_is(h, "/p/q", "r", 0, WL_WRITE, "the granted entry");
	free(h);
	h = must_compile("preset.conf", NULL);
	{
		static const char *const names[] = {".env", ".env.local", "id_rsa", "id_ed25519", ".ssh", ".aws",
			"credentials", "a.pem", "a.key", ".netrc", ".git-credentials", ".npmrc", ".pypirc",
			"config", "docs", "a.txt", "shadow", ".gnupg", ".kube", "x.secret", ".docker"};
		const char *home = getenv("HOME") ? getenv("HOME") : "/root";
		char dirs[6][600];
		snprintf(dirs[0], sizeof dirs[0], "%s", home);
		snprintf(dirs[1], sizeof dirs[1], "%s/.ssh", home);
		snprintf(dirs[2], sizeof dirs[2], "%s/.config", home);
		snprintf(dirs[3], sizeof dirs[3], "%s/docs", tmp);
		snprintf(dirs[4], sizeof dirs[4], "/etc");
		snprintf(dirs[5], sizeof dirs[5], "%s", tmp);
		int bad = 0, planned = 0, hidden = 0;
		for (int d = 0; d < 6; d++)
			for (size_t i = 0; i < sizeof names / sizeof *names; i++)
				for (int is_dir = 0; is_dir <= 1; is_dir++) {
					char path[4096];
					snprintf(path, sizeof path, "%s/%s", dirs[d], names[i]);
					struct wd_out a, b;
					wd_decide_str(h, path, strlen(path), is_dir, &a);
					if (wd_decide_kid(h, dirs[d], strlen(dirs[d]), names[i], strlen(names[i]), is_dir, &b) < 0)
						continue;
					planned++;
					hidden += b.hidden;
					if (a.level != b.level || a.rule != b.rule || a.hidden != b.hidden) {
						if (bad++ < 5)
							diag("%s: entry %s, whole path %s", path, wp_level_name(b.level),
							     wp_level_name(a.level));
					}
				}
		ok(bad == 0 && planned == 6 * 2 * (int)(sizeof names / sizeof *names) && hidden > 20,
		   "entries under agent-safe's hide list agree with wd_decide (%d planned, %d hidden, %d differ)",
		   planned, hidden, bad);
	}
	free(h);

	/* the index: same answers as a linear reference */
	index_vs_reference(200, 3000, "/tmp/n1");
	/* /tmp itself as ROOT exempts nothing */
	index_vs_reference(200, 1000, "/tmp");
	index_vs_reference(10000, 2000, "/tmp/n1");

	return tap_failures() ? 1 : 0;
}
