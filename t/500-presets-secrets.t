#!/bin/sh
# 500-presets-secrets: every secret of DESIGN §6 is invisible under every preset but
# full-access, to python3, node and coreutils (cat, stat, ls, tee, mkdir): opening,
# stat and lstat give ENOENT, the name is absent from its folder's listing, it cannot
# be opened to write nor created (ENOENT, nothing created), also in a folder the
# policy makes writable. full-access hides nothing but ward's state folder: there,
# every other answer is the native one.
#
# Each preset runs twice: `ward run -P PRESET -r $T`, and by hand (LD_PRELOAD) under
# a policy that extends the preset and makes $T/w writable. The secrets sit in five
# places: ROOT itself, a deep folder of ROOT, $HOME (inside the test tree), w/ and
# output/ (writable under agent-safe, development, and the extending policy).
. "$top_srcdir/t/lib.sh"
plan_lazy

PRESETS="agent-safe read-only development strict full-access"
got=$("$WARD" presets | awk '{ print $1 }' | tr '\n' ' ')
is "$PRESETS " "$got" "ward presets lists the five presets of DESIGN §6"

# --- the programs -------------------------------------------------------------------
PY=
if [ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1; then
	PY=$("$PYTHON3" -c 'import sys; print(sys.executable)' 2>/dev/null) || PY=
fi
# strict shows only the system's program folders: a python3 installed under $HOME
# (pyenv) does not exist there, the system's one does.
PY_STRICT=
for _p in "$PY" /usr/bin/python3; do
	[ -n "$_p" ] && [ -x "$_p" ] || continue
	_r=$(readlink -f "$_p")
	case $_r in /usr/* | /bin/*) PY_STRICT=$_p; break ;; esac
done
NODEX=
if [ -n "${NODE:-}" ] && command -v "$NODE" >/dev/null 2>&1; then
	NODEX=$(command -v "$NODE")
fi
for _c in cat ls stat tee mkdir dirname basename grep; do
	command -v "$_c" >/dev/null 2>&1 || skip_all "$_c is not installed"
done
cp "$top_srcdir/t/presets/probe.py" "$top_srcdir/t/presets/probe.js" \
	"$top_srcdir/t/presets/probe.sh" "$T/" || bail "cannot copy the probes"

# prog_cmd PROG PRESET: the command line of probe PROG (python, node, cat), or nothing
# when that program is missing
prog_cmd() {
	case $1 in
	python)
		if [ "$2" = strict ]; then _py=$PY_STRICT; else _py=$PY; fi
		[ -n "$_py" ] && echo "$_py $T/probe.py" ;;
	node) [ -n "$NODEX" ] && echo "$NODEX $T/probe.js" ;;
	cat) echo "/bin/sh $T/probe.sh" ;;
	esac
}

# --- the tree -----------------------------------------------------------------------
HOME=$T/home
export HOME
unset XDG_STATE_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
# every kind of secret of §6, as files, as folders, and as files in those folders
FILES=".env .env.local server.pem tls.key id_rsa id_rsa.pub id_ecdsa id_ecdsa.pub
id_ed25519 id_ed25519.pub .docker/config.json .netrc .git-credentials .npmrc .pypirc"
DIRS=".ssh .gnupg .aws .azure .config/gcloud .kube"
INSIDE=".ssh/config .ssh/known_hosts .gnupg/pubring.kbx .aws/credentials .aws/config
.azure/msal_token_cache.json .config/gcloud/application_default_credentials.json
.kube/config"
# what can be created anew: files, and folders
NEWFILES=".env .env.production new.pem new.key id_rsa id_rsa_2 id_ecdsa id_ed25519_sk
.docker/config.json .netrc .git-credentials .npmrc .pypirc"
NEWDIRS=".ssh .gnupg .aws .azure .config/gcloud .kube"
BASES="$T $T/src/pkg $HOME $T/w $T/output"

mkdir -p "$T/logs"
for B in $BASES; do
	mkdir -p "$B/.docker" "$B/.config"
	for d in $DIRS; do mkdir -p "$B/$d"; done
	for f in $FILES $INSIDE; do echo "SECRET $B/$f" > "$B/$f"; done
	echo "not a secret" > "$B/plain.txt"
	echo "{}" > "$B/.docker/daemon.json"
done
# ward's own state folder (HOME/.local/state/ward)
mkdir -p "$HOME/.local/state/ward"
echo '{"event":"op"}' > "$HOME/.local/state/ward/audit.jsonl"
# other ways to name a secret: a symbolic link, /proc/self/root, ..
ln -s src/pkg/.env "$T/env-link"
ln -s ../home/.ssh "$T/w/ssh-link"

# group NAME MODE PATH...: adds pairs to the list $LIST, each with its group
LIST=$T/list
group() {
	_g=$1
	_m=$2
	shift 2
	for _p; do echo "$_g $_m $_p"; done >> "$LIST"
}
: > "$LIST"
for B in $BASES; do
	case $B in
	"$T") g=root ;;
	"$HOME") g=home ;;
	*) g=${B#"$T/"} ;;
	esac
	for f in $FILES $DIRS $INSIDE; do group "$g" r "$B/$f"; done
	for f in $FILES $INSIDE; do group "$g" w "$B/$f"; done
	# controls: what is no secret stays visible (or the test proves nothing)
	group "$g-plain" r "$B/plain.txt" "$B/.docker" "$B/.docker/daemon.json" "$B/.config"
done
group state r "$HOME/.local/state/ward" "$HOME/.local/state/ward/audit.jsonl"
group state w "$HOME/.local/state/ward/audit.jsonl"
group etc r /etc/shadow /etc/gshadow
group routes r "$T/env-link" "$T/w/ssh-link" "$T/w/ssh-link/config" \
	"/proc/self/root$T/src/pkg/.env" "$T/src/../src/pkg/.aws/credentials" "$T/home/./.netrc"
NRW=$(wc -l < "$LIST")

# expected LINE: sets _w to the answer of a hiding preset for "GROUP MODE PATH"
expected() {
	set -- $1
	case $2 in
	w) _w="$3 wopen=ENOENT"; return ;;
	c) _w="$3 creat=ENOENT"; return ;;
	d) _w="$3 mkdir=ENOENT"; return ;;
	esac
	case $1 in
	*-plain) _w="$3 NATIVE"; return ;;
	esac
	case $3 in
	"$T/env-link") _w="$3 open=ENOENT stat=ENOENT lstat=ok list=present"; return ;;
	"$T/w/ssh-link") _w="$3 open=ENOENT stat=ENOENT lstat=ok list=present"; return ;;
	"$T/w/ssh-link/config") _w="$3 open=ENOENT stat=ENOENT lstat=ENOENT list=ENOENT"; return ;;
	esac
	# in a hidden folder, the folder itself cannot be listed
	_in=absent
	for _i in $INSIDE; do
		case $3 in */"$_i") _in=ENOENT ;; esac
	done
	case $3 in "$HOME/.local/state/ward/"*) _in=ENOENT ;; esac
	_w="$3 open=ENOENT stat=ENOENT lstat=ENOENT list=$_in"
}

# probe_run PRESET VARIANT PROG: one run of the probe over the whole list, then a test
# point for each group
probe_run() {
	_pre=$1 _var=$2 _prog=$3
	_cmd=$(prog_cmd "$_prog" "$_pre")
	_tag="$_pre $_var $_prog"
	if [ -z "$_cmd" ]; then
		skip "$_tag: no $_prog"
		return
	fi
	# fresh folders for the creations, made natively (creation needs no write on them)
	_k=$_pre-$_var-$_prog
	_l=$T/list-$_k
	cp "$LIST" "$_l"
	for _b in w output; do
		_f=$T/$_b/fresh-$_k
		mkdir -p "$_f/.config" "$_f/.docker"
		for _n in $NEWFILES; do echo "new-$_b c $_f/$_n"; done >> "$_l"
		for _n in $NEWDIRS; do echo "new-$_b d $_f/$_n"; done >> "$_l"
	done
	# shellcheck disable=SC2046
	set -- $(cut -d' ' -f2- "$_l")
	case $_var in
	run)
		# a log outside the write areas ($T is written under development; under
		# full-access every file is, and ward run refuses them all)
		_log=$LOGS/$_k.jsonl
		[ "$_pre" = full-access ] && _log=/dev/null
		"$WARD" run -P "$_pre" -r "$T" -l "$_log" -- $_cmd "$@" > "$T/out-$_k" 2> "$T/err-$_k"
		_st=$? ;;
	hand)
		under "$T/ext-$_pre.conf" $_cmd "$@" > "$T/out-$_k" 2> "$T/err-$_k"
		_st=$? ;;
	esac
	# and natively (once a program), for the controls and for full-access
	if [ ! -f "$T/native-$_prog" ]; then
		# shellcheck disable=SC2046
		$(prog_cmd "$_prog" full-access) $(cut -d' ' -f2- "$LIST") > "$T/native-$_prog" 2>&1
	fi
	is 0 "$_st" "$_tag: the probe ran to its end" || diag "$(cat "$T/err-$_k")"
	cut -d' ' -f1 "$_l" | paste -d' ' - "$T/out-$_k" > "$T/got-$_k"
	: > "$T/want-$_k"
	# each line of the list with its native answer (none for the creations)
	paste -d'|' "$_l" "$T/native-$_prog" | while IFS='|' read -r _line _nat; do
		set -- $_line
		if [ "$_pre" = full-access ] && [ "$1" != state ]; then
			# full-access hides nothing but ward's state folder
			case $2 in
			c) _w="$3 creat=ok" ;;
			d) _w="$3 mkdir=ok" ;;
			*) _w=$_nat ;;
			esac
		else
			expected "$_line"
			case $_w in *" NATIVE") _w=$_nat ;; esac
		fi
		echo "$1 $_w"
	done > "$T/want-$_k"
	for _g in $(cut -d' ' -f1 "$_l" | uniq); do
		_want=$(grep "^$_g " "$T/want-$_k" | cut -d' ' -f2-)
		_got=$(grep "^$_g " "$T/got-$_k" | cut -d' ' -f2-)
		if [ "$_pre" = strict ] && [ "$_g" = etc ]; then
			# /etc is a folder on the way to granted files (view): its listing
			# differs between ward run and by hand, see t/591-bug-backstop-view-list.t
			_want=$(printf '%s\n' "$_want" | sed 's/ list=.*//')
			_got=$(printf '%s\n' "$_got" | sed 's/ list=.*//')
		fi
		case $_g in
		*-plain) _d="what is no secret is visible as natively" ;;
		new-*) _d="secret names cannot be created" ;;
		state) _d="ward's state folder" ;;
		etc) _d="/etc/shadow, /etc/gshadow" ;;
		routes) _d="through links, /proc/self/root and .." ;;
		*) _d="every secret kind" ;;
		esac
		[ "$_pre" = full-access ] && case $_g in new-*) _d="secret names can be created" ;; state) ;; *) _d="$_d: as natively" ;; esac
		if [ "$_want" = "$_got" ]; then
			_tap_result 0 "$_tag: $_g: $_d"
		else
			_tap_result 1 "$_tag: $_g: $_d"
			diag "$(printf '%s\n' "$_want" > "$T/w.tmp"; printf '%s\n' "$_got" | diff "$T/w.tmp" - )"
		fi
	done
	# the creations, seen natively
	_made=$(cd "$T" && for _b in w output; do
		for _n in $NEWFILES $NEWDIRS; do
			[ -e "$_b/fresh-$_k/$_n" ] && echo "$_b/fresh-$_k/$_n"
		done
	done)
	if [ "$_pre" = full-access ]; then
		_all=$(( ($(echo $NEWFILES | wc -w) + $(echo $NEWDIRS | wc -w)) * 2 ))
		is "$_all" "$(printf '%s\n' "$_made" | grep -c .)" "$_tag: the $_all creations were made"
	else
		is "" "$_made" "$_tag: nothing was created"
	fi
	# and nothing was written into a secret
	_changed=$(grep -rL '^SECRET ' $(for _b in $BASES; do for _f in $FILES $INSIDE; do echo "$_b/$_f"; done; done) 2>&1)
	is "" "$_changed" "$_tag: every secret file holds what it held"
}

for P in $PRESETS; do
	policy "$T/ext-$P.conf" <<EOF
root = "$T";
extends = "$P";
rules = ( { path = "w"; level = "write"; } );
EOF
	for V in run hand; do
		for PROG in python node cat; do
			probe_run "$P" "$V" "$PROG"
		done
	done
done
