# t/levels.mk: every row of the levels table (DESIGN §5) at every level, through the
# C driver, python3, node and sh with coreutils.
TESTS += t/100-levels-c.t t/110-levels-python.t t/120-levels-node.t t/130-levels-sh.t
EXTRA_DIST += t/100-levels-c.t t/110-levels-python.t t/120-levels-node.t t/130-levels-sh.t \
	t/levels/common.sh t/levels/py_ops.py t/levels/node_ops.js
