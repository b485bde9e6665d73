# t/learn.mk: ward learn (issue 22): the policy it writes keeps the secrets hidden,
# leaves out what another rule covers, stands folders of made-up names for their
# parent, says why each rule is there; and the round trip on real workloads (git,
# a python venv with pip, npm): learnt from one run, the next run with other inputs
# has no denial.
learn_tests = \
	t/020-learn.t \
	t/021-learn-roundtrip.t
TESTS += $(learn_tests)
EXTRA_DIST += $(learn_tests) t/learn/lib.sh t/learn/rules.py t/learn/mkwheel.py
