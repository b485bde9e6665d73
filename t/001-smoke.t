#!/bin/sh
# 001-smoke: the library loads, confines, and the driver works.
. "$top_srcdir/t/lib.sh"
plan 6
mkdir -p docs secrets
echo hello > docs/a.txt
echo key > secrets/k
policy p.conf <<'P'
rules = (
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "write"; },
  { path = "secrets"; level = "none"; }
);
P
ok "read an allowed file" under p.conf "$CALL" read ok docs/a.txt
ok "a none file is ENOENT" under p.conf "$CALL" read ENOENT secrets/k
ok "create in a write folder" under p.conf "$CALL" create ok docs/new
ok "create at read level is EACCES" under p.conf "$CALL" create EACCES new-in-root
ok_program "the none folder is not listed" 0 "ok
docs
p.conf" under p.conf "$CALL" ls ok .
ok "nothing was created at read level" test ! -e new-in-root
