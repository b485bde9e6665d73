# t/learn/lib.sh: what the tests of ward learn (t/02*-learn*.t) share.
#
#   . "$top_srcdir/t/learn/lib.sh"
#
# Gives everything of t/lib.sh, a private HOME ($T/home), and:
#
#   learnt_policy_ok DESC POLICY ROOT
#                       three test points: the policy is valid (ward check) (and it is
#                       printed into the test log); no rule of it is covered by
#                       another (taken out, ward explain of its path gives a lower
#                       level); each rule decides its own path at its level
#   denials LOG         prints the denials of an audit log, one a line (not the
#                       attempts on hidden names where nothing exists: "absent")
#   rule_paths POLICY ROOT
#                       LEVEL<TAB>PATH of each rule, paths made absolute
#
# The environment is made plain: PATH holds the system's folders and those of the
# tools under test, the variables naming CA bundles are unset (this kind of
# machine points them at *.pem files, which the presets hide; see issue 18).
. "$top_srcdir/t/lib.sh"

HOME=$T/home
mkdir -p "$HOME"
export HOME
unset XDG_STATE_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_DATA_HOME
unset SSL_CERT_FILE SSL_CERT_DIR NODE_EXTRA_CA_CERTS REQUESTS_CA_BUNDLE CURL_CA_BUNDLE \
	PIP_CERT GIT_SSL_CAINFO NIX_SSL_CERT_FILE AWS_CA_BUNDLE HTTPLIB2_CA_CERTS \
	GRPC_DEFAULT_SSL_ROOTS_FILE_PATH CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE
LC_ALL=C
TZ=UTC
export LC_ALL TZ
_path=/usr/local/bin:/usr/bin:/bin
for _t in "${PYTHON3:-}" "${NODE:-}" "${GIT:-}"; do
	[ -n "$_t" ] || continue
	_d=$(dirname "$(command -v "$_t" 2>/dev/null || echo "$_t")")
	case ":$_path:" in *":$_d:"*) ;; *) _path=$_d:$_path ;; esac
done
PATH=$_path
export PATH

RULES_PY=$top_srcdir/t/learn/rules.py
PY_HELPER=${PYTHON3:-python3}

learnt_policy_ok() {
	# own names: ok and is use _d
	_lp_d=$1
	_lp_p=$2
	_lp_r=$3
	ok "$_lp_d: the learnt policy is valid" "$WARD" check "$_lp_p"
	diag "---- the policy ward learn wrote ($_lp_d) ----"
	diag "$(cat "$_lp_p")"
	diag "---- end of the policy ----"
	_lp_out=$("$PY_HELPER" "$RULES_PY" "$WARD" "$_lp_p" "$_lp_r" "$HOME" covered 2>&1)
	is "" "$_lp_out" "$_lp_d: no rule is covered by another"
	_lp_out=$("$PY_HELPER" "$RULES_PY" "$WARD" "$_lp_p" "$_lp_r" "$HOME" effective 2>&1)
	is "" "$_lp_out" "$_lp_d: each rule decides its own path at its level"
}

denials() {
	grep -E '"decision":"(deny|would-deny)"' "$1" | grep -v '"absent":true'
}

rule_paths() {
	"$PY_HELPER" "$RULES_PY" "$WARD" "$1" "$2" "$HOME" list
}
