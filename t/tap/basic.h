/* basic.h: a small TAP library for ward's C tests (plan, ok, is_int, is_string,
 * diag, bail), in the manner of c-tap-harness. */
#ifndef WARD_TAP_BASIC_H
#define WARD_TAP_BASIC_H

#include <stdbool.h>

void plan(int n);
void plan_lazy(void); /* print the plan at the end */
bool ok(bool pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool is_int(long long want, long long got, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool is_string(const char *want, const char *got, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int tap_failures(void);
/* A fresh private folder for this test (removed at exit unless the test failed). */
const char *test_tmpdir(void);

#endif
