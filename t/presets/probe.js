// probe.js: what a Node program sees of some paths (t/500-presets-secrets.t).
// The same arguments and answers as probe.py; list= looks at fs.readdirSync and
// fs.opendirSync.
'use strict';
const fs = require('fs');
const path = require('path');

function attempt(f) {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e.code || String(e);
  }
}

function read(p) {
  try {
    fs.readFileSync(p);
  } catch (e) {
    if (e.code !== 'EISDIR') throw e;
    fs.readdirSync(p);
  }
}

function listed(p) {
  const d = path.dirname(p), n = path.basename(p);
  let a, b;
  try {
    a = fs.readdirSync(d).includes(n);
    const dir = fs.opendirSync(d);
    b = false;
    let e;
    while ((e = dir.readSync()) !== null) if (e.name === n) b = true;
    dir.closeSync();
  } catch (e) {
    return e.code || String(e);
  }
  if (a === b) return a ? 'present' : 'absent';
  return `readdir:${a},opendir:${b}`;
}

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const m = args[i], p = args[i + 1];
  if (m === 'r') {
    console.log(p, 'open=' + attempt(() => read(p)), 'stat=' + attempt(() => fs.statSync(p)),
      'lstat=' + attempt(() => fs.lstatSync(p)), 'list=' + listed(p));
  } else if (m === 'w') {
    console.log(p, 'wopen=' + attempt(() => fs.closeSync(fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_APPEND))));
  } else if (m === 'c') {
    console.log(p, 'creat=' + attempt(() => fs.closeSync(fs.openSync(p, 'wx', 0o600))));
  } else if (m === 'd') {
    console.log(p, 'mkdir=' + attempt(() => fs.mkdirSync(p)));
  } else {
    console.error('probe.js: unknown mode ' + m);
    process.exit(2);
  }
}
