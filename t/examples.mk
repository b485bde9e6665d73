# t/examples.mk: the examples of examples/ (issue 5; DESIGN §6), each run with its
# run.sh and compared with its expected.txt, the output the README shows.
examples_tests = \
	t/520-examples.t
TESTS += $(examples_tests)
EXTRA_DIST += $(examples_tests) \
	examples/docs-agent/policy.conf \
	examples/docs-agent/agent.py \
	examples/docs-agent/run.sh \
	examples/docs-agent/expected.txt \
	examples/docs-agent/workspace/README.md \
	examples/docs-agent/workspace/docs/install.md \
	examples/docs-agent/workspace/docs/usage.md \
	examples/docs-agent/workspace/metadata/owners.json \
	examples/docs-agent/workspace/metadata/release.json \
	examples/node-reviewer/policy.conf \
	examples/node-reviewer/reviewer.js \
	examples/node-reviewer/run.sh \
	examples/node-reviewer/expected.txt \
	examples/node-reviewer/repo/README.md \
	examples/node-reviewer/repo/package.json \
	examples/node-reviewer/repo/scripts/build.sh \
	examples/node-reviewer/repo/src/queue.js \
	examples/node-reviewer/repo/src/util.js \
	examples/node-reviewer/repo/test/queue.test.js \
	examples/transcript/policy.conf \
	examples/transcript/commands.txt \
	examples/transcript/transcript.sh \
	examples/transcript/run.sh \
	examples/transcript/expected.txt \
	examples/transcript/project/README.md \
	examples/transcript/project/src/app.py \
	examples/transcript/project/src/util.py
