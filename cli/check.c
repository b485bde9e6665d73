/* check.c: ward check, ward explain, ward presets. */
#include <getopt.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/ward.h"
#include "common/decide.h"

int cmd_check(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		fputs("usage: ward check FILE...\n", argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	int bad = 0;
	struct wc_opts o;
	cli_opts(&o);
	for (int i = 1; i < argc; i++) {
		size_t size;
		void *blob = cli_compile(argv[i], NULL, &o, &size);
		if (!blob) {
			bad = 1;
			continue;
		}
		const struct wp_hdr *h = blob;
		/* Count what the file (and what it extends) says; ward's built-in rules for
		 * /dev/null and the like are the same in every policy and are not counted. */
		unsigned nrules = 0, nhide = 0;
		const struct wp_rule *r = wp_rules(h);
		for (uint32_t k = 0; k < h->nrules; k++) {
			if (r[k].implicit)
				continue;
			if (r[k].kind == WK_RULE)
				nrules++;
			else if (r[k].kind == WK_HIDE)
				nhide++;
		}
		printf("%s: valid, %u rules, %u hidden patterns, hash xxh3:%016llx\n", argv[i], nrules,
		       nhide, (unsigned long long)h->hash);
		free(blob);
	}
	return bad;
}

/* Shared option parsing of -p, -P and -r. Returns the index of the first operand, or
 * -1 after a usage error. */
static int policy_opts(int argc, char **argv, const char **policy, const char **preset,
		       const char **root, const char *usage)
{
	int c;
	optind = 1;
	static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	while ((c = getopt_long(argc, argv, "+p:P:r:h", lo, NULL)) != -1) {
		switch (c) {
		case 'p': *policy = optarg; break;
		case 'P': *preset = optarg; break;
		case 'r': *root = optarg; break;
		case 'h': printf("usage: %s\n", usage); exit(0);
		default: fprintf(stderr, "usage: %s\n", usage); return -1;
		}
	}
	if (*policy && *preset) {
		cli_err("-p and -P exclude each other");
		return -1;
	}
	return optind;
}

int cmd_explain(int argc, char **argv)
{
	const char *policy = NULL, *preset = NULL, *root = NULL;
	const char *usage = "ward explain [-p POLICY | -P PRESET] [-r ROOT] PATH...";
	int first = policy_opts(argc, argv, &policy, &preset, &root, usage);
	if (first < 0)
		return EXIT_USAGE;
	if (first >= argc) {
		fprintf(stderr, "usage: %s\n", usage);
		return EXIT_USAGE;
	}
	struct wc_opts o;
	cli_opts(&o);
	o.root = root;
	size_t size;
	void *blob = cli_compile(policy, preset, &o, &size);
	if (!blob)
		return 1;
	const struct wp_hdr *h = blob;
	/* the session starts now, for rules that expire */
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	((struct wp_hdr *)blob)->start_bt_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	int rc = 0;
	for (int i = first; i < argc; i++) {
		int is_dir = 0;
		char *real = cli_resolve(argv[i], &is_dir);
		struct wd_out out;
		if (!real || wd_decide_str(h, real, strlen(real), is_dir, &out) < 0) {
			cli_err("%s: cannot resolve", argv[i]);
			free(real);
			rc = 1;
			continue;
		}
		uint32_t ll;
		const char *label = wd_rule_label(h, out.rule, &ll);
		printf("%s\t%s\t%.*s\n", wp_level_name(out.level), argv[i], (int)ll, label);
		free(real);
	}
	free(blob);
	return rc;
}

int cmd_presets(int argc, char **argv)
{
	if (argc > 2) {
		fputs("usage: ward presets [NAME]\n", stderr);
		return EXIT_USAGE;
	}
	if (argc == 2) {
		const struct wc_preset *p = wc_preset_find(argv[1]);
		if (!p) {
			cli_err("unknown preset '%s' (see ward presets)", argv[1]);
			return 1;
		}
		fputs(p->text, stdout);
		return 0;
	}
	for (size_t i = 0; i < wc_npresets; i++)
		printf("%-12s %s%s\n", wc_presets[i].name, wc_presets[i].summary,
		       strcmp(wc_presets[i].name, "agent-safe") == 0 ? " (default)" : "");
	return 0;
}
