/* t/fuzz/policy.c: the policy loader (conf/load.c, common/policy.c), from memory and
 * from files that extend one another.
 *
 * Input: up to four policy texts separated by lines "----". They are written to
 * a.conf, b.conf, c.conf and d.conf in a private folder that also holds a FIFO
 * (fifo.conf), a folder (dir.conf), a link to a.conf (link.conf) and a sub-folder
 * with a policy of its own (sub/e.conf, extending "../b.conf"), so that extends
 * chains, loops and files that are not policies can be reached. a.conf is compiled
 * from the file and from memory (wc_compile_text, same label): both must give the
 * same blob or the same message. A blob must pass wp_verify and answer decisions;
 * a message must be one line. Leaks are findings (LeakSanitizer). */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/decide.h"
#include "common/policy.h"
#include "conf/load.h"
#include "t/fuzz/fuzz.h"

static const struct wc_libconfig lc = {config_init, config_destroy, config_read_string};
static const char *names[] = {"a.conf", "b.conf", "c.conf", "d.conf"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_tmpdir(); /* and the working directory */
	if (mkfifo("fifo.conf", 0600) != 0 || mkdir("dir.conf", 0700) != 0 || symlink("a.conf", "link.conf") != 0 ||
	    mkdir("sub", 0700) != 0 || mkdir("home", 0700) != 0) {
		perror("fuzz: the policy folder");
		exit(1);
	}
	FILE *f = fopen("sub/e.conf", "w");
	if (!f)
		exit(1);
	fputs("version = 1;\nextends = \"../b.conf\";\nroot = \"..\";\nrules = ( { path = \"x\"; level = \"write\"; } );\n", f);
	fclose(f);
	return 0;
}

static void opts(struct wc_opts *o)
{
	static char home[4200], state[4200];
	memset(o, 0, sizeof *o);
	o->cwd = fz_tmpdir();
	snprintf(home, sizeof home, "%s/home", o->cwd);
	snprintf(state, sizeof state, "%s/home/.local/state/ward", o->cwd);
	o->home = home;
	o->state = state;
	o->mode = -1;
}

static void check_blob(void *blob, size_t size)
{
	const char *bad = wp_verify(blob, size);
	FZ_CHECKF(bad == NULL, "wp_verify: %s", bad);
	const struct wp_hdr *h = blob;
	static const char *const paths[] = {"/", "/etc/passwd", "/tmp", "/tmp/x", "/home/u/.env", "/dev/null"};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct wd_out out;
		FZ_CHECK(wd_decide_str(h, paths[i], strlen(paths[i]), -1, &out) == 0);
		FZ_CHECK(out.level >= WL_NONE && out.level <= WL_WRITE);
		uint32_t ll;
		const char *label = wd_rule_label(h, out.rule, &ll);
		FZ_CHECK(label != NULL);
	}
}

static void check_err(const char *err)
{
	FZ_CHECK(err[0] != 0);
	FZ_CHECKF(strchr(err, '\n') == NULL || strchr(err, '\n')[1] == 0, "a message of more than one line: %s", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	char *part[4];
	size_t len[4];
	size_t n = fz_split(data, size, part, len, 4);
	for (size_t i = 0; i < 4; i++) {
		unlink(names[i]);
		if (i >= n)
			continue;
		int fd = open(names[i], O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, part[i], len[i]) != (ssize_t)len[i] || close(fd) != 0)
			abort();
	}
	struct wc_opts o;
	opts(&o);
	char err1[2048], err2[2048];
	size_t s1 = 0, s2 = 0;
	void *b1 = wc_compile(&lc, "a.conf", false, &o, &s1, err1, sizeof err1);
	void *b2 = memchr(part[0], 0, len[0]) ? NULL
					      : wc_compile_text(&lc, "a.conf", part[0], &o, &s2, err2, sizeof err2);
	if (b1)
		check_blob(b1, s1);
	else
		check_err(err1);
	if (!memchr(part[0], 0, len[0])) {
		if (b2)
			check_blob(b2, s2);
		else
			check_err(err2);
		/* the same text from a file or from memory: the same result */
		FZ_CHECKF(!b1 == !b2, "from the file: %s; from memory: %s", b1 ? "valid" : err1, b2 ? "valid" : err2);
		if (b1 && b2)
			FZ_CHECK(s1 == s2 && memcmp(b1, b2, s1) == 0);
		else if (!b1)
			FZ_CHECKF(strcmp(err1, err2) == 0, "from the file: %s; from memory: %s", err1, err2);
	}
	free(b1);
	free(b2);
	/* a preset at the base, and a ROOT given as -r would be */
	o.root = "sub";
	void *b3 = wc_compile(&lc, "sub/e.conf", false, &o, &s1, err1, sizeof err1);
	if (b3)
		check_blob(b3, s1);
	else
		check_err(err1);
	free(b3);
	fz_free_parts(part, n);
	return 0;
}
