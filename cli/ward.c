/* ward.c: the ward command: dispatch, and what the subcommands share. */
#include "cli/ward.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/path.h"

const struct wc_libconfig cli_libconfig = {config_init, config_destroy, config_read_string};

void cli_err(const char *fmt, ...)
{
	va_list ap;
	fputs("ward: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

char *cli_state_dir(void)
{
	const char *x = getenv("XDG_STATE_HOME");
	char buf[PATH_MAX];
	if (x && x[0] == '/')
		snprintf(buf, sizeof buf, "%s/ward", x);
	else if (getenv("HOME") && getenv("HOME")[0] == '/')
		snprintf(buf, sizeof buf, "%s/.local/state/ward", getenv("HOME"));
	else
		return NULL;
	return strdup(buf);
}

void cli_opts(struct wc_opts *o)
{
	static char cwd[PATH_MAX];
	memset(o, 0, sizeof *o);
	if (!getcwd(cwd, sizeof cwd)) {
		cli_err("cannot resolve the working directory: %s", strerror(errno));
		exit(1);
	}
	o->cwd = cwd;
	const char *home = getenv("HOME");
	o->home = home && home[0] == '/' ? home : NULL;
	o->state = cli_state_dir();
	o->mode = -1;
}

void *cli_compile(const char *policy, const char *preset, const struct wc_opts *o, size_t *size)
{
	char err[2048];
	void *blob;
	if (policy)
		blob = wc_compile(&cli_libconfig, policy, false, o, size, err, sizeof err);
	else
		blob = wc_compile(&cli_libconfig, preset ? preset : "agent-safe", true, o, size, err,
				  sizeof err);
	if (!blob)
		cli_err("%s", err);
	return blob;
}

char *cli_resolve(const char *path, int *is_dir)
{
	char cwd[PATH_MAX], norm[PATH_MAX];
	unsigned fl;
	if (!getcwd(cwd, sizeof cwd))
		return NULL;
	long n = wn_join(cwd, strlen(cwd), path, norm, sizeof norm, &fl);
	if (n < 0)
		return NULL;
	*is_dir = 0;
	/* the longest prefix that exists, resolved; then the rest */
	char *real = realpath(path, NULL);
	if (real) {
		struct stat st;
		if (stat(real, &st) == 0 && S_ISDIR(st.st_mode))
			*is_dir = 1;
		return real;
	}
	size_t cut = (size_t)n;
	while (cut > 1) {
		cut = wn_parent_len(norm, cut);
		char save = norm[cut];
		norm[cut] = 0;
		real = realpath(norm, NULL);
		norm[cut] = save;
		if (real)
			break;
	}
	if (!real)
		return strdup(norm);
	/* real (the prefix norm[0..cut) resolved) then the names after it: norm[cut] is
	 * the '/' before them, except when the prefix is "/" itself (cut 1) */
	const char *rest = norm + cut;
	while (*rest == '/')
		rest++;
	size_t rl = strlen(real), size = rl + strlen(rest) + 2;
	char *out = malloc(size);
	if (!out) {
		free(real);
		return NULL;
	}
	if (!*rest)
		snprintf(out, size, "%s", real);
	else
		snprintf(out, size, "%s/%s", rl == 1 ? "" : real, rest);
	free(real);
	return out;
}

static void usage(FILE *f)
{
	fputs("usage: ward COMMAND [ARG]...\n"
	      "\n"
	      "  run [-p POLICY | -P PRESET] [-r ROOT] [-l LOG] [-v] [--audit] [--no-landlock] -- COMMAND [ARG]...\n"
	      "                     run a command confined by a policy\n"
	      "  check FILE...      validate policies; print their rule count and hash\n"
	      "  explain [-p POLICY | -P PRESET] [-r ROOT] PATH...\n"
	      "                     print the level of each path and the rule that decides it\n"
	      "  learn [-o FILE] [-r ROOT] -- COMMAND...\n"
	      "                     write a policy that lets a run, and the next like it, work\n"
	      "  purge [-p POLICY] [-l LOG]\n"
	      "                     delete transient files older than their ttl\n"
	      "  presets [NAME]     list the presets, or print one\n"
	      "  report [--json] [LOG]\n"
	      "                     summarise an audit log\n"
	      "  --help, --version\n"
	      "\n"
	      "See ward(1) and ward.conf(5).\n",
	      f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("ward %s\n", PACKAGE_VERSION);
		return 0;
	}
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{"run", cmd_run},         {"check", cmd_check},     {"explain", cmd_explain},
		{"learn", cmd_learn},     {"purge", cmd_purge},     {"presets", cmd_presets},
		{"report", cmd_report},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
		if (strcmp(cmd, cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	cli_err("unknown command '%s' (see ward --help)", cmd);
	return EXIT_USAGE;
}
