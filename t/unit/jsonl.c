/* t/unit/jsonl.c: audit lines (DESIGN.md section 7): one JSON object a line, at most
 * 4096 bytes with its newline, long strings cut and marked, every byte escaped as JSON
 * needs.
 *
 *   t/unit/jsonl [FILE]
 *
 * Checks what C can check (length, one newline at the end, no raw control byte, the
 * "cut" marker) and, given FILE, writes every line there, each with a "case" field
 * first, for t/013-jsonl.t to parse back with python3's json module. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/audit.h"
#include "common/jsonl.h"
#include "common/policy.h"
#include "t/tap/basic.h"

static FILE *out;

/* Checks one finished line and writes it out. */
static void check_line(const char *name, const char *p, size_t n, int want_cut)
{
	bool nl_only_at_end = n > 0 && p[n - 1] == '\n' && memchr(p, '\n', n - 1) == NULL;
	bool no_ctrl = true;
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)p[i] < 0x20)
			no_ctrl = false;
	ok(n <= WJ_LINE_MAX, "%s: %zu bytes, at most 4096 with the newline", name, n);
	ok(nl_only_at_end && n >= 3 && p[0] == '{' && p[n - 2] == '}', "%s: one object, one newline, at the end",
	   name);
	ok(no_ctrl, "%s: no raw control byte", name);
	bool has_cut = memmem(p, n, "\"cut\":true", 10) != NULL;
	if (want_cut >= 0)
		ok(has_cut == (want_cut == 1), "%s: %s", name, want_cut ? "marked cut" : "not marked cut");
	if (out && fwrite(p, 1, n, out) != n)
		bail("write");
}

static char buf[WJ_LINE_MAX + 64];

static void begin(struct wj *j, const char *name)
{
	memset(buf, 'X', sizeof buf);
	wj_begin(j, buf, WJ_LINE_MAX);
	wj_cstr(j, "case", name);
}

static void finish(struct wj *j, const char *name, int want_cut)
{
	size_t n = wj_end(j);
	ok(buf[WJ_LINE_MAX] == 'X', "%s: nothing written past 4096 bytes", name);
	check_line(name, buf, n, want_cut);
}

/* One event holding one long string in "path" (and a second in "real"). */
static void long_case(const char *name, const char *unit, size_t ulen, size_t count, bool two, int want_cut)
{
	size_t len = ulen * count;
	char *s = malloc(len + 1);
	for (size_t i = 0; i < count; i++)
		memcpy(s + i * ulen, unit, ulen);
	s[len] = 0;
	struct wj j;
	begin(&j, name);
	wj_cstr(&j, "event", "op");
	wj_str(&j, "path", s, len, WJ_LINE_MAX);
	if (two)
		wj_str(&j, "real", s, len, WJ_LINE_MAX);
	wj_cstr(&j, "decision", "deny");
	finish(&j, name, want_cut);
	free(s);
}

int main(int argc, char **argv)
{
	plan_lazy();
	if (argc > 1) {
		out = fopen(argv[1], "w");
		if (!out)
			bail("cannot write %s", argv[1]);
	}
	struct wj j;

	/* a plain event */
	begin(&j, "basic");
	char ts[32];
	wj_ts(ts, 1700000000123456);
	wj_str(&j, "ts", ts, 27, 64);
	wj_cstr(&j, "session", "0123456789abcdef");
	wj_int(&j, "pid", 4242);
	wj_cstr(&j, "event", "op");
	wj_cstr(&j, "path", "/home/u/docs/a b.txt");
	wj_bool(&j, "t", true);
	wj_bool(&j, "f", false);
	wj_null(&j, "n");
	wj_raw(&j, "raw", "{\"x\":[1,2,\"y\"]}", 15);
	finish(&j, "basic", 0);

	/* escapes */
	{
		static const char s[] = "q\" b\\ n\n t\t r\r nul\0 x01\x01 x1f\x1f del\x7f slash/ euro\xe2\x82\xac "
					"g\xf0\x9f\x98\x80 end";
		begin(&j, "escapes");
		wj_str(&j, "s", s, sizeof s - 1, WJ_LINE_MAX);
		finish(&j, "escapes", 0);
	}
	/* bytes that are not UTF-8 */
	{
		static const char s[] = "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\x80" "e\xf5\x80\x80\x80" "f\xe2\x82";
		begin(&j, "invalid-utf8");
		wj_str(&j, "s", s, sizeof s - 1, WJ_LINE_MAX);
		finish(&j, "invalid-utf8", 0);
	}
	/* every byte value */
	{
		char s[256];
		for (int i = 0; i < 256; i++)
			s[i] = (char)i;
		begin(&j, "all-bytes");
		wj_str(&j, "s", s, 256, WJ_LINE_MAX);
		finish(&j, "all-bytes", 0);
	}
	/* integers */
	begin(&j, "ints");
	wj_int(&j, "min", LLONG_MIN);
	wj_int(&j, "max", LLONG_MAX);
	wj_int(&j, "zero", 0);
	wj_int(&j, "minus", -1);
	finish(&j, "ints", 0);

	/* 4,000-character strings: cut, marked, never past 4096 bytes */
	/* (4,000 plain bytes fit whole; escaped, or two of them, do not) */
	long_case("long-ascii", "a", 1, 4000, false, 0);
	long_case("long-ascii-two", "a", 1, 4000, true, 1);
	long_case("long-quotes", "\"", 1, 4000, false, 1);
	long_case("long-backslashes", "\\", 1, 4000, false, 1);
	long_case("long-ctrl", "\x01", 1, 4000, false, 1);
	long_case("long-utf8-2", "\xc3\xa9", 2, 2000, false, 0);
	long_case("long-utf8-2-two", "\xc3\xa9", 2, 2000, true, 1);
	long_case("long-utf8-3", "\xe2\x82\xac", 3, 1334, true, 1);
	long_case("long-utf8-4", "\xf0\x9f\x98\x80", 4, 1000, true, 1);
	long_case("long-invalid", "\xff", 1, 4000, false, 1);
	long_case("long-mixed", "a\"\x01\xc3\xa9\xff", 6, 700, true, 1);

	/* a limit on one field */
	begin(&j, "limit");
	wj_str(&j, "s", "0123456789abcdefghijklmnopqrstuvwxyz", 36, 16);
	wj_cstr(&j, "after", "kept");
	finish(&j, "limit", 1);

	/* many fields: those that do not fit are left out whole */
	{
		char v[101];
		memset(v, 'v', 100);
		v[100] = 0;
		begin(&j, "many-fields");
		for (int i = 0; i < 60; i++) {
			char k[16];
			snprintf(k, sizeof k, "f%02d", i);
			wj_cstr(&j, k, v);
		}
		finish(&j, "many-fields", 1);
	}

	/* lengths around the limit, plain and escaped */
	{
		static const char *const units[] = {"a", "\"", "\x02", "\xc3\xa9", "\xf0\x9f\x98\x80"};
		static const size_t ulens[] = {1, 1, 1, 2, 4};
		char *s = malloc(5000 * 4);
		int bad = 0;
		for (size_t u = 0; u < 5; u++) {
			for (size_t len = 3950; len <= 4110; len++) {
				size_t count = len / ulens[u];
				for (size_t i = 0; i < count; i++)
					memcpy(s + i * ulens[u], units[u], ulens[u]);
				char name[64];
				snprintf(name, sizeof name, "sweep-%zu-%zu", u, len);
				memset(buf, 'X', sizeof buf);
				wj_begin(&j, buf, WJ_LINE_MAX);
				wj_cstr(&j, "case", name);
				wj_int(&j, "pid", 1);
				wj_str(&j, "path", s, count * ulens[u], WJ_LINE_MAX);
				size_t n = wj_end(&j);
				if (n > WJ_LINE_MAX || buf[n - 1] != '\n' || buf[n - 2] != '}' || buf[WJ_LINE_MAX] != 'X') {
					if (bad++ < 5)
						diag("%s: %zu bytes", name, n);
				}
				if (out && fwrite(buf, 1, n, out) != n)
					bail("write");
			}
		}
		is_int(0, bad, "strings of 3950 to 4110 bytes in 5 encodings: every line within 4096 bytes");
		free(s);
	}

	/* the audit events of common/audit.c */
	{
		struct wp_builder *b = wpb_new();
		char err[256], path[600];
		size_t size;
		for (int i = 0; i < 40; i++) {
			int k = snprintf(path, sizeof path, "/g%02d/", i);
			memset(path + k, 'p', 400 - (size_t)k);
			path[400] = 0;
			if (wpb_add(b, WK_RULE, path, WL_WRITE, 0, i % 2 ? 1800 : 0, "a \"quoted\"\njustification",
				    "policy.conf:9", false, err, sizeof err) < 0)
				bail("%s", err);
		}
		wpb_set(b, WL_NONE, WM_ENFORCE, WB_AUTO, false, 0, false);
		wpb_set_paths(b, "/home/u/proj", "/home/u", "/home/u/policy \"x\".conf", NULL, NULL);
		struct wp_hdr *h = wpb_finish(b, &size, err, sizeof err);
		wpb_free(b);
		if (!h)
			bail("%s", err);
		h->session = 0x0123456789abcdefull;
		h->start_rt_us = wj_now_us();
		char line[WJ_LINE_MAX];
		size_t n = wa_policy_line(line, h, 77, NULL);
		check_line("policy-event", line, n, -1);
		char *s = malloc(4001);
		memset(s, 'r', 4000);
		s[0] = '/';
		s[4000] = 0;
		n = wa_purge_line(line, h, 77, s, 4000, 3600, 3);
		check_line("purge-event", line, n, 1);
		free(s);
		free(h);
	}

	/* every field left out: the line is still an object, {"cut":true} (issue 20:
	 * it was {,"cut":true}) */
	{
		struct wj w;
		char small[40];
		wj_begin(&w, small, sizeof small);
		wj_int(&w, "a_key_longer_than_the_line_has_room_for", 5);
		size_t n = wj_end(&w);
		is_string("{\"cut\":true}\n", (small[n] = 0, small), "every field left out: {\"cut\":true}");
		/* a value alone, cut: a JSON string and nothing more */
		char v[17]; /* 16 for the value, one for the NUL the test adds */
		bool cut;
		size_t vl = wj_quote(v, sizeof v - 1, "/0123456789abcdef", 17, &cut);
		v[vl] = 0;
		is_string("\"/01234567[...]\"", v, "wj_quote cuts inside the quotes");
		ok(cut, "... and says so");
		vl = wj_quote(v, sizeof v - 1, "/ab\"c", 5, &cut);
		v[vl] = 0;
		is_string("\"/ab\\\"c\"", v, "wj_quote escapes");
		ok(!cut, "... and cuts nothing that fits");
	}

	/* timestamps, clock, errno names */
	char t[32];
	wj_ts(t, 0);
	is_string("1970-01-01T00:00:00.000000Z", t, "wj_ts(0)");
	wj_ts(t, 1700000000123456);
	is_string("2023-11-14T22:13:20.123456Z", t, "wj_ts: microseconds");
	wj_ts(t, -1);
	is_string("1969-12-31T23:59:59.999999Z", t, "wj_ts(-1)");
	wj_ts(t, 951782400000000);
	is_string("2000-02-29T00:00:00.000000Z", t, "wj_ts: a leap day");
	wj_ts(t, 253402300799999999);
	is_string("9999-12-31T23:59:59.999999Z", t, "wj_ts: the last second of year 9999");
	int64_t now = wj_now_us();
	ok(now / 1000000 >= time(NULL) - 2 && now / 1000000 <= time(NULL) + 2, "wj_now_us is the wall clock");
	char tmp[16];
	is_string("EACCES", wj_errno_name(EACCES, tmp), "errno EACCES");
	is_string("ENOENT", wj_errno_name(ENOENT, tmp), "errno ENOENT");
	is_string("EXDEV", wj_errno_name(EXDEV, tmp), "errno EXDEV");
	is_string("E12345", wj_errno_name(12345, tmp), "an unnamed errno");

	if (out && fclose(out) != 0)
		bail("close");
	return tap_failures() ? 1 : 0;
}
