/* replay.c: make check's run of the saved inputs of one fuzz target, without the
 * fuzzer: every file of t/fuzz/inputs/NAME/seed/ and .../regress/ (or the files
 * given as arguments) goes through the target's LLVMFuzzerTestOneInput in a child
 * process of its own; a crash, a sanitizer report, a property that fails (abort)
 * or a hang (60 s) is a failed test. regress/ holds an input for every finding. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t/fuzz/fuzz.h"
#include "t/tap/basic.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME names the target"
#endif

static int run_one(const char *file)
{
	FILE *f = fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "cannot read %s: %s\n", file, strerror(errno));
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (!buf)
		return 1;
	/* the input in a block of its own size, so that a read past it is caught */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact)
		return 1;
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of a folder, sorted, appended to *v. */
static void list(const char *dir, char ***v, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	size_t first = *n;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!p)
			bail("out of memory");
		sprintf(p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		*v = realloc(*v, (*n + 1) * sizeof **v);
		if (!*v)
			bail("out of memory");
		(*v)[(*n)++] = p;
	}
	closedir(d);
	qsort(*v + first, *n - first, sizeof **v, cmp);
}

int main(int argc, char **argv)
{
	char **files = NULL;
	size_t n = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			files = realloc(files, (n + 1) * sizeof *files);
			if (!files)
				bail("out of memory");
			files[n++] = strdup(argv[i]);
		}
	} else {
		const char *top = getenv("top_srcdir");
		if (!top)
			bail("top_srcdir is not set (run through make check)");
		static const char *const sub[] = {"seed", "regress"};
		for (int s = 0; s < 2; s++) {
			char dir[4096];
			snprintf(dir, sizeof dir, "%s/t/fuzz/inputs/%s/%s", top, FUZZ_NAME, sub[s]);
			list(dir, &files, &n);
		}
	}
	if (n == 0)
		bail("no saved inputs for the fuzz target %s", FUZZ_NAME);
	plan((int)n);
	LLVMFuzzerInitialize(&argc, &argv);
	fflush(NULL);
	for (size_t i = 0; i < n; i++) {
		const char *shown = strstr(files[i], "/inputs/") ? strstr(files[i], "/inputs/") + 8 : files[i];
		pid_t pid = fork();
		if (pid < 0)
			bail("fork: %s", strerror(errno));
		if (pid == 0) {
			alarm(60);
			int rc = run_one(files[i]);
			/* exit, not _exit, so that LeakSanitizer looks (a sanitizer build);
			 * the TAP library's end line must not reach the parent's output */
			fflush(NULL);
			int dn = open("/dev/null", O_WRONLY);
			if (dn >= 0)
				dup2(dn, 1);
			exit(rc);
		}
		int st;
		if (waitpid(pid, &st, 0) < 0)
			bail("waitpid: %s", strerror(errno));
		if (WIFSIGNALED(st))
			ok(false, "%s: killed by signal %d", shown, WTERMSIG(st));
		else
			ok(WEXITSTATUS(st) == 0, "%s%s", shown, WEXITSTATUS(st) ? ": failed" : "");
		free(files[i]);
	}
	free(files);
	return tap_failures() ? 1 : 0;
}
