#!/bin/sh
# 470-purge-schedules: the cron line and the systemd unit of examples/purge run the
# ward purge they say, on a tree laid out as they expect: an entry older than its ttl
# goes (with a purge event), a fresh one stays.
. "$top_srcdir/t/lib.sh"
plan_lazy
EX=$top_srcdir/examples/purge

# the agent's folder, as both examples expect it: ~/reports with its policy
setup() {
	rm -rf "$T/home"
	mkdir -p "$T/home/agent/reports/scratch" "$T/home/agent/.local/state/ward"
	cat > "$T/home/agent/reports/policy.conf" <<'P'
version = 1;
extends = "read-only";
rules = ( { path = "scratch/"; level = "write"; ttl = "1m"; } );
P
	echo old > "$T/home/agent/reports/scratch/old.csv"
	touch -d '2 minutes ago' "$T/home/agent/reports/scratch/old.csv"
	echo new > "$T/home/agent/reports/scratch/new.csv"
}

# -- cron: the command of the line, with the test's paths
line=$(grep -v '^#' "$EX/ward-purge.cron" | grep -v '^[[:space:]]*$')
is 1 "$(printf '%s\n' "$line" | wc -l)" "cron: one schedule line"
is "*/5" "$(printf '%s\n' "$line" | awk '{print $1}')" "cron: every 5 minutes"
cmd=$(printf '%s\n' "$line" | awk '{for (i = 7; i <= NF; i++) printf "%s%s", $i, (i < NF ? " " : "")}')
like '^/usr/local/bin/ward purge -p ' "$cmd" "cron: the command is ward purge"
setup
cmd=$(printf '%s' "$cmd" | sed "s|/usr/local/bin/ward|$WARD|; s|/home/agent|$T/home/agent|g")
sh -c "$cmd" > cron.out 2>&1
is 0 "$?" "cron: the command runs (exit 0)"
ok "cron: the old entry was purged" test ! -e "$T/home/agent/reports/scratch/old.csv"
ok "cron: the fresh entry stays" test -e "$T/home/agent/reports/scratch/new.csv"
like '"event":"purge".*scratch/old\.csv' "$(cat "$T/home/agent/.local/state/ward/audit.jsonl")" \
	"cron: the purge event is in the audit log the line names"

# -- systemd: ExecStart of the service, with %h and %i expanded as systemd does
svc=$EX/ward-purge@.service
tmr=$EX/ward-purge@.timer
like '^Type=oneshot$' "$(grep '^Type=' "$svc")" "systemd: a oneshot service"
like '^OnUnitActiveSec=5min$' "$(grep '^OnUnitActiveSec=' "$tmr")" "systemd: the timer runs it every 5 minutes"
like '^WantedBy=timers.target$' "$(grep '^WantedBy=' "$tmr")" "systemd: the timer is enabled with timers.target"
exec_start=$(sed -n 's/^ExecStart=//p' "$svc")
like '^/usr/local/bin/ward purge -p ' "$exec_start" "systemd: ExecStart is ward purge"
setup
mkdir -p "$T/home/agent/.local/state"
exec_start=$(printf '%s' "$exec_start" | sed "s|/usr/local/bin/ward|$WARD|; s|%h|$T/home/agent|g; s|%i|reports|g")
wd=$(sed -n 's/^WorkingDirectory=//p' "$svc" | sed "s|%h|$T/home/agent|g; s|%i|reports|g")
(cd "$wd" && HOME="$T/home/agent" XDG_STATE_HOME= sh -c "$exec_start") > svc.out 2>&1
is 0 "$?" "systemd: ExecStart runs in its WorkingDirectory (exit 0)"
ok "systemd: the old entry was purged" test ! -e "$T/home/agent/reports/scratch/old.csv"
ok "systemd: the fresh entry stays" test -e "$T/home/agent/reports/scratch/new.csv"
like '"event":"purge".*scratch/old\.csv' "$(cat "$T/home/agent/.local/state/ward/audit.jsonl" 2>/dev/null)" \
	"systemd: the purge event is in ward's default audit log"
