/* backstop.c: the kernel floor under the library, for `ward run`.
 *
 * The library sees libc calls only. A static program, raw system call instructions
 * or io_uring go around it. So `ward run` gives the command, just before exec, a
 * Landlock ruleset made from the same policy and a seccomp filter (io_uring_setup
 * fails with ENOSYS; ioctl TIOCSTI and TIOCLINUX, which type into a terminal, fail
 * with EPERM), and Landlock's scopes keep signals (and, unless the policy allows
 * them, abstract Unix sockets) inside the session.
 *
 * The plan has three steps, all made before the policy event is written:
 *
 * - Areas: the folders (or files) the policy grants, one per rule: a rule's names
 *   before its first wildcard. A write rule narrower than its folder (~/.tool.json*,
 *   out/ *.txt) is not granted on its folder: only the objects it names that exist
 *   now are (never widen); a folder write area that does not exist is made for the
 *   session; one reached through a link is not granted.
 * - Withheld objects: what the policy hides and that exists now, found by a bounded
 *   walk (literal hide and none patterns, ROOT and HOME for the patterns that hold
 *   anywhere, the entries of /tmp, /var/tmp and /dev/shm that the closure leaves
 *   none), and the raw devices under /dev (block devices, character devices other
 *   than null, zero, full, random, urandom, tty, ptmx and the ptys).
 * - Rules: Landlock only adds rights, so an area that holds a withheld object is
 *   granted around it: its folder keeps the rights that do not open files (listing,
 *   making and removing names), and the rights that open files go to each entry
 *   along the way but the one that leads to the object ("grant the siblings"). A
 *   read area is granted around every withheld object; a write area only around raw
 *   devices: a hidden object inside a write area stays the library's job, and is
 *   counted so in the policy event.
 *
 * Listing stays granted from / down (names only: the library filters the listings it
 * sees), so ls, find and os.walk of a folder whose entries are granted one by one
 * work as under the library alone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli/ward.h"
#include "common/decide.h"
#include "common/hash.h"
#include "common/jsonl.h"
#include "common/path.h"
#include "common/policy.h"

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif
#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

/* The rights that open an existing file (they are what a hidden file must not get). */
#define FS_FILE_RIGHTS                                                                             \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |   \
	 LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)
#define FS_READ (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_VIEW LANDLOCK_ACCESS_FS_READ_DIR
#define FS_WRITE                                                                                   \
	(FS_READ | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |                     \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | \
	 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |   \
	 LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER |      \
	 LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* How far the search for hidden objects goes (entries looked at). */
#define WALK_HOME 10000
#define WALK_ROOT 10000
#define WALK_CLOSED 4000
#define WALK_ANCHORS 4000
#define WALK_DEV 4000
#define WALK_MATCHES 2000 /* per narrow write rule */
#define MAX_RULES 20000   /* Landlock rules in all */
#define WIDE_FOLDER 1000  /* entries of a folder granted one by one, at most */

/* The rights the kernel knows at each ABI. */
static uint64_t handled_for(int abi)
{
	uint64_t h = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1 */
	if (abi >= 2)
		h |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		h |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		h |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return h;
}

int bs_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v < 0 ? 0 : (int)v;
}

/* ---- a set of strings (paths), open addressing ---- */

struct sset {
	char **k;
	size_t cap, n;
};

static uint64_t shash(const char *s, size_t n)
{
	return XXH3_64bits(s, n);
}

static bool sset_has(const struct sset *s, const char *p, size_t n)
{
	if (!s->cap)
		return false;
	size_t i = shash(p, n) & (s->cap - 1);
	while (s->k[i]) {
		if (strlen(s->k[i]) == n && memcmp(s->k[i], p, n) == 0)
			return true;
		i = (i + 1) & (s->cap - 1);
	}
	return false;
}

/* Adds a copy of p[0..n); 1 when added, 0 when there already, -1 out of memory. */
static int sset_add(struct sset *s, const char *p, size_t n)
{
	if (sset_has(s, p, n))
		return 0;
	if ((s->n + 1) * 2 > s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 256;
		char **nk = calloc(nc, sizeof *nk);
		if (!nk)
			return -1;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->k[i])
				continue;
			size_t j = shash(s->k[i], strlen(s->k[i])) & (nc - 1);
			while (nk[j])
				j = (j + 1) & (nc - 1);
			nk[j] = s->k[i];
		}
		free(s->k);
		s->k = nk;
		s->cap = nc;
	}
	char *c = strndup(p, n);
	if (!c)
		return -1;
	size_t i = shash(p, n) & (s->cap - 1);
	while (s->k[i])
		i = (i + 1) & (s->cap - 1);
	s->k[i] = c;
	s->n++;
	return 1;
}

static void sset_free(struct sset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->k[i]);
	free(s->k);
	memset(s, 0, sizeof *s);
}

/* Is p or one of its parent folders in the set? */
static bool sset_has_above(const struct sset *s, const char *p)
{
	size_t n = strlen(p);
	for (;;) {
		if (sset_has(s, p, n))
			return true;
		if (n <= 1)
			return false;
		n = wn_parent_len(p, n);
	}
}

/* Adds the proper parents of p ("/" included). */
static int sset_add_parents(struct sset *s, const char *p)
{
	size_t n = strlen(p);
	while (n > 1) {
		n = wn_parent_len(p, n);
		int r = sset_add(s, p, n);
		if (r < 0)
			return -1;
		if (r == 0)
			break; /* its parents are there too */
	}
	return 0;
}

/* ---- the plan's lists ---- */

static void *grow_array(void *v, size_t *cap, size_t n, size_t each)
{
	if (n < *cap)
		return v;
	size_t nc = *cap ? *cap * 2 : 64;
	void *nv = realloc(v, nc * each);
	if (!nv)
		return NULL;
	*cap = nc;
	return nv;
}

static char *join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	if (dl + 1 + nl >= PATH_MAX)
		return NULL;
	char *s = malloc(dl + nl + 2);
	if (!s)
		return NULL;
	memcpy(s, dir, dl);
	size_t o = dl;
	if (dl > 1)
		s[o++] = '/';
	memcpy(s + o, name, nl + 1);
	return s;
}

/* Opens a real path without following any link on its way. */
static int open_real(const char *path, int flags)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_NO_SYMLINKS};
	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
}

/* The character devices a program may use (DESIGN §6): null, zero, full, random,
 * urandom, tty, ptmx and the ptys. Every other device is raw, and never granted. */
static bool usable_chr(dev_t d)
{
	unsigned ma = major(d), mi = minor(d);
	if (ma == 1)
		return mi == 3 || mi == 5 || mi == 7 || mi == 8 || mi == 9;
	if (ma == 5)
		return mi == 0 || mi == 2;
	return ma >= 136 && ma <= 143; /* Unix98 pty slaves */
}

static bool raw_device(const struct stat *st)
{
	return S_ISBLK(st->st_mode) || (S_ISCHR(st->st_mode) && !usable_chr(st->st_rdev));
}

/* The folder (or file) of a rule: its names before the first wildcard. */
static int anchor_path(const struct wp_hdr *h, const struct wp_rule *r, char *out, size_t size)
{
	const struct wg_comp *c = wp_rule_comps(h, r);
	const char *base = (const char *)h;
	size_t n = 0;
	out[0] = '/';
	out[1] = 0;
	for (uint32_t i = 0; i < r->anchor && i < r->ncomps; i++) {
		if (c[i].kind != WG_LIT)
			break;
		if (n + 1 + c[i].len >= size)
			return -1;
		out[n++] = '/';
		memcpy(out + n, base + c[i].off, c[i].len);
		n += c[i].len;
		out[n] = 0;
	}
	if (n == 0)
		n = 1;
	return (int)n;
}

/* /proc/self and /proc/thread-self name the process that looks: they are kept as
 * written, and opened by the command itself (following the link). */
static bool self_link(const char *path)
{
	static const char *const l[] = {"/proc/self", "/proc/thread-self"};
	for (int i = 0; i < 2; i++) {
		size_t n = strlen(l[i]);
		if (!strncmp(path, l[i], n) && (path[n] == 0 || path[n] == '/'))
			return true;
	}
	return false;
}

static int add_area(struct bs_plan *p, const char *path, int level, uint32_t rule)
{
	char *real = self_link(path) ? strdup(path) : realpath(path, NULL);
	if (!real) {
		p->absent++;
		return 0;
	}
	for (size_t i = 0; i < p->na; i++)
		if (p->a[i].level == level && strcmp(p->a[i].path, real) == 0) {
			free(real);
			return 0;
		}
	struct stat st;
	if (stat(real, &st) < 0) {
		free(real);
		p->absent++;
		return 0;
	}
	struct bs_area *na = grow_array(p->a, &p->ca, p->na, sizeof *p->a);
	if (!na) {
		free(real);
		return -1;
	}
	p->a = na;
	p->a[p->na++] = (struct bs_area){.path = real, .level = level, .is_dir = S_ISDIR(st.st_mode), .rule = rule};
	return 0;
}

static void add_note(struct bs_plan *p, const struct wp_hdr *h, uint32_t rule, int why, const char *path,
		     long granted)
{
	struct bs_note *nn = grow_array(p->notes, &p->cn, p->nn, sizeof *p->notes);
	if (!nn)
		return;
	p->notes = nn;
	uint32_t ll;
	const char *label = wd_rule_label(h, rule, &ll);
	p->notes[p->nn++] = (struct bs_note){.rule = rule, .why = why, .granted = granted, .path = strdup(path),
					     .label = strndup(label, ll)};
}

enum { AREA_OK, AREA_MADE, AREA_ABSENT, AREA_LINK };

/* Is the area there, reached without a link? A missing folder area is made, one name
 * at a time, never through a link. */
static int ensure_area(const char *path, bool folder)
{
	int fd = open_real(path, O_PATH);
	if (fd >= 0) {
		close(fd);
		return AREA_OK;
	}
	if (errno == ELOOP)
		return AREA_LINK;
	if (errno != ENOENT || !folder)
		return AREA_ABSENT;
	int dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return AREA_ABSENT;
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	int made = 0;
	char *save = NULL;
	for (char *name = strtok_r(buf, "/", &save); name; name = strtok_r(NULL, "/", &save)) {
		int nfd = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT) {
			if (mkdirat(dfd, name, 0777) < 0 && errno != EEXIST)
				break;
			made = 1;
			nfd = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		close(dfd);
		dfd = nfd;
		if (dfd < 0)
			return errno == ELOOP || errno == ENOTDIR ? AREA_LINK : AREA_ABSENT;
	}
	if (dfd >= 0)
		close(dfd);
	return made ? AREA_MADE : AREA_OK;
}

/* Does the rest of a write rule after its folder name every path beneath the folder
 * ("**", "*", "* / **", "** / *"), so that granting the folder grants nothing more
 * than the rule? */
static bool whole_folder(const struct wp_hdr *h, const struct wp_rule *r)
{
	const struct wg_comp *c = wp_rule_comps(h, r);
	int names = 0;
	for (uint32_t i = r->anchor; i < r->ncomps; i++) {
		if (c[i].kind == WG_STARSTAR)
			continue;
		if ((c[i].kind == WG_PREFIX || c[i].kind == WG_SUFFIX) && c[i].len == 0) {
			names++;
			continue;
		}
		return false;
	}
	/* "F/ *" with a trailing "/" names F's folders only, not the files beside them */
	return names == 0 || (names == 1 && !r->dironly);
}

/* ---- bounded breadth-first walks ---- */

struct queue {
	char **v;
	size_t n, cap, head;
};

static int q_push(struct queue *q, char *path)
{
	char **nv = grow_array(q->v, &q->cap, q->n, sizeof *q->v);
	if (!nv) {
		free(path);
		return -1;
	}
	q->v = nv;
	q->v[q->n++] = path;
	return 0;
}

static void q_free(struct queue *q)
{
	for (size_t i = q->head; i < q->n; i++)
		free(q->v[i]);
	free(q->v);
	memset(q, 0, sizeof *q);
}

/* An entry met by a walk. */
struct entry {
	const char *dir, *name, *path;
	size_t dl, nl, pl;
	int is_dir;
	const struct stat *st; /* only when the walk asked for it */
};

/* Walks `top` breadth first without following links, at most `budget` entries;
 * visit() returns 1 to descend into a folder entry, 0 not to, -1 to stop. Returns the
 * entries left of the budget (negative: cut short). */
static long walk(const char *top, long budget, bool want_stat, int (*visit)(void *, const struct entry *),
		 void *arg)
{
	struct queue q = {0};
	char *t = strdup(top);
	if (!t || q_push(&q, t) < 0)
		return budget;
	while (q.head < q.n && budget >= 0) {
		char *dir = q.v[q.head++];
		int fd = open_real(dir, O_RDONLY | O_DIRECTORY);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		if (!d) {
			if (fd >= 0)
				close(fd);
			free(dir);
			continue;
		}
		size_t dl = strlen(dir);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
				continue;
			if (--budget < 0)
				break;
			struct stat st;
			int type = e->d_type;
			if (want_stat || type == DT_UNKNOWN) {
				if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
					continue;
				type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
			}
			if (type == DT_LNK)
				continue; /* a link is judged where it leads, and is never granted */
			char *path = join(dir, e->d_name);
			if (!path)
				continue;
			struct entry en = {.dir = dir, .dl = dl, .name = e->d_name, .nl = strlen(e->d_name),
					   .path = path, .pl = strlen(path), .is_dir = type == DT_DIR,
					   .st = want_stat ? &st : NULL};
			int r = visit(arg, &en);
			if (r < 0) {
				free(path);
				budget = -1;
				break;
			}
			if (r > 0 && en.is_dir)
				q_push(&q, path);
			else
				free(path);
		}
		closedir(d);
		free(dir);
	}
	q_free(&q);
	return budget;
}

/* ---- the objects the policy hides ---- */

struct finder {
	const struct wp_hdr *h;
	struct bs_plan *p;
	struct sset seen;
	/* the rules that could grant read beneath a none object */
	uint32_t *cand;
	char **cand_anchor;
	size_t ncand;
	const char *root, *tmpdir;
	size_t rl, tl;
	bool root_exempt;
	const struct wg_comp *pat; /* walk_match: the rule */
	const struct wp_rule *rule;
	uint32_t rule_i;
	long matched;
	int mode;         /* W_FULL, W_CLOSED */
	const char *skip; /* a folder walked whole already (HOME, when ROOT holds it) */
	const char *whole[2]; /* HOME and ROOT when their walks were not cut short */
};
enum { W_FULL, W_CLOSED };

static int decide_entry(const struct wp_hdr *h, const struct entry *e, struct wd_out *d)
{
	if (wd_decide_kid(h, e->dir, e->dl, e->name, e->nl, e->is_dir, d) == 0)
		return 0;
	return wd_decide_str(h, e->path, e->pl, e->is_dir, d);
}

/* The kind of a `none` answer: hidden (a hide pattern or a none rule), closed (the
 * /tmp closure), or 0 (the default: not an object the policy hides by name). */
static int none_kind(const struct wd_out *d)
{
	if (d->level != WL_NONE)
		return 0;
	if (d->hidden || d->rule != WP_NONE32)
		return BS_HIDDEN;
	return d->closed ? BS_CLOSED : 0;
}

/* Is everything beneath the none object `path` none as well (so that it can be
 * withheld whole)? Not when a later rule may grant read beneath it, nor, in a closed
 * area, when an exempt tree or a rule naming the area lies beneath. */
static bool wholesale(struct finder *f, const char *path, size_t len, const struct wd_out *d, int kind)
{
	if (d->hidden)
		return true; /* a hide pattern wins over everything beneath */
	const struct wp_rule *R = wp_rules(f->h);
	uint32_t after = kind == BS_HIDDEN ? R[d->rule].order : 0;
	if (kind == BS_CLOSED) {
		if (f->root_exempt && f->rl > len && wn_is_under(f->root, f->rl, path, len))
			return false;
		if (f->tl > len && wn_is_under(f->tmpdir, f->tl, path, len))
			return false;
	}
	struct wg_path wp;
	bool split = false;
	for (size_t i = 0; i < f->ncand; i++) {
		const struct wp_rule *r = &R[f->cand[i]];
		if (kind == BS_HIDDEN && r->order <= after)
			continue;
		if (kind == BS_CLOSED && !r->closed)
			continue;
		const char *a = f->cand_anchor[i];
		size_t al = strlen(a);
		if (!wn_is_under(a, al, path, len) && !wn_is_under(path, len, a, al))
			continue;
		if (!split) {
			if (wg_split(&wp, path, len) < 0)
				return false;
			split = true;
		}
		if (wg_can_match_beneath((const char *)f->h, wp_rule_comps(f->h, r), r->ncomps, &wp, wp.n))
			return false;
	}
	return true;
}

static int add_obj(struct bs_plan *p, struct sset *seen, const char *path, int kind, bool is_dir)
{
	int r = sset_add(seen, path, strlen(path));
	if (r <= 0)
		return r;
	struct bs_obj *nx = grow_array(p->x, &p->cx, p->nx, sizeof *p->x);
	if (!nx)
		return -1;
	p->x = nx;
	p->x[p->nx] = (struct bs_obj){.path = strdup(path), .kind = (uint8_t)kind, .is_dir = is_dir};
	if (!p->x[p->nx].path)
		return -1;
	p->nx++;
	return 1;
}

static bool pseudo_fs(const char *path)
{
	return !strcmp(path, "/proc") || !strcmp(path, "/sys") || !strcmp(path, "/dev");
}

/* A walk for hidden objects: W_FULL descends everywhere (ROOT, HOME), W_CLOSED only
 * into the folders of a closed area that lead somewhere (ROOT, a named rule). */
static int visit_hidden(void *arg, const struct entry *e)
{
	struct finder *f = arg;
	struct wd_out d;
	if (decide_entry(f->h, e, &d) < 0)
		return 0;
	int kind = none_kind(&d);
	if (kind) {
		if (wholesale(f, e->path, e->pl, &d, kind)) {
			if (add_obj(f->p, &f->seen, e->path, kind, e->is_dir) < 0)
				return -1;
			return 0;
		}
		return 1;
	}
	if (f->mode == W_FULL)
		return pseudo_fs(e->path) || (f->skip && !strcmp(e->path, f->skip)) ? 0 : 1;
	/* in a closed area: the folders on the way to a granted area are view */
	return d.closed && d.rule == WP_NONE32 && d.level == WL_VIEW;
}

static int visit_dev(void *arg, const struct entry *e)
{
	struct finder *f = arg;
	if (!e->st)
		return 0;
	if (raw_device(e->st))
		return add_obj(f->p, &f->seen, e->path, BS_DEVICE, false) < 0 ? -1 : 0;
	/* /dev/shm is closed, and walked as such */
	return S_ISDIR(e->st->st_mode) && strcmp(e->path, "/dev/shm") != 0;
}

static void walk_for_hidden(struct finder *f, const char *top, int mode, long budget)
{
	f->mode = mode;
	long left = walk(top, budget, false, visit_hidden, f);
	f->p->walked += budget - (left < 0 ? 0 : left);
	if (left < 0)
		f->p->walk_cut = true;
}

/* The literal hide and none patterns (/etc/shadow, @state, the log...) that exist. */
static void find_literals(struct finder *f)
{
	const struct wp_hdr *h = f->h;
	const struct wp_rule *R = wp_rules(h);
	char path[PATH_MAX];
	for (uint32_t i = 0; i < h->nrules; i++) {
		const struct wp_rule *r = &R[i];
		if (!(r->kind == WK_HIDE || (r->kind == WK_RULE && r->level == WL_NONE)))
			continue;
		if (r->anchor < r->ncomps || anchor_path(h, r, path, sizeof path) < 0)
			continue;
		int fd = open_real(path, O_PATH);
		if (fd < 0)
			continue; /* absent, or reached through a link: the real object is elsewhere */
		struct stat st;
		int rc = fstat(fd, &st);
		close(fd);
		if (rc < 0 || (r->dironly && !S_ISDIR(st.st_mode)))
			continue;
		struct wd_out d;
		if (wd_decide_str(h, path, strlen(path), S_ISDIR(st.st_mode), &d) < 0)
			continue;
		int kind = none_kind(&d);
		if (kind && wholesale(f, path, strlen(path), &d, kind))
			add_obj(f->p, &f->seen, path, kind, S_ISDIR(st.st_mode));
	}
}

/* The folders of hide and none patterns that hold wildcards after a fixed folder
 * (/srv/keys/ *.pem): walked when they are not "anywhere" patterns. */
static void walk_anchors(struct finder *f)
{
	const struct wp_hdr *h = f->h;
	const struct wp_rule *R = wp_rules(h);
	char path[PATH_MAX];
	long budget = WALK_ANCHORS;
	struct sset done = {0};
	for (uint32_t i = 0; i < h->nrules && budget > 0; i++) {
		const struct wp_rule *r = &R[i];
		if (!(r->kind == WK_HIDE || (r->kind == WK_RULE && r->level == WL_NONE)))
			continue;
		if (r->anchor == 0 || r->anchor >= r->ncomps || anchor_path(h, r, path, sizeof path) < 0)
			continue;
		if (sset_add(&done, path, strlen(path)) <= 0)
			continue;
		bool seen = false; /* beneath HOME or ROOT, walked whole */
		for (int w = 0; w < 2; w++)
			seen |= f->whole[w] && wn_is_under(path, strlen(path), f->whole[w], strlen(f->whole[w]));
		if (seen)
			continue;
		f->mode = W_FULL;
		long left = walk(path, budget, false, visit_hidden, f);
		f->p->walked += budget - (left < 0 ? 0 : left);
		if (left < 0)
			f->p->walk_cut = true;
		budget = left;
	}
	sset_free(&done);
}

/* ---- write rules narrower than their folder ---- */

static int visit_match(void *arg, const struct entry *e)
{
	struct finder *f = arg;
	const struct wp_rule *r = f->rule;
	struct wg_path wp;
	if (wg_split(&wp, e->path, e->pl) < 0)
		return 0;
	enum wg_result m = wg_match((const char *)f->h, f->pat, r->ncomps, r->dironly, &wp);
	if (m == WG_YES || (m == WG_IFDIR && e->is_dir)) {
		struct wd_out d;
		if (wd_decide_str(f->h, e->path, e->pl, e->is_dir, &d) == 0 && d.level == WL_WRITE) {
			if (e->st && raw_device(e->st))
				return 0;
			if (add_area(f->p, e->path, WL_WRITE, f->rule_i) < 0)
				return -1;
			f->matched++;
		}
		return 0;
	}
	return e->is_dir && wg_can_match_beneath((const char *)f->h, f->pat, r->ncomps, &wp, wp.n);
}

/* ---- the rules ---- */

/* Records a rule, and adds it to the ruleset when there is one: `fd` is an O_PATH
 * descriptor of the object (-1: opened here by its real path; the process's own
 * /proc/self is left to the command, which adds it in bs_apply). `force`: past
 * MAX_RULES (an area granted whole). Returns 0, or -1 when the rule budget is spent
 * or on an error (p->error). */
static int emit_fd(struct bs_plan *p, int fd, const char *path, uint64_t rights, bool is_dir, bool force)
{
	if (!rights)
		return 0;
	if (p->ng >= MAX_RULES && !force)
		return -1;
	struct bs_grant *ng = grow_array(p->g, &p->cg, p->ng, sizeof *p->g);
	char *c = ng ? strdup(path) : NULL;
	if (!c) {
		p->error = ENOMEM;
		return -1;
	}
	p->g = ng;
	bool deferred = self_link(path);
	p->g[p->ng++] = (struct bs_grant){.path = c, .rights = rights, .is_dir = is_dir, .deferred = deferred};
	if (p->rs < 0 || deferred)
		return 0;
	uint64_t want = rights & p->handled;
	if (!is_dir)
		want &= FS_FILE_RIGHTS;
	if (!want)
		return 0;
	int own = fd < 0 ? open_real(path, O_PATH) : fd;
	if (own < 0)
		return 0; /* gone since the walk, or a link now: nothing granted there */
	struct landlock_path_beneath_attr pb = {.allowed_access = want, .parent_fd = own};
	long r = syscall(SYS_landlock_add_rule, p->rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	if (r < 0 && errno == EINVAL && (want & ~FS_FILE_RIGHTS)) {
		/* a folder replaced by a file since the walk */
		pb.allowed_access = want & FS_FILE_RIGHTS;
		r = pb.allowed_access ? syscall(SYS_landlock_add_rule, p->rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) : 0;
	}
	int e = errno;
	if (fd < 0)
		close(own);
	if (r < 0) {
		p->error = e;
		return -1;
	}
	return 0;
}

static int emit(struct bs_plan *p, const char *path, uint64_t rights, bool is_dir, bool force)
{
	return emit_fd(p, -1, path, rights, is_dir, force);
}

/* Grants `push` (rights that open files) to every entry of `dir` but the withheld
 * ones, going down into the folders that lead to one. A folder of more than
 * WIDE_FOLDER entries is granted whole instead (what it holds stays the library's):
 * thousands of rules would cost more at each start than the objects are worth
 * (test fixtures named *.pem in a language's library, a crowded /tmp). */
static int expand(struct bs_plan *p, const char *dir, uint64_t push, const struct sset *leaf,
		  const struct sset *inner, int depth)
{
	if (depth > WG_MAX_DEPTH)
		return -1;
	int fd = open_real(dir, O_RDONLY | O_DIRECTORY);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0; /* gone since the walk: nothing to grant there */
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	bool wide = false;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		if (e->d_type == DT_LNK || e->d_type == DT_BLK)
			continue; /* a link is granted where it leads; block devices never */
		if (n >= WIDE_FOLDER) {
			wide = true;
			break;
		}
		char **nn = grow_array(names, &cap, n, sizeof *names);
		char *c = nn ? strdup(e->d_name) : NULL;
		if (!c) {
			if (nn)
				names = nn;
			p->error = ENOMEM;
			break;
		}
		names = nn;
		names[n++] = c;
	}
	int rc = p->error ? -1 : 0;
	if (wide && !rc) {
		p->wide++;
		rc = emit_fd(p, dirfd(d), dir, push, true, true);
	}
	for (size_t k = 0; k < n; k++) {
		if (rc || wide) {
			free(names[k]);
			continue;
		}
		char *path = join(dir, names[k]);
		size_t pl = path ? strlen(path) : 0;
		if (!path || sset_has(leaf, path, pl)) {
			free(path);
			free(names[k]);
			continue;
		}
		/* the entry itself, never through a link (it may have changed since the
		 * listing); its type from there */
		int efd = openat(dirfd(d), names[k], O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (efd >= 0 && fstat(efd, &st) == 0 && !S_ISLNK(st.st_mode) && !raw_device(&st)) {
			bool is_dir = S_ISDIR(st.st_mode);
			if (is_dir && sset_has(inner, path, pl))
				rc = expand(p, path, push, leaf, inner, depth + 1);
			else
				rc = emit_fd(p, efd, path, is_dir ? push : push & FS_FILE_RIGHTS, is_dir, false);
		}
		if (efd >= 0)
			close(efd);
		free(path);
		free(names[k]);
	}
	free(names);
	closedir(d);
	return rc;
}

static uint64_t rights_of(int level)
{
	return level == WL_WRITE ? FS_WRITE : level == WL_READ ? FS_READ : FS_VIEW;
}

/* Drops the objects that lie beneath another one (the log inside the hidden state
 * folder): the outer one is withheld whole. */
static void drop_nested(struct bs_plan *p)
{
	struct sset all = {0};
	for (size_t i = 0; i < p->nx; i++)
		sset_add(&all, p->x[i].path, strlen(p->x[i].path));
	size_t k = 0;
	for (size_t i = 0; i < p->nx; i++) {
		const char *x = p->x[i].path;
		size_t n = strlen(x);
		bool nested = false;
		while (n > 1 && !nested) {
			n = wn_parent_len(x, n);
			nested = sset_has(&all, x, n);
		}
		if (nested)
			free(p->x[i].path);
		else
			p->x[k++] = p->x[i];
	}
	p->nx = k;
	sset_free(&all);
}

static void make_rules(struct bs_plan *p, const struct wp_hdr *h)
{
	drop_nested(p);
	/* what write areas cover is the library's to hide; raw devices are never granted */
	struct sset wr = {0}, leaf_r = {0}, inner_r = {0}, leaf_w = {0}, inner_w = {0};
	for (size_t i = 0; i < p->na; i++)
		if (p->a[i].level == WL_WRITE)
			sset_add(&wr, p->a[i].path, strlen(p->a[i].path));
	for (size_t i = 0; i < p->nx; i++) {
		const char *x = p->x[i].path;
		if (p->x[i].kind == BS_DEVICE) {
			sset_add(&leaf_w, x, strlen(x));
			sset_add_parents(&inner_w, x);
		}
		if (p->x[i].kind == BS_DEVICE || !sset_has_above(&wr, x)) {
			sset_add(&leaf_r, x, strlen(x));
			sset_add_parents(&inner_r, x);
		}
	}
	for (size_t i = 0; i < p->na; i++) {
		const struct bs_area *a = &p->a[i];
		uint64_t want = rights_of(a->level);
		size_t al = strlen(a->path);
		const struct sset *leaf = a->level == WL_WRITE ? &leaf_w : &leaf_r;
		const struct sset *inner = a->level == WL_WRITE ? &inner_w : &inner_r;
		struct wd_out d;
		bool hidden = a->level >= WL_READ && wd_decide_str(h, a->path, al, a->is_dir, &d) == 0 && d.hidden;
		if (!a->is_dir) {
			struct stat st;
			if (stat(a->path, &st) < 0 || raw_device(&st))
				continue;
			if (!hidden && !sset_has(leaf, a->path, al))
				emit(p, a->path, want & FS_FILE_RIGHTS, false, true);
			continue;
		}
		uint64_t push = want & FS_FILE_RIGHTS;
		int rc;
		if (hidden || sset_has(leaf, a->path, al)) {
			rc = emit(p, a->path, want & ~push, true, true);
		} else if (!push || !sset_has(inner, a->path, al)) {
			rc = emit(p, a->path, want, true, true);
		} else {
			rc = emit(p, a->path, want & ~push, true, true);
			if (rc == 0)
				rc = expand(p, a->path, push, leaf, inner, 0);
			if (rc < 0 && !p->error) {
				/* too many rules: this area is granted whole (the rules made so
				 * far are within it), its objects stay the library's (counted so
				 * below) */
				p->rules_cut = true;
				rc = emit(p, a->path, want, true, true);
			}
		}
		if (p->error)
			break;
	}
	/* what the kernel withholds, and what it could not */
	struct sset readable = {0};
	for (size_t i = 0; i < p->ng; i++)
		if (p->g[i].rights & LANDLOCK_ACCESS_FS_READ_FILE)
			sset_add(&readable, p->g[i].path, strlen(p->g[i].path));
	for (size_t i = 0; i < p->nx; i++) {
		bool open = sset_has_above(&readable, p->x[i].path);
		switch (p->x[i].kind) {
		case BS_HIDDEN:
			if (open) {
				p->hidden_library_only++;
				if (sset_has_above(&wr, p->x[i].path)) {
					p->hidden_in_write++;
					if (!p->first_library_only)
						p->first_library_only = strdup(p->x[i].path);
				}
			} else {
				p->hidden_kernel++;
			}
			break;
		case BS_CLOSED:
			if (open)
				p->closed_library_only++;
			else
				p->closed_kernel++;
			break;
		default:
			if (!open)
				p->devices++;
		}
	}
	sset_free(&readable);
	sset_free(&wr);
	sset_free(&leaf_r);
	sset_free(&inner_r);
	sset_free(&leaf_w);
	sset_free(&inner_w);
}

/* The ruleset attribute with the fields of ABI 4 (network) and 6 (scopes). */
struct ll_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* A ruleset for the kernel's ABI: the file system rights it knows, and the scopes
 * (ABI 6) that keep signals, and abstract sockets unless the policy allows them,
 * inside the session. */
static int new_ruleset(struct bs_plan *p)
{
	p->handled = handled_for(p->abi);
	struct ll_attr attr = {.handled_access_fs = p->handled};
	size_t asz = sizeof attr.handled_access_fs; /* ABI 1 to 5: no scopes */
	if (p->abi >= 6) {
		attr.scoped = LANDLOCK_SCOPE_SIGNAL | (p->abstract_ok ? 0 : LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET);
		asz = sizeof attr;
	}
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, asz, 0);
	return rs < 0 ? -errno : rs;
}

/* ---- the plan ---- */

int bs_plan(const struct wp_hdr *h, const char *library, struct bs_plan *p)
{
	memset(p, 0, sizeof *p);
	p->rs = -1;
	p->abi = bs_abi();
	p->abstract_ok = h->abstract_sockets != 0;
	if (p->abi > 0) {
		int rs = new_ruleset(p);
		if (rs < 0)
			return rs;
		p->rs = rs;
	}
	const struct wp_rule *R = wp_rules(h);
	char path[PATH_MAX];
	if (h->default_level >= WL_VIEW)
		add_area(p, "/", h->default_level, WP_NONE32);
	/* The folders on the way to a granted area can be listed under the library (they
	 * are view, showing what leads to the area). Landlock rights reach everything
	 * beneath a folder, so that is listing rights from the root down: names only,
	 * which the library still filters. */
	add_area(p, "/", WL_VIEW, WP_NONE32);
	struct finder f = {.h = h, .p = p};
	for (uint32_t i = 0; i < h->nrules; i++) {
		if (R[i].kind != WK_RULE || R[i].level == WL_NONE)
			continue;
		if (anchor_path(h, &R[i], path, sizeof path) < 0)
			continue;
		int level = R[i].level;
		bool literal = R[i].anchor >= R[i].ncomps; /* no wildcard */
		bool folder = R[i].dironly || !literal;
		if (level == WL_WRITE && !R[i].implicit) {
			/* A literal area that a later rule (or the user's policy over an
			 * extended one) lowers gets what the whole policy gives it. */
			struct wd_out d;
			int eff = wd_decide_str(h, path, strlen(path), folder ? 1 : -1, &d) == 0 ? d.level : WL_NONE;
			if (literal && eff < WL_WRITE) {
				if (eff == WL_NONE)
					continue;
				level = eff;
			}
		}
		if (level == WL_WRITE && !R[i].implicit) {
			/* No link on the way: a link planted there would move the grant (and
			 * the folders ward makes) elsewhere. A folder area that does not exist
			 * yet is made, without following links; a plain name that does not
			 * exist gets nothing (the kernel grants only what exists, and its
			 * folder's rights would reach every file beside it). A pattern
			 * narrower than its folder gets what it names that exists. */
			bool narrow = !literal && !whole_folder(h, &R[i]);
			int r = ensure_area(path, folder && !narrow);
			if (r == AREA_LINK) {
				p->linked++;
				add_note(p, h, i, BS_WHY_LINK, path, 0);
				continue;
			}
			if (r == AREA_ABSENT) {
				p->absent++;
				add_note(p, h, i, BS_WHY_ABSENT, path, 0);
				continue;
			}
			if (r == AREA_MADE)
				p->created++;
			if (narrow) {
				f.rule = &R[i];
				f.rule_i = i;
				f.pat = wp_rule_comps(h, &R[i]);
				f.matched = 0;
				long left = walk(path, WALK_MATCHES, true, visit_match, &f);
				p->narrowed++;
				add_note(p, h, i, left < 0 ? BS_WHY_NARROW_CUT : BS_WHY_NARROW, path, f.matched);
				continue;
			}
		}
		add_area(p, path, level, i);
	}
	/* the library itself (and what is preloaded before it), which the loader reads */
	if (library) {
		const char *s = library;
		while (*s) {
			size_t l = strcspn(s, ": ");
			if (l > 0 && l < sizeof path) {
				memcpy(path, s, l);
				path[l] = 0;
				add_area(p, path, WL_READ, WP_NONE32);
			}
			s += l;
			while (*s == ':' || *s == ' ')
				s++;
		}
	}

	/* the objects to withhold */
	f.root = WP_STR(h, h->root_off);
	f.rl = h->root_len;
	f.tmpdir = WP_STR(h, h->tmpdir_off);
	f.tl = h->tmpdir_len;
	f.root_exempt = f.rl && wp_root_is_exempt(f.root, f.rl);
	for (uint32_t i = 0; i < h->nrules; i++) {
		if (R[i].kind != WK_RULE || R[i].level < WL_READ || anchor_path(h, &R[i], path, sizeof path) < 0)
			continue;
		uint32_t *nc = realloc(f.cand, (f.ncand + 1) * sizeof *nc);
		char **na = realloc(f.cand_anchor, (f.ncand + 1) * sizeof *na);
		if (nc)
			f.cand = nc;
		if (na)
			f.cand_anchor = na;
		if (!nc || !na || !(f.cand_anchor[f.ncand] = strdup(path)))
			break;
		f.cand[f.ncand++] = i;
	}
	find_literals(&f);
	char *home = h->home_len ? realpath(WP_STR(h, h->home_off), NULL) : NULL;
	if (home) {
		walk_for_hidden(&f, home, W_FULL, WALK_HOME);
		if (!p->walk_cut)
			f.skip = f.whole[0] = home;
	}
	if (f.rl) {
		bool cut = p->walk_cut;
		p->walk_cut = false;
		walk_for_hidden(&f, f.root, W_FULL, WALK_ROOT);
		if (!p->walk_cut)
			f.whole[1] = f.root;
		p->walk_cut |= cut;
	}
	f.skip = NULL;
	static const char *const closed[] = {"/tmp", "/var/tmp", "/dev/shm"};
	long cb = WALK_CLOSED;
	for (size_t i = 0; i < sizeof closed / sizeof *closed; i++) {
		f.mode = W_CLOSED;
		long left = walk(closed[i], cb, false, visit_hidden, &f);
		p->walked += cb - (left < 0 ? 0 : left);
		if (left < 0) {
			p->walk_cut = true;
			break;
		}
		cb = left;
	}
	walk_anchors(&f);
	free(home);
	long left = walk("/dev", WALK_DEV, true, visit_dev, &f);
	if (left < 0)
		p->walk_cut = true;
	for (size_t i = 0; i < f.ncand; i++)
		free(f.cand_anchor[i]);
	free(f.cand);
	free(f.cand_anchor);
	sset_free(&f.seen);

	make_rules(p, h);
	if (p->error)
		return -p->error;
	return 0;
}

void bs_free(struct bs_plan *p)
{
	if (!p)
		return;
	if (p->rs >= 0)
		close(p->rs);
	for (size_t i = 0; i < p->na; i++)
		free(p->a[i].path);
	for (size_t i = 0; i < p->nx; i++)
		free(p->x[i].path);
	for (size_t i = 0; i < p->ng; i++)
		free(p->g[i].path);
	for (size_t i = 0; i < p->nn; i++) {
		free(p->notes[i].path);
		free(p->notes[i].label);
	}
	free(p->a);
	free(p->x);
	free(p->g);
	free(p->notes);
	free(p->first_library_only);
	memset(p, 0, sizeof *p);
}

void bs_verbose(const struct bs_plan *p, const struct wp_hdr *h, FILE *out)
{
	if (p->abi == 0)
		return;
	for (size_t i = 0; i < p->nn && i < 20; i++) {
		const struct bs_note *n = &p->notes[i];
		const char *label = n->label ? n->label : "?";
		int ll = (int)strlen(label);
		const struct wp_rule *r = &wp_rules(h)[n->rule];
		const char *pat = WP_STR(h, r->pat_off);
		switch (n->why) {
		case BS_WHY_ABSENT:
			fprintf(out,
				"ward: note: the write area %s does not exist; the kernel backstop does not grant it "
				"(make it before the run, or write a folder rule as NAME/) (%.*s)\n",
				n->path, ll, label);
			break;
		case BS_WHY_LINK:
			fprintf(out,
				"ward: note: the write area %s has a link on its way; the kernel backstop does not grant it (%.*s)\n",
				n->path, ll, label);
			break;
		default:
			fprintf(out,
				"ward: note: the write rule %s (%.*s) is narrower than its folder %s: the kernel backstop "
				"grants only the %ld object%s it names that exist%s; new names it allows are refused\n",
				pat, ll, label, n->path, n->granted, n->granted == 1 ? "" : "s",
				n->why == BS_WHY_NARROW_CUT ? " among the first looked at" : "");
		}
	}
	if (p->nn > 20)
		fprintf(out, "ward: note: and %zu more write rules the kernel backstop does not grant whole\n", p->nn - 20);
	if (p->hidden_in_write)
		fprintf(out,
			"ward: note: %ld hidden object%s inside write areas (such as %s): the library alone hides them "
			"(the kernel backstop cannot withhold what a write area holds)\n",
			p->hidden_in_write, p->hidden_in_write == 1 ? " lies" : "s lie",
			p->first_library_only ? p->first_library_only : "?");
	if (p->rules_cut)
		fprintf(out, "ward: note: too many objects to withhold: some areas are granted whole by the kernel\n");
}

/* A list of the areas of one level, as a JSON array of at most `room` bytes. */
static size_t area_list(const struct bs_plan *p, int lv, char *list, size_t room, int *left)
{
	size_t n = 0;
	list[n++] = '[';
	*left = 0;
	for (size_t i = 0; i < p->na; i++) {
		if (p->a[i].level != lv)
			continue;
		/* the path as a JSON string, cut at 300 bytes (ending in "[...]") */
		char v[302];
		bool cut;
		size_t vl = wj_quote(v, sizeof v, p->a[i].path, strlen(p->a[i].path), &cut);
		if (!vl) {
			(*left)++;
			continue;
		}
		if (n + vl + 3 >= room) {
			(*left)++;
			continue;
		}
		if (n > 1)
			list[n++] = ',';
		memcpy(list + n, v, vl);
		n += vl;
	}
	list[n++] = ']';
	return n;
}

size_t bs_json(const struct bs_plan *p, const char *off, char *buf, size_t size)
{
	struct wj j;
	char line[WJ_LINE_MAX];
	if (off || p->abi == 0) {
		wj_begin(&j, line, sizeof line);
		wj_cstr(&j, "landlock", "off");
		wj_int(&j, "abi", p->abi);
		wj_cstr(&j, "why", off ? off : "the kernel has no Landlock");
		wj_cstr(&j, "io_uring", off ? "allowed" : "ENOSYS");
		wj_cstr(&j, "tiocsti", off ? "allowed" : "EPERM");
	} else {
		static const char *const names[] = {"none", "view", "read", "write"};
		static const int order[] = {WL_WRITE, WL_READ, WL_VIEW};
		wj_begin(&j, line, sizeof line);
		wj_cstr(&j, "landlock", "on");
		wj_int(&j, "abi", p->abi);
		for (int oi = 0; oi < 3; oi++) {
			char list[320]; /* the three lists and the rest stay well within the line */
			int left;
			size_t n = area_list(p, order[oi], list, sizeof list, &left);
			wj_raw(&j, names[order[oi]], list, n);
			if (left) {
				char k[32];
				snprintf(k, sizeof k, "%s_left_out", names[order[oi]]);
				wj_int(&j, k, left);
			}
		}
		wj_int(&j, "rules", (long)p->ng);
		wj_int(&j, "hidden_kernel", p->hidden_kernel);
		wj_int(&j, "hidden_library_only", p->hidden_library_only);
		wj_int(&j, "closed_kernel", p->closed_kernel);
		if (p->closed_library_only)
			wj_int(&j, "closed_library_only", p->closed_library_only);
		wj_int(&j, "devices_withheld", p->devices);
		wj_int(&j, "walked", p->walked);
		wj_bool(&j, "walk_cut", p->walk_cut);
		if (p->rules_cut)
			wj_bool(&j, "rules_cut", true);
		if (p->wide)
			wj_int(&j, "wide_folders", p->wide);
		if (p->created)
			wj_int(&j, "created", p->created);
		if (p->absent)
			wj_int(&j, "absent", p->absent);
		if (p->linked)
			wj_int(&j, "through_a_link", p->linked);
		if (p->narrowed)
			wj_int(&j, "narrowed", p->narrowed);
		if (p->nn) {
			/* the write rules the kernel does not grant whole: library-only */
			char list[320];
			size_t n = 0;
			list[n++] = '[';
			int left = 0;
			for (size_t i = 0; i < p->nn; i++) {
				char one[600];
				struct wj g;
				const char *lb = p->notes[i].label ? p->notes[i].label : "?";
				wj_begin(&g, one, sizeof one);
				wj_str(&g, "r", lb, strlen(lb), 200);
				size_t gl = wj_end(&g) - 1;
				/* {"r":VALUE} -> VALUE */
				if (gl < 7 || strncmp(one, "{\"r\":", 5) != 0 || one[gl - 1] != '}' ||
				    n + gl - 6 + 2 >= sizeof list) {
					left++;
					continue;
				}
				if (n > 1)
					list[n++] = ',';
				memcpy(list + n, one + 5, gl - 6);
				n += gl - 6;
			}
			list[n++] = ']';
			wj_raw(&j, "write_rules_not_granted", list, n);
			if (left)
				wj_int(&j, "write_rules_not_granted_left_out", left);
		}
		if (p->abi >= 6)
			wj_raw(&j, "scopes", p->abstract_ok ? "[\"signal\"]" : "[\"signal\",\"abstract_unix_socket\"]",
			       p->abstract_ok ? 10 : 33);
		else
			wj_raw(&j, "scopes", "[]", 2);
		wj_cstr(&j, "io_uring", "ENOSYS");
		wj_cstr(&j, "tiocsti", "EPERM");
	}
	size_t n = wj_end(&j);
	if (n > 0 && line[n - 1] == '\n')
		n--;
	if (n >= size)
		return 0;
	memcpy(buf, line, n);
	buf[n] = 0;
	return n;
}

/* The seccomp filter: io_uring_setup fails with ENOSYS (libuv then uses plain calls,
 * which the library sees), ioctl TIOCSTI and TIOCLINUX fail with EPERM (a program
 * cannot type into, or paste from, the terminal), whatever the calling convention
 * (x86-64, x32, i386 through int 0x80; aarch64 and arm). */
static int seccomp_filter(void)
{
#if defined(__x86_64__)
	const unsigned arch = AUDIT_ARCH_X86_64, compat = AUDIT_ARCH_I386;
	const unsigned ioctl_nr = 16, ioctl_x32 = 514 | 0x40000000u, ioctl_compat = 54;
#elif defined(__aarch64__)
	const unsigned arch = AUDIT_ARCH_AARCH64, compat = AUDIT_ARCH_ARM;
	const unsigned ioctl_nr = 29, ioctl_x32 = 29, ioctl_compat = 54;
#else
	return -ENOSYS;
#endif
	/* the command is an unsigned int: the kernel ignores the upper half */
	const unsigned cmd_lo = (unsigned)offsetof(struct seccomp_data, args[1]);
	struct sock_filter f[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* io_uring_setup is 425 in every ABI (x86_64, x32 with its flag bit, i386,
		 * aarch64, arm) */
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup, 14, 0),
		/* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup | 0x40000000u, 13, 0),
		/* 3 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0, 3),
		/* 5 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ioctl_nr, 4, 0),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ioctl_x32, 3, 6),
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, compat, 0, 5),
		/* 9 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ioctl_compat, 0, 3),
		/* 11 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, cmd_lo),
		/* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 2, 0),
		/* 13 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 1, 0),
		/* 14 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 15 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
		/* 16 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = {.len = sizeof f / sizeof f[0], .filter = f};
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -errno;
	return 0;
}

int bs_apply(const struct bs_plan *p, bool landlock)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	int rc = seccomp_filter();
	if (rc < 0)
		return rc;
	if (!landlock || p->abi <= 0 || p->rs < 0)
		return 0;
	/* the rules made in ward run, and those only this process can open */
	for (size_t i = 0; i < p->ng; i++) {
		if (!p->g[i].deferred)
			continue;
		uint64_t want = p->g[i].rights & p->handled;
		int fd = open(p->g[i].path, O_PATH | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
			want &= FS_FILE_RIGHTS;
		struct landlock_path_beneath_attr pb = {.allowed_access = want, .parent_fd = fd};
		long r = want ? syscall(SYS_landlock_add_rule, p->rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) : 0;
		int e = errno;
		close(fd);
		if (r < 0)
			return -e;
	}
	if (syscall(SYS_landlock_restrict_self, p->rs, 0) < 0)
		return -errno;
	return 0;
}
