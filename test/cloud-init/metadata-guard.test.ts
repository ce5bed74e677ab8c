import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { METADATA_ADDRESS } from '../../lib/cloud-init/metadata-guard-files';
import { fileAt, fixtureTopologies, parseCloudConfig, renderAll } from '../support/cloud-init-fixtures';
import { poll } from '../support/zookeeper-ensemble';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

/**
 * The metadata guard as the Jenkins masters' agents render it, applied in network namespaces of
 * this test's own: `host` (the agent), `meta` (a stand-in metadata service on 169.254.169.254,
 * reached over a veth as on a cloud) and `ctr` (a container on a bridge, routed through `host`).
 * No packet leaves these namespaces.
 */
const missing = missingTool('iptables', 'iptables') ?? missingTool('ip', 'iproute2') ?? missingTool('setpriv', 'util-linux');
const tag = `mg${process.pid}`;
const ns = { host: `${tag}-host`, meta: `${tag}-meta`, ctr: `${tag}-ctr` };
const NOBODY = '65534';

function run(args: string[]): { status: number | null; out: string } {
  const result = spawnSync(args[0], args.slice(1), { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

function must(args: string[]): string {
  const { status, out } = run(args);
  assert.equal(status, 0, `${args.join(' ')}: ${out}`);
  return out;
}

const inNs = (name: string, args: string[]) => ['ip', 'netns', 'exec', name, ...args];

/** curl's exit status asking the stand-in for a path: 0 answered, 7 refused, 28 no answer in time. */
function fetchMetadata(namespace: string, uid?: string): number | null {
  const curl = ['curl', '-sS', '-o', '/dev/null', '--max-time', '3', `http://${METADATA_ADDRESS}/latest/meta-data/`];
  const as = uid === undefined ? curl : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...curl];
  return run(inNs(namespace, as)).status;
}

function renderedGuard(): string {
  const topology = fixtureTopologies().find((f) => f.name === 'ci-aws')!.topology;
  const doc = renderAll(topology).find((d) => d.id.endsWith('/jenkins-masters'))!;
  const script = fileAt(parseCloudConfig(doc.text), '/usr/local/lib/mesos-cluster/metadata-guard');
  assert.ok(script, 'the jenkins-masters document carries the metadata guard');
  return script.content;
}

describe('the metadata guard, applied in network namespaces', gateOn(missing), () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let guard: string;

  before(async () => {
    assertToolAvailable(missing);
    dir = mkdtempSync(join(tmpdir(), 'metadata-guard-'));
    guard = join(dir, 'metadata-guard');
    writeFileSync(guard, renderedGuard(), { mode: 0o755 });
    for (const name of Object.values(ns)) must(['ip', 'netns', 'add', name]);
    must(['ip', 'link', 'add', `${tag}h0`, 'netns', ns.host, 'type', 'veth', 'peer', 'name', `${tag}m0`, 'netns', ns.meta]);
    must(['ip', 'link', 'add', `${tag}h1`, 'netns', ns.host, 'type', 'veth', 'peer', 'name', `${tag}c0`, 'netns', ns.ctr]);
    for (const [name, commands] of Object.entries({
      [ns.host]: [
        ['ip', 'addr', 'add', '10.254.0.1/30', 'dev', `${tag}h0`],
        ['ip', 'addr', 'add', '10.254.1.1/30', 'dev', `${tag}h1`],
        ['ip', 'link', 'set', `${tag}h0`, 'up'],
        ['ip', 'link', 'set', `${tag}h1`, 'up'],
        ['ip', 'link', 'set', 'lo', 'up'],
        ['ip', 'route', 'add', `${METADATA_ADDRESS}/32`, 'via', '10.254.0.2'],
        ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'],
      ],
      [ns.meta]: [
        ['ip', 'addr', 'add', '10.254.0.2/30', 'dev', `${tag}m0`],
        ['ip', 'addr', 'add', `${METADATA_ADDRESS}/32`, 'dev', 'lo'],
        ['ip', 'link', 'set', `${tag}m0`, 'up'],
        ['ip', 'link', 'set', 'lo', 'up'],
        ['ip', 'route', 'add', '10.254.1.0/30', 'via', '10.254.0.1'],
      ],
      [ns.ctr]: [
        ['ip', 'addr', 'add', '10.254.1.2/30', 'dev', `${tag}c0`],
        ['ip', 'link', 'set', `${tag}c0`, 'up'],
        ['ip', 'link', 'set', 'lo', 'up'],
        ['ip', 'route', 'add', 'default', 'via', '10.254.1.1'],
      ],
    })) {
      for (const command of commands) must(inNs(name, command));
    }
    server = spawn('ip', inNs(ns.meta, ['python3', '-m', 'http.server', '--bind', METADATA_ADDRESS, '80']).slice(1), { cwd: dir, stdio: 'ignore' });
    await poll('the stand-in metadata service', 30_000, 200, async () => {
      const status = fetchMetadata(ns.meta);
      return { done: status === 0, value: status, describe: `curl exit ${status}` };
    });
  });

  after(() => {
    server?.kill();
    for (const name of Object.values(ns)) run(['ip', 'netns', 'delete', name]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('without it, root, any other user and a routed container all reach the metadata service', () => {
    assert.equal(fetchMetadata(ns.host), 0);
    assert.equal(fetchMetadata(ns.host, NOBODY), 0);
    assert.equal(fetchMetadata(ns.ctr), 0);
  });

  it('with it, root on the host still does; another user is refused at once, and a routed container gets no answer', () => {
    must(inNs(ns.host, [guard]));
    assert.equal(fetchMetadata(ns.host), 0, 'root (cloud-init, agent-identity, fetch-secrets) keeps it');
    assert.equal(fetchMetadata(ns.host, NOBODY), 7, 'a non-root user on the host network (a Jenkins master) is refused');
    assert.equal(fetchMetadata(ns.host, '1000'), 7, "uid 1000, the official Jenkins image's user, is refused");
    assert.equal(fetchMetadata(ns.ctr), 28, 'a container on a bridge gets no answer');
  });

  it('a second run adds no rule twice', () => {
    const rules = () => must(inNs(ns.host, ['iptables-save'])).split('\n').filter((line) => line.includes(METADATA_ADDRESS));
    const before = rules();
    must(inNs(ns.host, [guard]));
    assert.deepEqual(rules(), before);
    assert.equal(before.length, 2, before.join('\n'));
  });
});
