import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { libraryFiles } from '../../lib/cloud-init/common-files';
import { NODE, SECRETS } from '../../lib/cloud-init/layout';
import { REPO } from '../support/cloud-init-fixtures';
import { MARATHON_LEADER, MASTER_METRICS } from '../support/readiness-responses';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const run = promisify(execFile);
const AWAIT_READY = join(REPO, 'cloud-init/scripts/await-ready.sh');

/** One reply of the stand-in server: status and JSON body. */
type Reply = readonly [number, unknown];

/**
 * A loopback server that plays Mesos' and Marathon's endpoints: each path answers its replies
 * in order, repeating the last one, and counts the requests it got.
 */
class ReferenceShapedServer {
  private readonly server: Server;
  private replies: Record<string, readonly Reply[]> = {};
  /** user:password the server demands, as Marathon with HTTP authentication does. */
  private credentials?: string;
  readonly hits: Record<string, number> = {};

  constructor() {
    this.server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      const expected = this.credentials && `Basic ${Buffer.from(this.credentials).toString('base64')}`;
      if (expected && request.headers.authorization !== expected) {
        response.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Invalid username or password.' }));
        return;
      }
      const n = (this.hits[path] = (this.hits[path] ?? 0) + 1);
      const replies = this.replies[path] ?? [[404, { message: 'not found' }]];
      const [status, body] = replies[Math.min(n, replies.length) - 1];
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  play(replies: Record<string, readonly Reply[]>, credentials?: string): void {
    this.replies = replies;
    this.credentials = credentials;
    for (const key of Object.keys(this.hits)) delete this.hits[key];
  }

  close(): void {
    this.server.close();
  }
}

/**
 * A scratch node whose facts send every HTTP probe to the loopback server, with the shell
 * libraries await-ready sources written as a node gets them.
 */
function nodeRoot(port: number): string {
  const root = mkdtempSync(join(tmpdir(), 'await-ready-'));
  mkdirSync(join(root, 'etc/mesos-cluster'), { recursive: true });
  for (const file of libraryFiles(['await-ready'])) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
  }
  const facts = {
    CLUSTER_NODE_ROLE: 'control',
    CLUSTER_NODE_IP: '127.0.0.1',
    CLUSTER_ZK_CLIENT_PORT: 1,
    CLUSTER_MESOS_MASTER_PORT: port,
    CLUSTER_MESOS_AGENT_PORT: port,
    CLUSTER_MARATHON_HTTP_PORT: port,
  };
  writeFileSync(join(root, NODE.facts), Object.entries(facts).map(([k, v]) => `${k}=${v}\n`).join(''));
  return root;
}

async function awaitReady(root: string, services: string[], timeoutSeconds: number): Promise<{ code: number; stderr: string }> {
  const env = { PATH: process.env.PATH, MESOS_CLUSTER_ROOT: root, MESOS_CLUSTER_READY_TIMEOUT: String(timeoutSeconds), MESOS_CLUSTER_READY_INTERVAL: '0.05' };
  try {
    await run('bash', [AWAIT_READY, ...services], { env, timeout: 30_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stderr: failed.stderr ?? String(error) };
  }
}

const missing = missingTool('jq', 'jq') ?? missingTool('curl', 'curl');

describe('readiness means ready: await-ready against reference-shaped Mesos and Marathon answers on loopback (a stand-in)', gateOn(missing), () => {
  const server = new ReferenceShapedServer();
  let port: number;
  before(async () => {
    port = await server.listen();
  });
  after(() => server.close());

  const marker = (root: string) => existsSync(join(root, NODE.readyMarker));

  it('a master is ready only once its replicated log has recovered, not when it first answers', async () => {
    assertToolAvailable(missing);
    server.play({ '/metrics/snapshot': [[200, MASTER_METRICS.recovering], [200, MASTER_METRICS.recovering], [200, MASTER_METRICS.recovered]] });
    const root = nodeRoot(port);
    const result = await awaitReady(root, ['mesos-master'], 20);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(server.hits['/metrics/snapshot'], 3, 'polled until registrar/log/recovered was 1');
    assert.ok(marker(root));
  });

  it('a master whose log never recovers gets no marker', async () => {
    server.play({ '/metrics/snapshot': [[200, MASTER_METRICS.recovering]], '/health': [[200, {}]] });
    const root = nodeRoot(port);
    const result = await awaitReady(root, ['mesos-master'], 1);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /mesos-master is not ready/);
    assert.equal(marker(root), false);
    assert.equal(server.hits['/health'], undefined, '/health is not taken as ready');
  });

  it('metrics without the replicated log key, or an error status, are not ready', async () => {
    for (const reply of [[200, MASTER_METRICS.withoutLog], [503, { message: 'Master has not finished recovery' }]] as const) {
      server.play({ '/metrics/snapshot': [reply] });
      const root = nodeRoot(port);
      assert.equal((await awaitReady(root, ['mesos-master'], 1)).code, 1, JSON.stringify(reply));
      assert.equal(marker(root), false);
    }
  });

  it('Marathon is ready once /v2/leader names a leader, not while it answers 404', async () => {
    server.play({ '/v2/leader': [[404, MARATHON_LEADER.none], [404, MARATHON_LEADER.none], [200, MARATHON_LEADER.elected]] });
    const root = nodeRoot(port);
    const result = await awaitReady(root, ['marathon'], 20);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(server.hits['/v2/leader'], 3);
    assert.ok(marker(root));
  });

  it('a Marathon that answers /ping but has no leader gets no marker', async () => {
    server.play({ '/ping': [[200, 'pong']], '/v2/leader': [[404, MARATHON_LEADER.none]] });
    const root = nodeRoot(port);
    const result = await awaitReady(root, ['marathon'], 1);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /marathon is not ready/);
    assert.equal(marker(root), false);
  });

  it("Marathon's probe sends the basic credentials fetch-secrets wrote", async () => {
    server.play({ '/v2/leader': [[200, MARATHON_LEADER.elected]] }, 'marathon:s3cret');
    const root = nodeRoot(port);
    assert.equal((await awaitReady(root, ['marathon'], 1)).code, 1, 'without credentials: 401, not ready');
    mkdirSync(join(root, SECRETS.dir), { recursive: true });
    writeFileSync(join(root, SECRETS.dir, 'marathon.env'), 'MARATHON_HTTP_CREDENTIALS=marathon:s3cret\n');
    const result = await awaitReady(root, ['marathon'], 20);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(marker(root));
  });

  it('a colocated server waits for both: the marker names every service', async () => {
    server.play({ '/metrics/snapshot': [[200, MASTER_METRICS.recovered]], '/v2/leader': [[200, MARATHON_LEADER.elected]] });
    const root = nodeRoot(port);
    assert.equal((await awaitReady(root, ['mesos-master', 'marathon'], 20)).code, 0);
    assert.match(readFileSync(join(root, NODE.readyMarker), 'utf8'), /^services=mesos-master marathon$/m);
  });
});
