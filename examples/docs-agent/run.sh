#!/bin/sh
# Run the docs agent under ward, with one command:
#
#     examples/docs-agent/run.sh [FOLDER]
#
# It copies workspace/ and agent.py into a fresh folder (ROOT in the output),
# plants three secrets there (secrets/api.key, .env, docs/deploy.key), and runs
# the agent under policy.conf. FOLDER, if given, is used instead of a temporary
# folder and kept, with the audit log in FOLDER/audit.jsonl.
#
# WARD is the ward command (default: ward, from PATH); WARD_LIBRARY, when set,
# is the libward.so that ward run preloads; PYTHON3 is python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
WARD=${WARD:-ward}
PYTHON3=${PYTHON3:-python3}
if [ $# -gt 0 ]; then
	mkdir -p "$1"
	tmp=$(cd "$1" && pwd -P)
else
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
fi
ws=$tmp/ws

cp -R "$here/workspace" "$ws"
chmod -R u+w "$ws"
cp "$here/agent.py" "$ws/"
mkdir "$ws/secrets"
echo 'sk-live-51HfT9a2eZvKYlo2C0000000' > "$ws/secrets/api.key"
echo 'DATABASE_URL=postgres://aurora:hunter2@db/aurora' > "$ws/.env"
echo '-----BEGIN OPENSSH PRIVATE KEY-----' > "$ws/docs/deploy.key"

# What is printed leaves out what changes from run to run or machine to machine:
# ROOT and the example's folder stand for their paths, and a kernel without
# Landlock does not add its warning. python3 -S: no site-packages, whose .pth
# files may look at files (certificates) that every preset hides.
clean() {
	sed -e "s|$ws|ROOT|g" -e "s|$tmp/||g" -e "s|$here/||g" \
		-e '/^ward: warning: this kernel has no Landlock/d'
}

cd "$ws"
echo '$ ward run -v -p policy.conf -- python3 -S agent.py'
status=0
"$WARD" run -v -p "$here/policy.conf" -l "$tmp/audit.jsonl" -- \
	"$PYTHON3" -S agent.py >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
clean <"$tmp/stdout"
clean <"$tmp/stderr"
[ "$status" -eq 0 ] || echo "(exit status $status)"
echo
echo '$ cat docs/SUMMARY.md'
cat docs/SUMMARY.md
