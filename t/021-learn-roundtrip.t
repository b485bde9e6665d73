#!/bin/sh
# 021-learn-roundtrip: ward learn on three real workloads (issue 22), offline: a git
# commit; a python venv and a pip install of a local wheel (built here); an npm
# install of a local tarball (made here with npm pack). Each is learnt from run A;
# run B of the same workload with other inputs (another commit, another package)
# then runs under the learnt policy, with the kernel backstop, and must end as
# natively with no denial at all. The learnt policies are printed in this test's
# log, and none holds a rule that another covers.
. "$top_srcdir/t/learn/lib.sh"
plan 21

# run_b NAME POLICY CMD...: run B under the learnt policy; its output in $T/NAME-b.out
run_b() {
	_n=$1
	_p=$2
	shift 2
	"$WARD" run -p "$_p" -l "$T/$_n-b.jsonl" -- "$@" > "$T/$_n-b.out" 2>&1
	echo $? > "$T/$_n-b.status"
	diag "$_n, run B: $(tr '\n' ' ' < "$T/$_n-b.out")"
}

# ---- git: learnt from one commit, then another commit of other files ----
G=$(command -v "${GIT:-git}" 2>/dev/null)
if [ -n "$G" ]; then
	export G
	cat > "$HOME/.gitconfig" <<'C'
[user]
	name = T
	email = t@example.org
[init]
	defaultBranch = main
C
	mkdir -p "$T/git" && cd "$T/git" || bail "cd"
	"$G" init -q . && echo one > a.txt && "$G" add a.txt && "$G" commit -qm init || bail "git setup"
	git_cmd='"$G" add -A && "$G" commit -q -m "$1" && "$G" log -1 --format=%s'
	echo two >> a.txt && echo new > b.txt
	"$WARD" learn -o "$T/git.conf" -- sh -c "$git_cmd" sh first > "$T/git-a.out" 2>&1
	is "first" "$(cat "$T/git-a.out")" "git, run A (learnt): the commit is made"
	learnt_policy_ok "git" "$T/git.conf" "$T/git"
	mkdir docs && echo doc > docs/c.md && echo three >> b.txt && rm a.txt
	run_b git "$T/git.conf" sh -c "$git_cmd" sh second
	is "0 second" "$(cat "$T/git-b.status") $(cat "$T/git-b.out")" "git, run B (other files, a deletion, a new folder): the commit is made"
	is "" "$(denials "$T/git-b.jsonl")" "git, run B: no denial"
	is "second first init" "$("$G" log --format=%s | tr '\n' ' ' | sed 's/ $//')" "git: the history holds both commits"
else
	for i in 1 2 3 4 5 6 7; do skip "git is not installed"; done
fi

# ---- python: a venv, and pip installing a local wheel into it ----
# Until issue 18 lands, the presets hide every *.pem, also the ones a run makes:
# ensurepip's pip, and pip run from its zipped wheel, write pip's cacert.pem (into
# the venv, or TMPDIR) and fail. So the venv is made --without-pip, and pip runs
# from an unpacked copy of its wheel, offline (--no-index). python3 -S for the
# venv: this kind of machine has a .pth in site-packages that looks at a *.pem
# certificate. PYTHONDONTWRITEBYTECODE: pip's own bytecode would add a
# __pycache__ rule per folder of pip (t/020 tests those rules).
PY=
unset PYTHONPATH
if [ -n "${PYTHON3:-}" ] && "$PYTHON3" -c 'import venv, ensurepip' 2>/dev/null; then
	PY=$("$PYTHON3" -c 'import sys; print(sys.executable)')
	pipwhl=$(ls "$("$PY" -c 'import ensurepip, os; print(os.path.dirname(ensurepip.__file__))')"/_bundled/pip-*.whl \
		/usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
	[ -n "$pipwhl" ] || PY=
fi
if [ -n "$PY" ]; then
	export PY
	PYTHONDONTWRITEBYTECODE=1
	export PYTHONDONTWRITEBYTECODE
	mkdir -p "$T/py/wheels" && cd "$T/py" || bail "cd"
	"$PY" "$top_srcdir/t/learn/mkwheel.py" pkga 1.0 wheels > /dev/null &&
		"$PY" "$top_srcdir/t/learn/mkwheel.py" pkgb 2.0 wheels > /dev/null &&
		"$PY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$pipwhl" tools/pip ||
		bail "python setup"
	diag "pip: $(basename "$pipwhl"), unpacked; python: $PY"
	py_cmd='"$PY" -S -m venv --without-pip venv &&
PYTHONPATH="$PWD/tools/pip" venv/bin/python -m pip install -q --no-index --no-deps --disable-pip-version-check --no-cache-dir "wheels/$1" &&
venv/bin/python -c "import $2; print($2.hello())"'
	"$WARD" learn -o "$T/py.conf" -- sh -c "$py_cmd" sh pkga-1.0-py3-none-any.whl pkga > "$T/py-a.out" 2>&1
	is "pkga 1.0" "$(grep -v '^ward: ' "$T/py-a.out")" "python, run A (learnt): the venv is made and pkga installed"
	learnt_policy_ok "python venv + pip" "$T/py.conf" "$T/py"
	run_b py "$T/py.conf" sh -c "$py_cmd" sh pkgb-2.0-py3-none-any.whl pkgb
	is "0 pkgb 2.0" "$(cat "$T/py-b.status") $(cat "$T/py-b.out")" "python, run B (another wheel): pkgb is installed and imports"
	is "" "$(denials "$T/py-b.jsonl")" "python, run B: no denial"
	is "pkga 1.0 pkgb 2.0" "$(venv/bin/python -c 'import pkga, pkgb; print(pkga.hello(), pkgb.hello())')" \
		"python: both packages are in the venv"
	unset PYTHONDONTWRITEBYTECODE
else
	for i in 1 2 3 4 5 6 7; do skip "python3 with venv and a bundled pip wheel is not installed"; done
fi

# ---- npm: installing a local tarball made with npm pack, then another ----
NPM=
[ -n "${NODE:-}" ] && NPM=$(command -v npm 2>/dev/null)
if [ -n "$NPM" ]; then
	export NPM
	mkdir -p "$T/npm/app/vendor" && cd "$T/npm" || bail "cd"
	for pv in pkga:1.0.0 pkgb:2.0.0; do
		n=${pv%%:*}
		v=${pv#*:}
		mkdir -p "src/$n"
		printf '{"name":"%s","version":"%s","main":"index.js"}\n' "$n" "$v" > "src/$n/package.json"
		printf 'module.exports = () => "%s %s";\n' "$n" "$v" > "src/$n/index.js"
		(cd "src/$n" && "$NPM" pack --silent --cache "$T/npm/cache" --pack-destination "$T/npm/app/vendor" > /dev/null) ||
			bail "npm pack"
	done
	cd app || bail "cd"
	echo '{"name":"app","version":"0.0.1","private":true}' > package.json
	npm_cmd='"$NPM" install --offline --no-audit --no-fund --no-update-notifier --loglevel=error "./vendor/$1" > /dev/null &&
node -e "console.log(require(\"$2\")())"'
	"$WARD" learn -o "$T/npm.conf" -- sh -c "$npm_cmd" sh pkga-1.0.0.tgz pkga > "$T/npm-a.out" 2>&1
	is "pkga 1.0.0" "$(grep -v '^ward: ' "$T/npm-a.out")" "npm, run A (learnt): pkga is installed and loads"
	learnt_policy_ok "npm" "$T/npm.conf" "$T/npm/app"
	run_b npm "$T/npm.conf" sh -c "$npm_cmd" sh pkgb-2.0.0.tgz pkgb
	is "0 pkgb 2.0.0" "$(cat "$T/npm-b.status") $(cat "$T/npm-b.out")" "npm, run B (another tarball): pkgb is installed and loads"
	is "" "$(denials "$T/npm-b.jsonl")" "npm, run B: no denial"
	is "pkga 1.0.0 pkgb 2.0.0" "$(node -e 'console.log(require("pkga")(), require("pkgb")())')" \
		"npm: both packages are in node_modules"
else
	for i in 1 2 3 4 5 6 7; do skip "node and npm are not installed"; done
fi
