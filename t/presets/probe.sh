# probe.sh: what coreutils see of some paths (t/500-presets-secrets.t): the same
# arguments and answers as probe.py, with cat (a folder: ls), stat -L, stat, ls -A,
# tee -a (to append; it would create a missing file) and mkdir.
#
#   sh probe.sh MODE PATH [MODE PATH]...
LC_ALL=C
export LC_ALL

# ans CMD...: ok, or the errno name of the message CMD printed
ans() {
	if _m=$("$@" 2>&1 >/dev/null); then
		echo ok
		return
	fi
	case $_m in
	*"No such file or directory"*) echo ENOENT ;;
	*"Permission denied"*) echo EACCES ;;
	*"Is a directory"*) echo EISDIR ;;
	*"Not a directory"*) echo ENOTDIR ;;
	*"Operation not permitted"*) echo EPERM ;;
	*"File exists"*) echo EEXIST ;;
	*) echo "ERR($_m)" ;;
	esac
}

rd2() {
	# cat first, as a program that does not know it is a folder
	_r=$(ans cat -- "$1")
	if [ "$_r" = EISDIR ]; then ans ls -A -- "$1"; else echo "$_r"; fi
}
listed() {
	_d=${1%/*}
	_n=${1##*/}
	# "$_d/": ls shows a link to a folder it cannot follow as the link itself
	if _l=$(ls -A -- "$_d/" 2>&1); then
		case "
$_l
" in
		*"
$_n
"*) echo present ;;
		*) echo absent ;;
		esac
	else
		ans ls -A -- "$_d/"
	fi
}
creat() {
	[ ! -e "$1" ] || { echo "$1: File exists" >&2; return 1; }
	tee -a -- "$1" </dev/null
}

while [ $# -ge 2 ]; do
	m=$1
	p=$2
	shift 2
	case $m in
	r) echo "$p open=$(rd2 "$p") stat=$(ans stat -L -- "$p") lstat=$(ans stat -- "$p") list=$(listed "$p")" ;;
	w) echo "$p wopen=$(ans tee -a -- "$p" </dev/null)" ;;
	c) echo "$p creat=$(ans creat "$p")" ;;
	d) echo "$p mkdir=$(ans mkdir -- "$p")" ;;
	*) echo "probe.sh: unknown mode $m" >&2; exit 2 ;;
	esac
done
