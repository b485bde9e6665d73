#!/bin/sh
# 510-transparency-python: CPython's own regression tests for os, shutil, tempfile,
# pathlib, glob, fileio, posixpath, zipfile, tarfile and fnmatch give the same result,
# test case by test case, under `ward run -P development -r $T` as in a native run
# of the same test (skipped when the test package is not installed).
#
# Left out of the comparison: the cases that differ because of known bugs of the
# library, checked in t/592-bug-transparency.t (not run by make check), and the cases
# whose difference the policy explains (below).
. "$top_srcdir/t/presets/lib.sh"
[ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "no python3"
PY=$("$PYTHON3" -c 'import sys, test.support, test.libregrtest; print(sys.executable)' 2>/dev/null) ||
	skip_all "python3 has no test package (test.support)"
plan_lazy

MODULES="test_os test_shutil test_tempfile test_pathlib test_glob test_fileio test_posixpath
test_zipfile test_tarfile test_fnmatch"
# known bugs (t/592-bug-transparency.t): lsetxattr on a file gives EPERM; setxattr of a
# trusted.* attribute gives EOPNOTSUPP (so shutil's xattr tests skip); open("d/new/",
# O_CREAT) creates "d/new"; ward run leaks a descriptor of the policy at fd 4
BUGS="test.test_os.ExtendedAttributeTests.test_lpath
test.test_shutil.TestCopy.test_copy2_xattr
test.test_shutil.TestCopy.test_copyxattr
test.test_shutil.TestCopy.test_copyxattr_symlinks
test.test_shutil.TestCopy.test_copyfile_nonexistent_dir
test.test_os.FileTests.test_closerange
test.test_os.TestInvalidFD.test_closerange"
# the policy: the python installation is read-only under development (natively, root
# may write there), so these skip with "requires write access to the installed location"
POLICY="test.test_zipfile.PyZipFileTests.test_write_filtered_python_package
test.test_zipfile.PyZipFileTests.test_write_pyfile
test.test_zipfile.PyZipFileTests.test_write_python_package
test.test_zipfile.PyZipFileTests.test_write_with_optimization"

cp "$top_srcdir/t/presets/junit.py" "$T/junit.py"
# shellcheck disable=SC2086
TWICE_TOGETHER=1
twice cpython sh -c '"$@" --junit-xml "$HERE/results.xml" > out.txt 2>&1; echo "status $?"' sh \
	"$PY" -m test $MODULES
ok "the native run wrote its results" test -s "$T/native/cpython/results.xml"
ok "the run under ward wrote its results" test -s "$T/ward/cpython/results.xml"
# shellcheck disable=SC2086
"$PY" "$T/junit.py" "$T/native/cpython/results.xml" $BUGS $POLICY > "$T/cases.native"
# shellcheck disable=SC2086
"$PY" "$T/junit.py" "$T/ward/cpython/results.xml" $BUGS $POLICY > "$T/cases.ward"
n=$(grep -c . "$T/cases.native")
like '^[0-9]{4,}$' "$n" "the native run ran more than a thousand cases ($n)"
is "$n" "$(grep -c . "$T/cases.ward")" "the run under ward ran as many"
for m in $MODULES; do
	want=$(grep "^test\.$m\." "$T/cases.native")
	got=$(grep "^test\.$m\." "$T/cases.ward")
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		_tap_result 0 "$m: every case has its native result"
	else
		_tap_result 1 "$m: every case has its native result"
		diag "$(printf '%s\n' "$want" > "$T/w.tmp"; printf '%s\n' "$got" | diff "$T/w.tmp" - | head -20)"
		diag "$(grep -E '^(FAIL|ERROR):' "$T/ward/cpython/out.txt" | head -10)"
	fi
done
# the cases that differ for the policy's sake do, and only that way
"$PY" "$T/junit.py" "$T/native/cpython/results.xml" > "$T/all.native"
"$PY" "$T/junit.py" "$T/ward/cpython/results.xml" > "$T/all.ward"
# (when the native run may write the installation: run as its owner)
for c in $POLICY; do
	want=$(grep "^$c " "$T/all.native")
	[ "$want" = "$c ok" ] && want="$c skipped"
	is "$want" "$(grep "^$c " "$T/all.ward")" \
		"${c##*.}: skipped under ward when it passes natively (the installation is read-only)"
done
