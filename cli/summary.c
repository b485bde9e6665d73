/* summary.c: what ward report prints, from any byte sequence (see summary.h). Kept
 * apart from the command so that the fuzzer (t/fuzz/report.c) runs the same code. */
#include "cli/summary.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "common/hash.h"

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

static void *xalloc(void *p)
{
	if (!p) {
		fputs("ward: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return s ? xalloc(strdup(s)) : NULL;
}

static uint64_t keyhash(const char *const k[4])
{
	XXH3_state_t st;
	XXH3_64bits_reset(&st);
	for (int i = 0; i < 4; i++) {
		/* a missing part and an empty one are told apart */
		const char *s = k[i] ? k[i] : "";
		XXH3_64bits_update(&st, k[i] ? "s" : "n", 1);
		XXH3_64bits_update(&st, s, strlen(s) + 1);
	}
	return XXH3_64bits_digest(&st);
}

static bool same_part(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same(const struct group *g, const char *const k[4])
{
	for (int i = 0; i < 4; i++)
		if (!same_part(g->k[i], k[i]))
			return false;
	return true;
}

static void grow(struct table *t)
{
	size_t nc = t->icap ? t->icap * 2 : 1024;
	uint32_t *ni = xalloc(calloc(nc, sizeof *ni));
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
		t->g = xalloc(realloc(t->g, t->cap * sizeof *t->g));
	}
	struct group *g = &t->g[t->n];
	memset(g, 0, sizeof *g);
	for (int i = 0; i < 4; i++)
		g->k[i] = xstrdup(k[i]);
	g->count = 1;
	t->idx[s] = (uint32_t)++t->n;
	return g;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (int k = 0; k < 4; k++)
			free(t->g[i].k[k]);
		for (int k = 0; k < 3; k++)
			free(t->g[i].info[k]);
	}
	free(t->g);
	free(t->idx);
	memset(t, 0, sizeof *t);
}

static int by_count(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->k[0] ? x->k[0] : "", y->k[0] ? y->k[0] : "");
}

/* A value for a person: escaped, "?" when missing, padded to `width` columns. */
static void put(FILE *f, const char *s, int width)
{
	jput_text(f, s ? s : "?");
	for (int i = (int)strlen(s ? s : "?"); i < width; i++)
		putc(' ', f);
}

/* The marks of a session (struct group's extra, in the sessions table) */
enum { S_SUPERVISED = 1, S_ENDED = 2, S_LOST = 4 };

/* A session of a ward run that writes an `end` event, whose log stops before it: its
 * ward died (or the next ward run said so with supervisor-lost). */
static bool incomplete(const struct group *g, bool (*alive)(const char *))
{
	if (g->extra & S_LOST)
		return true;
	return (g->extra & S_SUPERVISED) && !(g->extra & S_ENDED) && !(alive && alive(g->k[0]));
}

static bool running(const struct group *g, bool (*alive)(const char *))
{
	return (g->extra & S_SUPERVISED) && !(g->extra & (S_ENDED | S_LOST)) && alive && alive(g->k[0]);
}

static void put_json_or_null(FILE *f, const char *s)
{
	if (s)
		jput_json(f, s);
	else
		fputs("null", f);
}

int cli_summary(FILE *in, const char *name, bool json, FILE *out, bool (*alive)(const char *session))
{
	struct table sessions = {0}, denials = {0}, probes = {0}, writes = {0}, purges = {0}, execs = {0};
	long lines = 0, bad = 0, events = 0;
	struct jreader rd;
	if (!jreader_init(&rd, in)) {
		fputs("ward: out of memory\n", stderr);
		return 1;
	}
	int r;
	size_t len;
	while ((r = jreader_next(&rd, &len)) > 0) {
		lines++;
		struct jobj o;
		if (r != 1 || !jparse(rd.buf, len, &o)) {
			bad++;
			continue;
		}
		const char *ev = jget(&o, "event"), *sess = jget(&o, "session");
		if (!ev || !sess) {
			bad++;
			jfree(&o);
			continue;
		}
		events++;
		struct group *s = bump(&sessions, sess, NULL, NULL, NULL);
		if (s->count == 1)
			s->info[0] = xstrdup(jget(&o, "ts"));
		if (strcmp(ev, "policy") == 0) {
			const char *src = jget(&o, "source"), *hash = jget(&o, "hash"), *mode = jget(&o, "mode");
			/* written by a ward run that ends its sessions with an `end` event */
			json_t *bs = json_object_get(o.o, "backstop");
			if (json_is_object(bs) && json_object_get(bs, "tiocsti"))
				s->extra |= S_SUPERVISED;
			free(s->info[1]);
			free(s->info[2]);
			s->info[1] = xstrdup(src ? src : "?");
			size_t dl = strlen(hash ? hash : "?") + strlen(mode ? mode : "?") + 2;
			s->info[2] = xalloc(malloc(dl));
			snprintf(s->info[2], dl, "%s %s", hash ? hash : "?", mode ? mode : "?");
		} else if (strcmp(ev, "op") == 0) {
			const char *dec = jget(&o, "decision"), *acc = jget(&o, "access"), *real = jget(&o, "real");
			const char *rule = jget(&o, "rule"), *grant = jget(&o, "grant");
			/* a hidden name where nothing exists: an attempt, apart from the denials */
			bool absent = json_is_true(json_object_get(o.o, "absent"));
			if (dec && (strcmp(dec, "deny") == 0 || strcmp(dec, "would-deny") == 0))
				bump(absent ? &probes : &denials, real, rule, acc, dec);
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
			long long age = 0;
			g->extra = jget_int(&o, "age_s", &age) ? age : 0;
		}
		jfree(&o);
	}
	int read_errno = r < 0 ? errno : 0;
	jreader_free(&rd);
	int status = 0;
	if (read_errno) {
		fputs("ward: cannot read ", stderr);
		jput_text(stderr, name);
		fprintf(stderr, ": %s\n", strerror(read_errno));
		status = 1;
	} else if (bad && !events) {
		fputs("ward: ", stderr);
		jput_text(stderr, name);
		fprintf(stderr, " is not an audit log: none of its %ld lines is an audit event\n", lines);
		status = 1;
	}
	if (status) {
		table_free(&sessions);
		table_free(&denials);
		table_free(&probes);
		table_free(&writes);
		table_free(&purges);
		table_free(&execs);
		return status;
	}
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
		fputs("{\"log\":", out);
		jput_json(out, name);
		fprintf(out, ",\"events\":%ld,\"unreadable_lines\":%ld,\"sessions\":[", events, bad);
		for (size_t i = 0; i < sessions.n; i++) {
			struct group *g = &sessions.g[i];
			fprintf(out, "%s{\"session\":", i ? "," : "");
			jput_json(out, g->k[0]);
			fputs(",\"start\":", out);
			put_json_or_null(out, g->info[0]);
			fputs(",\"source\":", out);
			put_json_or_null(out, g->info[1]);
			fprintf(out, ",\"events\":%ld", g->count);
			if (g->extra & (S_SUPERVISED | S_LOST))
				fprintf(out, ",\"complete\":%s,\"running\":%s",
					incomplete(g, alive) || running(g, alive) ? "false" : "true",
					running(g, alive) ? "true" : "false");
			putc('}', out);
		}
		fputs("],\"denials\":[", out);
		for (size_t i = 0; i < denials.n; i++) {
			struct group *g = &denials.g[i];
			fprintf(out, "%s{\"real\":", i ? "," : "");
			put_json_or_null(out, g->k[0]);
			fputs(",\"rule\":", out);
			put_json_or_null(out, g->k[1]);
			fputs(",\"access\":", out);
			put_json_or_null(out, g->k[2]);
			fputs(",\"decision\":", out);
			put_json_or_null(out, g->k[3]);
			fprintf(out, ",\"count\":%ld}", g->count);
		}
		fputs("],\"absent\":[", out);
		for (size_t i = 0; i < probes.n; i++) {
			struct group *g = &probes.g[i];
			fprintf(out, "%s{\"real\":", i ? "," : "");
			put_json_or_null(out, g->k[0]);
			fputs(",\"rule\":", out);
			put_json_or_null(out, g->k[1]);
			fputs(",\"access\":", out);
			put_json_or_null(out, g->k[2]);
			fprintf(out, ",\"count\":%ld}", g->count);
		}
		fputs("],\"writes\":[", out);
		for (size_t i = 0; i < writes.n; i++) {
			struct group *g = &writes.g[i];
			fprintf(out, "%s{\"real\":", i ? "," : "");
			put_json_or_null(out, g->k[0]);
			fputs(",\"access\":", out);
			put_json_or_null(out, g->k[1]);
			fputs(",\"grant\":", out);
			put_json_or_null(out, g->k[2]);
			fprintf(out, ",\"count\":%ld}", g->count);
		}
		fprintf(out, "],\"execs\":%ld,\"purges\":[", nexec);
		for (size_t i = 0; i < purges.n; i++) {
			struct group *g = &purges.g[i];
			fprintf(out, "%s{\"real\":", i ? "," : "");
			put_json_or_null(out, g->k[0]);
			fputs(",\"grant\":", out);
			put_json_or_null(out, g->k[1]);
			fprintf(out, ",\"age_s\":%lld}", g->extra);
		}
		fputs("]}\n", out);
	} else {
		fputs("Audit log ", out);
		jput_text(out, name);
		fprintf(out, ": %ld events", events);
		if (bad)
			fprintf(out, ", %ld unreadable lines", bad);
		fprintf(out, "\n\nSessions: %zu\n", sessions.n);
		size_t nbad = 0;
		for (size_t i = 0; i < sessions.n; i++) {
			struct group *g = &sessions.g[i];
			fputs("  ", out);
			put(out, g->k[0], 0);
			fputs("  started ", out);
			put(out, g->info[0], 0);
			fputs("  ", out);
			put(out, g->info[1] ? g->info[1] : "(no policy event)", 0);
			fputs("  ", out);
			jput_text(out, g->info[2] ? g->info[2] : "");
			bool cut = incomplete(g, alive);
			nbad += cut;
			fprintf(out, "  (%ld events)%s\n", g->count,
				cut ? "  INCOMPLETE: its ward run ended before the session"
				    : running(g, alive) ? "  (running)" : "");
		}
		if (nbad)
			fprintf(out,
				"  The log of %zu session%s is incomplete: %s ward run died (killed, or out of memory) "
				"before the session ended, and what the session did after that is not in this log.\n",
				nbad, nbad == 1 ? "" : "s", nbad == 1 ? "its" : "their");
		fprintf(out, "\nDenials: %ld\n", ndeny);
		for (size_t i = 0; i < denials.n; i++) {
			struct group *g = &denials.g[i];
			fprintf(out, "  %6ld  ", g->count);
			put(out, g->k[2], 7);
			putc(' ', out);
			put(out, g->k[0], 0);
			fputs("  (", out);
			put(out, g->k[1], 0);
			fprintf(out, ")%s\n", g->k[3] && strcmp(g->k[3], "would-deny") == 0 ? " would-deny" : "");
		}
		if (nprobe) {
			fprintf(out, "\nAttempts on hidden names where nothing exists: %ld\n", nprobe);
			for (size_t i = 0; i < probes.n; i++) {
				struct group *g = &probes.g[i];
				fprintf(out, "  %6ld  ", g->count);
				put(out, g->k[2], 7);
				putc(' ', out);
				put(out, g->k[0], 0);
				fputs("  (", out);
				put(out, g->k[1], 0);
				fputs(")\n", out);
			}
		}
		fprintf(out, "\nWrites, creations and deletions: %ld\n", nwrite);
		for (size_t i = 0; i < writes.n; i++) {
			struct group *g = &writes.g[i];
			fprintf(out, "  %6ld  ", g->count);
			put(out, g->k[1], 7);
			putc(' ', out);
			put(out, g->k[0], 0);
			if (g->k[2]) {
				fputs("  (grant ", out);
				jput_text(out, g->k[2]);
				putc(')', out);
			}
			putc('\n', out);
		}
		fprintf(out, "\nPrograms executed: %ld (%zu distinct)\n", nexec, execs.n);
		fprintf(out, "\nPurges: %zu\n", purges.n);
		for (size_t i = 0; i < purges.n; i++) {
			struct group *g = &purges.g[i];
			fputs("  ", out);
			put(out, g->k[0], 0);
			fprintf(out, "  age %llds  (grant ", g->extra);
			put(out, g->k[1], 0);
			fputs(")\n", out);
		}
	}
	table_free(&sessions);
	table_free(&denials);
	table_free(&probes);
	table_free(&writes);
	table_free(&purges);
	table_free(&execs);
	return 0;
}
