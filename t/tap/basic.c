/* basic.c: the TAP library of ward's C tests (see basic.h). */
#include "basic.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int planned = -1, run = 0, failed = 0;
static bool lazy = false;
static char tmpdir[4096];

static void at_end(void)
{
	if (lazy)
		printf("1..%d\n", run);
	else if (planned >= 0 && run != planned) {
		printf("# planned %d tests but ran %d\n", planned, run);
	}
	if (tmpdir[0] && failed == 0) {
		char cmd[4200];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "# could not remove %s\n", tmpdir);
	}
	fflush(stdout);
}

void plan(int n)
{
	planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
	atexit(at_end);
}

void plan_lazy(void)
{
	lazy = true;
	atexit(at_end);
}

static bool report(bool pass, const char *fmt, va_list ap)
{
	run++;
	if (!pass)
		failed++;
	printf("%sok %d - ", pass ? "" : "not ", run);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	return pass;
}

bool ok(bool pass, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(pass, fmt, ap);
	va_end(ap);
	return pass;
}

bool is_int(long long want, long long got, const char *fmt, ...)
{
	va_list ap;
	bool pass = want == got;
	va_start(ap, fmt);
	report(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   wanted: %lld\n#      got: %lld\n", want, got);
	return pass;
}

bool is_string(const char *want, const char *got, const char *fmt, ...)
{
	va_list ap;
	bool pass = (want == NULL && got == NULL) || (want && got && strcmp(want, got) == 0);
	va_start(ap, fmt);
	report(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   wanted: %s\n#      got: %s\n", want ? want : "(null)", got ? got : "(null)");
	return pass;
}

void skip(const char *fmt, ...)
{
	va_list ap;
	run++;
	printf("ok %d # skip ", run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void bail(const char *fmt, ...)
{
	va_list ap;
	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(255);
}

int tap_failures(void) { return failed; }

const char *test_tmpdir(void)
{
	if (!tmpdir[0]) {
		const char *base = getenv("WARD_TEST_TMP");
		if (!base || !*base)
			base = "/tmp";
		snprintf(tmpdir, sizeof tmpdir, "%s/ward-test.XXXXXX", base);
		if (!mkdtemp(tmpdir))
			bail("mkdtemp %s", tmpdir);
		char *r = realpath(tmpdir, NULL);
		if (r) {
			snprintf(tmpdir, sizeof tmpdir, "%s", r);
			free(r);
		}
	}
	return tmpdir;
}
