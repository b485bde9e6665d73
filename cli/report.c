/* report.c: ward report: an audit log summarised for a person at a glance (denials
 * grouped by path and rule, attempts on hidden names where nothing exists, writes and
 * creations, purges, sessions and whether their log is complete), or as JSON. The
 * reading and the printing are in summary.c. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/json.h"
#include "cli/summary.h"
#include "cli/ward.h"

static void cant(const char *path, const char *why)
{
	fputs("ward: cannot read ", stderr);
	jput_text(stderr, path);
	fprintf(stderr, ": %s\n", why);
}

int cmd_report(int argc, char **argv)
{
	bool json = false;
	static const struct option lo[] = {{"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'},
					   {0, 0, 0, 0}};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", lo, NULL)) != -1) {
		if (c == 'j')
			json = true;
		else if (c == 'h') {
			puts("usage: ward report [--json] [LOG]");
			return 0;
		} else {
			fputs("usage: ward report [--json] [LOG]\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fputs("usage: ward report [--json] [LOG]\n", stderr);
		return EXIT_USAGE;
	}
	char *path = optind < argc ? strdup(argv[optind]) : cli_default_log();
	if (!path) {
		cli_err("no LOG given and no HOME for the default log");
		return EXIT_USAGE;
	}
	/* A log is a file, or a pipe (ward report <(zcat old.jsonl.gz)); a folder or a
	 * device (/dev/zero) is not. Checked before the open (a FIFO's open waits for a
	 * writer, as cat's does) and again on what was opened. */
	struct stat st;
	int fd = -1;
	const char *why = NULL;
	if (stat(path, &st) != 0)
		why = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		why = "it is a folder";
	else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		why = "not a file or a pipe";
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		why = "not a file or a pipe";
	if (why) {
		cant(path, why);
		if (fd >= 0)
			close(fd);
		free(path);
		return 1;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		cant(path, strerror(errno));
		close(fd);
		free(path);
		return 1;
	}
	int rc = cli_summary(f, path, json, stdout, cli_session_alive);
	fclose(f);
	free(path);
	return rc;
}
