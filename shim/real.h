/* real.h: the libc functions the library forwards to, bound once at start (real.c).
 * Most wrappers need none: they end in a raw system call on resolved descriptors.
 * These are the functions whose work (a FILE, a DIR, a spawn) only libc can do. */
#ifndef WARD_REAL_H
#define WARD_REAL_H

#include <dirent.h>
#include <dlfcn.h>
#include <fts.h>
#include <glob.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/statvfs.h>

struct ws_real_tab {
	FILE *(*fdopen)(int, const char *);
	FILE *(*freopen)(const char *, const char *, FILE *);
	int (*fclose)(FILE *);
	DIR *(*fdopendir)(int);
	struct dirent *(*readdir)(DIR *);
	struct dirent64 *(*readdir64)(DIR *);
	int (*readdir_r)(DIR *, struct dirent *, struct dirent **);
	int (*readdir64_r)(DIR *, struct dirent64 *, struct dirent64 **);
	int (*closedir)(DIR *);
	int (*dirfd)(DIR *);
	int (*glob)(const char *, int, int (*)(const char *, int), glob_t *);
	int (*glob64)(const char *, int, int (*)(const char *, int), glob64_t *);
	int (*posix_spawn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
			   const posix_spawnattr_t *, char *const[], char *const[]);
	FTS *(*fts_open)(char *const *, int, int (*)(const FTSENT **, const FTSENT **));
	FTSENT *(*fts_read)(FTS *);
	FTSENT *(*fts_children)(FTS *, int);
	int (*fts_set)(FTS *, FTSENT *, int);
	int (*fts_close)(FTS *);
	void *(*dlopen)(const char *, int);
	void *(*dlmopen)(Lmid_t, const char *, int);
	int (*fstatvfs)(int, struct statvfs *);
	long (*fpathconf)(int, int);
	int (*sigaction)(int, const struct sigaction *, struct sigaction *);
	sighandler_t (*signal)(int, sighandler_t);
	sighandler_t (*sysv_signal)(int, sighandler_t);
	int (*clone)(int (*)(void *), void *, int, void *, ...);
};
extern struct ws_real_tab real;

/* Binds every entry; a missing one is fatal (ward: ... exit 126). */
void ws_bind_real(void);

#endif
