/* learn.c: ward learn: run a command in audit mode with every access logged, then
 * write a policy that lets that run (and the next ones like it) do what it did, and
 * that a person can read and keep.
 *
 * What a path needs: read or exec -> read; stat, listing -> view; write, connect ->
 * write. A name made, removed or moved (a file created, a folder removed) -> write
 * on the folder it lies in, since the next run picks other names (temporary files,
 * new objects); except when that folder was itself made by the run (then the
 * topmost folder the run made, written NAME/), when the name is a folder the run
 * made and kept (that folder, NAME/), and when the folder is too wide to open
 * (HOME or above, the system's folders, /tmp: then the name alone).
 *
 * Then, in order:
 * - generated names: a path through a name that looks generated (hex digits as in
 *   content-addressed stores, numbers, a folder made by mkdtemp) stands for the
 *   folder holding that name: the next run makes other such names;
 * - secrets: a path the preset's hide list hides is never granted; the hide list
 *   is written whole, and the run's use of a secret is a warning and an `unhide`
 *   line left commented out, for a person to decide. The learning run's policy
 *   holds that list, so the library itself says which path is a secret (the rule
 *   of the log's event); the second path of a rename is asked of the list;
 * - the command and its interpreters (the "#!" chain, the ELF interpreter), which
 *   ward run itself judges before the first exec;
 * - reads and views are folded: the system's folders (/usr, /etc...) become one rule
 *   each; the shallowest folder (ROOT or beneath, beneath HOME, or two levels deep
 *   elsewhere) that holds three or more needed paths stands for them;
 * - HOME and its parents, ROOT's parents and / are never granted read or write;
 *   a view they need to be looked at is left out when another rule beneath them
 *   already makes them visible (a folder on the way to a granted area can be seen);
 * - a rule covered by a rule of one of its folders, of the same or a higher level,
 *   is left out.
 * Each rule is written with the first operations that needed it; a folder the run
 * made whose name looks transient (a cache, build output) gets a ttl suggestion.
 * Rules go from the lowest level to the highest, so that of two nested rules the
 * deeper (which then has the higher level) is the last to match. The result is
 * compiled before it is written: ward learn never writes an invalid policy.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/json.h"
#include "cli/ward.h"
#include "common/decide.h"
#include "common/path.h"

/* The learning run's policy: audit mode, every access logged, nothing granted, and
 * the preset's hide list, so that the library itself says which secret a path is. */
static const char learn_head[] =
	"mode = \"audit\";\n"
	"default = \"none\";\n"
	"log = { reads = true; };\n";

/* The preset whose hide list a learnt policy keeps. */
#define HIDE_PRESET "agent-safe"

/* System folders whose reads become one rule each. */
static const char *const system_roots[] = {
	"/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/opt", "/proc", "/sys",
	"/var/lib", "/var/cache", "/run", "/srv", "/snap", "/nix",
};

/* Names of folders that usually hold what a run can make again: a folder the run
 * made under such a name gets a ttl suggestion. */
static const char *const transient_names[] = {
	"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", ".cache", "cache",
	"caches", ".tmp", "tmp", "temp", "build", "_build", "dist", "target", "out", ".next", ".nuxt",
	".parcel-cache", ".turbo", ".nyc_output", "coverage", "htmlcov", ".tox", ".nox", ".eggs",
	".gradle", ".sass-cache",
};

/* ---- a table of paths, each with what needed it ---- */

#define NWHY 3
#define WHYLEN 256

struct need {
	char *path;     /* real absolute path */
	int level;      /* WL_VIEW..WL_WRITE; WL_NONE while unknown or once left out */
	bool folder;    /* write it NAME/ (a folder the run made: ward run makes it if missing) */
	bool made;      /* the run made it */
	bool is_dir;    /* it was made as a folder (mkdir, mkdtemp) */
	bool removed;   /* the run removed it again */
	bool generated; /* its name was made up by the program (mkdtemp, mkstemp) */
	bool listed;    /* the run listed it */
	int secret;     /* for a secret: index of the hide pattern */
	unsigned long nwhy;              /* operations that needed it */
	unsigned nshow;                  /* how many of them are kept: */
	unsigned long seq[NWHY];         /* the first of them, by their order in the log */
	int wl[NWHY];                    /* the level each needed: the highest come first */
	char why[NWHY][WHYLEN];
};

struct table {
	struct need *v;
	size_t n, cap;
	size_t *slot; /* open addressing: index + 1, 0 when free */
	size_t nslot;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		cli_err("out of memory");
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d) {
		cli_err("out of memory");
		exit(1);
	}
	return d;
}

static size_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static void rehash(struct table *t)
{
	size_t ns = t->nslot ? t->nslot * 2 : 1024;
	free(t->slot);
	t->slot = xrealloc(NULL, ns * sizeof *t->slot);
	memset(t->slot, 0, ns * sizeof *t->slot);
	t->nslot = ns;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash_str(t->v[i].path) & (ns - 1);
		while (t->slot[h])
			h = (h + 1) & (ns - 1);
		t->slot[h] = i + 1;
	}
}

/* The entry of `path`, or NULL. */
static struct need *find(const struct table *t, const char *path)
{
	if (!t->nslot)
		return NULL;
	size_t h = hash_str(path) & (t->nslot - 1);
	while (t->slot[h]) {
		struct need *n = &t->v[t->slot[h] - 1];
		if (strcmp(n->path, path) == 0)
			return n;
		h = (h + 1) & (t->nslot - 1);
	}
	return NULL;
}

/* The entry of `path`, made (level none) when missing. The pointer lasts until the
 * next get() on the same table. */
static struct need *get(struct table *t, const char *path)
{
	struct need *n = find(t, path);
	if (n)
		return n;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	if ((t->n + 1) * 2 > t->nslot)
		rehash(t); /* places the entries it holds; the new one is placed below */
	n = &t->v[t->n];
	memset(n, 0, sizeof *n);
	n->path = xstrdup(path);
	n->level = WL_NONE;
	n->secret = -1;
	size_t h = hash_str(path) & (t->nslot - 1);
	while (t->slot[h])
		h = (h + 1) & (t->nslot - 1);
	t->slot[h] = ++t->n;
	return n;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].path);
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* Does an operation (level l, order s) come before another (m, t) in a comment? The
 * ones that needed the rule's level first, then by their order in the run. */
static bool comes_first(int l, unsigned long s, int m, unsigned long t)
{
	return l > m || (l == m && s < t);
}

/* Records one operation that needed n at `level`: counted always, kept when it is
 * among the first NWHY and not kept already. */
static void add_why(struct need *n, unsigned long seq, int level, const char *text)
{
	size_t have = n->nshow;
	n->nwhy++;
	for (size_t i = 0; i < have; i++)
		if (strcmp(n->why[i], text) == 0)
			return;
	size_t k;
	if (have < NWHY)
		k = n->nshow++;
	else if (comes_first(level, seq, n->wl[NWHY - 1], n->seq[NWHY - 1]))
		k = NWHY - 1;
	else
		return;
	while (k > 0 && comes_first(level, seq, n->wl[k - 1], n->seq[k - 1])) {
		n->seq[k] = n->seq[k - 1];
		n->wl[k] = n->wl[k - 1];
		memcpy(n->why[k], n->why[k - 1], WHYLEN);
		k--;
	}
	n->seq[k] = seq;
	n->wl[k] = level;
	snprintf(n->why[k], WHYLEN, "%s", text);
}

/* Adds what needed `from` to `to`, and the larger level. */
static void absorb(struct need *to, const struct need *from, int level)
{
	if (level > to->level)
		to->level = level;
	to->folder |= from->folder;
	to->made |= from->made;
	to->listed |= from->listed;
	unsigned long before = to->nwhy;
	for (unsigned i = 0; i < from->nshow; i++)
		add_why(to, from->seq[i], from->wl[i], from->why[i]);
	/* the ones not shown still count */
	to->nwhy = before + from->nwhy;
}

/* ---- paths ---- */

struct learn {
	const char *root; /* real ROOT */
	const char *home; /* real HOME, or NULL */
	const char *tmpdir;
	const char *cmd0; /* the command's name, for operations of unknown processes */
	size_t rl, hl;
};

static bool under(const char *a, const char *b)
{
	return wn_is_under(a, strlen(a), b, strlen(b));
}

/* a is b or one of its parent folders */
static bool above(const char *a, const char *b)
{
	return under(b, a);
}

static void parent_of(const char *p, char *out, size_t size)
{
	size_t n = wn_parent_len(p, strlen(p));
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s && s[1] ? s + 1 : p;
}

/* Too wide to be granted: /, HOME and its parents, ROOT's parents, the closed
 * folders and their parents (/tmp, /var, /dev...). With `sys`, also the system's
 * folders and their parents (where a program makes a file by name, not a place for
 * a run's new names). */
static bool too_wide(const struct learn *L, const char *p, bool sys)
{
	if (strcmp(p, "/") == 0)
		return true;
	if (L->home && above(p, L->home))
		return true;
	if (above(p, L->root) && strcmp(p, L->root) != 0)
		return true;
	static const char *const closed[] = {"/tmp", "/var/tmp", "/dev/shm"};
	for (size_t i = 0; i < 3; i++)
		if (above(p, closed[i]))
			return true;
	if (sys) {
		for (size_t s = 0; s < sizeof system_roots / sizeof *system_roots; s++)
			if (above(p, system_roots[s]))
				return true;
	}
	return false;
}

/* A name a program makes up rather than a person: content addresses (hex digits,
 * one of them a digit, as git's and npm's object folders: "b8", "0e"), numbers,
 * UUIDs and long hex strings. */
static bool generated_name(const char *s, size_t n)
{
	if (n == 0 || n > 255)
		return false;
	size_t hex = 0, digits = 0, dashes = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			digits++, hex++;
		else if (c >= 'a' && c <= 'f')
			hex++;
		else if (c == '-')
			dashes++;
		else
			return false;
	}
	if (digits == n)
		return true; /* 1, 2, 1234 */
	if (dashes == 0 && n >= 2 && digits > 0)
		return true; /* b8, 0e, a3f9... */
	if (dashes == 0 && n >= 16)
		return true;
	return dashes > 0 && hex >= 16; /* UUIDs */
}

/* May `p` stand for what lies beneath it? (ROOT or beneath; strictly beneath HOME;
 * elsewhere two levels deep, not HOME's or ROOT's parents, not a closed folder.) */
static bool may_stand_for(const struct learn *L, const char *p)
{
	if (too_wide(L, p, false))
		return false;
	if (under(p, L->root))
		return true;
	if (L->home && under(p, L->home))
		return strcmp(p, L->home) != 0;
	int depth = 0;
	for (const char *c = p; *c; c++)
		depth += *c == '/';
	return depth >= 2;
}

/* The pattern of a real path, as a libconfig string's content: relative under ROOT,
 * "~/" under HOME; glob characters escaped for the glob, then backslashes, quotes
 * and control characters escaped for libconfig. */
static void pattern_for(const struct learn *L, const char *path, bool folder, char *out, size_t size)
{
	char glob[PATH_MAX * 2];
	const char *rest = path;
	size_t g = 0;
	if (strcmp(L->root, "/") != 0 && under(path, L->root)) {
		rest = path[L->rl] ? path + L->rl + 1 : "";
		if (!*rest)
			rest = ".";
	} else if (L->home && L->hl > 1 && under(path, L->home)) {
		memcpy(glob, "~/", 2);
		g = 2;
		rest = path[L->hl] ? path + L->hl + 1 : "";
	}
	for (const char *c = rest; *c && g + 3 < sizeof glob; c++) {
		if (strchr("*?[]\\", *c))
			glob[g++] = '\\';
		glob[g++] = *c;
	}
	if (folder && g > 0 && glob[g - 1] != '/' && g + 1 < sizeof glob)
		glob[g++] = '/';
	glob[g] = 0;
	size_t o = 0;
	for (const char *c = glob; *c && o + 5 < size; c++) {
		unsigned char u = (unsigned char)*c;
		if (u == '\\' || u == '"') {
			out[o++] = '\\';
			out[o++] = (char)u;
		} else if (u < 0x20 || u == 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", u);
		} else {
			out[o++] = (char)u;
		}
	}
	out[o] = 0;
}

/* A path as shown in a comment: ROOT-relative or "~/", control characters as '?',
 * long ones cut in the middle. */
static void show(const struct learn *L, const char *path, char *out, size_t size)
{
	char buf[PATH_MAX + 8];
	if (strcmp(L->root, "/") != 0 && under(path, L->root))
		snprintf(buf, sizeof buf, "%s", path[L->rl] ? path + L->rl + 1 : ".");
	else if (L->home && L->hl > 1 && under(path, L->home))
		snprintf(buf, sizeof buf, "~/%s", path[L->hl] ? path + L->hl + 1 : "");
	else
		snprintf(buf, sizeof buf, "%s", path);
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	size_t n = strlen(buf);
	if (n + 1 > size && size > 8) {
		size_t keep = (size - 4) / 2;
		snprintf(out, size, "%.*s...%s", (int)keep, buf, buf + n - (size - 4 - keep));
	} else {
		snprintf(out, size, "%s", buf);
	}
}

/* A libconfig string's content for s (backslashes, quotes, control characters). */
static void conf_escape(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (; *s && o + 5 < size; s++) {
		unsigned char u = (unsigned char)*s;
		if (u == '\\' || u == '"') {
			out[o++] = '\\';
			out[o++] = (char)u;
		} else if (u < 0x20 || u == 0x7f) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", u);
		} else {
			out[o++] = (char)u;
		}
	}
	out[o] = 0;
}

static bool skip_path(const struct learn *L, const char *p)
{
	static const char *const builtin[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/tty",
					      "/dev/random", "/dev/urandom", "/proc/self", "/proc/thread-self"};
	if (L->tmpdir[0] && under(p, L->tmpdir))
		return true;
	for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
		if (under(p, builtin[i]))
			return true;
	return false;
}

static int level_of_access(const char *acc)
{
	if (!strcmp(acc, "read") || !strcmp(acc, "exec"))
		return WL_READ;
	if (!strcmp(acc, "list") || !strcmp(acc, "stat"))
		return WL_VIEW;
	return WL_WRITE; /* write, connect; create and delete are handled apart */
}

/* ---- the preset's hide list, and which of its patterns hides a path ---- */

struct secrets {
	char **pat;
	size_t n;
	void *blob; /* a policy of these patterns alone, to ask which one hides a path */
	unsigned first_line;     /* of the first pattern, in that policy */
	unsigned run_first_line; /* and in the policy of the learning run */
	/* what the run did with each: */
	unsigned long *uses;
	char (*first)[WHYLEN];
	char (*rule)[PATH_MAX + 64]; /* the rule it would need, for the commented line */
};

static int load_secrets(struct secrets *S, const struct wc_opts *o)
{
	const struct wc_preset *p = wc_preset_find(HIDE_PRESET);
	if (!p) {
		cli_err("no preset %s", HIDE_PRESET);
		return -1;
	}
	config_t cf;
	config_init(&cf);
	if (config_read_string(&cf, p->text) != CONFIG_TRUE) {
		cli_err("preset %s: %s", HIDE_PRESET, config_error_text(&cf));
		config_destroy(&cf);
		return -1;
	}
	config_setting_t *h = config_lookup(&cf, "hide");
	int n = h ? config_setting_length(h) : 0;
	S->pat = xrealloc(NULL, (size_t)(n + 1) * sizeof *S->pat);
	for (int i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(h, i);
		if (!s)
			continue;
		if (strncmp(s, "@state", 6) == 0 && !o->state)
			continue; /* no state folder without HOME */
		S->pat[S->n++] = xstrdup(s);
	}
	config_destroy(&cf);
	S->uses = xrealloc(NULL, (S->n + 1) * sizeof *S->uses);
	memset(S->uses, 0, (S->n + 1) * sizeof *S->uses);
	S->first = xrealloc(NULL, (S->n + 1) * sizeof *S->first);
	S->rule = xrealloc(NULL, (S->n + 1) * sizeof *S->rule);
	return 0;
}

/* A policy text: "version = 1;", the lines of `head`, then the hide list, one pattern
 * a line (the rule label of a hidden path then names its pattern's line), and no
 * rules. malloc'd; *first is the line of the first pattern. */
static char *hide_policy(const struct secrets *S, const char *head, unsigned *first)
{
	size_t cap = 256 + strlen(head);
	for (size_t i = 0; i < S->n; i++)
		cap += strlen(S->pat[i]) * 4 + 8;
	char *text = xrealloc(NULL, cap);
	size_t t = (size_t)snprintf(text, cap, "version = 1;\n%shide = (\n", head);
	*first = 3;
	for (const char *c = head; *c; c++)
		*first += *c == '\n';
	for (size_t i = 0; i < S->n; i++) {
		char esc[PATH_MAX * 2];
		conf_escape(S->pat[i], esc, sizeof esc);
		t += (size_t)snprintf(text + t, cap - t, "\"%s\"%s\n", esc, i + 1 < S->n ? "," : "");
	}
	snprintf(text + t, cap - t, ");\nrules = ( );\n");
	return text;
}

/* Compiles the hide list alone, as the run had it (with its private TMPDIR), to ask
 * which pattern hides a path the log names without its rule (the second path of a
 * rename or link). */
static int compile_secrets(struct secrets *S, const struct wc_opts *o)
{
	char *text = hide_policy(S, "default = \"none\";\n", &S->first_line);
	char err[2048];
	size_t size;
	S->blob = wc_compile_text(&cli_libconfig, "secrets", text, o, &size, err, sizeof err);
	free(text);
	if (!S->blob) {
		cli_err("the hide list of %s: %s", HIDE_PRESET, err);
		return -1;
	}
	return 0;
}

/* The index of the hide pattern a rule label of the run's log names ("ward
 * learn:LINE"), or -1: the library's own answer, for the path it judged. */
static int secret_of_label(const struct secrets *S, const char *rule)
{
	static const char pre[] = "ward learn:";
	if (!rule || strncmp(rule, pre, sizeof pre - 1) != 0)
		return -1;
	unsigned line = (unsigned)strtoul(rule + sizeof pre - 1, NULL, 10);
	if (line < S->run_first_line || line - S->run_first_line >= S->n)
		return -1;
	return (int)(line - S->run_first_line);
}

/* The index of the hide pattern that hides p, or -1. */
static int secret_of(const struct secrets *S, const char *p, bool made_dir)
{
	struct stat st;
	int is_dir = made_dir ? 1 : stat(p, &st) == 0 ? S_ISDIR(st.st_mode) != 0 : 1;
	struct wd_out d;
	if (wd_decide_str(S->blob, p, strlen(p), is_dir, &d) < 0 || !d.hidden)
		return -1;
	uint32_t ll;
	const char *label = wd_rule_label(S->blob, d.rule, &ll);
	const char *colon = memrchr(label, ':', ll);
	unsigned line = colon ? (unsigned)strtoul(colon + 1, NULL, 10) : 0;
	/* only the patterns of this policy hide anything in it */
	if (line < S->first_line || line - S->first_line >= S->n)
		return -1;
	return (int)(line - S->first_line);
}

static void secrets_free(struct secrets *S)
{
	for (size_t i = 0; i < S->n; i++)
		free(S->pat[i]);
	free(S->pat);
	free(S->blob);
	free(S->uses);
	free(S->first);
	free(S->rule);
}

/* ---- the command and its interpreters, which ward run judges before the library
 * is loaded ---- */

static char *find_command(const char *cmd)
{
	if (strchr(cmd, '/'))
		return realpath(cmd, NULL);
	const char *path = getenv("PATH");
	char *dup = xstrdup(path ? path : "/bin:/usr/bin");
	char *found = NULL;
	for (char *save = NULL, *d = strtok_r(dup, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char buf[PATH_MAX];
		snprintf(buf, sizeof buf, "%s/%s", *d ? d : ".", cmd);
		if (access(buf, X_OK) == 0)
			found = realpath(buf, NULL);
	}
	free(dup);
	return found;
}

/* The ELF interpreter named by the program open on fd, in out; false when none. */
static bool elf_interp(int fd, char *out, size_t size)
{
	unsigned char id[EI_NIDENT];
	if (pread(fd, id, sizeof id, 0) != (ssize_t)sizeof id || memcmp(id, ELFMAG, SELFMAG) != 0)
		return false;
	uint64_t phoff, off = 0, len = 0;
	unsigned phnum, phsize;
	bool found = false;
	if (id[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr e;
		if (pread(fd, &e, sizeof e, 0) != (ssize_t)sizeof e)
			return false;
		phoff = e.e_phoff, phnum = e.e_phnum, phsize = e.e_phentsize;
		for (unsigned i = 0; i < phnum && phsize >= sizeof(Elf64_Phdr) && !found; i++) {
			Elf64_Phdr ph;
			if (pread(fd, &ph, sizeof ph, (off_t)(phoff + (uint64_t)i * phsize)) != (ssize_t)sizeof ph)
				return false;
			if (ph.p_type == PT_INTERP)
				off = ph.p_offset, len = ph.p_filesz, found = true;
		}
	} else if (id[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr e;
		if (pread(fd, &e, sizeof e, 0) != (ssize_t)sizeof e)
			return false;
		phoff = e.e_phoff, phnum = e.e_phnum, phsize = e.e_phentsize;
		for (unsigned i = 0; i < phnum && phsize >= sizeof(Elf32_Phdr) && !found; i++) {
			Elf32_Phdr ph;
			if (pread(fd, &ph, sizeof ph, (off_t)(phoff + (uint64_t)i * phsize)) != (ssize_t)sizeof ph)
				return false;
			if (ph.p_type == PT_INTERP)
				off = ph.p_offset, len = ph.p_filesz, found = true;
		}
	}
	if (!found || len < 2 || len >= size)
		return false;
	if (pread(fd, out, (size_t)len, (off_t)off) != (ssize_t)len || out[len - 1] != 0)
		return false;
	return out[0] == '/';
}

/* Adds read for the program at `path` and for what the kernel loads to run it. */
static void add_exec_chain(const struct learn *L, struct table *obj, const char *path, const char *why,
			   int depth)
{
	char *real = realpath(path, NULL);
	if (!real || depth > 4) {
		free(real);
		return;
	}
	if (!skip_path(L, real)) {
		struct need *n = get(obj, real);
		if (n->level < WL_READ)
			n->level = WL_READ;
		add_why(n, (unsigned long)depth, WL_READ, why); /* before the run's own operations */
	}
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char head[256 + 1];
		ssize_t r = pread(fd, head, sizeof head - 1, 0);
		char interp[PATH_MAX];
		char w[WHYLEN];
		if (r > 2 && head[0] == '#' && head[1] == '!') {
			head[r] = 0;
			char *s = head + 2;
			while (*s == ' ' || *s == '\t')
				s++;
			size_t k = strcspn(s, " \t\n");
			s[k] = 0;
			if (*s == '/') {
				snprintf(w, sizeof w, "ward run: the interpreter of %s", base_name(real));
				add_exec_chain(L, obj, s, w, depth + 1);
			}
		} else if (elf_interp(fd, interp, sizeof interp)) {
			snprintf(w, sizeof w, "ward run: the ELF interpreter of %s", base_name(real));
			add_exec_chain(L, obj, interp, w, depth + 1);
		}
		close(fd);
	}
	free(real);
}

/* ---- reading the run's log ---- */

/* What the run did, and the order it did it in. */
struct run {
	struct table obj;   /* paths needed as themselves */
	struct table names; /* names made, removed or moved: a need on their folder */
	struct table made;  /* paths the run made (is_dir, removed, generated) */
	struct table progs; /* per pid: the program it runs (path = pid, why[0] = name) */
	unsigned long seq, cut;
};

static const char *prog_of(struct run *R, const char *pid)
{
	struct need *p = pid ? find(&R->progs, pid) : NULL;
	return p ? p->why[0] : NULL;
}

static void describe(const struct learn *L, struct run *R, const char *pid, const char *op,
		     const char *acc, const char *p, const char *to, char *out, size_t size)
{
	char a[80], b[80];
	const char *prog = prog_of(R, pid);
	show(L, p, a, sizeof a);
	if (to) {
		show(L, to, b, sizeof b);
		snprintf(out, size, "%.24s%s%.20s %s -> %s", prog ? prog : "", prog ? ": " : "", op, a, b);
	} else {
		snprintf(out, size, "%.24s%s%.20s %s (%.10s)", prog ? prog : "", prog ? ": " : "", op, a, acc);
	}
}

static bool is_exec_op(const char *op)
{
	return strncmp(op, "exec", 4) == 0 || strcmp(op, "fexecve") == 0 || strncmp(op, "posix_spawn", 11) == 0;
}

static bool is_mktemp_op(const char *op)
{
	return strncmp(op, "mk", 2) == 0 && strstr(op, "temp") != NULL;
}

static void read_log(const struct learn *L, struct secrets *S, FILE *f, struct run *R)
{
	char last_exec_pid[32] = "";
	bool first = true;
	struct jreader rd;
	if (!jreader_init(&rd, f)) {
		cli_err("out of memory");
		exit(1);
	}
	size_t len;
	int r;
	while ((r = jreader_next(&rd, &len)) > 0) {
		struct jobj j;
		if (r != 1 || !jparse(rd.buf, len, &j))
			continue; /* a line too long or not JSON: not the library's */
		const char *ev = jget(&j, "event"), *acc = jget(&j, "access"), *real = jget(&j, "real");
		const char *op = jget(&j, "op"), *rule = jget(&j, "rule");
		long long pidn;
		char pidbuf[24];
		const char *pid = NULL;
		if (jget_int(&j, "pid", &pidn)) {
			snprintf(pidbuf, sizeof pidbuf, "%lld", pidn);
			pid = pidbuf;
		}
		if (!ev || strcmp(ev, "op") != 0 || !acc || !real || real[0] != '/' || !op) {
			jfree(&j);
			continue;
		}
		if (json_object_get(j.o, "cut")) {
			R->cut++; /* a path too long for the log: its need is not known */
			jfree(&j);
			continue;
		}
		R->seq++;
		if (first && pid) {
			/* the first process is the command ward run started */
			snprintf(get(&R->progs, pid)->why[0], WHYLEN, "%s", base_name(L->cmd0));
			first = false;
		}
		/* the program of each process: the first program of an exec call */
		if (pid && is_exec_op(op)) {
			if (strcmp(acc, "exec") == 0 && strcmp(last_exec_pid, pid) != 0) {
				struct need *p = get(&R->progs, pid);
				snprintf(p->why[0], WHYLEN, "%s", base_name(real));
			}
			/* the ELF interpreter is the last of a call's chain */
			if (strcmp(acc, "exec") == 0)
				snprintf(last_exec_pid, sizeof last_exec_pid, "%s", pid);
			else
				last_exec_pid[0] = 0;
		} else {
			last_exec_pid[0] = 0;
		}
		const char *to = jget(&j, "real_to");
		if (to && to[0] != '/')
			to = NULL;
		char why[WHYLEN];
		describe(L, R, pid, op, acc, real, to, why, sizeof why);
		const char *paths[2] = {real, to};
		for (int k = 0; k < 2; k++) {
			const char *p = paths[k];
			if (!p)
				continue;
			bool in_tmpdir = L->tmpdir[0] && under(p, L->tmpdir);
			if (!in_tmpdir && skip_path(L, p))
				continue;
			bool name = !strcmp(acc, "create") || !strcmp(acc, "delete") || k == 1 ||
				    (!strcmp(acc, "write") && to);
			bool mkdir_op = strcmp(op, "mkdir") == 0 || strcmp(op, "mkdirat") == 0 || strcmp(op, "mkdtemp") == 0;
			/* a secret: as the library judged the path (its rule is a hide
			 * pattern); the second path of a rename or link is not in the log's
			 * rule, so that one is asked of the hide list */
			int sec = k == 0 && rule ? secret_of_label(S, rule) : secret_of(S, p, name && mkdir_op);
			if (sec >= 0) {
				int lv = name ? WL_WRITE : level_of_access(acc);
				if (S->uses[sec]++ == 0) {
					snprintf(S->first[sec], WHYLEN, "%s", why);
					char pat[PATH_MAX];
					pattern_for(L, p, false, pat, sizeof pat);
					/* the private TMPDIR is another folder at every run */
					S->rule[sec][0] = 0;
					if (!in_tmpdir)
						snprintf(S->rule[sec], sizeof S->rule[sec], "{ path = \"%s\"; level = \"%s\"; }",
							 pat, wp_level_name(lv));
				}
				continue;
			}
			if (in_tmpdir)
				continue; /* ward run gives every run its own */
			if (name) {
				struct need *n = get(&R->names, p);
				n->level = WL_WRITE;
				add_why(n, R->seq, WL_WRITE, why);
				if (!strcmp(acc, "create") && k == 0) {
					struct need *m = get(&R->made, p);
					m->made = true;
					m->removed = false;
					m->is_dir |= mkdir_op;
					m->generated |= is_mktemp_op(op);
				} else if (!strcmp(acc, "delete") || (k == 0 && to)) {
					struct need *m = find(&R->made, p);
					if (m)
						m->removed = true;
				}
				if (k == 1 && to) {
					/* a name moved here is made here */
					const struct need *src = find(&R->made, real);
					bool src_dir = src && src->is_dir;
					struct need *m = get(&R->made, p);
					m->made = true;
					m->removed = false;
					m->is_dir |= src_dir;
				}
			} else {
				int lv = level_of_access(acc);
				if (lv == WL_VIEW && wp_is_closed_root(p, strlen(p)))
					continue; /* already visible to every program */
				struct need *n = get(&R->obj, p);
				if (lv > n->level)
					n->level = lv;
				n->listed |= strcmp(acc, "list") == 0;
				add_why(n, R->seq, lv, why);
			}
		}
		jfree(&j);
	}
	jreader_free(&rd);
}

/* ---- from needs to rules ---- */

/* Where a name made, removed or moved at `p` needs write. */
static void place_name(const struct learn *L, const struct run *R, const struct need *nm, struct table *obj)
{
	const char *p = nm->path;
	char parent[PATH_MAX], top[PATH_MAX];
	parent_of(p, parent, sizeof parent);
	const struct need *pm = find(&R->made, parent);
	struct need *n;
	if (pm && pm->made && pm->is_dir && !pm->removed && !too_wide(L, parent, true)) {
		/* inside a folder tree the run made: its topmost folder */
		snprintf(top, sizeof top, "%s", parent);
		for (;;) {
			char up[PATH_MAX];
			parent_of(top, up, sizeof up);
			const struct need *um = find(&R->made, up);
			if (!um || !um->made || !um->is_dir || um->removed || too_wide(L, up, true) ||
			    strcmp(up, top) == 0)
				break;
			snprintf(top, sizeof top, "%s", up);
		}
		n = get(obj, top);
		n->folder = true;
		n->made = true;
	} else {
		const struct need *m = find(&R->made, p);
		bool kept_dir = m && m->made && m->is_dir && !m->removed && !m->generated &&
				!generated_name(base_name(p), strlen(base_name(p)));
		if (kept_dir || too_wide(L, parent, true)) {
			/* a folder the run made and kept; or a name where the folder is too wide */
			n = get(obj, p);
			if (m && m->is_dir) {
				n->folder = true;
				n->made = m->made;
			}
		} else {
			n = get(obj, parent);
		}
	}
	struct need copy = *nm;
	copy.folder = copy.made = copy.listed = false;
	absorb(n, &copy, WL_WRITE);
}

/* Is a name of p's made up (a generated name, or a folder made by mkdtemp)? The
 * length of the folder that stands for p, or 0 when p stands for itself. */
static size_t generalised_len(const struct learn *L, const struct run *R, const char *p)
{
	size_t pl = strlen(p);
	char buf[PATH_MAX];
	if (pl >= sizeof buf)
		return 0;
	for (size_t i = 1; i <= pl; i++) {
		if (i < pl && p[i] != '/')
			continue;
		/* p[0..i) is a path; its last name starts after the previous '/' */
		size_t st = i;
		while (st > 0 && p[st - 1] != '/')
			st--;
		if (st <= 1)
			continue;
		memcpy(buf, p, i);
		buf[i] = 0;
		const struct need *m = find(&R->made, buf);
		bool gen = generated_name(p + st, i - st) || (m && m->generated);
		if (!gen)
			continue;
		buf[st - 1] = 0; /* the folder holding the made-up name */
		if (!may_stand_for(L, buf))
			return 0;
		return st - 1;
	}
	return 0;
}

static int cmp_rule(const void *a, const void *b)
{
	const struct need *x = *(const struct need *const *)a, *y = *(const struct need *const *)b;
	if (x->level != y->level)
		return x->level - y->level;
	return strcmp(x->path, y->path);
}

static bool transient_name(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof transient_names / sizeof *transient_names; i++)
		if (strcmp(name, transient_names[i]) == 0)
			return true;
	return n > 9 && strcmp(name + n - 9, ".egg-info") == 0;
}

/* Shell-quotes an argument for the header comment (control characters as '?'). */
static void print_arg(FILE *of, const char *a)
{
	bool plain = *a != 0;
	for (const char *c = a; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%", *c))
			plain = false;
	fputc(' ', of);
	if (!plain)
		fputc('\'', of);
	for (const char *c = a; *c; c++) {
		unsigned char u = (unsigned char)*c;
		if (u < 0x20 || u == 0x7f)
			fputc('?', of);
		else if (u == '\'')
			fputs("'\\''", of);
		else
			fputc(u, of);
	}
	if (!plain)
		fputc('\'', of);
}

static void print_whys(FILE *of, const struct need *n, const char *lead)
{
	unsigned long shown = n->nshow;
	for (unsigned long i = 0; i < shown; i++)
		fprintf(of, "%s%s", i ? "; " : lead, n->why[i]);
	if (n->nwhy > shown)
		fprintf(of, "; and %lu more", n->nwhy - shown);
	if (shown)
		fputc('\n', of);
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
	struct wc_opts o;
	cli_opts(&o);
	char *rroot = realpath(root ? root : o.cwd, NULL);
	if (!rroot) {
		cli_err("cannot resolve the root: %s", strerror(errno));
		return 1;
	}
	char *rhome = o.home ? realpath(o.home, NULL) : NULL;
	if (o.home && !rhome)
		rhome = xstrdup(o.home);
	o.root = rroot;
	struct secrets S = {0};
	if (load_secrets(&S, &o) < 0)
		return 1;

	char logpath[] = "/tmp/ward-learn.XXXXXX";
	int lfd = mkstemp(logpath);
	if (lfd < 0) {
		cli_err("cannot make a temporary log: %s", strerror(errno));
		return 1;
	}
	close(lfd);
	char *learn_policy = hide_policy(&S, learn_head, &S.run_first_line);
	struct session ss = {
		.root = root, .log = logpath, .policy_text = learn_policy, .policy_label = "ward learn",
		.quiet = true, .cmd = argv + optind,
	};
	int status = cli_session(&ss);
	free(learn_policy);
	if (status == EXIT_CONFINE && ss.tmpdir[0] == 0) {
		unlink(logpath);
		return status;
	}
	o.tmpdir = ss.tmpdir;
	if (compile_secrets(&S, &o) < 0) {
		unlink(logpath);
		return 1;
	}
	o.tmpdir = NULL;
	struct learn L = {.root = rroot, .home = rhome, .tmpdir = ss.tmpdir, .cmd0 = argv[optind]};
	L.rl = strlen(rroot);
	L.hl = rhome ? strlen(rhome) : 0;
	FILE *f = fopen(logpath, "r");
	if (!f) {
		cli_err("cannot read the run's log: %s", strerror(errno));
		unlink(logpath);
		return 1;
	}
	struct run R = {.seq = 8}; /* 0..4: the command and its interpreters */
	read_log(&L, &S, f, &R);
	fclose(f);
	unlink(logpath);

	/* 1. names: write on their folder, or on the folder the run made */
	for (size_t i = 0; i < R.names.n; i++)
		place_name(&L, &R, &R.names.v[i], &R.obj);
	/* 2. the command and its interpreters */
	char *exe = find_command(argv[optind]);
	if (exe) {
		char w[WHYLEN];
		snprintf(w, sizeof w, "ward run: execve %s", base_name(exe));
		add_exec_chain(&L, &R.obj, exe, w, 0);
		free(exe);
	}
	/* 3. made-up names stand for their folder */
	struct table gen = {0};
	for (size_t i = 0; i < R.obj.n; i++) {
		struct need *n = &R.obj.v[i];
		if (n->level <= WL_NONE)
			continue;
		size_t gl = generalised_len(&L, &R, n->path);
		if (gl) {
			char buf[PATH_MAX];
			memcpy(buf, n->path, gl);
			buf[gl] = 0;
			struct need copy = *n;
			copy.folder = false;
			copy.listed = false;
			struct need *g = get(&gen, buf);
			const struct need *m = find(&R.made, buf);
			if (m && m->made && m->is_dir && !m->removed && n->level == WL_WRITE)
				g->folder = g->made = true;
			absorb(g, &copy, n->level);
		} else {
			struct need *g = get(&gen, n->path);
			absorb(g, n, n->level);
		}
	}
	/* 4. fold reads and views: system folders, then folders of three or more */
	struct table counts = {0}; /* per folder: how many read or view needs lie beneath */
	for (size_t i = 0; i < gen.n; i++) {
		struct need *n = &gen.v[i];
		if (n->level >= WL_WRITE || n->level <= WL_NONE)
			continue;
		char anc[PATH_MAX];
		snprintf(anc, sizeof anc, "%s", n->path);
		while (strcmp(anc, "/") != 0) {
			char up[PATH_MAX];
			parent_of(anc, up, sizeof up);
			snprintf(anc, sizeof anc, "%s", up);
			struct need *cn = get(&counts, anc);
			cn->nwhy++;
			if (n->level > cn->level)
				cn->level = n->level;
		}
	}
	struct table rules = {0};
	for (size_t i = 0; i < gen.n; i++) {
		struct need *n = &gen.v[i];
		if (n->level <= WL_NONE)
			continue;
		if (n->level >= WL_WRITE) {
			absorb(get(&rules, n->path), n, n->level);
			continue;
		}
		const char *sys = NULL;
		for (size_t s = 0; s < sizeof system_roots / sizeof *system_roots && !sys; s++)
			if (under(n->path, system_roots[s]))
				sys = system_roots[s];
		if (sys) {
			absorb(get(&rules, sys), n, WL_READ);
			continue;
		}
		/* the shallowest folder that may stand for three or more needs */
		char anc[PATH_MAX];
		const struct need *best = NULL;
		size_t pl = strlen(n->path);
		for (size_t cut = 1; cut < pl && !best; cut++) {
			if (n->path[cut] != '/')
				continue;
			memcpy(anc, n->path, cut);
			anc[cut] = 0;
			const struct need *cn = find(&counts, anc);
			if (cn && cn->nwhy >= 3 && may_stand_for(&L, anc))
				best = cn;
		}
		if (best)
			absorb(get(&rules, best->path), n, best->level);
		else
			absorb(get(&rules, n->path), n, n->level);
	}
	/* 5. HOME and above, ROOT's parents, /: never read or write; a view only when
	 * nothing beneath makes them visible already */
	struct table ancs = {0}, left = {0};
	for (size_t i = 0; i < rules.n; i++) {
		struct need *n = &rules.v[i];
		if (too_wide(&L, n->path, false) && n->level > WL_VIEW) {
			absorb(get(&left, n->path), n, n->level);
			n->level = WL_VIEW;
		}
	}
	for (size_t i = 0; i < rules.n; i++) {
		struct need *n = &rules.v[i];
		if (n->level <= WL_NONE)
			continue;
		char anc[PATH_MAX];
		snprintf(anc, sizeof anc, "%s", n->path);
		while (strcmp(anc, "/") != 0) {
			char up[PATH_MAX];
			parent_of(anc, up, sizeof up);
			snprintf(anc, sizeof anc, "%s", up);
			get(&ancs, anc)->level = WL_VIEW;
		}
	}
	for (size_t i = 0; i < rules.n; i++) {
		struct need *n = &rules.v[i];
		if (n->level == WL_VIEW && find(&ancs, n->path) && (!n->listed || too_wide(&L, n->path, false)))
			n->level = WL_NONE; /* on the way to another rule: visible already */
	}
	/* 6. a rule beneath a rule of the same or a higher level says nothing more */
	size_t nkept = 0;
	for (size_t i = 0; i < rules.n; i++) {
		struct need *n = &rules.v[i];
		if (n->level <= WL_NONE)
			continue;
		char anc[PATH_MAX];
		snprintf(anc, sizeof anc, "%s", n->path);
		while (strcmp(anc, "/") != 0) {
			char up[PATH_MAX];
			parent_of(anc, up, sizeof up);
			snprintf(anc, sizeof anc, "%s", up);
			const struct need *a = find(&rules, anc);
			if (a && a->level >= n->level) {
				n->level = WL_NONE;
				break;
			}
		}
		if (n->level > WL_NONE)
			nkept++;
	}
	struct need **sorted = xrealloc(NULL, (nkept + 1) * sizeof *sorted);
	size_t ns = 0;
	for (size_t i = 0; i < rules.n; i++)
		if (rules.v[i].level > WL_NONE)
			sorted[ns++] = &rules.v[i];
	if (ns)
		qsort(sorted, ns, sizeof *sorted, cmp_rule);

	/* the policy, written to memory, compiled, then to its file */
	char *text = NULL;
	size_t tlen = 0;
	FILE *of = open_memstream(&text, &tlen);
	if (!of) {
		cli_err("out of memory");
		return 1;
	}
	time_t now = time(NULL);
	char date[64];
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(of, "# Learnt by ward learn on %s from:\n#  ", date);
	for (int i = optind; i < argc; i++)
		print_arg(of, argv[i]);
	fprintf(of, "\n# (exit status %d). Check it, then: ward run -p THIS-FILE -- COMMAND\n#\n", status);
	if (status != 0)
		fprintf(stderr, "ward: note: the command exited with status %d; the policy covers what that run did\n",
			status);
	fprintf(of, "# Each rule says which operations of the run first needed it. A rule covered by\n"
		    "# a rule of one of its folders is left out; a folder of made-up names (object\n"
		    "# stores, numbered entries) stands for its parent; a folder that holds three or\n"
		    "# more of the paths read stands for them. Folders on the way to a rule can be\n"
		    "# seen (not listed beyond it) without a rule of their own.\n");
	if (R.cut)
		fprintf(of, "# %lu operation%s had paths too long for the audit log; they are not covered.\n", R.cut,
			R.cut == 1 ? "" : "s");
	for (size_t i = 0; i < left.n; i++) {
		char shown[PATH_MAX];
		show(&L, left.v[i].path, shown, sizeof shown);
		fprintf(of, "# Not granted: %s on %s itself (a rule would give all beneath it), needed by:\n",
			wp_level_name(left.v[i].level), shown);
		print_whys(of, &left.v[i], "#   ");
	}
	fprintf(of, "version = 1;\ndefault = \"none\";\n");
	if (root) {
		char esc[PATH_MAX * 2];
		conf_escape(rroot, esc, sizeof esc);
		fprintf(of, "root = \"%s\";\n", esc);
	}
	fprintf(of, "# the secrets of the preset %s, kept whatever the run did\nhide = (", HIDE_PRESET);
	for (size_t s = 0; s < S.n; s++) {
		char esc[PATH_MAX * 2];
		conf_escape(S.pat[s], esc, sizeof esc);
		fprintf(of, "%s\n  \"%s\"", s ? "," : "", esc);
	}
	fprintf(of, "\n);\n");
	size_t nsec = 0;
	for (size_t s = 0; s < S.n; s++)
		nsec += S.uses[s] != 0;
	if (nsec) {
		fprintf(of, "# The run used %s that stay%s hidden: ward learn never widens the hide\n"
			    "# list. To let the command use %s, a person uncomments the unhide line and\n"
			    "# the matching rule at the end of the rules.\n",
			nsec == 1 ? "a secret" : "secrets", nsec == 1 ? "s" : "", nsec == 1 ? "it" : "them");
		for (size_t s = 0; s < S.n; s++)
			if (S.uses[s])
				fprintf(of, "#   \"%s\": %s%s\n", S.pat[s], S.first[s],
					S.uses[s] > 1 ? " (and more)" : "");
		fprintf(of, "# unhide = (");
		bool first = true;
		for (size_t s = 0; s < S.n; s++)
			if (S.uses[s]) {
				char esc[PATH_MAX * 2];
				conf_escape(S.pat[s], esc, sizeof esc);
				fprintf(of, "%s \"%s\"", first ? "" : ",", esc);
				first = false;
			}
		fprintf(of, " );\n");
	}
	fprintf(of, "rules = (\n");
	for (size_t i = 0; i < ns; i++) {
		struct need *n = sorted[i];
		char pat[PATH_MAX * 2];
		pattern_for(&L, n->path, n->folder, pat, sizeof pat);
		print_whys(of, n, "  # for: ");
		if (n->made && n->folder && n->level == WL_WRITE && transient_name(base_name(n->path)))
			fprintf(of, "  # made by this run, and looks transient: consider ttl = \"1h\"; (files older are purged)\n");
		fprintf(of, "  { path = \"%s\"; level = \"%s\";", pat, wp_level_name(n->level));
		char norm[PATH_MAX];
		const char *msg;
		if (wp_norm_pattern(n->path, norm, sizeof norm, &msg) > 0 && wp_names_closed(norm, strlen(norm)) &&
		    !(wp_root_is_exempt(rroot, strlen(rroot)) && under(n->path, rroot)))
			fprintf(of, " justification = \"learnt by ward learn: the run used it\";");
		fprintf(of, " }%s\n", i + 1 < ns ? "," : "");
	}
	for (size_t s = 0; s < S.n; s++)
		if (S.uses[s] && S.rule[s][0])
			fprintf(of, "  # with the unhide line above, for \"%s\":\n  # %s\n", S.pat[s], S.rule[s]);
	fprintf(of, ");\n");
	fclose(of);

	int rc = 0;
	char err[2048];
	size_t bsize;
	struct wc_opts co = o;
	co.root = root ? rroot : NULL;
	void *check = wc_compile_text(&cli_libconfig, out ? out : "the learnt policy", text, &co, &bsize, err,
				      sizeof err);
	if (!check) {
		cli_err("the learnt policy is not valid (a bug of ward learn): %s", err);
		rc = 1;
	} else {
		free(check);
		FILE *w = out ? fopen(out, "w") : stdout;
		if (!w || fwrite(text, 1, tlen, w) != tlen || (out && fclose(w) != 0)) {
			cli_err("cannot write %s: %s", out ? out : "the policy", strerror(errno));
			rc = 1;
		}
		if (!out)
			fflush(stdout);
	}
	/* the warnings, after the policy (a person reads them last) */
	for (size_t s = 0; s < S.n; s++)
		if (S.uses[s])
			fprintf(stderr,
				"ward: warning: the run used a secret (%s), hidden by \"%s\"; the learnt policy keeps it hidden: see the unhide line left commented out%s%s\n",
				S.first[s], S.pat[s], out ? " in " : "", out ? out : "");
	free(text);
	free(sorted);
	table_free(&rules);
	table_free(&ancs);
	table_free(&left);
	table_free(&counts);
	table_free(&gen);
	table_free(&R.obj);
	table_free(&R.names);
	table_free(&R.made);
	table_free(&R.progs);
	secrets_free(&S);
	free(rroot);
	free(rhome);
	return rc;
}
