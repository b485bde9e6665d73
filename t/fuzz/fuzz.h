/* fuzz.h: what the fuzz targets of t/fuzz/ share.
 *
 * Each target is one LLVMFuzzerTestOneInput over one entry point that takes
 * untrusted bytes. The same file is built two ways: by `make fuzz` with clang and
 * libFuzzer (-fsanitize=fuzzer,address,undefined), and by `make check` with the
 * replay driver (replay.c), which runs every saved input of t/fuzz/inputs/NAME/
 * through the same function without the fuzzer. A property that does not hold calls
 * fz_fail, which aborts: a finding for libFuzzer, a failed test for the replay. */
#ifndef WARD_FUZZ_H
#define WARD_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

__attribute__((noreturn, format(printf, 1, 2))) void fz_fail(const char *fmt, ...);
#define FZ_CHECK(cond, ...)                                                  \
	do {                                                                 \
		if (!(cond))                                                 \
			fz_fail("%s:%d: %s: ", __FILE__, __LINE__, #cond),   \
			    (void)0;                                         \
	} while (0)
#define FZ_CHECKF(cond, fmt, ...)                                            \
	do {                                                                 \
		if (!(cond))                                                 \
			fz_fail("%s:%d: " fmt, __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

/* Splits data at the separator line "\n----\n" into at most `max` parts, each
 * copied with a NUL after it (free them with fz_free_parts). Returns the count. */
#define FZ_SEP "\n----\n"
size_t fz_split(const uint8_t *data, size_t size, char **parts, size_t *lens, size_t max);
void fz_free_parts(char **parts, size_t n);

/* A private folder made once per process (removed at its exit), which is also the
 * working directory; its real path. */
const char *fz_tmpdir(void);

/* ---- a reference matcher, written from DESIGN.md section 5 and glob.h ----
 *
 * Plain recursion over names and characters, no compilation, no index: what the
 * matcher of common/glob.c must agree with. A name of a pattern is raw (escapes
 * kept); a pattern is its names and whether it ends in '/'. */
bool ref_name_match(const char *pat, size_t pl, const char *s, size_t sl);
/* Does the pattern match the names q[0..m) exactly? */
bool ref_full(const char *const *pn, const size_t *pl, size_t np, const char *const *qn, const size_t *ql,
	      size_t m);
/* out[k] (k = 0..m): does the pattern match the first k names exactly? */
void ref_prefixes(const char *const *pn, const size_t *pl, size_t np, const char *const *qn, const size_t *ql,
		  size_t m, bool *out);
#define WG_REF_MAX 1024
/* 0 no, 1 yes, 2 only if the path is a folder (glob.h's WG_*); m <= WG_REF_MAX. */
int ref_match(const char *const *pn, const size_t *pl, size_t np, bool dironly, const char *const *qn,
	      const size_t *ql, size_t m);

#endif
