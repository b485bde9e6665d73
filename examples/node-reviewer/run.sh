#!/bin/sh
# Run the node reviewer under ward, with one command:
#
#     examples/node-reviewer/run.sh [FOLDER]
#
# It copies repo/ and reviewer.js into a fresh folder (ROOT in the output),
# plants two secrets in the copy of the repository (.env and .npmrc), and runs
# the reviewer under policy.conf. FOLDER, if given, is used instead of a
# temporary folder and kept, with the audit log in FOLDER/audit.jsonl.
#
# WARD is the ward command (default: ward, from PATH); WARD_LIBRARY, when set,
# is the libward.so that ward run preloads; NODE is node.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
WARD=${WARD:-ward}
NODE=${NODE:-node}
if [ $# -gt 0 ]; then
	mkdir -p "$1"
	tmp=$(cd "$1" && pwd -P)
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
fi
ws=$tmp/ws

mkdir "$ws"
cp -R "$here/repo" "$ws/repo"
chmod -R u+w "$ws"
cp "$here/reviewer.js" "$ws/"
echo 'GITHUB_TOKEN=ghp_0000000000000000000000000000000000' > "$ws/repo/.env"
echo '//registry.npmjs.org/:_authToken=npm_00000000000000000000' > "$ws/repo/.npmrc"
find "$ws/repo" -type f -exec cksum {} + | sort >"$tmp/before"

# What is printed leaves out what changes from run to run or machine to machine:
# ROOT and the example's folder stand for their paths, and a kernel without
# Landlock does not add its warning.
clean() {
	sed -e "s|$ws|ROOT|g" -e "s|$tmp/||g" -e "s|$here/||g" \
		-e '/^ward: warning: this kernel has no Landlock/d'
}

cd "$ws"
# The report's file exists before the run: a write rule that names a file is granted
# by the kernel backstop only when the file is there (README, "The kernel backstop").
: > REVIEW.md
echo '$ ward run -v -p policy.conf -- node reviewer.js repo REVIEW.md'
status=0
"$WARD" run -v -p "$here/policy.conf" -l "$tmp/audit.jsonl" -- \
	"$NODE" reviewer.js repo REVIEW.md >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
clean <"$tmp/stdout"
clean <"$tmp/stderr"
[ "$status" -eq 0 ] || echo "(exit status $status)"
echo
echo '$ cat REVIEW.md'
cat REVIEW.md 2>&1 | clean || :
echo
find "$ws/repo" -type f -exec cksum {} + | sort >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then
	echo 'The repository is unchanged.'
else
	echo 'The repository was changed:'
	diff "$tmp/before" "$tmp/after" | clean
fi
