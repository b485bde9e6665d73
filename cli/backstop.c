/* backstop.c: the kernel floor under the library, for `ward run`.
 *
 * The library sees libc calls only. A static program, raw system call instructions
 * or io_uring go around it. So `ward run` gives the command, just before exec, a
 * Landlock ruleset made from the same policy (write rights beneath the folders of
 * write-level areas, read and execute rights beneath those of read-level areas,
 * listing rights beneath view-level ones, nothing elsewhere), and a seccomp filter
 * that makes io_uring_setup fail with ENOSYS.
 *
 * The ruleset is coarser than the rule table: a folder is the longest literal
 * prefix of a pattern ("~/work/ * /out" grants beneath ~/work), Landlock only adds
 * rights (a hidden file in a readable folder stays the library's job), and an area
 * that does not exist when the session starts is not in it, unless it is written as
 * a folder (a trailing slash, or wildcards after the folder): such an area is made
 * (mkdir -p) for the session.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>

#include "cli/ward.h"
#include "common/decide.h"
#include "common/jsonl.h"
#include "common/policy.h"

#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif

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

static void add(struct bs_plan *p, const char *path, int level, bool create)
{
	/* the same path at two levels is kept twice: the kernel adds the rights up */
	for (int i = 0; i < p->n; i++)
		if (p->e[i].level == level && strcmp(p->e[i].path, path) == 0)
			return;
	if (p->n >= BS_MAX)
		return;
	struct stat st;
	(void)create;
	if (stat(path, &st) < 0) {
		p->absent++;
		return;
	}
	snprintf(p->e[p->n].path, sizeof p->e[p->n].path, "%s", path);
	p->e[p->n].level = level;
	p->e[p->n].is_dir = S_ISDIR(st.st_mode);
	p->n++;
}

enum { AREA_OK, AREA_MADE, AREA_ABSENT, AREA_LINK };

/* Is the area there, reached without a link? A missing folder area is made, one name
 * at a time, never through a link. */
static int ensure_area(const char *path, bool folder)
{
	struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
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
	for (char *name = strtok(buf, "/"); name; name = strtok(NULL, "/")) {
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

static void note(struct bs_plan *p, const char *path)
{
	p->missing_writes++;
	if (!p->first_missing[0])
		snprintf(p->first_missing, sizeof p->first_missing, "%s", path);
}

int bs_plan(const struct wp_hdr *h, const char *library, struct bs_plan *p)
{
	memset(p, 0, sizeof *p);
	p->abi = bs_abi();
	const struct wp_rule *R = wp_rules(h);
	char path[PATH_MAX];
	if (h->default_level >= WL_VIEW)
		add(p, "/", h->default_level, false);
	/* The folders on the way to a granted area can be listed under the library (they
	 * are view, showing what leads to the area). Landlock rights reach everything
	 * beneath a folder, so that is listing rights from the root down: names only,
	 * which the library still filters. */
	add(p, "/", WL_VIEW, false);
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
			 * folder's rights would reach every file beside it). */
			int r = ensure_area(path, folder);
			if (r == AREA_LINK) {
				p->linked++;
				note(p, path);
				continue;
			}
			if (r == AREA_ABSENT) {
				p->absent++;
				note(p, path);
				continue;
			}
			if (r == AREA_MADE)
				p->created++;
		}
		add(p, path, level, false);
	}
	/* the library itself (and what is preloaded before it), which the loader reads */
	if (library) {
		const char *s = library;
		while (*s) {
			size_t l = strcspn(s, ": ");
			if (l > 0 && l < sizeof path) {
				memcpy(path, s, l);
				path[l] = 0;
				add(p, path, WL_READ, false);
			}
			s += l;
			while (*s == ':' || *s == ' ')
				s++;
		}
	}
	return 0;
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
	} else {
		static const char *const names[] = {"none", "view", "read", "write"};
		static const int order[] = {WL_WRITE, WL_READ, WL_VIEW};
		wj_begin(&j, line, sizeof line);
		wj_cstr(&j, "landlock", "on");
		wj_int(&j, "abi", p->abi);
		for (int oi = 0; oi < 3; oi++) {
			int lv = order[oi];
			char list[600];
			size_t n = 0;
			int left = 0;
			list[n++] = '[';
			for (int i = 0; i < p->n; i++) {
				if (p->e[i].level != lv)
					continue;
				/* the path as a JSON string, cut at 400 bytes */
				char v[402];
				bool cut;
				size_t vl = wj_quote(v, sizeof v, p->e[i].path, strlen(p->e[i].path), &cut);
				if (n + vl + 3 >= sizeof list) {
					left++;
					continue;
				}
				if (n > 1)
					list[n++] = ',';
				memcpy(list + n, v, vl);
				n += vl;
			}
			list[n++] = ']';
			wj_raw(&j, names[lv], list, n);
			if (left) {
				char k[32];
				snprintf(k, sizeof k, "%s_left_out", names[lv]);
				wj_int(&j, k, left);
			}
		}
		if (p->created)
			wj_int(&j, "created", p->created);
		if (p->absent)
			wj_int(&j, "absent", p->absent);
		if (p->linked)
			wj_int(&j, "through_a_link", p->linked);
		wj_cstr(&j, "io_uring", "ENOSYS");
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

/* io_uring_setup fails with ENOSYS; everything else passes. */
static int deny_io_uring(void)
{
#if defined(__x86_64__)
	const unsigned arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
	const unsigned arch = AUDIT_ARCH_AARCH64;
#else
	return -ENOSYS;
#endif
	/* io_uring_setup is 425 in every ABI (x86_64, x32 with its flag bit, i386,
	 * aarch64, arm): refused whatever the architecture of the call */
	(void)arch;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup | 0x40000000u, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
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
	int rc = deny_io_uring();
	if (rc < 0)
		return rc;
	if (!landlock || p->abi <= 0)
		return 0;
	uint64_t handled = handled_for(p->abi);
	struct landlock_ruleset_attr attr = {.handled_access_fs = handled};
	/* the ABI 1 size of the structure: later fields (network, scopes) stay unhandled */
	int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr.handled_access_fs, 0);
	if (rs < 0)
		return -errno;
	for (int i = 0; i < p->n; i++) {
		uint64_t want = p->e[i].level == WL_WRITE  ? FS_WRITE
				: p->e[i].level == WL_READ ? FS_READ
							   : FS_VIEW;
		if (!p->e[i].is_dir)
			want &= FS_FILE_RIGHTS;
		want &= handled;
		if (!want)
			continue;
		int fd = open(p->e[i].path, O_PATH | O_CLOEXEC);
		if (fd < 0)
			continue; /* gone since the plan: nothing granted there */
		struct landlock_path_beneath_attr pb = {.allowed_access = want, .parent_fd = fd};
		long r = syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
		int e = errno;
		close(fd);
		if (r < 0) {
			close(rs);
			return -e;
		}
	}
	long r = syscall(SYS_landlock_restrict_self, rs, 0);
	int e = errno;
	close(rs);
	return r < 0 ? -e : 0;
}
