/* learn.c: ward learn: run a command in audit mode with every access logged, then
 * write the smallest readable policy that lets that run do what it did.
 *
 * What a path needs: read or exec -> read; stat, listing -> view; write, connect ->
 * write; creating or deleting a name -> write on its folder (names made up at run
 * time, like temporary files, then still fit). Reads and views are folded: the
 * system's folders (/usr, /etc...) become one rule each, and a folder with three or
 * more needed entries becomes one rule. Rules go from the lowest level to the
 * highest, so the last matching rule is always the one that gives the most.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/json.h"
#include "cli/ward.h"
#include "common/decide.h"
#include "common/path.h"

static const char learn_policy[] =
	"version = 1;\n"
	"mode = \"audit\";\n"
	"default = \"none\";\n"
	"log = { reads = true; };\n"
	"rules = ( );\n";

/* The secrets of the presets: kept hidden in a learnt policy unless the run needed one. */
static const char *const secrets[] = {
	"/**/.env", "/**/.env.*", "/**/*.pem", "/**/*.key", "/**/id_rsa*", "/**/id_ecdsa*",
	"/**/id_ed25519*", "/**/.ssh/", "/**/.gnupg/", "/**/.aws/", "/**/.azure/", "/**/.config/gcloud/",
	"/**/.kube/", "/**/.docker/config.json", "/**/.netrc", "/**/.git-credentials", "/**/.npmrc",
	"/**/.pypirc", "/etc/shadow", "/etc/gshadow",
};

/* System folders whose reads become one rule each. */
static const char *const system_roots[] = {
	"/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/opt", "/proc", "/sys",
	"/var/lib", "/var/cache", "/run", "/srv", "/snap", "/nix",
};

struct need {
	char *path;
	int level;
};

struct needs {
	struct need *v;
	size_t n, cap;
};

static void add(struct needs *s, const char *path, int level)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].path, path) == 0) {
			if (level > s->v[i].level)
				s->v[i].level = level;
			return;
		}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v) {
			cli_err("out of memory");
			exit(1);
		}
	}
	s->v[s->n].path = strdup(path);
	s->v[s->n].level = level;
	s->n++;
}

static bool skip_path(const char *p, const char *tmpdir)
{
	static const char *const builtin[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/tty",
					      "/dev/random", "/dev/urandom", "/proc/self", "/proc/thread-self"};
	size_t l = strlen(p);
	if (tmpdir[0] && wn_is_under(p, l, tmpdir, strlen(tmpdir)))
		return true;
	for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
		if (wn_is_under(p, l, builtin[i], strlen(builtin[i])))
			return true;
	return false;
}

static void parent_of(const char *p, char *out, size_t size)
{
	size_t n = wn_parent_len(p, strlen(p));
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

static int level_of_access(const char *acc)
{
	if (!strcmp(acc, "read") || !strcmp(acc, "exec"))
		return WL_READ;
	if (!strcmp(acc, "list") || !strcmp(acc, "stat"))
		return WL_VIEW;
	return WL_WRITE; /* write, connect; create and delete are handled apart */
}

/* The pattern for a real path: relative under ROOT, "~/" under HOME, glob characters
 * escaped (the policy file's own escapes are jput_conf's). */
static void pattern_for(const char *path, const char *root, const char *home, char *out, size_t size)
{
	const char *rest = path;
	size_t o = 0;
	size_t rl = strlen(root), hl = home ? strlen(home) : 0;
	if (wn_is_under(path, strlen(path), root, rl) && strcmp(root, "/") != 0) {
		rest = path[rl] ? path + rl + 1 : "";
		if (!*rest) {
			snprintf(out, size, ".");
			return;
		}
	} else if (home && hl > 1 && wn_is_under(path, strlen(path), home, hl)) {
		o = (size_t)snprintf(out, size, "~/");
		rest = path[hl] ? path + hl + 1 : "";
	}
	for (const char *c = rest; *c && o + 3 < size; c++) {
		if (strchr("*?[]\\", *c))
			out[o++] = '\\';
		out[o++] = *c;
	}
	out[o] = 0;
	if (o == 2 && out[0] == '~')
		snprintf(out, size, "~/");
}

static int cmp_need(const void *a, const void *b)
{
	const struct need *x = a, *y = b;
	if (x->level != y->level)
		return x->level - y->level;
	return strcmp(x->path, y->path);
}

int cmd_learn(int argc, char **argv)
{
	const char *out = NULL, *root = NULL;
	static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	const char *usage = "usage: ward learn [-o FILE] [-r ROOT] -- COMMAND [ARG]...\n";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:r:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'r': root = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	char logpath[] = "/tmp/ward-learn.XXXXXX";
	int lfd = mkstemp(logpath);
	if (lfd < 0) {
		cli_err("cannot make a temporary log: %s", strerror(errno));
		return 1;
	}
	close(lfd);
	struct session ss = {
		.root = root, .log = logpath, .policy_text = learn_policy, .policy_label = "ward learn",
		.quiet = true, .cmd = argv + optind,
	};
	int status = cli_session(&ss);
	if (status == EXIT_CONFINE && ss.tmpdir[0] == 0) {
		unlink(logpath);
		return status;
	}

	struct wc_opts o;
	cli_opts(&o);
	char *rroot = realpath(root ? root : o.cwd, NULL);
	if (!rroot) {
		cli_err("cannot resolve the root: %s", strerror(errno));
		unlink(logpath);
		return 1;
	}
	FILE *f = fopen(logpath, "r");
	if (!f) {
		cli_err("cannot read the run's log: %s", strerror(errno));
		return 1;
	}
	struct needs reads = {0}, writes = {0};
	bool needed_secret[sizeof secrets / sizeof *secrets] = {0};
	struct jreader rd;
	if (!jreader_init(&rd, f)) {
		cli_err("out of memory");
		return 1;
	}
	size_t len;
	int r;
	while ((r = jreader_next(&rd, &len)) > 0) {
		struct jobj j;
		if (r != 1 || !jparse(rd.buf, len, &j))
			continue;
		const char *ev = jget(&j, "event"), *acc = jget(&j, "access"), *real = jget(&j, "real");
		if (!ev || strcmp(ev, "op") != 0 || !acc || !real || real[0] != '/') {
			jfree(&j);
			continue;
		}
		const char *to = jget(&j, "real_to");
		const char *paths[2] = {real, to};
		for (int k = 0; k < 2; k++) {
			const char *p = paths[k];
			if (!p || p[0] != '/' || skip_path(p, ss.tmpdir))
				continue;
			/* which secret patterns the run needed */
			char parent[PATH_MAX];
			bool creates = !strcmp(acc, "create") || !strcmp(acc, "delete") ||
				       (k == 1) || (!strcmp(acc, "write") && to);
			if (creates) {
				parent_of(p, parent, sizeof parent);
				add(&writes, parent, WL_WRITE);
				if (k == 0 && to)
					add(&writes, parent, WL_WRITE); /* a move deletes a name here too */
			} else {
				int lv = level_of_access(acc);
				if (lv == WL_VIEW && wp_is_closed_root(p, strlen(p)))
					continue; /* already visible to every program */
				add(lv == WL_WRITE ? &writes : &reads, p, lv);
			}
			for (size_t s = 0; s < sizeof secrets / sizeof *secrets; s++) {
				const char *sp = secrets[s];
				const char *tail = strncmp(sp, "/**/", 4) == 0 ? sp + 4 : sp;
				size_t tl = strlen(tail);
				if (tl && tail[tl - 1] == '/')
					tl--;
				if (strstr(p, tail) || (tail[0] == '*' && strstr(p, tail + 1)))
					needed_secret[s] = true;
			}
		}
		jfree(&j);
	}
	jreader_free(&rd);
	fclose(f);
	unlink(logpath);

	/* fold the reads: system folders, then folders with three or more needs */
	struct needs folded = {0};
	for (size_t i = 0; i < reads.n; i++) {
		const char *p = reads.v[i].path;
		bool sys = false;
		for (size_t s = 0; s < sizeof system_roots / sizeof *system_roots; s++) {
			size_t sl = strlen(system_roots[s]);
			if (wn_is_under(p, strlen(p), system_roots[s], sl)) {
				char pat[PATH_MAX];
				snprintf(pat, sizeof pat, "%s/**", system_roots[s]);
				add(&folded, pat, WL_READ);
				sys = true;
				break;
			}
		}
		if (sys)
			continue;
		/* the shallowest folder beneath ROOT, HOME or the top two levels that holds
		 * three or more of the needed paths stands for all of them */
		const char *fold = NULL;
		size_t pl = strlen(p);
		char anc[PATH_MAX];
		for (size_t cut = 1; cut < pl; cut++) {
			if (p[cut] != '/')
				continue;
			memcpy(anc, p, cut);
			anc[cut] = 0;
			int depth = 0;
			for (size_t q = 0; q < cut; q++)
				depth += anc[q] == '/';
			bool below_anchor = (wn_is_under(anc, cut, rroot, strlen(rroot)) && strlen(rroot) < cut) ||
					    (o.home && wn_is_under(anc, cut, o.home, strlen(o.home)) && strlen(o.home) < cut) ||
					    (!wn_is_under(rroot, strlen(rroot), anc, cut) &&
					     !(o.home && wn_is_under(o.home, strlen(o.home), anc, cut)) && depth >= 2);
			if (!below_anchor)
				continue;
			int count = 0;
			for (size_t k = 0; k < reads.n && count < 3; k++)
				if (wn_is_under(reads.v[k].path, strlen(reads.v[k].path), anc, cut) &&
				    strlen(reads.v[k].path) > cut)
					count++;
			if (count >= 3) {
				fold = anc;
				break;
			}
		}
		if (fold) {
			int best = WL_VIEW;
			for (size_t k = 0; k < reads.n; k++)
				if (wn_is_under(reads.v[k].path, strlen(reads.v[k].path), fold, strlen(fold)) &&
				    reads.v[k].level > best)
					best = reads.v[k].level;
			add(&folded, fold, best);
		} else {
			add(&folded, p, reads.v[i].level);
		}
	}
	/* what a folded folder covers need not be said again */
	for (size_t i = 0; i < folded.n; i++)
		for (size_t k = 0; k < folded.n; k++) {
			if (i == k || folded.v[k].level < 0 || folded.v[i].level < 0)
				continue;
			const char *a = folded.v[i].path, *b = folded.v[k].path;
			if (!strchr(b, '*') && !strchr(a, '*') && wn_is_under(a, strlen(a), b, strlen(b)) &&
			    strlen(a) > strlen(b) && folded.v[k].level >= folded.v[i].level)
				folded.v[i].level = -1;
		}
	{
		size_t w = 0;
		for (size_t i = 0; i < folded.n; i++)
			if (folded.v[i].level >= 0)
				folded.v[w++] = folded.v[i];
		folded.n = w;
	}
	if (folded.n)
		qsort(folded.v, folded.n, sizeof *folded.v, cmp_need);
	if (writes.n)
		qsort(writes.v, writes.n, sizeof *writes.v, cmp_need);

	FILE *of = stdout;
	if (out) {
		of = fopen(out, "w");
		if (!of) {
			cli_err("cannot write %s: %s", out, strerror(errno));
			return 1;
		}
	}
	time_t now = time(NULL);
	char date[64];
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(of, "# Learnt by ward learn on %s from:\n#  ", date);
	for (int i = optind; i < argc; i++) {
		putc(' ', of);
		jput_text(of, argv[i]); /* a newline in an argument must not end the comment */
	}
	fprintf(of, "\n# (exit status %d). Check it, then: ward run -p THIS-FILE -- COMMAND\n", status);
	fprintf(of, "version = 1;\ndefault = \"none\";\n");
	if (root) {
		fputs("root = \"", of);
		jput_conf(of, rroot);
		fputs("\";\n", of);
	}
	fprintf(of, "hide = (");
	bool first = true;
	for (size_t s = 0; s < sizeof secrets / sizeof *secrets; s++) {
		if (needed_secret[s])
			continue;
		fprintf(of, "%s\n  \"%s\"", first ? "" : ",", secrets[s]);
		first = false;
	}
	fprintf(of, "\n);\nrules = (\n");
	struct needs *lists[2] = {&folded, &writes};
	size_t total = folded.n + writes.n, k = 0;
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++, k++) {
			struct need *n = &lists[l]->v[i];
			char pat[PATH_MAX];
			if (l == 0 && strchr(n->path, '*'))
				snprintf(pat, sizeof pat, "%s", n->path); /* already a pattern */
			else
				pattern_for(n->path, rroot, o.home, pat, sizeof pat);
			fputs("  { path = \"", of);
			jput_conf(of, pat);
			fprintf(of, "\"; level = \"%s\";", wp_level_name(n->level));
			char norm[PATH_MAX];
			const char *msg;
			if (n->path[0] == '/' && wp_norm_pattern(n->path, norm, sizeof norm, &msg) > 0 &&
			    wp_names_closed(norm, strlen(norm)) && !wn_is_under(n->path, strlen(n->path), rroot, strlen(rroot)))
				fprintf(of, " justification = \"learnt by ward learn: the run used it\";");
			fprintf(of, " }%s\n", k + 1 < total ? "," : "");
		}
	fprintf(of, ");\n");
	if (of != stdout)
		fclose(of);
	free(rroot);
	return 0;
}
