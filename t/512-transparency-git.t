#!/bin/sh
# 512-transparency-git: git init, add, commit, status, log, diff, branch, checkout,
# merge, stash, tag, gc in a fresh repository give the same output under `ward run
# -P development` as natively. The dates and the author are fixed, so the commit
# hashes must be the same too.
. "$top_srcdir/t/presets/lib.sh"
G=${GIT:-git}
command -v "$G" >/dev/null 2>&1 || skip_all "git is not installed"
G=$(command -v "$G")
plan 6

GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.org GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@example.org
GIT_AUTHOR_DATE='2020-01-02T03:04:05Z' GIT_COMMITTER_DATE='2020-01-02T03:04:05Z'
GIT_CONFIG_NOSYSTEM=1 GIT_PAGER=cat PAGER=cat
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
	GIT_AUTHOR_DATE GIT_COMMITTER_DATE GIT_CONFIG_NOSYSTEM GIT_PAGER PAGER G
cat > "$HOME/.gitconfig" <<'C'
[init]
	defaultBranch = main
[advice]
	detachedHead = false
[core]
	fsmonitor = false
C

cat > "$T/git.sh" <<'S'
set -e
g() { echo "\$ git $*"; "$G" "$@" 2>&1; }
g init -q repo
cd repo
mkdir -p src docs
printf 'one\ntwo\n' > src/a.txt
printf '#!/bin/sh\necho hi\n' > src/run.sh
chmod 755 src/run.sh
ln -s a.txt src/link
echo doc > docs/readme
g status --short
g add -A
g status --short
g commit -q -m first
g log --format='%H %an %ad %s' --date=iso
printf 'one\nTWO\nthree\n' > src/a.txt
rm docs/readme
echo new > docs/new
g status --short
g diff
g add -A
g commit -q -m second
g branch topic HEAD~1
g checkout -q topic
echo topic > topic.txt
g add topic.txt
g commit -q -m topic
g branch -a
g checkout -q main
g merge -q --no-edit topic
g log --graph --format='%H %s'
echo dirty >> src/a.txt
g stash -q
g stash list
g stash pop -q
g diff --stat
g checkout -- src/a.txt
g tag -a v1 -m release
g describe
g mv src/run.sh src/run2.sh
g rm -q --cached docs/new
g status --short
g commit -q -m more
g rev-parse HEAD HEAD^{tree}
g gc -q
g fsck --no-progress
g count-objects -v | grep -v 'size'
g ls-files -s
g show --stat --format='%H %s' HEAD
S

twice git sh "$T/git.sh"
is "0 0" "$(cat "$T/git.status")" "the git session ends with status 0, natively and under ward"
like '^\$ git show' "$(cat "$T/git.native")" "the native run got to its end"
same git "git: the same output (and hashes) as natively"
no_denial git
tree() { (cd "$1/repo" && find . -path ./.git/objects -prune -o -path ./.git/logs -prune -o \
	-path ./.git/index -prune -o -printf '%p %y %m %l\n' | sort); }
is "$(tree "$T/native/git")" "$(tree "$T/ward/git")" "the same work tree and .git are left behind"
is "$(cd "$T/native/git/repo" && "$G" rev-parse HEAD)" "$(cd "$T/ward/git/repo" && "$G" rev-parse HEAD)" \
	"the repository made under ward has the same head"
