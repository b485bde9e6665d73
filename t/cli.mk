TESTS += t/001-smoke.t
EXTRA_DIST += t/001-smoke.t

# the kernel backstop of ward run (Landlock, and io_uring refused)
check_PROGRAMS += t/bin/rawsys
t_bin_rawsys_SOURCES = t/bin/rawsys.c
TESTS += t/600-backstop.t t/601-backstop-hidden.t t/602-backstop-terminal.t t/603-backstop-session.t
EXTRA_DIST += t/600-backstop.t t/601-backstop-hidden.t t/602-backstop-terminal.t t/603-backstop-session.t

# the bash completion (completion/ward)
TESTS += t/030-completion.t
EXTRA_DIST += t/030-completion.t
