#!/bin/sh
# Run an agent's shell session under ward, with one command:
#
#     examples/transcript/run.sh [FOLDER]
#
# It copies project/ into a fresh folder (ROOT in the output), plants a .env
# there, runs the commands of commands.txt one by one under policy.conf with
# transcript.sh, and summarises the audit log, the session's transcript, with
# `ward report`. FOLDER, if given, is used instead of a temporary folder and
# kept, with the transcript in FOLDER/transcript.jsonl.
#
# WARD is the ward command (default: ward, from PATH); WARD_LIBRARY, when set,
# is the libward.so that ward run preloads.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
WARD=${WARD:-ward}
export WARD
if [ $# -gt 0 ]; then
	mkdir -p "$1"
	tmp=$(cd "$1" && pwd -P)
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
fi
ws=$tmp/ws

cp -R "$here/project" "$ws"
chmod -R u+w "$ws"
echo 'OPENAI_API_KEY=sk-proj-000000000000000000000000' > "$ws/.env"

# What is printed leaves out what changes from run to run: ROOT, TMPDIR and the
# example's folder stand for their paths, SESSION, TIME and HASH for the
# sessions, their start and the policy hash (of rules made absolute under ROOT).
clean() {
	sed -e "s|$ws|ROOT|g" -e "s|$tmp/||g" -e "s|$here/||g" \
		-e 's|/tmp/ward\.[A-Za-z0-9]\{6\}|$TMPDIR|g' \
		-e 's|^\(  \)[0-9a-f]\{16\}  started [0-9TZ:.-]*|\1SESSION  started TIME|' \
		-e 's|xxh3:[0-9a-f]\{16\}|xxh3:HASH|g'
}

cd "$ws"
echo '$ transcript.sh policy.conf transcript.jsonl < commands.txt'
sh "$here/transcript.sh" "$here/policy.conf" "$tmp/transcript.jsonl" \
	<"$here/commands.txt" | clean
echo
echo '$ ward report transcript.jsonl'
"$WARD" report "$tmp/transcript.jsonl" | clean
