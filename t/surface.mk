# t/surface.mk: the interposed surface as a whole: libward.so exports exactly the
# names of shim/symbols.def, and each of them is called, through dlsym, on a hidden
# path, a read-level path (for the calls that write) and an allowed one.
check_PROGRAMS += t/bin/surface
t_bin_surface_SOURCES = t/bin/surface.c
t_bin_surface_LDADD = -ldl

surface_tests = t/015-symbols.t t/016-libc-surface.t
TESTS += $(surface_tests)
EXTRA_DIST += $(surface_tests)
