#!/bin/sh
# 030-completion: the bash completion of ward (completion/ward, or the file named
# by WARD_COMPLETION, e.g. an installed one) completes the commands, their
# options, preset names, policy files, audit logs and, after `ward run --`, the
# command; in a plain bash, and with the bash-completion package when it is there.
. "$top_srcdir/t/lib.sh"
command -v bash > /dev/null 2>&1 || skip_all "bash is not installed"
COMPLETION=${WARD_COMPLETION:-$top_srcdir/completion/ward}
[ -f "$COMPLETION" ] || bail "no completion file at $COMPLETION"
BASHCOMP=/usr/share/bash-completion/bash_completion
plan 26
LC_ALL=C
export LC_ALL

mkdir -p "$T/d/sub"
: > "$T/d/a.conf"
: > "$T/d/b.txt"
: > "$T/d/x.jsonl"
cd "$T/d" || bail "cd"

# comp MODE WORD...: the completions of the last word (one a line, sorted, a
# trailing / taken off), in a plain bash (MODE plain) or with bash-completion
comp() {
	_mode=$1
	shift
	bash --norc --noprofile -c '
		mode=$1 bashcomp=$2 completion=$3
		shift 3
		if [ "$mode" = full ]; then . "$bashcomp" || exit 9; fi
		. "$completion" || exit 9
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="${COMP_WORDS[*]}"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_ward
		printf "%s\n" "${COMPREPLY[@]}"' bash "$_mode" "$BASHCOMP" "$COMPLETION" "$@" |
		sed 's,/$,,' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

modes=plain
[ -f "$BASHCOMP" ] && modes="plain full"
for m in plain full; do
	case " $modes " in
	*" $m "*) ;;
	*)
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do skip "no bash-completion package ($BASHCOMP)"; done
		continue
		;;
	esac
	got=$(comp $m "$WARD" "")
	missing=
	for c in run check explain learn purge presets report --help --version; do
		case " $got " in *" $c "*) ;; *) missing="$missing $c" ;; esac
	done
	is "" "$missing" "$m: ward <TAB> offers every command (got: $got)"
	is "run" "$(comp $m "$WARD" ru)" "$m: ward ru<TAB> is run"
	is "--no-landlock" "$(comp $m "$WARD" run --no-)" "$m: ward run --no-<TAB> is --no-landlock"
	like '(^| )-P -l -p -r -v$' "$(comp $m "$WARD" run -)" "$m: ward run -<TAB> offers its short options"
	is "agent-safe development full-access read-only strict" "$(comp $m "$WARD" run -P "")" \
		"$m: ward run -P <TAB> offers the preset names"
	is "development" "$(comp $m "$WARD" run -P dev)" "$m: ward run -P dev<TAB> is development"
	is "a.conf sub" "$(comp $m "$WARD" check "")" "$m: ward check <TAB> offers policy files and folders"
	is "a.conf sub" "$(comp $m "$WARD" run -p "")" "$m: ward run -p <TAB> offers policy files and folders"
	is "sub x.jsonl" "$(comp $m "$WARD" report "")" "$m: ward report <TAB> offers audit logs and folders"
	is "sub" "$(comp $m "$WARD" run -r "")" "$m: ward run -r <TAB> offers folders"
	like '(^| )echo( |$)' "$(comp $m "$WARD" run -p a.conf -- ech)" "$m: ward run -p a.conf -- ech<TAB> completes the command"
	is "strict" "$(comp $m "$WARD" presets st)" "$m: ward presets st<TAB> is strict"
	is "-- --help -o -r" "$(comp $m "$WARD" learn -)" "$m: ward learn -<TAB> offers -o, -r, --help and --"
done
