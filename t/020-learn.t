#!/bin/sh
# 020-learn: ward learn writes a policy a person would keep (issue 22): it never
# widens the secrets list (the secret stays hidden, a warning names it, the unhide
# line is left commented out); a rule covered by a rule of one of its folders is
# left out (.git write, not .git/objects/b8); folders of made-up names (hex,
# numbers) stand for their parent; folders the run made that look transient get a
# ttl suggestion; every rule says which operations needed it; the command and its
# "#!" interpreters are granted (ward run judges them before the first exec); HOME
# is never opened whole; names with glob characters, quotes and newlines are
# escaped. Each learnt policy is then used: the next run under it has no denial.
. "$top_srcdir/t/learn/lib.sh"
[ -n "${PYTHON3:-}" ] || skip_all "python3 is not installed"
command -v "${GIT:-git}" >/dev/null 2>&1 || skip_all "git is not installed"
PY=$("$PYTHON3" -c 'import sys; print(sys.executable)')
G=$(command -v "${GIT:-git}")
export PY G
plan 60

cat > "$HOME/.gitconfig" <<'C'
[user]
	name = T
	email = t@example.org
[init]
	defaultBranch = main
C

# ---- the run of the issue: python, git add and commit, and a read of .env ----
# (python3 -S: this kind of machine has a .pth in site-packages that looks at a
# *.pem certificate, hidden by the presets; issue 18)
mkdir -p "$T/ex/out"
cd "$T/ex" || bail "cd"
"$G" init -q . && echo 'print("hi")' > a.py && echo 'API_KEY=hunter2' > .env || bail "setup"
ex_cmd='"$PY" -S a.py > out/r.txt; "$G" add a.py; "$G" commit -qm x; cat .env >/dev/null'
"$WARD" learn -o "$T/ex.conf" -- sh -c "$ex_cmd" > "$T/ex.out" 2> "$T/ex.err"
is "0" "$?" "ward learn of the issue's run exits 0"
is "hi" "$(cat out/r.txt)" "the learnt run did its work (out/r.txt)"
is "1" "$("$G" rev-list --count HEAD)" "the learnt run did its work (a commit)"
learnt_policy_ok "the issue's run" "$T/ex.conf" "$T/ex"
like 'warning: the run used a secret \(cat: open \.env \(read\)\), hidden by "/\*\*/\.env"' \
	"$(cat "$T/ex.err")" "ward learn warns that the run used .env, naming the pattern"
# every hide pattern of the preset is in the learnt hide list
"$WARD" presets agent-safe | sed -n '/^hide = (/,/^);/p' | grep -o '"[^"]*"' > "$T/preset.hide"
sed -n '/^hide = (/,/^);/p' "$T/ex.conf" | grep -o '"[^"]*"' > "$T/learnt.hide"
missing=$(grep -vxF -f "$T/learnt.hide" "$T/preset.hide")
is "" "$missing" "the learnt hide list keeps every pattern of agent-safe's ($(wc -l < "$T/preset.hide") patterns)"
like '^# unhide = \(.*"/\*\*/\.env"' "$(grep unhide "$T/ex.conf")" "the unhide line for .env is there, commented out"
is "" "$(grep -E '^[[:space:]]*unhide' "$T/ex.conf")" "no unhide line is in force"
is "none" "$("$WARD" explain -p "$T/ex.conf" .env | cut -f1)" ".env stays hidden under the learnt policy"
is "" "$(rule_paths "$T/ex.conf" "$T/ex" | grep -F "$T/ex/.git/")" "no rule beneath .git"
like "^write	$T/ex/.git\$" "$(rule_paths "$T/ex.conf" "$T/ex")" ".git is one write rule"
like '# for: .*git: .*\.git/index\.lock \(create\)' "$(grep -B1 'path = "\.git"' "$T/ex.conf")" \
	"the .git rule says which operation needed write (git made its index.lock)"
# the same run under the learnt policy: nothing denied but .env
echo 'print("again")' > a.py
"$WARD" run -p "$T/ex.conf" -l "$T/ex-b.jsonl" -- sh -c "$ex_cmd" > /dev/null 2>&1
is "again" "$(cat out/r.txt)" "under the learnt policy, python writes out/r.txt again"
is "2" "$("$G" rev-list --count HEAD)" "under the learnt policy, git commits again"
is "" "$(denials "$T/ex-b.jsonl" | grep -vF "\"real\":\"$T/ex/.env\"")" \
	"under the learnt policy, the only denials are of .env"
like '"real":"'"$T/ex/.env"'"' "$(denials "$T/ex-b.jsonl")" "the read of .env is denied"
# a person decides: uncommenting the two lines lets the command read .env
sed -e 's/^# unhide = /unhide = /' -e '/# with the unhide line above, for "\/\*\*\/\.env"/{n;s/^  # /  , /;}' \
	"$T/ex.conf" > "$T/ex-unhidden.conf"
ok "uncommenting the unhide line and its rule gives a valid policy" "$WARD" check "$T/ex-unhidden.conf"
is "read" "$("$WARD" explain -p "$T/ex-unhidden.conf" .env | cut -f1)" "... under which .env can be read"

# ---- made-up names: content-addressed and numbered folders stand for their parent ----
mkdir -p "$T/gen/objs" "$T/gen/runs"
cd "$T/gen" || bail "cd"
gen_cmd='for h in $1; do mkdir -p objs/$h && echo $h > objs/$h/obj; done; mkdir -p runs/$2 && echo log > runs/$2/log'
"$WARD" learn -o "$T/gen.conf" -- sh -c "$gen_cmd" sh "1f 2e 3d" 1 > /dev/null 2>&1
is "1f 2e 3d 1" "$(cat objs/1f/obj objs/2e/obj objs/3d/obj | tr '\n' ' ')$(ls runs)" "the learnt run made its objects"
learnt_policy_ok "made-up names" "$T/gen.conf" "$T/gen"
is "write	$T/gen/objs
write	$T/gen/runs" "$(rule_paths "$T/gen.conf" "$T/gen" | grep write)" \
	"the hex and numbered folders stand for objs and runs (write)"
"$WARD" run -p "$T/gen.conf" -l "$T/gen-b.jsonl" -- sh -c "$gen_cmd" sh "4c 5b 6a9e" 2 > /dev/null 2>&1
is "0" "$?" "the next run, with other hashes and numbers, ends with status 0"
is "" "$(denials "$T/gen-b.jsonl")" "... and has no denial"

# ---- transient areas the run made get a ttl suggestion ----
mkdir -p "$T/tr"
cd "$T/tr" || bail "cd"
echo 'X = 1' > mod.py
tr_cmd='mkdir -p build/obj && echo o > build/obj/a.o && env -u PYTHONDONTWRITEBYTECODE "$PY" -S -c "import mod"'
"$WARD" learn -o "$T/tr.conf" -- sh -c "$tr_cmd" > /dev/null 2>&1
ok "the learnt run wrote __pycache__" test -d __pycache__
learnt_policy_ok "transient areas" "$T/tr.conf" "$T/tr"
like 'consider ttl' "$(grep -B1 'path = "build/"; level = "write"' "$T/tr.conf")" \
	"build/, made by the run, is a folder rule with a ttl suggestion"
like 'consider ttl' "$(grep -B1 'path = "__pycache__/"; level = "write"' "$T/tr.conf")" \
	"__pycache__/, made by the run, is a folder rule with a ttl suggestion"
like '^(none|view|read)$' "$("$WARD" explain -p "$T/tr.conf" new.txt | cut -f1)" \
	"ROOT itself is not made writable"
rm -rf build __pycache__
"$WARD" run -p "$T/tr.conf" -l "$T/tr-b.jsonl" -- sh -c "$tr_cmd" > /dev/null 2>&1
is "0" "$?" "the next run, from a clean tree, ends with status 0 (ward run makes the folders)"
is "" "$(denials "$T/tr-b.jsonl")" "... and has no denial"

# ---- the command and its interpreters, outside the system's folders ----
# ward run starts the command itself: the library never sees that exec, nor the
# kernel loading the "#!" interpreter; only learn can add them. A copy of sh runs a
# script; a copy of true is a native program.
mkdir -p "$T/bin" "$T/work"
true_bin=/usr/bin/true
[ -x "$true_bin" ] || true_bin=/bin/true
cp "$(command -v sh)" "$T/bin/mysh" && cp "$true_bin" "$T/bin/mytrue" || bail "cp"
printf '#!%s\necho "tool ran in $(basename "$PWD")"\n' "$T/bin/mysh" > "$T/bin/tool"
chmod 755 "$T/bin/tool"
cd "$T/work" || bail "cd"
"$WARD" learn -o "$T/chain.conf" -- "$T/bin/tool" > /dev/null 2>&1
learnt_policy_ok "a script of a copied shell" "$T/chain.conf" "$T/work"
is "read read none" "$("$WARD" explain -p "$T/chain.conf" "$T/bin/tool" "$T/bin/mysh" "$T/bin/mytrue" | cut -f1 | tr '\n' ' ' | sed 's/ $//')" \
	"the command and its interpreter are readable (and nothing else of the folder)"
ok_program "ward run of the command under the learnt policy runs it" 0 "tool ran in work" \
	"$WARD" run -p "$T/chain.conf" -l "$T/chain-b.jsonl" -- "$T/bin/tool"
is "" "$(denials "$T/chain-b.jsonl")" "... with no denial"
"$WARD" learn -o "$T/native.conf" -- "$T/bin/mytrue" > /dev/null 2>&1
ok_program "a native program under the policy learnt from it runs" 0 "" \
	"$WARD" run -p "$T/native.conf" -l "$T/native-b.jsonl" -- "$T/bin/mytrue"

# ---- HOME is never opened whole ----
mkdir -p "$T/work2"
cd "$T/work2" || bail "cd"
echo 'set -o vi' > "$HOME/.toolrc"
home_cmd='cat "$HOME/.toolrc" > /dev/null && mkdir -p "$HOME/.toolstate" && echo 1 >> "$HOME/.toolstate/db" && echo x >> "$HOME/.tool_history"'
"$WARD" learn -o "$T/home.conf" -- sh -c "$home_cmd" > /dev/null 2>&1
learnt_policy_ok "state in HOME" "$T/home.conf" "$T/work2"
wide=$(rule_paths "$T/home.conf" "$T/work2" | while IFS='	' read -r lv p; do
	case $lv in read | write) case $HOME/ in "$p"/*) echo "$lv $p" ;; esac ;; esac
done)
is "" "$wide" "no read or write rule for HOME or a folder above it"
is "write write none" "$("$WARD" explain -p "$T/home.conf" "$HOME/.toolstate/other" "$HOME/.tool_history" "$HOME/.other_history" | cut -f1 | tr '\n' ' ' | sed 's/ $//')" \
	"the folder the run made, and the file it wrote, are writable; their neighbours are not"
"$WARD" run -p "$T/home.conf" -l "$T/home-b.jsonl" -- sh -c "$home_cmd" > /dev/null 2>&1
is "0" "$?" "the next run ends with status 0"
is "" "$(denials "$T/home-b.jsonl")" "... and has no denial"
# learnt from HOME itself: ROOT is HOME, and is not opened whole either
cd "$HOME" || bail "cd"
echo a > a.txt && echo b > b.txt && echo c > c.txt
"$WARD" learn -o "$T/inhome.conf" -- sh -c 'cat a.txt b.txt c.txt > /dev/null && echo n >> notes.txt' > /dev/null 2>&1
like '^(none|view) (none|view)$' "$("$WARD" explain -p "$T/inhome.conf" "$HOME/d.txt" "$HOME/.toolrc" | cut -f1 | tr '\n' ' ' | sed 's/ $//')" \
	"learnt in HOME: other files of HOME are not readable"
"$WARD" run -p "$T/inhome.conf" -l "$T/inhome-b.jsonl" -- sh -c 'cat a.txt b.txt c.txt > /dev/null && echo n >> notes.txt' > /dev/null 2>&1
is "0" "$?" "learnt in HOME: the next run ends with status 0"
is "" "$(denials "$T/inhome-b.jsonl")" "... and has no denial"

# ---- names with glob characters, quotes, backslashes and newlines ----
mkdir -p "$T/esc"
cd "$T/esc" || bail "cd"
nl=$(printf 'new\nline')
printf 1 > 'we*ird[1].txt' && printf 2 > 'q"b\s.txt' && printf 3 > "$nl" && printf 4 > weAird1.txt
for f in 'we*ird[1].txt' 'q"b\s.txt' "$nl"; do
	"$WARD" learn -o "$T/esc.conf" -- cat "$f" > /dev/null 2>&1
	is "read none" "$("$WARD" explain -p "$T/esc.conf" "$f" weAird1.txt | cut -f1 | grep -v '^line' | tr '\n' ' ' | sed 's/ $//')" \
		"a rule for the name '$(printf '%s' "$f" | tr '\n' '?')' matches it and nothing else"
done
ok "and the last policy is valid" "$WARD" check "$T/esc.conf"

# ---- usage, and a failing command ----
ok_program "ward learn with no command is a usage error" 2 "usage: ward learn [-o FILE] [-r ROOT] -- COMMAND [ARG]..." \
	"$WARD" learn
"$WARD" learn -o "$T/fail.conf" -- sh -c 'exit 3' > /dev/null 2> "$T/fail.err"
like 'the command exited with status 3' "$(cat "$T/fail.err")" "a failing command is said so on stderr"
like '^# \(exit status 3\)' "$(cat "$T/fail.conf")" "... and in the policy's header"
