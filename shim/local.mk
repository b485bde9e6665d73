# shim/: libward.so, the preload library. A libtool module with hidden visibility
# and a version script made from symbols.def: it exports the interposed names only.
pkglib_LTLIBRARIES += shim/libward.la
shim_libward_la_SOURCES = \
	shim/shim.h shim/real.h shim/protos.h shim/symbols.def \
	shim/init.c shim/real.c shim/resolve.c shim/gate.c \
	shim/open.c shim/stat.c shim/dir.c shim/names.c shim/attr.c \
	shim/exec.c shim/sock.c shim/fd.c shim/sys.c shim/limits.c shim/guard.c \
	shim/elfsym.c shim/priv.c shim/entry.S \
	shim/env.c shim/ipc.c shim/files.c shim/wordexp.c shim/notify.c
nodist_shim_libward_la_SOURCES = shim/stubs.S
shim_libward_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS) $(XXHASH_CFLAGS)
# initial-exec TLS: a direct %fs access, no __tls_get_addr (SURFACE.md, pitfall 2)
shim_libward_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -ftls-model=initial-exec \
	-fno-strict-aliasing
# -Bsymbolic-functions: the library's calls to its own interposers (syscall() to
# open(), ftw() to nftw(), ...) bind at link time: 46 symbol lookups at each process
# start instead of 143. -z noseparate-code: headers, code and constants in one
# mapping, two fewer mappings and page faults per process start (a page fault costs
# 10 to 20 us on a virtual machine; see README, Performance).
shim_libward_la_LDFLAGS = -module -avoid-version -shared -no-undefined \
	-Wl,--version-script=$(builddir)/shim/libward.map -Wl,-z,now -Wl,-z,relro \
	-Wl,-Bsymbolic-functions -Wl,-z,noseparate-code
shim_libward_la_LIBADD = conf/libwardconf.la common/libwardcommon.la -ldl
EXTRA_shim_libward_la_DEPENDENCIES = shim/libward.map
EXTRA_DIST += shim/mkmap.sh shim/mkstubs.sh shim/libc-surface.py shim/surface.safe
BUILT_SOURCES += shim/libward.map shim/stubs.S
CLEANFILES += shim/libward.map shim/stubs.S
shim/stubs.S: $(top_srcdir)/shim/symbols.def $(top_srcdir)/shim/mkstubs.sh
	$(AM_V_GEN)$(MKDIR_P) shim && $(SHELL) $(top_srcdir)/shim/mkstubs.sh $(top_srcdir)/shim/symbols.def > $@.tmp && mv $@.tmp $@
shim/libward.map: $(top_srcdir)/shim/symbols.def $(top_srcdir)/shim/mkmap.sh
	$(AM_V_GEN)$(MKDIR_P) shim && $(SHELL) $(top_srcdir)/shim/mkmap.sh $(top_srcdir)/shim/symbols.def > $@.tmp && mv $@.tmp $@

# The library is used through LD_PRELOAD, never linked: the .la has no use installed.
install-exec-hook: install-shim-hook
install-shim-hook:
	rm -f $(DESTDIR)$(pkglibdir)/libward.la
uninstall-hook: uninstall-shim-hook
uninstall-shim-hook:
	rm -f $(DESTDIR)$(pkglibdir)/libward.so
.PHONY: install-shim-hook uninstall-shim-hook
