// fs-ops.js: a Node program that uses fs (sync, callback, promises) and
// child_process in its working directory and in TMPDIR, and prints what it saw, in an
// order and form that do not depend on the run (t/511-transparency-node.t).
'use strict';
const fs = require('fs');
const fsp = require('fs/promises');
const path = require('path');
const os = require('os');
const cp = require('child_process');

const out = [];
const say = (...a) => out.push(a.join(' '));
const err = (e) => (e && e.code) || String(e);
const desc = (st) => `${st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : '?'}` +
  ` ${(st.mode & 0o7777).toString(8)} ${st.isDirectory() ? '-' : st.size} nlink=${st.nlink}`;
function tree(d) {
  const r = [];
  (function walk(p, rel) {
    for (const e of fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
      const q = path.join(p, e.name), rq = rel ? rel + '/' + e.name : e.name;
      const st = fs.lstatSync(q);
      r.push(`${rq} ${desc(st)}` + (st.isSymbolicLink() ? ' -> ' + fs.readlinkSync(q) : ''));
      if (e.isDirectory()) walk(q, rq);
    }
  })(d, '');
  return r.join('\n');
}
const tryit = (name, f) => { try { const r = f(); say(name, 'ok', r === undefined ? '' : r); } catch (e) { say(name, err(e)); } };

async function main() {
  const tmp = os.tmpdir();
  say('tmpdir is TMPDIR:', tmp === process.env.TMPDIR);
  // --- sync
  fs.mkdirSync('a/b/c', { recursive: true });
  fs.writeFileSync('a/b/c/one.txt', 'one\n');
  fs.appendFileSync('a/b/c/one.txt', 'more\n');
  fs.writeFileSync('a/two.bin', Buffer.alloc(70000, 7));
  fs.chmodSync('a/two.bin', 0o640);
  fs.symlinkSync('b/c/one.txt', 'a/link');
  fs.linkSync('a/two.bin', 'a/hard.bin');
  fs.copyFileSync('a/b/c/one.txt', 'a/copy.txt');
  fs.renameSync('a/copy.txt', 'a/b/moved.txt');
  fs.utimesSync('a/b/moved.txt', 1000000, 1000000);
  say('mtime', fs.statSync('a/b/moved.txt').mtimeMs);
  say('read link', JSON.stringify(fs.readFileSync('a/link', 'utf8')));
  say('realpath', path.relative(process.cwd(), fs.realpathSync('a/link')));
  say('exists', fs.existsSync('a/b'), fs.existsSync('a/nope'));
  tryit('access W', () => fs.accessSync('a/two.bin', fs.constants.W_OK));
  tryit('access missing', () => fs.accessSync('a/nope'));
  tryit('read missing', () => fs.readFileSync('a/nope'));
  tryit('read dir', () => fs.readFileSync('a'));
  tryit('mkdir exists', () => fs.mkdirSync('a'));
  tryit('rmdir not empty', () => fs.rmdirSync('a/b'));
  tryit('open excl exists', () => fs.openSync('a/two.bin', 'wx'));
  tryit('opendir file', () => fs.opendirSync('a/two.bin'));
  const fd = fs.openSync('a/rw.dat', 'w+');
  fs.writeSync(fd, 'hello world');
  fs.ftruncateSync(fd, 5);
  const buf = Buffer.alloc(16);
  say('pread', fs.readSync(fd, buf, 0, 16, 0), JSON.stringify(buf.toString('utf8', 0, 5)));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  const wd = fs.mkdtempSync(path.join(tmp, 'fsops-'));
  fs.writeFileSync(path.join(wd, 'in-tmp'), 'x');
  say('tmp listing', fs.readdirSync(wd).join(','));
  fs.cpSync('a', path.join(wd, 'acopy'), { recursive: true, verbatimSymlinks: true });
  say('tree of the copy in TMPDIR\n' + tree(path.join(wd, 'acopy')));
  fs.rmSync(wd, { recursive: true });
  say('tmp removed', !fs.existsSync(wd));
  say('tree after sync\n' + tree('.'));

  // --- callbacks
  await new Promise((res, rej) => fs.mkdir('cb/x', { recursive: true }, (e) => {
    if (e) return rej(e);
    fs.writeFile('cb/x/f', 'cb', (e) => {
      if (e) return rej(e);
      fs.readdir('cb/x', (e, l) => {
        if (e) return rej(e);
        say('cb readdir', l.join(','));
        fs.stat('cb/x/f', (e, st) => {
          say('cb stat', e ? err(e) : desc(st));
          fs.unlink('cb/x/nope', (e) => {
            say('cb unlink missing', err(e));
            fs.rename('cb/x/f', 'cb/g', (e) => { say('cb rename', e ? err(e) : 'ok'); res(); });
          });
        });
      });
    });
  }));

  // --- promises
  await fsp.mkdir('pr/d1/d2', { recursive: true });
  await fsp.writeFile('pr/d1/d2/p.txt', 'promise');
  const h = await fsp.open('pr/d1/d2/p.txt', 'r+');
  await h.write('P', 0);
  await h.close();
  say('pr read', await fsp.readFile('pr/d1/d2/p.txt', 'utf8'));
  for await (const d of await fsp.opendir('pr/d1')) say('pr opendir', d.name, d.isDirectory());
  await fsp.rename('pr/d1', 'pr/renamed');
  await fsp.symlink('renamed/d2', 'pr/l2');
  say('pr lstat', desc(await fsp.lstat('pr/l2')), await fsp.readlink('pr/l2'));
  try { await fsp.rm('pr/none'); } catch (e) { say('pr rm missing', err(e)); }
  await fsp.rm('pr/none', { force: true });
  await fsp.rm('pr/renamed', { recursive: true });
  say('pr after rm', (await fsp.readdir('pr')).join(','));

  // --- child_process
  const r = cp.spawnSync('sh', ['-c', 'ls -1A a | sort; cat a/b/c/one.txt; echo "$0" >&2; exit 3', 'arg0']);
  say('spawnSync', r.status, JSON.stringify(r.stdout.toString()), JSON.stringify(r.stderr.toString()));
  say('execSync', JSON.stringify(cp.execSync('wc -c < a/two.bin; test -d cb && echo cb-dir').toString()));
  say('execFileSync', JSON.stringify(cp.execFileSync('cat', ['a/link']).toString()));
  try { cp.execSync('cat a/nope', { stdio: 'pipe' }); } catch (e) { say('execSync fails', e.status, JSON.stringify(e.stderr.toString())); }
  const e2 = cp.spawnSync('/nonexistent/prog');
  say('spawn missing', err(e2.error));
  say('env kept', cp.execSync('echo "$FSOPS_MARK"', { env: { PATH: process.env.PATH, FSOPS_MARK: 'mark' } }).toString().trim());
  await new Promise((res) => {
    const c = cp.spawn(process.execPath, ['-e', 'require("fs").writeFileSync("child.txt", "from child"); console.log(require("fs").readdirSync(".").sort().join(","))']);
    let s = '';
    c.stdout.on('data', (d) => { s += d; });
    c.on('close', (code) => { say('spawn node', code, s.trim()); res(); });
  });
  await new Promise((res) => cp.exec('cat child.txt; rm child.txt', (e, so, se) => { say('exec', e ? err(e) : 'ok', so, se); res(); }));
  say('final tree\n' + tree('.'));
}

main().then(() => { console.log(out.join('\n')); }, (e) => { console.log(out.join('\n')); console.log('FAILED', e.stack); process.exit(1); });
