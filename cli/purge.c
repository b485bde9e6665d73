/* purge.c: transient areas. Files and folders created under a `ttl` rule are
 * deleted once older than the ttl (age: time since the last modification; a folder
 * once it is empty and old enough), by `ward run` while it runs and at its end, and by
 * `ward purge`. Each deletion is a `purge` event with the grant's id.
 *
 * The walk runs unconfined, over a tree the confined program may be changing: it
 * never follows a link (a link is deleted as itself), never leaves the area's file
 * system, and works on descriptors (openat with O_NOFOLLOW, unlinkat), so a folder
 * swapped for a link cannot send it elsewhere.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/ward.h"
#include "common/audit.h"
#include "common/jsonl.h"

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

struct purge {
	const struct wp_hdr *h;
	int log_fd;
	bool policy_logged; /* ward purge logs its policy before its first purge */
	bool log_policy;
	int64_t now_ns; /* wall clock, nanoseconds */
	long count;
	long failed;
};

static void log_purge(struct purge *p, const char *path, int64_t age, uint32_t grant)
{
	char line[WJ_LINE_MAX];
	p->count++;
	if (p->log_fd < 0)
		return;
	if (p->log_policy && !p->policy_logged) {
		size_t n = wa_policy_line(line, p->h, getpid(), NULL);
		if (write(p->log_fd, line, n) < 0)
			cli_err("cannot write the audit log: %s", strerror(errno));
		p->policy_logged = true;
	}
	size_t n = wa_purge_line(line, p->h, getpid(), path, strlen(path), age, grant);
	if (write(p->log_fd, line, n) < 0)
		cli_err("cannot write the audit log: %s", strerror(errno));
}

/* Purges what is old enough beneath the open folder dfd (path `path`). Returns true
 * when the folder is empty afterwards. */
static bool purge_dir(struct purge *p, int dfd, const char *path, dev_t dev, uint32_t ttl,
		      uint32_t grant, int depth)
{
	int dup_fd = dup(dfd);
	if (dup_fd < 0)
		return false;
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return false;
	}
	bool empty = true;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char child[PATH_MAX];
		if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) >= (int)sizeof child) {
			empty = false;
			continue;
		}
		struct stat st;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			empty = false;
			continue;
		}
		/* older than the ttl, to the nanosecond (whole seconds would purge a file
		 * up to a second early); the log shows whole seconds */
		int64_t age_ns = p->now_ns - ((int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
		int64_t age = age_ns / 1000000000;
		bool old = age_ns > (int64_t)ttl * 1000000000;
		if (S_ISDIR(st.st_mode)) {
			if (st.st_dev != dev || depth > 200) {
				empty = false;
				continue;
			}
			int cfd = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd < 0) {
				empty = false;
				continue;
			}
			/* the folder's own age is taken before its children go */
			bool cempty = purge_dir(p, cfd, child, dev, ttl, grant, depth + 1);
			close(cfd);
			if (cempty && old && unlinkat(dfd, e->d_name, AT_REMOVEDIR) == 0)
				log_purge(p, child, age, grant);
			else
				empty = false;
		} else if (old) {
			if (unlinkat(dfd, e->d_name, 0) == 0)
				log_purge(p, child, age, grant);
			else {
				p->failed++;
				empty = false;
			}
		} else {
			empty = false;
		}
	}
	closedir(d);
	return empty;
}

/* The ttl rules' areas are literal paths: the pattern unescaped. */
static void area_path(const struct wp_hdr *h, const struct wp_rule *r, char *out, size_t size)
{
	const struct wg_comp *c = wp_rule_comps(h, r);
	size_t o = 0;
	out[0] = '/';
	out[1] = 0;
	for (uint32_t i = 0; i < r->ncomps && o + 2 + c[i].len < size; i++) {
		out[o++] = '/';
		memcpy(out + o, WP_STR(h, c[i].off), c[i].len);
		o += c[i].len;
		out[o] = 0;
	}
	if (o == 0)
		o = 1;
	out[o] = 0;
}

long cli_purge(const struct wp_hdr *h, int log_fd, bool log_policy)
{
	struct purge p = {.h = h, .log_fd = log_fd, .now_ns = now_ns(), .log_policy = log_policy};
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t i = 0; i < h->nrules; i++) {
		if (R[i].kind != WK_RULE || !R[i].ttl_s)
			continue;
		char area[PATH_MAX];
		area_path(h, &R[i], area, sizeof area);
		int dfd = open(area, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue; /* not made yet, or a link: nothing to purge */
		struct stat st;
		if (fstat(dfd, &st) == 0)
			purge_dir(&p, dfd, area, st.st_dev, R[i].ttl_s, R[i].grant, 0);
		close(dfd);
	}
	return p.count;
}

uint32_t cli_purge_interval_ms(const struct wp_hdr *h)
{
	uint32_t best = 0;
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t i = 0; i < h->nrules; i++) {
		if (R[i].kind != WK_RULE || !R[i].ttl_s)
			continue;
		uint64_t ms = (uint64_t)R[i].ttl_s * 1000 / 4;
		if (ms > 60000)
			ms = 60000;
		if (ms < 100)
			ms = 100;
		if (!best || ms < best)
			best = (uint32_t)ms;
	}
	return best;
}

int cmd_purge(int argc, char **argv)
{
	const char *policy = NULL, *preset = NULL, *root = NULL, *log = NULL;
	static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	const char *usage = "usage: ward purge [-p POLICY | -P PRESET] [-r ROOT] [-l LOG]\n";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:P:r:l:h", lo, NULL)) != -1) {
		switch (c) {
		case 'p': policy = optarg; break;
		case 'P': preset = optarg; break;
		case 'r': root = optarg; break;
		case 'l': log = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc || (policy && preset)) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	struct wc_opts o;
	cli_opts(&o);
	o.root = root;
	size_t size;
	void *blob = cli_compile(policy, preset, &o, &size);
	if (!blob)
		return 1;
	cli_new_session(blob);
	char *logpath = log ? strdup(log) : cli_default_log();
	int log_fd = -1;
	if (logpath) {
		log_fd = cli_open_log(logpath);
		if (log_fd < 0) {
			free(blob);
			free(logpath);
			return 1;
		}
	}
	long n = cli_purge(blob, log_fd, true);
	printf("ward: purged %ld entr%s\n", n, n == 1 ? "y" : "ies");
	if (log_fd >= 0)
		close(log_fd);
	free(logpath);
	free(blob);
	return 0;
}
