/**
 * cloud-init/scripts/mesos-tls.sh: the one place the node scripts choose HTTP or HTTPS with the
 * node's certificate for Mesos, and how it reaches the nodes whose helpers source it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { helperScript, libraryFiles } from '../../lib/cloud-init/common-files';
import { NODE } from '../../lib/cloud-init/layout';
import { allFixtureDocuments, parseCloudConfig } from '../support/cloud-init-fixtures';

const LIBRARY = `${NODE.scriptDir}/mesos-tls.sh`;
const SOURCE_LINE = `. "\${root}${LIBRARY}"`;
/** The node scripts that call Mesos or its drain gates over HTTP. */
const MESOS_CLIENTS = ['await-ready', 'agent-health', 'agent-lifecycle', 'pool-usage', 'drain-agent'];

describe('the Mesos TLS shell library', () => {
  it('each Mesos client script sources it and keeps no TLS choice of its own', () => {
    for (const name of MESOS_CLIENTS) {
      const script = helperScript(name).content;
      assert.ok(script.split('\n').includes(SOURCE_LINE), `${name} sources ${LIBRARY}`);
      assert.doesNotMatch(script, /CLUSTER_MESOS_TLS_|--cacert/, `${name} leaves the choice to the library`);
    }
  });

  it('comes as one readable, not executable file with the helpers that source it, and not with the others', () => {
    assert.deepEqual(
      libraryFiles(['await-ready', 'drain-agent']).map((f) => [f.path, f.permissions]),
      [[LIBRARY, '0644']],
    );
    assert.deepEqual(libraryFiles(['mount-volume', 'activate-units']), []);
  });

  it('every rendered document whose helpers source it carries it (every node: all run await-ready)', () => {
    const documents = allFixtureDocuments();
    for (const document of documents) {
      const files = parseCloudConfig(document.text).write_files;
      const sourcing = files.filter((f) => f.content.split('\n').includes(SOURCE_LINE)).map((f) => f.path);
      assert.ok(sourcing.includes(`${NODE.scriptDir}/await-ready`), `${document.id}: await-ready sources the library`);
      const library = files.filter((f) => f.path === LIBRARY);
      assert.equal(library.length, 1, `${document.id}: ${sourcing.join(', ')} source ${LIBRARY}`);
      assert.equal(library[0].permissions, '0644');
    }
  });

  describe('what it hands curl, run under bash with a curl that prints its arguments', () => {
    const call = (facts: Record<string, string>, root: string, words: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'mesos-tls-'));
      try {
        const [file] = libraryFiles(['await-ready']);
        mkdirSync(dirname(join(dir, file.path)), { recursive: true });
        writeFileSync(join(dir, file.path), file.content);
        mkdirSync(join(dir, 'bin'));
        writeFileSync(join(dir, 'bin', 'curl'), '#!/bin/sh\necho "curl $*"\n');
        chmodSync(join(dir, 'bin', 'curl'), 0o755);
        const script = `set -euo pipefail; . "${join(dir, file.path)}"; ${words}`;
        const run = spawnSync('bash', ['-c', script], { env: { ...facts, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, MESOS_CLUSTER_ROOT: root }, encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        return run.stdout;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const words = `mesos_url '10.0.0.5:5051/health'; echo; mesos_url ''; echo; mesos_curl -fsS "$(mesos_url '10.0.0.5:5051/health')"`;

    it('without the tls.mesos facts: plain HTTP and no certificate arguments', () => {
      assert.deepEqual(call({}, '/r', words).split('\n'), ['http://10.0.0.5:5051/health', 'http://', 'curl -fsS http://10.0.0.5:5051/health', '']);
    });

    it("with them: HTTPS, the cluster CA and the node's certificate and key under the node's root", () => {
      const facts = { CLUSTER_MESOS_TLS_CA: '/etc/ca.pem', CLUSTER_MESOS_TLS_CERT: '/etc/cert.pem', CLUSTER_MESOS_TLS_KEY: '/etc/key.pem' };
      assert.deepEqual(call(facts, '/r', words).split('\n'), [
        'https://10.0.0.5:5051/health',
        'https://',
        'curl --cacert /r/etc/ca.pem --cert /r/etc/cert.pem --key /r/etc/key.pem -fsS https://10.0.0.5:5051/health',
        '',
      ]);
    });
  });
});
