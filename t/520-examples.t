#!/bin/sh
# 520-examples: the three examples of examples/ (issue 5), run as a user runs them
# (examples/NAME/run.sh, with WARD the ward of the build tree): each prints exactly
# its examples/NAME/expected.txt, the output the README shows; its denials are in
# the audit log with the errno the levels give; no secret leaks into the output;
# and what was refused left nothing behind.
. "$top_srcdir/t/lib.sh"
plan_lazy

EX=$top_srcdir/examples
PY=${PYTHON3:-python3}
NODE=${NODE:-node}

# same_file WANT GOT DESC [TODO]: GOT's content is WANT's; diff on failure.
same_file() {
	if [ -z "${4:-}" ]; then
		if cmp -s "$1" "$2"; then
			_tap_result 0 "$3"
		else
			_tap_result 1 "$3"
			diag "$(diff -u "$1" "$2")"
		fi
		return
	fi
	_tap_count=$((_tap_count + 1))
	if cmp -s "$1" "$2"; then
		echo "ok $_tap_count - $3 # TODO $4"
	else
		echo "not ok $_tap_count - $3 # TODO $4"
		diag "$(diff -u "$1" "$2")"
	fi
}

# ok_todo DESC TODO CMD...: ok, as a TODO when TODO is not empty.
ok_todo() {
	_d=$1
	_todo=$2
	shift 2
	if [ -z "$_todo" ]; then
		ok "$_d" "$@"
		return
	fi
	_tap_count=$((_tap_count + 1))
	if "$@" >/dev/null 2>&1; then
		echo "ok $_tap_count - $_d # TODO $_todo"
	else
		echo "not ok $_tap_count - $_d # TODO $_todo"
	fi
}

# denied LOG REAL ACCESS ERRNO: LOG has a denial of ACCESS on the real path REAL.
denied() {
	grep '"decision":"deny"' "$1" | grep -F "\"real\":\"$2\"" |
		grep -F "\"access\":\"$3\"" | grep -Fq "\"errno\":\"$4\""
}

# Write areas that do not exist when the session starts (a file a rule names, the
# folder of agent-safe's output/) must be creatable under the kernel backstop too.
mkdir probe
printf 'version = 1;\nextends = "read-only";\nrules = ( { path = "R.md"; level = "write"; } );\n' >probe/p.conf
ok "ward run (backstop on): a file a write rule names, made before the run, can be written" \
	sh -c 'cd probe && : > R.md && "$1" run -p p.conf -l "$2/probe.jsonl" -- sh -c "echo x > R.md" && test -s R.md' sh "$WARD" "$T"
rm -f probe/R.md
like "ward: note: the write area .*/R\.md does not exist" \
	"$(cd probe && "$WARD" run -v -p p.conf -l "$T/probe.jsonl" -- true 2>&1)" \
	"... not made before: ward run -v says the kernel does not grant it"
ok "ward run (backstop on): agent-safe's output/ can be made and written" \
	sh -c 'cd probe && "$1" run -l "$2/probe.jsonl" -- sh -c "mkdir -p output && echo x > output/f" && test -s output/f' sh "$WARD" "$T"
todo_file= todo_dir=

# -- docs-agent (Python) ------------------------------------------------------------------
if command -v "$PY" >/dev/null 2>&1; then
	d=$T/docs-agent
	WARD=$WARD PYTHON3=$PY sh "$EX/docs-agent/run.sh" "$d" >docs-agent.out 2>&1
	is 0 $? "docs-agent: run.sh exits 0"
	same_file "$EX/docs-agent/expected.txt" docs-agent.out "docs-agent: the output is expected.txt"
	log=$d/audit.jsonl
	is 8 "$(grep '"decision":"deny"' "$log" | grep -vc '"absent":true')" "docs-agent: 8 denials in the audit log (and attempts on absent hidden names)"
	ok "docs-agent: secrets/ does not exist (stat, list: ENOENT)" \
		sh -c "grep -F '\"real\":\"$d/ws/secrets\"' '$log' | grep -F '\"access\":\"list\"' | grep -Fq ENOENT"
	ok "docs-agent: secrets/api.key, ENOENT" denied "$log" "$d/ws/secrets/api.key" read ENOENT
	ok "docs-agent: .env beside the docs, ENOENT" denied "$log" "$d/ws/.env" read ENOENT
	ok "docs-agent: a key inside writable docs/, ENOENT" denied "$log" "$d/ws/docs/deploy.key" read ENOENT
	ok "docs-agent: metadata/ is view: reading a file, EACCES" \
		denied "$log" "$d/ws/metadata/owners.json" read EACCES
	ok "docs-agent: writing outside docs/, EACCES" denied "$log" "$d/ws/SUMMARY.md" create EACCES
	ok "docs-agent: writing into metadata/, EACCES" \
		denied "$log" "$d/ws/metadata/summary.json" create EACCES
	ok_not "docs-agent: no secret in the output" grep -Eq 'sk-live|hunter2|PRIVATE KEY' docs-agent.out
	ok "docs-agent: the summary was written in docs/" test -s "$d/ws/docs/SUMMARY.md"
	ok "docs-agent: and nowhere else" sh -c "test ! -e '$d/ws/SUMMARY.md' && test ! -e '$d/ws/metadata/summary.json'"
else
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do skip "python3 is not installed"; done
fi

# -- node-reviewer (Node) -----------------------------------------------------------------
if command -v "$NODE" >/dev/null 2>&1; then
	d=$T/node-reviewer
	WARD=$WARD NODE=$NODE sh "$EX/node-reviewer/run.sh" "$d" >node-reviewer.out 2>&1
	is 0 $? "node-reviewer: run.sh exits 0"
	same_file "$EX/node-reviewer/expected.txt" node-reviewer.out \
		"node-reviewer: the output is expected.txt" "$todo_file"
	log=$d/audit.jsonl
	r=$d/ws/repo
	is 10 "$(grep '"decision":"deny"' "$log" | grep -vc '"absent":true')" "node-reviewer: 10 denials in the audit log (and attempts on absent hidden names)"
	ok "node-reviewer: .env, ENOENT" denied "$log" "$r/.env" read ENOENT
	ok "node-reviewer: .npmrc, ENOENT" denied "$log" "$r/.npmrc" read ENOENT
	ok "node-reviewer: writing a source file, EACCES" denied "$log" "$r/src/util.js" write EACCES
	ok "node-reviewer: appending, EACCES" denied "$log" "$r/README.md" write EACCES
	ok "node-reviewer: creating a file, EACCES" denied "$log" "$r/src/notes.js" create EACCES
	ok "node-reviewer: mkdir, EACCES" denied "$log" "$r/.review" create EACCES
	ok "node-reviewer: unlink, EACCES" denied "$log" "$r/test/queue.test.js" delete EACCES
	ok "node-reviewer: chmod, EACCES" denied "$log" "$r/scripts/build.sh" write EACCES
	ok "node-reviewer: symlink, EACCES" denied "$log" "$r/env-link" create EACCES
	ok "node-reviewer: the repository is unchanged" \
		sh -c "cd '$EX/node-reviewer/repo' && find . -type f | sort | while read -r f; do cmp -s \"\$f\" '$r'/\"\$f\" || exit 1; done"
	is "$(cd "$EX/node-reviewer/repo" && find . | LC_ALL=C sort)" \
		"$(cd "$r" && find . | grep -v -e '^\./\.env$' -e '^\./\.npmrc$' | LC_ALL=C sort)" \
		"node-reviewer: nothing was added to it"
	ok_not "node-reviewer: no secret in the output" grep -Eq 'ghp_|npm_0' node-reviewer.out
	ok_todo "node-reviewer: the report was written" "$todo_file" test -s "$d/ws/REVIEW.md"
else
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do skip "node is not installed"; done
fi

# -- transcript (shell) -------------------------------------------------------------------
d=$T/transcript
WARD=$WARD sh "$EX/transcript/run.sh" "$d" >transcript.out 2>&1
is 0 $? "transcript: run.sh exits 0"
same_file "$EX/transcript/expected.txt" transcript.out "transcript: the output is expected.txt" "$todo_dir"
log=$d/transcript.jsonl
is 14 "$(grep -c '"event":"policy"' "$log")" "transcript: 14 commands, 14 sessions in one transcript"
is 6 "$(grep '"decision":"deny"' "$log" | grep -vc '"absent":true')" "transcript: 6 denials in the transcript (and attempts on absent hidden names)"
ok "transcript: cat .env, ENOENT" denied "$log" "$d/ws/.env" read ENOENT
ok "transcript: cp .env, ENOENT" denied "$log" "$d/ws/.env" stat ENOENT
ok "transcript: /etc/shadow, ENOENT" denied "$log" /etc/shadow read ENOENT
ok "transcript: /tmp is closed, ENOENT" denied "$log" /tmp/leak.txt create ENOENT
ok "transcript: appending to a source file, EACCES" denied "$log" "$d/ws/src/app.py" write EACCES
ok "transcript: rm, EACCES" denied "$log" "$d/ws/src/util.py" delete EACCES
ok "transcript: the sources are unchanged" sh -c \
	"cmp '$EX/transcript/project/src/app.py' '$d/ws/src/app.py' && cmp '$EX/transcript/project/src/util.py' '$d/ws/src/util.py'"
ok "transcript: no copy of .env" test ! -e "$d/ws/output/env.txt"
like '^14 commands: [0-9]+ ok, 6 refused, [0-9]+ failed$' "$(grep '^14 commands' transcript.out)" \
	"transcript: the runner counts 6 refused commands"
ok_todo "transcript: the notes were written under output/" "$todo_dir" test -s "$d/ws/output/notes.md"
ok_not "transcript: no secret in the output" grep -q sk-proj transcript.out
