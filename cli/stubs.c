/* stubs.c: commands not built yet. */
#include "cli/ward.h"
int cmd_learn(int argc, char **argv) { (void)argc; (void)argv; cli_err("learn: not built yet"); return 1; }
int cmd_purge(int argc, char **argv) { (void)argc; (void)argv; cli_err("purge: not built yet"); return 1; }

