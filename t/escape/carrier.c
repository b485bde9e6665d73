/* carrier.c: built by t/204-escape-children.t with its ELF interpreter (PT_INTERP)
 * set to a hidden copy of the dynamic loader. If the kernel was allowed to execute
 * it, the hidden file is mapped in this process: say so. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	if (argc < 2 || !f)
		return 2;
	while (fgets(line, sizeof line, f))
		if (strstr(line, argv[1])) {
			printf("RAN-HIDDEN %s", strchr(line, '/'));
			return 0;
		}
	printf("clean\n");
	return 0;
}
