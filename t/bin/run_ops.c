/* run_ops.c: many processes making logged operations at the same time.
 *
 *   run_ops NPROC NOPS WDIR HIDDEN
 *
 * Forks NPROC workers that start together (they wait on a pipe) and each make
 * exactly NOPS operations that ward logs: even workers create and delete files in
 * WDIR (NOPS/2 rounds of open(O_CREAT) + unlink, with long names so that lines are
 * long), odd workers try to open HIDDEN for reading NOPS times (each must fail with
 * ENOENT). The parent makes no logged operation of its own. Exit 0 when every
 * operation had the expected outcome.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int worker(int id, long nops, const char *wdir, const char *hidden)
{
	char name[4096];
	long bad = 0;
	if (id % 2 == 0) {
		char pad[201];
		memset(pad, 'x', 200);
		pad[200] = 0;
		for (long i = 0; i < nops / 2; i++) {
			snprintf(name, sizeof name, "%s/w%d-%ld-%s", wdir, id, i, pad);
			int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0600);
			if (fd < 0) {
				bad++;
				continue;
			}
			close(fd);
			if (unlink(name) < 0)
				bad++;
		}
	} else {
		for (long i = 0; i < nops; i++) {
			int fd = open(hidden, O_RDONLY);
			if (fd >= 0) {
				close(fd);
				bad++;
			} else if (errno != ENOENT) {
				bad++;
			}
		}
	}
	if (bad)
		fprintf(stderr, "run_ops: worker %d: %ld unexpected outcomes\n", id, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: run_ops NPROC NOPS WDIR HIDDEN\n");
		return 2;
	}
	int nproc = atoi(argv[1]);
	long nops = atol(argv[2]);
	int go[2];
	if (pipe(go) < 0)
		return 2;
	for (int i = 0; i < nproc; i++) {
		pid_t p = fork();
		if (p < 0) {
			perror("fork");
			return 2;
		}
		if (p == 0) {
			char c;
			close(go[1]);
			if (read(go[0], &c, 1) < 0) /* returns 0 when the parent closes it */
				_exit(2);
			_exit(worker(i, nops, argv[3], argv[4]));
		}
	}
	close(go[0]);
	close(go[1]); /* go */
	int rc = 0, st;
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = 1;
	return rc;
}
