import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLE_FILE } from '../support/aws-synth';
import { entryBundle } from '../support/run-cli';
import { patchYaml } from '../support/yaml-patch';

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'lib', 'cli', 'verify.ts');

/** The CLI from an empty folder (no deployed stack there), with the repository's clusters. */
function verify(...args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'verify-cli-'));
  return spawnSync(process.execPath, [entryBundle(CLI), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CLUSTERS_DIR: join(REPO, 'clusters'), PATH: process.env.PATH },
  });
}

describe('npm run verify: refusals', () => {
  it('exits 2 with the usage for no cluster or an unknown one', () => {
    const none = verify();
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^expected one cluster, got 0\nusage: npm run verify -- <cluster/);
    const unknown = verify('no-such-cluster');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no cluster file for "no-such-cluster"/);
  });

  it('exits 2 asking for --bastion when the stack has no bastion_address output', () => {
    const run = verify('ci-aws');
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /no bastion address: `terraform output bastion_address` in cdktf\.out\/stacks\/ci-aws gave none .*pass --bastion <address>/);
  });

  it('exits 2 naming the file when --credentials-file is unreadable or lacks a secret, before any probe', () => {
    const missingFile = verify('ci-aws', '--bastion', '203.0.113.7', '--credentials-file', '/nonexistent/creds.json');
    assert.equal(missingFile.status, 2, missingFile.stderr);
    assert.match(missingFile.stderr, /^\/nonexistent\/creds\.json: cannot read it as JSON \(ENOENT/m);
    const file = join(mkdtempSync(join(tmpdir(), 'verify-creds-')), 'creds.json');
    writeFileSync(file, JSON.stringify({ 'marathon/http-password': 'x1' }));
    const partial = verify('ci-aws', '--bastion', '203.0.113.7', '--credentials-file', file);
    assert.equal(partial.status, 2, partial.stderr);
    assert.match(partial.stderr, /creds\.json: operator\/mesos-secret: expected a non-empty string \(a JSON object of secret name to value\)\nusage:/);
  });
  it('with tls.mesos, exits 2 on one line when tls/operator in --credentials-file is not a certificate with its key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verify-tls-'));
    const cluster = join(dir, 'ci-aws.yaml');
    writeFileSync(cluster, patchYaml(readFileSync(EXAMPLE_FILE, 'utf8'), { tls: { mesos: true } }));
    const file = join(dir, 'creds.json');
    writeFileSync(file, JSON.stringify({ 'marathon/http-password': 'x1', 'operator/mesos-secret': 'o1', 'tls/operator': 'not a certificate' }));
    const run = verify(cluster, '--bastion', '203.0.113.7', '--credentials-file', file);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^\S+creds\.json: tls\/operator: expected a certificate and its private key \(PEM, as `npm run secrets` stores it\); `npm run secrets -- <cluster file> --rotate tls\/operator` reissues it\nusage:/);
  });
});
