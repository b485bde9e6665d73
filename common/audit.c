/* audit.c: `policy` and `purge` events (see audit.h). */
#include "audit.h"

#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "jsonl.h"

void wa_blob_hash(char out[22], const void *blob, size_t size)
{
	static const char hexd[] = "0123456789abcdef";
	uint64_t v = XXH3_64bits(blob, size);
	memcpy(out, "xxh3:", 5);
	for (int i = 0; i < 16; i++)
		out[5 + i] = hexd[(v >> (60 - 4 * i)) & 15];
	out[21] = 0;
}

void wa_session_hex(uint64_t session, char out[17])
{
	static const char hexd[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++)
		out[i] = hexd[(session >> (60 - 4 * i)) & 15];
	out[16] = 0;
}

void wa_grant_id(char *out, uint32_t g)
{
	char t[12];
	int n = 0;
	do {
		t[n++] = (char)('0' + g % 10);
		g /= 10;
	} while (g);
	int o = 0;
	out[o++] = 'g';
	while (n)
		out[o++] = t[--n];
	out[o] = 0;
}

static void head(struct wj *j, const struct wp_hdr *h, int pid, const char *event)
{
	char ts[32], sess[17];
	wj_ts(ts, wj_now_us());
	wa_session_hex(h->session, sess);
	wj_str(j, "ts", ts, 27, 64);
	wj_str(j, "session", sess, 16, 32);
	wj_int(j, "pid", pid);
	wj_cstr(j, "event", event);
}

size_t wa_policy_line(char *buf, const struct wp_hdr *h, int pid, const char *backstop_json)
{
	struct wj j;
	char grants[3000], hash[32];
	wj_begin(&j, buf, WJ_LINE_MAX);
	head(&j, h, pid, "policy");
	wj_str(&j, "source", WP_STR(h, h->source_off), h->source_len, 600);
	snprintf(hash, sizeof hash, "xxh3:%016llx", (unsigned long long)h->hash);
	wj_cstr(&j, "hash", hash);
	wj_cstr(&j, "mode", h->mode == WM_AUDIT ? "audit" : "enforce");
	wj_str(&j, "root", WP_STR(h, h->root_off), h->root_len, 600);
	/* grants, as many as fit */
	size_t gn = 0;
	uint32_t total = 0, shown = 0;
	grants[gn++] = '[';
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t i = 0; i < h->nrules; i++) {
		if (R[i].kind != WK_RULE || !R[i].grant)
			continue;
		total++;
		char one[1200], id[16];
		struct wj g;
		wj_begin(&g, one, sizeof one);
		wa_grant_id(id, R[i].grant);
		wj_cstr(&g, "id", id);
		wj_str(&g, "path", WP_STR(h, R[i].pat_off), R[i].pat_len, 500);
		wj_cstr(&g, "level", wp_level_name(R[i].level));
		if (R[i].ttl_s)
			wj_int(&g, "ttl", R[i].ttl_s);
		else
			wj_null(&g, "ttl");
		if (R[i].expires_s) {
			char until[32];
			wj_int(&g, "expires", R[i].expires_s);
			wj_ts(until, h->start_rt_us + (int64_t)R[i].expires_s * 1000000);
			wj_str(&g, "until", until, 27, 64);
		} else {
			wj_null(&g, "expires");
		}
		wj_str(&g, "justification", WP_STR(h, R[i].just_off), R[i].just_len, 300);
		wj_str(&g, "rule", WP_STR(h, R[i].src_off), R[i].src_len, 300);
		size_t gl = wj_end(&g) - 1; /* without its newline */
		if (gn + gl + 2 >= sizeof grants)
			continue;
		if (gn > 1)
			grants[gn++] = ',';
		memcpy(grants + gn, one, gl);
		gn += gl;
		shown++;
	}
	grants[gn++] = ']';
	wj_raw(&j, "grants", grants, gn);
	if (shown < total)
		wj_int(&j, "grants_left_out", total - shown);
	if (backstop_json)
		wj_raw(&j, "backstop", backstop_json, strlen(backstop_json));
	else
		wj_null(&j, "backstop");
	return wj_end(&j);
}

size_t wa_purge_line(char *buf, const struct wp_hdr *h, int pid, const char *real, size_t len,
		     int64_t age_s, uint32_t grant)
{
	struct wj j;
	char id[16];
	wj_begin(&j, buf, WJ_LINE_MAX);
	head(&j, h, pid, "purge");
	wj_str(&j, "real", real, len, 3500);
	wj_int(&j, "age_s", age_s);
	wa_grant_id(id, grant);
	wj_cstr(&j, "grant", id);
	return wj_end(&j);
}
