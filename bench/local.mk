# bench/: `make bench` measures native runs against the same work under libward.so
# (LD_PRELOAD, the library alone) and under `ward run` (library + Landlock), and
# prints one table of medians, ratios and the targets of DESIGN §8. The program is
# built only by `make bench` (EXTRA_PROGRAMS), so `make` and `make check` do not
# change; timings never go into the tests.
EXTRA_PROGRAMS = bench/micro
bench_micro_SOURCES = bench/micro.c
EXTRA_DIST += bench/run.sh
CLEANFILES += bench/micro$(EXEEXT)
mostlyclean-local:
	rm -rf bench/data

bench: all bench/micro$(EXEEXT)
	@env PYTHON3='$(PYTHON3)' NODE='$(NODE)' GIT='$(GIT)' \
	  $(SHELL) $(abs_top_srcdir)/bench/run.sh '$(abs_top_builddir)'
.PHONY: bench
