/* micro.c: the micro-benchmarks of `make bench`. Runs one operation N times in a
 * loop and prints the loop's elapsed time in nanoseconds (process start-up and the
 * library's constructor are not counted). Not part of the test suite.
 *
 *   micro open N PATH          open(PATH, O_RDONLY) + close
 *   micro openat N DIR NAME    openat(fd of DIR, NAME, O_RDONLY) + close
 *   micro stat N PATH          stat(PATH)
 *   micro fail N PATH          open(PATH) that fails (PATH is missing)
 *   micro list N DIR           opendir + readdir to the end + closedir
 *   micro rss N DIR            lists DIR and stats and opens each entry N times,
 *                              then prints its resident memory (VmRSS) in KiB
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "micro: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: micro open|openat|stat|fail|list|rss N PATH [NAME]\n");
		return 2;
	}
	const char *op = argv[1];
	long n = atol(argv[2]);
	const char *path = argv[3];
	long long t0, t1;
	long entries = 0;

	if (strcmp(op, "open") == 0) {
		t0 = now_ns();
		for (long i = 0; i < n; i++) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				die("open", path);
			close(fd);
		}
		t1 = now_ns();
	} else if (strcmp(op, "openat") == 0) {
		if (argc < 5)
			return 2;
		int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			die("open", path);
		t0 = now_ns();
		for (long i = 0; i < n; i++) {
			int fd = openat(dfd, argv[4], O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				die("openat", argv[4]);
			close(fd);
		}
		t1 = now_ns();
	} else if (strcmp(op, "stat") == 0) {
		struct stat st;
		t0 = now_ns();
		for (long i = 0; i < n; i++)
			if (stat(path, &st) != 0)
				die("stat", path);
		t1 = now_ns();
	} else if (strcmp(op, "fail") == 0) {
		t0 = now_ns();
		for (long i = 0; i < n; i++) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0 || errno != ENOENT)
				die("open (expected ENOENT)", path);
		}
		t1 = now_ns();
	} else if (strcmp(op, "list") == 0) {
		t0 = now_ns();
		for (long i = 0; i < n; i++) {
			DIR *d = opendir(path);
			if (!d)
				die("opendir", path);
			while (readdir(d))
				entries++;
			closedir(d);
		}
		t1 = now_ns();
	} else if (strcmp(op, "rss") == 0) {
		/* the library's state in use: decisions, listings, descriptors */
		char p[4096];
		for (long i = 0; i < n; i++) {
			DIR *d = opendir(path);
			if (!d)
				die("opendir", path);
			struct dirent *e;
			while ((e = readdir(d))) {
				snprintf(p, sizeof p, "%s/%s", path, e->d_name);
				struct stat st;
				if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
					int fd = open(p, O_RDONLY | O_CLOEXEC);
					if (fd >= 0)
						close(fd);
				}
				entries++;
			}
			closedir(d);
		}
		FILE *f = fopen("/proc/self/status", "r");
		if (!f)
			die("fopen", "/proc/self/status");
		char line[256];
		long kb = -1;
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
				break;
		fclose(f);
		if (kb < 0)
			die("VmRSS in", "/proc/self/status");
		printf("%ld\n", kb);
		return 0;
	} else {
		fprintf(stderr, "micro: unknown operation %s\n", op);
		return 2;
	}
	printf("%lld\n", t1 - t0);
	if (getenv("MICRO_VERBOSE"))
		fprintf(stderr, "micro %s: %ld entries\n", op, entries);
	return 0;
}
