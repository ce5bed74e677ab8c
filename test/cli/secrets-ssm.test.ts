/**
 * `npm run secrets` against moto's SSM on loopback: what it stores, that a second run changes
 * nothing, rotation, a new pool, and that it never touches another cluster or prints a value.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parseBundle } from '../../lib/secrets/cluster-ca';
import { TOKEN_PATTERN } from '../../lib/secrets/generate';
import { EXAMPLE_FILE } from '../support/aws-synth';
import { MotoServer, motoMissing, startMoto } from '../support/moto-server';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { REPO } from '../support/cloud-init-fixtures';
import { runTsCli } from '../support/run-cli';
import { EXAMPLE_TOKEN_NAMES } from '../support/cluster-secret-names';
import { patchYaml } from '../support/yaml-patch';

const missing = motoMissing();
const PREFIX = '/mesos-cluster/ci-aws';
const TOKENS = EXAMPLE_TOKEN_NAMES;

interface Stored {
  readonly value: string;
  readonly version: number;
  readonly type: string;
}

describe('npm run secrets: SSM Parameter Store (moto on loopback)', { skip: gateOn(missing).skip }, () => {
  let moto: MotoServer;
  let ssm: SSMClient;
  const dir = mkdtempSync(join(tmpdir(), 'secrets-command-'));
  const clusterFile = join(dir, 'ci-aws.yaml');
  writeFileSync(clusterFile, readFileSync(EXAMPLE_FILE, 'utf8'));

  /** The command as its entry bundle (test/support/run-cli.ts): a third of the CPU of a tsx start, per run. */
  const secrets = (file: string, ...args: string[]) =>
    runTsCli('lib/cli/secrets.ts', [file, ...args], { cwd: REPO, env: { PATH: process.env.PATH, ...moto.env } }).then(({ status, stdout, stderr }) => ({ code: status, stdout, stderr }));

  async function stored(path = '/mesos-cluster'): Promise<Map<string, Stored>> {
    const out = new Map<string, Stored>();
    let NextToken: string | undefined;
    do {
      const page = await ssm.send(new GetParametersByPathCommand({ Path: path, Recursive: true, WithDecryption: true, NextToken }));
      for (const p of page.Parameters ?? []) out.set(p.Name!, { value: p.Value!, version: p.Version!, type: p.Type! });
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  before(async () => {
    assertToolAvailable(missing);
    moto = await startMoto();
    ssm = new SSMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    // Another cluster's secret, which the command must never touch.
    await ssm.send(new PutParameterCommand({ Name: '/mesos-cluster/other/marathon/zk-password', Value: 'OtherClustersValue0123456789', Type: 'SecureString' }));
  });

  after(async () => {
    ssm?.destroy();
    await moto?.stop();
  });

  let first: Map<string, Stored>;

  it('stores every secret of the cluster as a SecureString under its path, and prints no value', async () => {
    const { code, stdout, stderr } = await secrets(clusterFile);
    assert.equal(code, 0, stderr);
    first = await stored(PREFIX);
    assert.deepEqual([...first.keys()].sort(), [...TOKENS, 'mesos-master/credentials'].map((n) => `${PREFIX}/${n}`).sort());
    for (const [path, { type, value }] of first) {
      assert.equal(type, 'SecureString', path);
      assert.ok(!stdout.includes(value) && !stderr.includes(value), `${path}: value printed`);
    }
    for (const name of TOKENS) assert.match(first.get(`${PREFIX}/${name}`)!.value, TOKEN_PATTERN, name);
    assert.equal(new Set(TOKENS.map((n) => first.get(`${PREFIX}/${n}`)!.value)).size, TOKENS.length, 'every token is its own');
    assert.match(stdout, /^created +\/mesos-cluster\/ci-aws\/marathon\/zk-password$/m);
    assert.match(stdout, /11 created, 0 rotated, 0 updated, 0 kept$/m);
  });

  it("puts every principal and its token in the masters' credentials document, in Mesos' JSON format", () => {
    const { credentials } = JSON.parse(first.get(`${PREFIX}/mesos-master/credentials`)!.value);
    const secretOf = (name: string) => first.get(`${PREFIX}/${name}`)!.value;
    assert.deepEqual(credentials, [
      { principal: 'marathon', secret: secretOf('marathon/mesos-secret') },
      { principal: 'jenkins', secret: secretOf('frameworks/jenkins/mesos-secret') },
      { principal: 'operator', secret: secretOf('operator/mesos-secret') },
      { principal: 'agent-jenkins-masters', secret: secretOf('pools/jenkins-masters/mesos-secret') },
      { principal: 'agent-builds', secret: secretOf('pools/builds/mesos-secret') },
    ]);
  });

  it('changes nothing when run again', async () => {
    const { code, stdout } = await secrets(clusterFile);
    assert.equal(code, 0);
    assert.match(stdout, /0 created, 0 rotated, 0 updated, 11 kept$/m);
    assert.deepEqual(await stored(PREFIX), first);
  });

  it('rotates only the secret it is told to, and the document that holds it', async () => {
    const { code, stdout, stderr } = await secrets(clusterFile, '--rotate', 'marathon/mesos-secret');
    assert.equal(code, 0, stderr);
    const now = await stored(PREFIX);
    const changed = [...now].filter(([path, s]) => first.get(path)!.version !== s.version).map(([path]) => path);
    assert.deepEqual(changed.sort(), [`${PREFIX}/marathon/mesos-secret`, `${PREFIX}/mesos-master/credentials`]);
    assert.notEqual(now.get(`${PREFIX}/marathon/mesos-secret`)!.value, first.get(`${PREFIX}/marathon/mesos-secret`)!.value);
    assert.match(stdout, /0 created, 1 rotated, 1 updated, 9 kept$/m);
    first = now;
  });

  it("adds a new pool's secret and principal, keeping every other secret", async () => {
    const grown = join(dir, 'ci-aws-gpu.yaml');
    writeFileSync(grown, patchYaml(readFileSync(EXAMPLE_FILE, 'utf8'), { pools: { gpu: { count: 1, size: 'g5.xlarge' } } }));
    const { code, stdout, stderr } = await secrets(grown);
    assert.equal(code, 0, stderr);
    const now = await stored(PREFIX);
    assert.match(now.get(`${PREFIX}/pools/gpu/mesos-secret`)!.value, TOKEN_PATTERN);
    for (const [path, s] of first) if (!path.endsWith('/credentials')) assert.deepEqual(now.get(path), s, path);
    const principals = JSON.parse(now.get(`${PREFIX}/mesos-master/credentials`)!.value).credentials.map((c: { principal: string }) => c.principal);
    assert.ok(principals.includes('agent-gpu'));
    assert.match(stdout, /2 created, 0 rotated, 1 updated, 10 kept$/m);
  });

  it('refuses to rotate a name the cluster does not have, and writes nothing', async () => {
    const before = await stored();
    const { code, stderr } = await secrets(clusterFile, '--rotate', 'marathon/password');
    assert.equal(code, 2);
    assert.match(stderr, /--rotate marathon\/password: not a secret of cluster ci-aws; one of: mesos-master\/zk-password, /);
    assert.deepEqual(await stored(), before);
  });

  it("never touches another cluster's secrets", async () => {
    const other = await ssm.send(new GetParameterCommand({ Name: '/mesos-cluster/other/marathon/zk-password', WithDecryption: true }));
    assert.equal(other.Parameter?.Value, 'OtherClustersValue0123456789');
    assert.equal(other.Parameter?.Version, 1);
  });

  it('with tls.mesos, stores the cluster CA and its certificates as SecureStrings SSM accepts, and rotates the CA on request', async () => {
    const tlsFile = join(dir, 'ci-tls.yaml');
    writeFileSync(tlsFile, patchYaml(readFileSync(EXAMPLE_FILE, 'utf8'), { name: 'ci-tls', tls: { mesos: true } }));
    const made = await secrets(tlsFile);
    assert.equal(made.code, 0, made.stderr);
    const tls = [...(await stored('/mesos-cluster/ci-tls'))].filter(([path]) => path.includes('/tls/'));
    assert.deepEqual(tls.map(([path]) => path.replace('/mesos-cluster/ci-tls/', '')).sort(), ['tls/ca', 'tls/ca-cert', 'tls/edge', 'tls/marathon', 'tls/master', 'tls/operator', 'tls/pools/builds', 'tls/pools/jenkins-masters']);
    for (const [path, { type, value }] of tls) {
      assert.equal(type, 'SecureString', path);
      assert.ok(!made.stdout.includes('BEGIN'), 'no certificate or key printed');
      if (path.endsWith('/tls/ca-cert')) assert.doesNotMatch(value, /PRIVATE KEY/, path);
      else assert.ok(parseBundle(value) !== undefined, `${path}: a certificate with its key, as stored and read back`);
    }
    const rotated = await secrets(tlsFile, '--rotate', 'tls/ca');
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /^rotated +\/mesos-cluster\/ci-tls\/tls\/ca$/m);
    assert.match(rotated.stdout, /0 created, 1 rotated, 7 updated, 11 kept$/m);
  });
});
