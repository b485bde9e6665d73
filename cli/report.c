/* report.c: ward report: an audit log summarised for a person at a glance (denials
 * grouped by path and rule, writes and creations, purges, sessions), or as JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "cli/ward.h"
#include "common/hash.h"
#include "common/jsonl.h"

/* ---- grouping: a string-keyed table of counters ---- */

struct group {
	char *k[4];    /* the parts of the key */
	char *info[3]; /* what is shown beside it, not part of the key */
	long count;
	long long extra;
};

struct table {
	struct group *g;
	size_t n, cap;
	uint32_t *idx; /* open addressing: index + 1, 0 empty */
	size_t icap;
};

static uint64_t keyhash(const char *const k[4])
{
	XXH3_state_t st;
	XXH3_64bits_reset(&st);
	for (int i = 0; i < 4; i++) {
		const char *s = k[i] ? k[i] : "";
		XXH3_64bits_update(&st, s, strlen(s) + 1);
	}
	return XXH3_64bits_digest(&st);
}

static bool same(const struct group *g, const char *const k[4])
{
	for (int i = 0; i < 4; i++)
		if (strcmp(g->k[i] ? g->k[i] : "", k[i] ? k[i] : "") != 0)
			return false;
	return true;
}

static void grow(struct table *t)
{
	size_t nc = t->icap ? t->icap * 2 : 1024;
	uint32_t *ni = calloc(nc, sizeof *ni);
	if (!ni) {
		cli_err("out of memory");
		exit(1);
	}
	for (size_t i = 0; i < t->n; i++) {
		size_t s = keyhash((const char *const *)t->g[i].k) & (nc - 1);
		while (ni[s])
			s = (s + 1) & (nc - 1);
		ni[s] = (uint32_t)i + 1;
	}
	free(t->idx);
	t->idx = ni;
	t->icap = nc;
}

static struct group *bump(struct table *t, const char *k0, const char *k1, const char *k2, const char *k3)
{
	const char *k[4] = {k0, k1, k2, k3};
	if (t->n * 2 >= t->icap)
		grow(t);
	size_t s = keyhash(k) & (t->icap - 1);
	while (t->idx[s]) {
		struct group *g = &t->g[t->idx[s] - 1];
		if (same(g, k)) {
			g->count++;
			return g;
		}
		s = (s + 1) & (t->icap - 1);
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->g = realloc(t->g, t->cap * sizeof *t->g);
		if (!t->g) {
			cli_err("out of memory");
			exit(1);
		}
	}
	struct group *g = &t->g[t->n];
	memset(g, 0, sizeof *g);
	for (int i = 0; i < 4; i++)
		g->k[i] = k[i] ? strdup(k[i]) : NULL;
	g->count = 1;
	t->idx[s] = (uint32_t)++t->n;
	return g;
}

static int by_count(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->k[0] ? x->k[0] : "", y->k[0] ? y->k[0] : "");
}

static void json_s(FILE *f, const char *s)
{
	char buf[WJ_LINE_MAX];
	struct wj j;
	wj_begin(&j, buf, sizeof buf);
	wj_cstr(&j, "v", s ? s : "");
	/* {"v":"..."} -> "..." */
	size_t n = wj_end(&j);
	fwrite(buf + 5, 1, n - 7, f);
}

/* What a session's events say of its end (struct group's `extra`, for sessions). */
enum { S_SUPERVISED = 1, S_ENDED = 2, S_LOST = 4 };

/* Is the log of this session incomplete: its ward run died before the session
 * ended (found by a later ward run, or no end event and no ward run alive)? */
static bool incomplete(const struct group *g)
{
	if (g->extra & S_LOST)
		return true;
	return (g->extra & S_SUPERVISED) && !(g->extra & S_ENDED) && !cli_session_alive(g->k[0]);
}

static bool running(const struct group *g)
{
	return (g->extra & S_SUPERVISED) && !(g->extra & (S_ENDED | S_LOST)) && cli_session_alive(g->k[0]);
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
	FILE *f = fopen(path, "r");
	if (!f) {
		cli_err("cannot read %s: %s", path, strerror(errno));
		free(path);
		return 1;
	}
	struct table sessions = {0}, denials = {0}, probes = {0}, writes = {0}, purges = {0}, execs = {0};
	long lines = 0, bad = 0, events = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		lines++;
		struct jobj o;
		if (!jparse(line, &o)) {
			bad++;
			continue;
		}
		events++;
		const char *ev = jget(&o, "event"), *sess = jget(&o, "session");
		if (!ev || !sess) {
			bad++;
			jfree(&o);
			continue;
		}
		struct group *s = bump(&sessions, sess, NULL, NULL, NULL);
		if (s->count == 1) {
			const char *ts = jget(&o, "ts");
			s->info[0] = strdup(ts ? ts : "");
		}
		if (strcmp(ev, "policy") == 0) {
			const char *src = jget(&o, "source"), *hash = jget(&o, "hash"), *mode = jget(&o, "mode");
			const char *bs = jget(&o, "backstop");
			/* written by a ward run that ends its sessions with an `end` event */
			if (bs && strstr(bs, "\"tiocsti\""))
				s->extra |= S_SUPERVISED;
			free(s->info[1]);
			free(s->info[2]);
			char desc[1024];
			snprintf(desc, sizeof desc, "%s %s", hash ? hash : "?", mode ? mode : "?");
			s->info[1] = strdup(src ? src : "?");
			s->info[2] = strdup(desc);
		} else if (strcmp(ev, "op") == 0) {
			const char *dec = jget(&o, "decision"), *acc = jget(&o, "access"), *real = jget(&o, "real");
			const char *rule = jget(&o, "rule"), *grant = jget(&o, "grant");
			const char *absent = jget(&o, "absent");
			if (dec && (strcmp(dec, "deny") == 0 || strcmp(dec, "would-deny") == 0))
				bump(absent && strcmp(absent, "true") == 0 ? &probes : &denials, real, rule, acc, dec);
			else if (acc && (strcmp(acc, "write") == 0 || strcmp(acc, "create") == 0 ||
					 strcmp(acc, "delete") == 0))
				bump(&writes, real, acc, grant, jget(&o, "op"));
			else if (acc && strcmp(acc, "exec") == 0)
				bump(&execs, real, NULL, NULL, NULL);
		} else if (strcmp(ev, "end") == 0) {
			s->extra |= S_ENDED;
		} else if (strcmp(ev, "supervisor-lost") == 0) {
			s->extra |= S_LOST;
		} else if (strcmp(ev, "purge") == 0) {
			struct group *g = bump(&purges, jget(&o, "real"), jget(&o, "grant"), NULL, NULL);
			const char *age = jget(&o, "age_s");
			g->extra = age ? atoll(age) : 0;
		}
		jfree(&o);
	}
	free(line);
	fclose(f);
	if (denials.n)
		qsort(denials.g, denials.n, sizeof *denials.g, by_count);
	if (probes.n)
		qsort(probes.g, probes.n, sizeof *probes.g, by_count);
	long nprobe = 0;
	for (size_t i = 0; i < probes.n; i++)
		nprobe += probes.g[i].count;
	if (writes.n)
		qsort(writes.g, writes.n, sizeof *writes.g, by_count);
	if (execs.n)
		qsort(execs.g, execs.n, sizeof *execs.g, by_count);
	long ndeny = 0, nwrite = 0, nexec = 0;
	for (size_t i = 0; i < denials.n; i++)
		ndeny += denials.g[i].count;
	for (size_t i = 0; i < writes.n; i++)
		nwrite += writes.g[i].count;
	for (size_t i = 0; i < execs.n; i++)
		nexec += execs.g[i].count;

	if (json) {
		printf("{\"log\":");
		json_s(stdout, path);
		printf(",\"events\":%ld,\"unreadable_lines\":%ld,\"sessions\":[", events, bad);
		for (size_t i = 0; i < sessions.n; i++) {
			struct group *g = &sessions.g[i];
			printf("%s{\"session\":", i ? "," : "");
			json_s(stdout, g->k[0]);
			printf(",\"start\":");
			json_s(stdout, g->info[0]);
			printf(",\"source\":");
			json_s(stdout, g->info[1]);
			printf(",\"events\":%ld", g->count);
			if (g->extra & S_SUPERVISED || g->extra & S_LOST)
				printf(",\"complete\":%s,\"running\":%s", incomplete(g) || running(g) ? "false" : "true",
				       running(g) ? "true" : "false");
			printf("}");
		}
		printf("],\"denials\":[");
		for (size_t i = 0; i < denials.n; i++) {
			struct group *g = &denials.g[i];
			printf("%s{\"real\":", i ? "," : "");
			json_s(stdout, g->k[0]);
			printf(",\"rule\":");
			json_s(stdout, g->k[1]);
			printf(",\"access\":");
			json_s(stdout, g->k[2]);
			printf(",\"decision\":");
			json_s(stdout, g->k[3]);
			printf(",\"count\":%ld}", g->count);
		}
		printf("],\"absent\":[");
		for (size_t i = 0; i < probes.n; i++) {
			struct group *g = &probes.g[i];
			printf("%s{\"real\":", i ? "," : "");
			json_s(stdout, g->k[0]);
			printf(",\"rule\":");
			json_s(stdout, g->k[1]);
			printf(",\"access\":");
			json_s(stdout, g->k[2]);
			printf(",\"count\":%ld}", g->count);
		}
		printf("],\"writes\":[");
		for (size_t i = 0; i < writes.n; i++) {
			struct group *g = &writes.g[i];
			printf("%s{\"real\":", i ? "," : "");
			json_s(stdout, g->k[0]);
			printf(",\"access\":");
			json_s(stdout, g->k[1]);
			printf(",\"grant\":");
			if (g->k[2])
				json_s(stdout, g->k[2]);
			else
				printf("null");
			printf(",\"count\":%ld}", g->count);
		}
		printf("],\"execs\":%ld,\"purges\":[", nexec);
		for (size_t i = 0; i < purges.n; i++) {
			struct group *g = &purges.g[i];
			printf("%s{\"real\":", i ? "," : "");
			json_s(stdout, g->k[0]);
			printf(",\"grant\":");
			json_s(stdout, g->k[1]);
			printf(",\"age_s\":%lld}", g->extra);
		}
		printf("]}\n");
	} else {
		printf("Audit log %s: %ld events", path, events);
		if (bad)
			printf(", %ld unreadable lines", bad);
		printf("\n\nSessions: %zu\n", sessions.n);
		size_t nbad = 0;
		for (size_t i = 0; i < sessions.n; i++) {
			struct group *g = &sessions.g[i];
			bool cut = incomplete(g);
			nbad += cut;
			printf("  %s  started %s  %s  %s  (%ld events)%s\n", g->k[0], g->info[0] ? g->info[0] : "?",
			       g->info[1] ? g->info[1] : "(no policy event)", g->info[2] ? g->info[2] : "", g->count,
			       cut ? "  INCOMPLETE: its ward run ended before the session" : running(g) ? "  (running)" : "");
		}
		if (nbad)
			printf("  The log of %zu session%s is incomplete: %s ward run died (killed, or out of memory) "
			       "before the session ended, and what the session did after that is not in this log.\n",
			       nbad, nbad == 1 ? "" : "s", nbad == 1 ? "its" : "their");
		printf("\nDenials: %ld\n", ndeny);
		for (size_t i = 0; i < denials.n; i++) {
			struct group *g = &denials.g[i];
			printf("  %6ld  %-7s %s  (%s)%s\n", g->count, g->k[2] ? g->k[2] : "?", g->k[0] ? g->k[0] : "?",
			       g->k[1] ? g->k[1] : "?", g->k[3] && strcmp(g->k[3], "would-deny") == 0 ? " would-deny" : "");
		}
		if (nprobe) {
			printf("\nAttempts on hidden names where nothing exists: %ld\n", nprobe);
			for (size_t i = 0; i < probes.n; i++) {
				struct group *g = &probes.g[i];
				printf("  %6ld  %-7s %s  (%s)\n", g->count, g->k[2] ? g->k[2] : "?",
				       g->k[0] ? g->k[0] : "?", g->k[1] ? g->k[1] : "?");
			}
		}
		printf("\nWrites, creations and deletions: %ld\n", nwrite);
		for (size_t i = 0; i < writes.n; i++) {
			struct group *g = &writes.g[i];
			printf("  %6ld  %-7s %s%s%s%s\n", g->count, g->k[1] ? g->k[1] : "?", g->k[0] ? g->k[0] : "?",
			       g->k[2] ? "  (grant " : "", g->k[2] ? g->k[2] : "", g->k[2] ? ")" : "");
		}
		printf("\nPrograms executed: %ld (%zu distinct)\n", nexec, execs.n);
		printf("\nPurges: %zu\n", purges.n);
		for (size_t i = 0; i < purges.n; i++) {
			struct group *g = &purges.g[i];
			printf("  %s  age %llds  (grant %s)\n", g->k[0] ? g->k[0] : "?", g->extra, g->k[1] ? g->k[1] : "?");
		}
	}
	free(path);
	return 0;
}
