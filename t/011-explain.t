#!/bin/sh
# 011-explain: ward explain prints LEVEL<TAB>PATH<TAB>RULE for each path, RULE being
# FILE:LINE, "preset NAME:N" or "default" (DESIGN.md section 4).
. "$top_srcdir/t/lib.sh"
plan_lazy
tab=$(printf '\t')

# line 1 is "version = 1;"
policy p.conf <<'P'
default = "view";
hide = ( "/**/*.pem" );
rules = (
  { path = "/etc/**"; level = "read"; },
  { path = "docs"; level = "write"; },
  { path = "docs/private"; level = "none"; },
  { path = "/tmp/ward-explain-exports"; level = "write"; justification = "the export tool"; },
  { path = "**/cache/"; level = "write"; }
);
P
mkdir -p docs/private sub/docs a/cache b
: > b/cache
echo x > docs/a.txt
ln -s docs link

# one path at a time: the exact line
ex() { # ex LEVEL PATH RULE [ward explain options...]
	_l=$1 _p=$2 _r=$3
	shift 3
	ok_program "explain $* $_p: $_l $_r" 0 "$_l$tab$_p$tab$_r" "$WARD" explain "$@" "$_p"
}
ex write docs/a.txt p.conf:6 -p p.conf
ex write docs p.conf:6 -p p.conf
ex write docs/new/not-yet.txt p.conf:6 -p p.conf
ex none docs/private/k p.conf:7 -p p.conf
ex none docs/key.pem p.conf:3 -p p.conf
ex read /etc/hostname p.conf:5 -p p.conf
ex view /usr/bin/env default -p p.conf
ex write /tmp/ward-explain-exports/f p.conf:8 -p p.conf
ex none /tmp/ward-explain-elsewhere default -p p.conf
ex write a/cache p.conf:9 -p p.conf
ex view b/cache default -p p.conf
ex write link/a.txt p.conf:6 -p p.conf
ex none docs/../docs/private/x p.conf:7 -p p.conf
ex write "$T/docs/a.txt" p.conf:6 -p p.conf
ex write docs/a.txt "$T/p.conf:6" -p "$T/p.conf"

# several paths at once: one line each, in order
ok_program "several paths: one line each" 0 \
"write${tab}docs/a.txt${tab}p.conf:6
none${tab}docs/private/k${tab}p.conf:7
view${tab}/usr/bin/env${tab}default" "$WARD" explain -p p.conf docs/a.txt docs/private/k /usr/bin/env

# -r ROOT moves the relative patterns
ex write sub/docs/x p.conf:6 -p p.conf -r sub
ex none docs/a.txt default -p p.conf -r sub

# presets: "preset NAME:N", N the line in the preset as ward presets prints it
"$WARD" presets agent-safe > agent-safe.conf
n_shadow=$(grep -n '"/etc/shadow"' agent-safe.conf | cut -d: -f1)
n_all=$(grep -n 'path = "/\*\*"' agent-safe.conf | cut -d: -f1)
n_out=$(grep -n 'path = "output/"' agent-safe.conf | cut -d: -f1)
ok "the preset's lines are found ($n_shadow $n_all $n_out)" test -n "$n_shadow" -a -n "$n_all" -a -n "$n_out"
ex none /etc/shadow "preset agent-safe:$n_shadow" -P agent-safe
ex read /usr/bin/env "preset agent-safe:$n_all" -P agent-safe
ex write output/report.txt "preset agent-safe:$n_out" -P agent-safe
ex none docs/.env "preset agent-safe:$(grep -n '"/\*\*/\.env"' agent-safe.conf | cut -d: -f1)" -P agent-safe
ex none /tmp/ward-explain-elsewhere/f default -P agent-safe
# neither -p nor -P: agent-safe
ex write output/report.txt "preset agent-safe:$n_out"

# a policy that extends a preset: both kinds of label
policy ext.conf <<'P'
extends = "agent-safe";
rules = (
  { path = "docs"; level = "write"; }
);
P
ex write docs/a.txt ext.conf:4 -p ext.conf
ex read /usr/bin/env "preset agent-safe:$n_all" -p ext.conf
ex none docs/.env "preset agent-safe:$(grep -n '"/\*\*/\.env"' agent-safe.conf | cut -d: -f1)" -p ext.conf

# a policy that extends another file: FILE is that file
policy child.conf <<'P'
extends = "p.conf";
rules = (
  { path = "docs/private/shared"; level = "read"; }
);
P
"$WARD" explain -p child.conf docs/a.txt > out 2> err
is 0 "$?" "explain with a policy that extends another file: exit 0"
like "^write${tab}docs/a\\.txt${tab}(\\./)?p\\.conf:6\$" "$(cat out)" "an inherited rule is labelled with its own file and line"
ex read docs/private/shared/x child.conf:4 -p child.conf

# errors
printf 'version = 1;\nrules = (\n  { path = "/a"; level = "reed"; }\n);\n' > bad.conf
"$WARD" explain -p bad.conf docs > out 2> err
is 1 "$?" "explain with an invalid policy: exit 1"
like "^(ward: )?bad\\.conf:3: " "$(cat err)" "... FILE:LINE: on stderr"
"$WARD" explain -p p.conf > out 2> err
is 2 "$?" "explain without a path: usage error, exit 2"
"$WARD" explain -p p.conf -P agent-safe docs > out 2> err
is 2 "$?" "explain with -p and -P: usage error, exit 2"
"$WARD" explain -P no-such-preset docs > out 2> err
is 1 "$?" "explain with an unknown preset: exit 1"
like "no-such-preset" "$(cat err)" "... the message names it"
