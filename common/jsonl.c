/* jsonl.c: audit event lines (see jsonl.h). Pure code; safe in signal handlers. */
#include "jsonl.h"

#include <errno.h>
#include <string.h>
#include <time.h>

void wj_begin(struct wj *j, char *buf, size_t size)
{
	j->p = buf;
	/* room kept for ",\"cut\":true" and "}\n" */
	j->cap = (size < WJ_LINE_MAX ? size : WJ_LINE_MAX) - 2 - 11;
	j->n = 0;
	j->cut = false;
	j->first = true;
	j->fail = false;
	j->p[j->n++] = '{';
}

static void put(struct wj *j, const char *s, size_t n)
{
	if (j->fail || j->n + n > j->cap) {
		j->fail = true;
		return;
	}
	memcpy(j->p + j->n, s, n);
	j->n += n;
}

/* Each field is all or nothing: a field that does not fit is left out whole. */
struct mark {
	size_t n;
	bool first;
};

static struct mark key(struct wj *j, const char *k)
{
	struct mark m = {j->n, j->first};
	j->fail = false;
	if (!j->first)
		put(j, ",", 1);
	j->first = false;
	put(j, "\"", 1);
	put(j, k, strlen(k));
	put(j, "\":", 2);
	return m;
}

static void done(struct wj *j, struct mark m)
{
	if (j->fail) {
		j->n = m.n;
		j->first = m.first;
		j->cut = true;
		j->fail = false;
	}
}

size_t wj_utf8_len(const unsigned char *s, size_t n)
{
	size_t l;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		l = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		l = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		l = 4;
	else
		return 0;
	if (n < l)
		return 0;
	for (size_t i = 1; i < l; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (l == 3 && c == 0xE0 && s[1] < 0xA0)
		return 0;
	if (l == 3 && c == 0xED && s[1] >= 0xA0)
		return 0; /* surrogates */
	if (l == 4 && c == 0xF0 && s[1] < 0x90)
		return 0;
	if (l == 4 && c == 0xF4 && s[1] >= 0x90)
		return 0;
	return l;
}

size_t wj_esc(const unsigned char *u, size_t left, char esc[8], size_t *adv)
{
	static const char hex[] = "0123456789abcdef";
	*adv = 1;
	if (*u == '"' || *u == '\\') {
		esc[0] = '\\';
		esc[1] = (char)*u;
		return 2;
	}
	if (*u == '\n') {
		memcpy(esc, "\\n", 2);
		return 2;
	}
	if (*u == '\t') {
		memcpy(esc, "\\t", 2);
		return 2;
	}
	if (*u >= 0x20 && *u < 0x7f) {
		esc[0] = (char)*u;
		return 1;
	}
	if (*u >= 0x80) {
		size_t ul = wj_utf8_len(u, left);
		if (ul) {
			memcpy(esc, u, ul);
			*adv = ul;
			return ul;
		}
	}
	/* a control character, or a byte that is not UTF-8: U+00XX */
	memcpy(esc, "\\u00", 4);
	esc[4] = hex[*u >> 4];
	esc[5] = hex[*u & 15];
	return 6;
}

size_t wj_quote(char *out, size_t size, const char *s, size_t len, bool *cut)
{
	static const char mark[] = "[...]";
	size_t o = 0, i = 0;
	*cut = false;
	if (size < sizeof mark + 2)
		return 0;
	out[o++] = '"';
	while (i < len) {
		char esc[8];
		size_t adv, el = wj_esc((const unsigned char *)s + i, len - i, esc, &adv);
		/* room for this, then the mark and the closing quote */
		if (o + el + sizeof mark > size) {
			*cut = true;
			break;
		}
		memcpy(out + o, esc, el);
		o += el;
		i += adv;
	}
	if (*cut) {
		memcpy(out + o, mark, sizeof mark - 1);
		o += sizeof mark - 1;
	}
	out[o++] = '"';
	return o;
}

void wj_str(struct wj *j, const char *k, const char *s, size_t len, size_t limit)
{
	struct mark m = key(j, k);
	if (j->fail) {
		done(j, m);
		return;
	}
	/* the value, quotes included, in at most `limit` + 2 bytes of what is left */
	size_t room = j->cap - j->n;
	if (room >= 2 && limit < room - 2)
		room = limit + 2;
	bool cut;
	size_t n = wj_quote(j->p + j->n, room, s, len, &cut);
	if (n == 0) {
		j->fail = true;
		done(j, m);
		return;
	}
	j->n += n;
	if (cut)
		j->cut = true;
	done(j, m);
}

void wj_cstr(struct wj *j, const char *k, const char *s)
{
	wj_str(j, k, s, strlen(s), WJ_LINE_MAX);
}

void wj_int(struct wj *j, const char *k, long long v)
{
	char b[24];
	int n = 0;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	char t[24];
	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	int o = 0;
	if (v < 0)
		b[o++] = '-';
	while (n)
		b[o++] = t[--n];
	struct mark m = key(j, k);
	put(j, b, (size_t)o);
	done(j, m);
}

void wj_null(struct wj *j, const char *k)
{
	struct mark m = key(j, k);
	put(j, "null", 4);
	done(j, m);
}

void wj_bool(struct wj *j, const char *k, bool v)
{
	struct mark m = key(j, k);
	put(j, v ? "true" : "false", v ? 4 : 5);
	done(j, m);
}

void wj_raw(struct wj *j, const char *k, const char *raw, size_t len)
{
	struct mark m = key(j, k);
	put(j, raw, len);
	done(j, m);
}

size_t wj_end(struct wj *j)
{
	if (j->cut) {
		/* begin() kept room for it; no comma when every field was left out */
		static const char c[] = ",\"cut\":true";
		size_t skip = j->first ? 1 : 0;
		memcpy(j->p + j->n, c + skip, sizeof c - 1 - skip);
		j->n += sizeof c - 1 - skip;
	}
	j->p[j->n++] = '}';
	j->p[j->n++] = '\n';
	return j->n;
}

static void two(char *o, int v)
{
	o[0] = (char)('0' + v / 10);
	o[1] = (char)('0' + v % 10);
}

void wj_ts(char out[32], int64_t us)
{
	int64_t secs = us / 1000000;
	int64_t frac = us % 1000000;
	if (frac < 0) {
		frac += 1000000;
		secs--;
	}
	int64_t days = secs / 86400;
	int64_t rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* civil from days (Howard Hinnant's algorithm) */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	int yy = (int)y;
	out[0] = (char)('0' + (yy / 1000) % 10);
	out[1] = (char)('0' + (yy / 100) % 10);
	out[2] = (char)('0' + (yy / 10) % 10);
	out[3] = (char)('0' + yy % 10);
	out[4] = '-';
	two(out + 5, (int)m);
	out[7] = '-';
	two(out + 8, (int)d);
	out[10] = 'T';
	two(out + 11, (int)(rem / 3600));
	out[13] = ':';
	two(out + 14, (int)(rem / 60 % 60));
	out[16] = ':';
	two(out + 17, (int)(rem % 60));
	out[19] = '.';
	for (int i = 5; i >= 0; i--) {
		out[20 + i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	out[26] = 'Z';
	out[27] = 0;
}

int64_t wj_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *wj_errno_name(int e, char tmp[16])
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case ELOOP: return "ELOOP";
	case EXDEV: return "EXDEV";
	case EFBIG: return "EFBIG";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EROFS: return "EROFS";
	case ENOSPC: return "ENOSPC";
	case EIO: return "EIO";
	}
	int n = 0;
	char t[12];
	unsigned u = (unsigned)e;
	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u && n < 10);
	tmp[0] = 'E';
	int o = 1;
	while (n)
		tmp[o++] = t[--n];
	tmp[o] = 0;
	return tmp;
}
