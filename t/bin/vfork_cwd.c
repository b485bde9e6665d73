/* vfork_cwd: a vfork child moves to r/, makes a relative call there (in its parent's
 * memory, under ward), and leaves with _exit (argv[1] "exit") or _Exit ("Exit")
 * without exec; the parent then prints what its relative calls see. Natively and
 * under ward alike: r/file found, file missing. Run in a folder holding r/file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int use_exit = argc > 1 && strcmp(argv[1], "Exit") == 0;
	struct stat st;
	printf("before: r/file %s\n", stat("r/file", &st) == 0 ? "found" : "missing");
	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0) {
		int ok = chdir("r") == 0 && stat("file", &st) == 0;
		if (use_exit)
			_Exit(ok ? 7 : 8);
		_exit(ok ? 7 : 8);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 2;
	printf("child: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("after: r/file %s, file %s\n", stat("r/file", &st) == 0 ? "found" : "missing",
	       stat("file", &st) == 0 ? "found" : "missing");
	FILE *f = fopen("made", "w");
	if (f)
		fclose(f);
	printf("made: here %s, in r %s\n", access("made", F_OK) == 0 ? "yes" : "no",
	       access("r/made", F_OK) == 0 ? "yes" : "no");
	return 0;
}
