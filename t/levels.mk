# t/levels.mk: every row of the levels table (DESIGN §5) at every level, through the
# C driver, python3, node and sh with coreutils.
TESTS += t/100-levels-c.t
EXTRA_DIST += t/100-levels-c.t t/levels/common.sh
