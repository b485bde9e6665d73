// node_ops.js: runs file operations the way node programs do, one per input line.
//
// Each line of stdin is "OP ARG..."; for each, one line is printed: "ok", "ok:DATA"
// for operations that return data, or the error code (ENOENT, EACCES...) of the
// failure. Used by t/120-levels-node.t under libward.so.
'use strict';
const fs = require('fs');
const fsp = fs.promises;
const net = require('net');
const path = require('path');
const cp = require('child_process');

const START = process.cwd();
const names = (v) => 'ok:' + v.map(String).sort().join(',');
const C = fs.constants;
const amode = { F: C.F_OK, R: C.R_OK, W: C.W_OK, X: C.X_OK };

function openClose(p, flags) {
  fs.closeSync(fs.openSync(p, flags, 0o644));
}

function opendirNames(p) {
  const d = fs.opendirSync(p);
  const v = [];
  let e;
  while ((e = d.readSync()) !== null) v.push(e.name);
  d.closeSync();
  return names(v);
}

function spawned(r) {
  if (r.error) throw r.error;
  return r.status === 0 ? 'ok' : 'status ' + r.status;
}

// A Unix socket operation: resolves with "ok" or rejects with the error.
function connect(p) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path: p });
    s.on('connect', () => { s.destroy(); resolve('ok'); });
    s.on('error', reject);
  });
}

function listen(p) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(p, () => resolve(srv));
  });
}

// node unlinks the name when the server closes, and at exit: look at it while it
// listens.
async function bind(p) {
  const srv = await listen(p);
  try {
    return fs.lstatSync(p).isSocket() ? 'ok' : 'not a socket';
  } finally {
    await new Promise((r) => srv.close(r));
  }
}

async function connectLive(p) {
  const srv = await listen(p);
  try {
    return await connect(p);
  } finally {
    await new Promise((r) => srv.close(r));
  }
}

const OPS = {
  // see: stat, lstat, access(F_OK), readlink
  stat: (p) => fs.statSync(p),
  lstat: (p) => fs.lstatSync(p),
  'stat-bigint': (p) => fs.statSync(p, { bigint: true }),
  'p-stat': (p) => fsp.stat(p),
  exists: (p) => (fs.existsSync(p) ? 'ok' : 'ENOENT'),
  access: (p, m) => fs.accessSync(p, amode[m]),
  'p-access': (p, m) => fsp.access(p, amode[m]),
  readlink: (p) => 'ok:' + fs.readlinkSync(p),
  realpath: (p) => 'ok:' + fs.realpathSync(p),
  'realpath-native': (p) => 'ok:' + fs.realpathSync.native(p),
  chdir: (p) => {
    try {
      process.chdir(p);
      return 'ok:' + process.cwd();
    } finally {
      process.chdir(START);
    }
  },
  // list a folder
  readdir: (p) => names(fs.readdirSync(p)),
  'readdir-types': (p) => names(fs.readdirSync(p, { withFileTypes: true }).map((e) => e.name)),
  opendir: opendirNames,
  'p-readdir': async (p) => names(await fsp.readdir(p)),
  'cb-readdir': (p) => new Promise((resolve, reject) =>
    fs.readdir(p, (e, v) => (e ? reject(e) : resolve(names(v))))),
  // read, exec
  read: (p) => 'ok:' + fs.readFileSync(p, 'utf8').trim(),
  'p-read': async (p) => 'ok:' + (await fsp.readFile(p, 'utf8')).trim(),
  'open-r': (p) => openClose(p, 'r'),
  stream: (p) => new Promise((resolve, reject) => {
    let s = '';
    fs.createReadStream(p, 'utf8').on('data', (d) => { s += d; })
      .on('end', () => resolve('ok:' + s.trim())).on('error', reject);
  }),
  spawn: (p) => spawned(cp.spawnSync(p, [], { stdio: 'ignore' })),
  execfile: (p) => { cp.execFileSync(p, [], { stdio: 'ignore' }); },
  // write, create, truncate
  'open-w': (p) => openClose(p, 'w'),
  'open-a': (p) => openClose(p, 'a'),
  'open-rplus': (p) => openClose(p, 'r+'),
  'open-wx': (p) => openClose(p, 'wx'),
  'write-file': (p) => fs.writeFileSync(p, 'data2'),
  'append-file': (p) => fs.appendFileSync(p, 'more'),
  'p-write': (p) => fsp.writeFile(p, 'data2'),
  truncate: (p) => fs.truncateSync(p, 0),
  'copy-to': (s, d) => fs.copyFileSync(s, d),
  mkdtemp: (p) => { fs.mkdtempSync(path.join(p, 'mkdtemp-')); },
  // names and attributes
  unlink: (p) => fs.unlinkSync(p),
  'p-unlink': (p) => fsp.unlink(p),
  rmdir: (p) => fs.rmdirSync(p),
  'rm-r': (p) => fs.rmSync(p, { recursive: true }),
  mkdir: (p) => { fs.mkdirSync(p); },
  'p-mkdir': async (p) => { await fsp.mkdir(p); },
  rename: (a, b) => fs.renameSync(a, b),
  link: (a, b) => fs.linkSync(a, b),
  symlink: (t, p) => fs.symlinkSync(t, p),
  chmod: (p) => fs.chmodSync(p, 0o640),
  chown: (p) => fs.chownSync(p, process.getuid(), process.getgid()),
  lchown: (p) => fs.lchownSync(p, process.getuid(), process.getgid()),
  utimes: (p) => fs.utimesSync(p, new Date(), new Date()),
  lutimes: (p) => fs.lutimesSync(p, new Date(), new Date()),
  // Unix sockets
  connect,
  bind,
  'connect-live': connectLive,
};

async function main() {
  const lines = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.trim());
  for (const line of lines) {
    const [op, ...args] = line.trim().split(/\s+/);
    let out;
    try {
      const r = await OPS[op](...args);
      out = typeof r === 'string' ? r : 'ok';
    } catch (e) {
      out = e && e.code ? e.code : 'error: ' + e; // a bug of the test shows as such
    }
    process.stdout.write(out + '\n');
  }
}

main();
