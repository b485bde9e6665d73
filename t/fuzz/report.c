/* t/fuzz/report.c: ward report's reading of an audit log (cli/summary.c, cli/json.c),
 * for any bytes.
 *
 * Input: the log. It is summarised as JSON and as text. The JSON must be one valid
 * object on one line; the text must hold no control character but the newlines that
 * end its rows, no C1 control, no bidirectional override, no byte that is not UTF-8
 * (a name in the log must not draw rows of its own or reach the terminal as a
 * control sequence), and exactly the rows the JSON's counts call for (with the
 * attempts on absent names and the incomplete sessions' note). Both runs
 * must agree on the exit status. Each line also goes through the reader alone. */
#include <jansson.h>
#include <string.h>

#include "cli/json.h"
#include "cli/summary.h"
#include "common/jsonl.h"
#include "t/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static char *summary(const uint8_t *data, size_t size, bool json, int *rc, size_t *outlen)
{
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in && size == 0)
		in = fopen("/dev/null", "r");
	if (!in)
		abort();
	char *out = NULL;
	FILE *o = open_memstream(&out, outlen);
	if (!o)
		abort();
	*rc = cli_summary(in, "fuzz\n\033[2Jlog", json, o, NULL);
	fclose(o);
	fclose(in);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	int rj, rt;
	size_t lj, lt;
	char *j = summary(data, size, true, &rj, &lj);
	char *t = summary(data, size, false, &rt, &lt);
	FZ_CHECK(rj == rt);
	FZ_CHECK(rj == 0 || (lj == 0 && lt == 0));
	if (rj == 0) {
		FZ_CHECK(lj > 0 && j[lj - 1] == '\n' && memchr(j, '\n', lj - 1) == NULL);
		json_error_t e;
		json_t *o = json_loadb(j, lj, JSON_REJECT_DUPLICATES, &e);
		FZ_CHECKF(o && json_is_object(o), "--json printed no JSON object (%s): %s", e.text, j);
		json_t *ss = json_object_get(o, "sessions");
		size_t na = json_array_size(json_object_get(o, "absent"));
		size_t rows = 11 + json_array_size(ss) + json_array_size(json_object_get(o, "denials")) +
			      json_array_size(json_object_get(o, "writes")) +
			      json_array_size(json_object_get(o, "purges")) +
			      (na ? 2 + na : 0); /* the attempts on absent names, when there are */
		/* one line more when a session's log is incomplete */
		for (size_t i = 0; i < json_array_size(ss); i++)
			if (json_is_false(json_object_get(json_array_get(ss, i), "complete"))) {
				rows++;
				break;
			}
		json_decref(o);
		size_t nl = 0;
		const unsigned char *u = (const unsigned char *)t;
		for (size_t i = 0; i < lt;) {
			unsigned char c = u[i];
			if (c == '\n') {
				nl++;
				i++;
				continue;
			}
			FZ_CHECKF(c >= 0x20 && c != 0x7f, "a control character 0x%02x in the text, at %zu", c, i);
			size_t l = c < 0x80 ? 1 : wj_utf8_len(u + i, lt - i);
			FZ_CHECKF(l > 0, "a byte that is not UTF-8 in the text, at %zu", i);
			if (l == 2)
				FZ_CHECKF(!(c == 0xc2 && u[i + 1] < 0xa0), "a C1 control in the text, at %zu", i);
			if (l == 3) {
				unsigned cp = (c & 15u) << 12 | (u[i + 1] & 63u) << 6 | (u[i + 2] & 63u);
				FZ_CHECKF(!(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069) &&
						  cp != 0x200e && cp != 0x200f,
					  "a bidirectional control U+%04x in the text", cp);
			}
			i += l;
		}
		FZ_CHECKF(nl == rows, "%zu rows of text where the counts make %zu", nl, rows);
	}
	free(j);
	free(t);

	/* each line through the reader alone */
	FILE *in = fmemopen((void *)data, size ? size : 1, "r");
	if (in && size) {
		struct jreader r;
		if (!jreader_init(&r, in))
			abort();
		size_t len;
		int k;
		while ((k = jreader_next(&r, &len)) > 0) {
			FZ_CHECK(len <= JL_LINE_MAX);
			struct jobj ob;
			if (k == 1 && jparse(r.buf, len, &ob)) {
				const char *ev = jget(&ob, "event");
				long long v;
				(void)jget_int(&ob, "age_s", &v);
				FZ_CHECK(!ev || strlen(ev) <= len);
				jfree(&ob);
			}
		}
		jreader_free(&r);
	}
	if (in)
		fclose(in);
	return 0;
}
