import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bundlePem, issue, newClusterCa } from '../../lib/secrets/cluster-ca';
import { generateToken } from '../../lib/secrets/generate';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const SCRIPT = join(__dirname, '..', '..', 'cloud-init', 'scripts', 'make-marathon-keystore.sh');
const MISSING = missingTool('openssl', 'openssl') ?? missingTool('keytool', 'openjdk-17-jre-headless');
const root = mkdtempSync(join(tmpdir(), 'marathon-keystore-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe("Marathon's HTTPS keystore, made at boot (make-marathon-keystore)", () => {
  it('holds the role certificate and key under the stored password; Java reads it, a wrong password opens nothing', gateOn(MISSING), async () => {
    assertToolAvailable(MISSING);
    const ca = await newClusterCa('keystore-test');
    const issued = await issue(ca, { secret: 'tls/marathon', kind: 'server', commonName: 'keystore-test marathon', ips: ['10.20.232.20'] });
    const password = generateToken();
    mkdirSync(join(root, 's'));
    // As fetch-secrets writes them: documents and tokens without a final newline.
    writeFileSync(join(root, 's', 'tls-server.pem'), bundlePem(issued).trimEnd(), { mode: 0o400 });
    writeFileSync(join(root, 's', 'password'), password, { mode: 0o400 });
    const run = spawnSync('bash', [SCRIPT, '/s/tls-server.pem', '/s/password', '/s/marathon.p12', 'root:root'], { env: { ...process.env, MESOS_CLUSTER_ROOT: root }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const keystore = join(root, 's', 'marathon.p12');
    assert.equal(statSync(keystore).mode & 0o777, 0o400);
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(password), 'the password is never printed');

    const opened = spawnSync('openssl', ['pkcs12', '-in', keystore, '-passin', `pass:${password}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
    assert.equal(opened.status, 0, opened.stderr);
    assert.equal(new X509Certificate(opened.stdout.slice(opened.stdout.indexOf('-----BEGIN'))).fingerprint256, new X509Certificate(issued.certificatePem).fingerprint256);
    const listed = spawnSync('keytool', ['-list', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', password], { encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stdout + listed.stderr);
    assert.match(listed.stdout, /^marathon, .*PrivateKeyEntry/m);
    const wrong = spawnSync('openssl', ['pkcs12', '-in', keystore, '-passin', 'pass:wrong', '-nokeys'], { encoding: 'utf8' });
    assert.notEqual(wrong.status, 0);
  });

  it('without its password file: one line naming it, no keystore', gateOn(MISSING), () => {
    assertToolAvailable(MISSING);
    const node = join(root, 'no-password');
    mkdirSync(join(node, 's'), { recursive: true });
    writeFileSync(join(node, 's', 'tls-server.pem'), 'a certificate');
    const run = spawnSync('bash', [SCRIPT, '/s/tls-server.pem', '/s/none', '/s/marathon.p12', 'root:root'], { env: { ...process.env, MESOS_CLUSTER_ROOT: node }, encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `make-marathon-keystore: no keystore password at ${node}/s/none (fetch-secrets runs first)\n`);
    assert.ok(!existsSync(join(node, 's', 'marathon.p12')));
  });
});
