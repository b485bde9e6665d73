/* run_spawn.c: starts a child one way, to show that it stays confined and logs to the
 * same session.
 *
 *   run_spawn MODE PARENT_FILE CHILD [ARG]...
 *
 * Opens PARENT_FILE for reading (it is hidden: must fail with ENOENT), starts CHILD
 * with ARGs by MODE, waits for it, then opens PARENT_FILE again (the parent must
 * still be confined after its child: SURFACE pitfall 3). MODE is one of
 *   fork (no exec: the forked copy opens CHILD's last ARG itself)
 *   execve execve_env execv execvp execvpe_env execl execlp execle_env fexecve
 *   execveat posix_spawn posix_spawnp posix_spawn_env system popen vfork
 * where the exec forms run in a forked child, *_env ones hand the child an empty
 * environment, the *p forms find CHILD by its name along PATH (CHILD's folder is
 * put first), and popen copies the child's output to stdout.
 * Exits with the child's status (1 when the parent's opens were not ENOENT).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char *empty_env[] = {NULL};

static int parent_open(const char *p)
{
	int fd = open(p, O_RDONLY);
	if (fd >= 0) {
		printf("parent: open %s succeeded\n", p);
		close(fd);
		return 1;
	}
	if (errno != ENOENT) {
		printf("parent: open %s: %s\n", p, strerror(errno));
		return 1;
	}
	return 0;
}

/* 'a' 'b' ... for system and popen */
static void shell_line(char *out, size_t size, char **argv)
{
	size_t o = 0;
	out[0] = 0;
	for (int i = 0; argv[i]; i++) {
		o += (size_t)snprintf(out + o, size - o, "%s'", i ? " " : "");
		for (const char *s = argv[i]; *s && o + 8 < size; s++) {
			if (*s == '\'')
				o += (size_t)snprintf(out + o, size - o, "'\\''");
			else
				out[o++] = *s;
		}
		o += (size_t)snprintf(out + o, size - o, "'");
	}
}

static int status_of(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	printf("child: killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	return 1;
}

static void exec_child(const char *mode, char **argv, const char *name)
{
	char *a = argv[0];
	if (!strcmp(mode, "execve"))
		execve(a, argv, environ);
	else if (!strcmp(mode, "execve_env"))
		execve(a, argv, empty_env);
	else if (!strcmp(mode, "execv"))
		execv(a, argv);
	else if (!strcmp(mode, "execvp"))
		execvp(name, argv);
	else if (!strcmp(mode, "execvpe_env"))
		execvpe(name, argv, empty_env);
	else if (!strcmp(mode, "execl"))
		execl(a, a, argv[1], argv[2], argv[3], (char *)NULL);
	else if (!strcmp(mode, "execlp"))
		execlp(name, name, argv[1], argv[2], argv[3], (char *)NULL);
	else if (!strcmp(mode, "execle_env"))
		execle(a, a, argv[1], argv[2], argv[3], (char *)NULL, empty_env);
	else if (!strcmp(mode, "fexecve")) {
		int fd = open(a, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			fexecve(fd, argv, environ);
	} else if (!strcmp(mode, "execveat")) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", a);
		int dfd = open(dirname(dir), O_PATH | O_DIRECTORY);
		if (dfd >= 0)
			execveat(dfd, name, argv, environ, 0);
	} else {
		fprintf(stderr, "run_spawn: unknown mode %s\n", mode);
		_exit(2);
	}
	fprintf(stderr, "run_spawn: %s: %s\n", mode, strerror(errno));
	_exit(127);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: run_spawn MODE PARENT_FILE CHILD [ARG]...\n");
		return 2;
	}
	const char *mode = argv[1], *pfile = argv[2];
	char **cargv = argv + 3;
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* the child's folder first on PATH, for the forms that search it */
	char dir[4096], base[4096], path[8192];
	snprintf(dir, sizeof dir, "%s", cargv[0]);
	snprintf(base, sizeof base, "%s", cargv[0]);
	const char *name = basename(base);
	const char *old = getenv("PATH");
	snprintf(path, sizeof path, "%s:%s", dirname(dir), old ? old : "/usr/bin:/bin");
	setenv("PATH", path, 1);

	int bad = parent_open(pfile);
	int st = 0, rc;
	pid_t pid;
	if (!strcmp(mode, "fork")) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			int n = 0;
			while (cargv[n])
				n++;
			_exit(parent_open(cargv[n - 1]));
		}
		waitpid(pid, &st, 0);
		rc = status_of(st);
	} else if (!strncmp(mode, "posix_spawn", 11)) {
		int e;
		if (!strcmp(mode, "posix_spawnp"))
			e = posix_spawnp(&pid, name, NULL, NULL, cargv, environ);
		else
			e = posix_spawn(&pid, cargv[0], NULL, NULL, cargv,
					!strcmp(mode, "posix_spawn_env") ? empty_env : environ);
		if (e) {
			printf("%s: %s\n", mode, strerror(e));
			return 127;
		}
		waitpid(pid, &st, 0);
		rc = status_of(st);
	} else if (!strcmp(mode, "system")) {
		char line[8192];
		shell_line(line, sizeof line, cargv);
		fflush(stdout);
		rc = status_of(system(line));
	} else if (!strcmp(mode, "popen")) {
		char line[8192], buf[4096];
		shell_line(line, sizeof line, cargv);
		fflush(stdout);
		FILE *f = popen(line, "r");
		if (!f) {
			printf("popen: %s\n", strerror(errno));
			return 127;
		}
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, stdout);
		rc = status_of(pclose(f));
	} else if (!strcmp(mode, "vfork")) {
		pid = vfork();
		if (pid == 0) {
			execv(cargv[0], cargv);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		rc = status_of(st);
	} else {
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			exec_child(mode, cargv, name);
		waitpid(pid, &st, 0);
		rc = status_of(st);
	}
	bad |= parent_open(pfile);
	return bad ? 1 : rc;
}
