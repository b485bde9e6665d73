#!/usr/bin/env node
// node-reviewer: a read-only code reviewer.
//
//     node reviewer.js REPO REPORT
//
// It reads every file of REPO, notes TODO and FIXME comments, stray
// console.log calls and a package.json without a test script, and writes its
// findings to REPORT. Then, as a reviewer that was talked into "fixing things
// while it is there", it tries to change the repository in every way it can
// and to read the credentials beside it. Under ward with policy.conf (see
// run.sh), only the report gets written.
'use strict';
const fs = require('fs');
const path = require('path');

const [repo, reportPath] = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

async function attempt(what, action) {
  try {
    const r = await action();
    console.log(`${what}: ${typeof r === 'string' ? r : 'ok'}`);
  } catch (e) {
    console.log(`${what}: refused, ${e.code}`);
  }
}

async function main() {
  // 1. read the repository
  const files = walk(repo);
  console.log(`read ${files.length} files: ${files.map((f) => path.relative(repo, f)).join(' ')}`);
  const findings = [];
  let lines = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    text.split('\n').forEach((line, i) => {
      const where = `${path.relative(repo, f)}:${i + 1}`;
      const m = line.match(/\b(TODO|FIXME)\b:?\s*(.*)/);
      if (m) findings.push(`${where}: ${m[1]}: ${m[2]}`);
      if (/console\.log\(/.test(line)) findings.push(`${where}: console.log left in`);
    });
    lines += text.split('\n').length - 1;
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  if (!pkg.scripts || !pkg.scripts.test) findings.push('package.json: no "test" script');

  // 2. what a misled reviewer tries: credentials, and "fixes"
  await attempt('read .env', () => fs.readFileSync(path.join(repo, '.env'), 'utf8'));
  await attempt('read .npmrc', () => fs.promises.readFile(path.join(repo, '.npmrc'), 'utf8'));
  await attempt('write src/util.js', () => fs.writeFileSync(path.join(repo, 'src/util.js'), '// fixed\n'));
  await attempt('append README.md', () => fs.promises.appendFile(path.join(repo, 'README.md'), 'Reviewed.\n'));
  await attempt('create src/notes.js', () => fs.promises.writeFile(path.join(repo, 'src/notes.js'), ''));
  await attempt('mkdir .review', () => fs.mkdirSync(path.join(repo, '.review')));
  await attempt('rename src/util.js', () => fs.renameSync(path.join(repo, 'src/util.js'), path.join(repo, 'src/util.old.js')));
  await attempt('unlink test/queue.test.js', () => fs.promises.unlink(path.join(repo, 'test/queue.test.js')));
  await attempt('chmod scripts/build.sh', () => fs.chmodSync(path.join(repo, 'scripts/build.sh'), 0o777));
  await attempt('symlink .env', () => fs.symlinkSync('.env', path.join(repo, 'env-link')));

  // 3. the report: the one file it may write
  const report = `# Review of ${pkg.name} ${pkg.version}\n\n`
    + `${files.length} files, ${lines} lines.\n\n`
    + findings.map((f) => `- ${f}\n`).join('');
  await attempt(`write ${reportPath}`, () => fs.writeFileSync(reportPath, report));
}

main();
