#!/bin/sh
# transcript.sh: run the shell commands an agent emitted, one by one, under ward.
#
#     transcript.sh POLICY LOG < COMMANDS
#
# Each line of COMMANDS (but empty lines and # comments) is run with
# `ward run -p POLICY -l LOG -- sh -c LINE` in the current folder. Its output is
# shown indented, then what came of it: ok, refused (ward denied something) or
# failed. LOG, the audit log of every command, is the session's transcript:
# `ward report LOG` summarises it. WARD is the ward command (default: ward).
set -u
WARD=${WARD:-ward}
policy=$1
log=$2
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
n=0 ok=0 refused=0 failed=0
while IFS= read -r cmd; do
	case $cmd in '' | '#'*) continue ;; esac
	n=$((n + 1))
	printf '$ %s\n' "$cmd"
	"$WARD" run -p "$policy" -l "$log" -- sh -c "$cmd" </dev/null >"$out" 2>&1
	status=$?
	# ward run's own lines: the count of denials, a kernel without Landlock
	denied=$(sed -n 's/^ward: \([0-9]*\) operations* denied; see .*/\1/p' "$out")
	sed -e '/^ward: [0-9]* operations* denied; see /d' \
		-e '/^ward: warning: this kernel has no Landlock/d' -e 's/^./    &/' "$out"
	if [ -n "$denied" ]; then
		refused=$((refused + 1))
		echo "  -> refused: $denied denied by ward, exit status $status"
	elif [ "$status" -ne 0 ]; then
		failed=$((failed + 1))
		echo "  -> failed: exit status $status"
	else
		ok=$((ok + 1))
		echo "  -> ok"
	fi
done
echo "$n commands: $ok ok, $refused refused, $failed failed"
