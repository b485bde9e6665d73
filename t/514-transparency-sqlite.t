#!/bin/sh
# 514-transparency-sqlite: sqlite3 under `ward run -P development` gives what it gives
# natively: a database with its rollback journal and then its WAL and shm files in the
# same folder, transactions, a rollback, an attached database, VACUUM INTO, a backup,
# a temporary table (in TMPDIR) and an integrity check; and the same from Python's
# sqlite3 module.
. "$top_srcdir/t/presets/lib.sh"
need_cmd sqlite3
plan 9

cat > "$T/sql.sh" <<'X'
set -e
q() { sqlite3 -batch -bail "$@"; }
q db.sqlite <<'SQL'
PRAGMA journal_mode=DELETE;
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 5000)
  INSERT INTO t(name, v) SELECT 'n' || x, x * 0.5 FROM c;
BEGIN; DELETE FROM t WHERE id % 2 = 0; ROLLBACK;
SELECT count(*), sum(v) FROM t;
CREATE INDEX ti ON t(name);
ATTACH 'other.sqlite' AS o;
CREATE TABLE o.u AS SELECT * FROM t WHERE id <= 10;
SELECT count(*) FROM o.u;
PRAGMA temp_store=FILE;
CREATE TEMP TABLE big AS SELECT * FROM t;
SELECT count(*) FROM big;
VACUUM INTO 'vac.sqlite';
SQL
ls
q db.sqlite 'PRAGMA journal_mode=WAL;' 'INSERT INTO t(name, v) VALUES ("wal", 1);' \
	'PRAGMA wal_checkpoint(PASSIVE);' 'SELECT count(*) FROM t;'
q db.sqlite '.backup bak.sqlite'
q bak.sqlite 'PRAGMA integrity_check;' 'SELECT name FROM t ORDER BY id DESC LIMIT 2;'
q vac.sqlite 'SELECT count(*) FROM t;' '.schema'
q db.sqlite '.dump' | sha256sum | cut -d' ' -f1
q db.sqlite 'PRAGMA journal_mode;'
ls
# the -wal and -shm files exist while a connection is open
q db.sqlite 'INSERT INTO t(name, v) VALUES ("x", 2);' '.shell ls' 'SELECT count(*) FROM t;'
X

cat > "$T/sql.py" <<'X'
import os, sqlite3
c = sqlite3.connect("py.sqlite")
c.execute("PRAGMA journal_mode=WAL")
c.execute("CREATE TABLE k(a, b)")
c.executemany("INSERT INTO k VALUES (?, ?)", [(i, str(i) * 3) for i in range(2000)])
c.commit()
print(sorted(n for n in os.listdir(".") if n.startswith("py.")))
r = sqlite3.connect("py.sqlite")
print(r.execute("SELECT count(*), max(a) FROM k").fetchone())
c.execute("DELETE FROM k WHERE a > 10")
print(r.execute("SELECT count(*) FROM k").fetchone())
c.commit()
print(r.execute("SELECT count(*) FROM k").fetchone())
r.close()
c.close()
print(sorted(n for n in os.listdir(".") if n.startswith("py.")))
m = sqlite3.connect(":memory:")
c = sqlite3.connect("py.sqlite")
c.backup(m)
print(m.execute("PRAGMA integrity_check").fetchone(), m.execute("SELECT sum(a) FROM k").fetchone())
X

twice sqlite sh "$T/sql.sh"
is "0 0" "$(cat "$T/sqlite.status")" "the sqlite3 session ends with status 0, natively and under ward"
like '^wal$' "$(cat "$T/sqlite.native")" "the native run switched to WAL"
same sqlite "sqlite3: the same answers and files as natively"
no_denial sqlite
is "$(cd "$T/native/sqlite" && ls)" "$(cd "$T/ward/sqlite" && ls)" "the same files are left behind"

PY=
if [ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1; then
	PY=$("$PYTHON3" -c 'import sys, sqlite3; print(sys.executable)' 2>/dev/null) || PY=
fi
if [ -z "$PY" ]; then
	skip "no python3 with sqlite3"
	skip "no python3 with sqlite3"
	skip "no python3 with sqlite3"
	skip "no python3 with sqlite3"
	exit 0
fi
twice pysqlite "$PY" "$T/sql.py"
is "0 0" "$(cat "$T/pysqlite.status")" "python sqlite3 ends with status 0, natively and under ward"
like "py.sqlite-wal" "$(cat "$T/pysqlite.native")" "the native run saw the WAL file"
same pysqlite "python sqlite3: the same answers and files as natively"
no_denial pysqlite
