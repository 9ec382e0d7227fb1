#!/usr/bin/env node
/**
 * `npm test`'s setup step: makes sure the system packages the tests need are on the machine.
 * Chromium (Debian's `chromium`) drives the web console's end-to-end tests through playwright-core;
 * etcd (Debian's `etcd-server`) coordinates the nodes of the cluster tests.
 * As root it installs what is missing with apt-get; otherwise it says exactly what to install and
 * fails, rather than letting the suite fail later with a less clear message.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

const NEEDED = [
  { pkg: 'chromium', file: '/usr/bin/chromium', why: 'web console end-to-end tests' },
  // Chromium's recommended fonts, which --no-install-recommends leaves out: pages render text with them.
  { pkg: 'fonts-liberation', file: '/usr/share/fonts/truetype/liberation', why: 'text in the browser tests' },
  { pkg: 'fonts-dejavu-core', file: '/usr/share/fonts/truetype/dejavu', why: 'text in the browser tests' },
  { pkg: 'etcd-server', file: '/usr/bin/etcd', why: 'the cluster tests (each starts its own etcd)' },
];

const missing = NEEDED.filter((n) => !fs.existsSync(n.file));
if (missing.length === 0) process.exit(0);

const names = missing.map((m) => m.pkg);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`Missing system packages for the tests: ${missing.map((m) => `${m.pkg} (${m.file}, for ${m.why})`).join(', ')}.`);
  console.error(`Install them with: sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`);
  process.exit(1);
}
console.log(`Installing system packages for the tests: ${names.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], { stdio: 'inherit', env });
for (const m of missing) {
  if (!fs.existsSync(m.file)) {
    console.error(`apt-get installed ${m.pkg} but ${m.file} is still missing`);
    process.exit(1);
  }
}
