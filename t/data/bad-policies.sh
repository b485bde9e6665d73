# bad-policies.sh: invalid policies, one of each kind of error, for t/010-check.t
# and t/012-failclosed.t.
#
#   . "$top_srcdir/t/data/bad-policies.sh"
#   bad_policies > bad.list
#
# writes the policy files into the working directory and prints one line for each:
#   ENTRY FILE LINE REGEX
# ENTRY is the file to give to ward; the error must read "FILE:LINE: message" (FILE
# as ward names it: ENTRY itself, or the file it extends, maybe as ./FILE), with a
# message that matches REGEX (grep -E, case-insensitive).

bad_policies() {
	# line 1 of each file is "version = 1;" unless said otherwise
	printf 'version = 1;\nrules = ( );\ncolour = "red";\n' > unknown-key.conf
	echo "unknown-key.conf unknown-key.conf 3 colour"

	printf 'version = 1;\nrules = (\n  { path = "/a"; level = "read"; },\n  { path = "/b";\n    levle = "read"; }\n);\n' \
		> unknown-rule-key.conf
	echo "unknown-rule-key.conf unknown-rule-key.conf 5 levle"

	printf 'version = 1;\nrules = (\n  { path = "/a";\n    level = "reed"; }\n);\n' > unknown-level.conf
	echo "unknown-level.conf unknown-level.conf 4 reed"

	printf 'version = 1;\n\ndefault = "readonly";\nrules = ( );\n' > unknown-default.conf
	echo "unknown-default.conf unknown-default.conf 3 readonly"

	printf 'version = 1;\nrules = (\n  { path = "/a"; level = "read"; },\n  { path = "/a/[bc"; level = "read"; }\n);\n' \
		> bad-glob.conf
	echo "bad-glob.conf bad-glob.conf 4 class|glob|pattern|\\[bc"

	printf 'version = 1;\nhide = ( "/**/.env",\n  "/**/x**y" );\nrules = ( );\n' > bad-glob-hide.conf
	echo "bad-glob-hide.conf bad-glob-hide.conf 3 \\*\\*|glob|pattern"

	printf 'version = 1;\nrules = (\n  { path = "scratch"; level = "write";\n    ttl = "15x"; }\n);\n' > bad-ttl.conf
	echo "bad-ttl.conf bad-ttl.conf 4 15x|duration"

	printf 'version = 1;\nrules = (\n  { path = "r"; level = "write"; expires = "soon"; }\n);\n' > bad-expires.conf
	echo "bad-expires.conf bad-expires.conf 3 soon|duration"

	printf 'version = 1;\nrules = ( );\nlimits = {\n  max_file_size = "10Q";\n};\n' > bad-size.conf
	echo "bad-size.conf bad-size.conf 4 size|10Q"

	printf 'version = 1;\nextends = "loop-b.conf";\nrules = ( );\n' > loop-a.conf
	printf 'version = 1;\nrules = ( );\nextends = "loop-a.conf";\n' > loop-b.conf
	echo "loop-a.conf loop-b.conf 3 loop"

	printf 'version = 1;\nextends = "self-loop.conf";\nrules = ( );\n' > self-loop.conf
	echo "self-loop.conf self-loop.conf 2 loop"

	printf 'version = 1;\n\nextends = "no-such-file.conf";\nrules = ( );\n' > missing-extends.conf
	echo "missing-extends.conf missing-extends.conf 3 no-such-file"

	printf 'version = 1;\nextends = "no-such-preset";\nrules = ( );\n' > unknown-preset.conf
	echo "unknown-preset.conf unknown-preset.conf 2 no-such-preset"

	printf 'version = 1;\nextends = "bad-glob.conf";\nrules = ( );\n' > extends-bad.conf
	echo "extends-bad.conf bad-glob.conf 4 class|glob|pattern|\\[bc"

	printf 'version = 1;\ndefault = "read";\n' > no-rules.conf
	echo "no-rules.conf no-rules.conf [12] rules"

	printf 'version = 1;\nrules = (\n  { path = "/a"; level = "read"; },\n  { level = "read"; }\n);\n' > no-path.conf
	echo "no-path.conf no-path.conf 4 path"

	printf 'version = 1;\nrules = (\n  { path = "/a"; level = "read"; },\n  { path = "/b"; }\n);\n' > no-level.conf
	echo "no-level.conf no-level.conf 4 level"

	printf 'version = 1;\nrules = (\n  { path = "/**"; level = "read"; },\n  { path = "/tmp/exports"; level = "write"; }\n);\n' \
		> tmp-nojust.conf
	echo "tmp-nojust.conf tmp-nojust.conf 4 justification"

	printf 'version = 1;\nrules = (\n  { path = "/dev/shm"; level = "write"; justification = ""; }\n);\n' > shm-nojust.conf
	echo "shm-nojust.conf shm-nojust.conf 3 justification"

	printf 'version = 2;\nrules = ( );\n' > version2.conf
	echo "version2.conf version2.conf 1 version"

	printf 'version = 1;\nrules = ( );\nmode = "permissive";\n' > bad-mode.conf
	echo "bad-mode.conf bad-mode.conf 3 permissive"

	printf 'version = 1;\nextends = "agent-safe";\nunhide = ( "/**/*.crt" );\nrules = ( );\n' > bad-unhide.conf
	echo "bad-unhide.conf bad-unhide.conf 3 crt"

	printf 'version = 1;\nrules = (\n  { path = "/a/../etc"; level = "read"; }\n);\n' > dotdot.conf
	echo "dotdot.conf dotdot.conf 3 \\.\\."

	printf 'version = 1;\nrules = (\n  { path = = "/a"; level = "read"; }\n);\n' > syntax.conf
	echo "syntax.conf syntax.conf 3 ."

	# libconfig reads an unclosed block comment as running to the end (the rule
	# after it would be dropped without a word)
	printf 'version = 1;\nrules = ( );\n/* a comment\nrules = ( { path = "/**"; level = "write"; } );\n' > open-comment.conf
	echo "open-comment.conf open-comment.conf 3 comment"

	# a NUL byte: the line it is on, not a message about multibyte characters
	printf 'version = 1;\nrules = ( );\n\000\n' > nul.conf
	echo "nul.conf nul.conf 3 NUL"

	# ROOT must be a folder (this file is not)
	printf 'version = 1;\nroot = "root-file.conf";\nrules = ( );\n' > root-file.conf
	echo "root-file.conf root-file.conf 2 folder"

	# a pattern longer than a path can be: FILE:LINE, and the message is short
	printf 'version = 1;\nrules = (\n  { path = "/%s"; level = "read"; }\n);\n' "$(printf '%04200d' 0)" > long-pattern.conf
	echo "long-pattern.conf long-pattern.conf 3 longer"

	# extends names a folder
	mkdir -p a-folder.d
	printf 'version = 1;\nextends = "a-folder.d";\nrules = ( );\n' > extends-folder.conf
	echo "extends-folder.conf extends-folder.conf 2 folder"

	# a newline in a policy's string stays inside the one line of the message
	printf 'version = 1;\nextends = "no\\nsuch.conf";\nrules = ( );\n' > newline-message.conf
	echo "newline-message.conf newline-message.conf 2 no.x0asuch"
}
