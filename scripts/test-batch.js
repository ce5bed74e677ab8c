'use strict';
/**
 * Runs several test files in this one process, each as a suite named by its path:
 * `node --import tsx --test-reporter=spec scripts/test-batch.js FILE...`.
 *
 * `node --test` starts a process per file, and each of them loads TypeScript support, cdktf and
 * the AWS provider classes again; the fast lane's files spend most of their time on that. Here
 * they share one module cache. A file's top-level hooks (`before`, `after`, ...) become its
 * suite's, so they still apply to that file alone. Only files that start no outside tool come
 * here (scripts/run-tests.js decides); a file that leaves a server or a timer running would keep
 * this process alive, as it would keep its own under `node --test`.
 */
const { describe } = require('node:test');
const { relative, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');

for (const file of process.argv.slice(2)) {
  const path = resolve(ROOT, file);
  describe(relative(ROOT, path), () => {
    require(path);
  });
}
