import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderAllUserData, renderServerUserData } from '../../lib/cloud-init';
import { POOL_USAGE_METRIC } from '../../lib/cloud-init/pool-usage-files';
import { buildTopology, ClusterTopology } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';
import { closedPort, LoopbackServer, startLoopbackServer } from '../support/loopback-http';
import { motoMissing, MotoServer, startMoto } from '../support/moto-server';
import { ReferenceShapedMesosMaster, StandInAgent } from '../support/reference-shaped-mesos';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { layOut, readWriteFiles } from '../support/zookeeper-cloud-config';

const SCRIPT = '/usr/local/lib/mesos-cluster/pool-usage';

/** The example with `builds` elastic and a second, still empty, elastic pool `spare`. */
function elasticTopology(): ClusterTopology {
  return buildTopology(
    exampleCluster({
      pools: {
        builds: { count: 6, autoscale: { min: 2, max: 12 } },
        spare: { count: 1, size: 'c5.large', autoscale: { min: 1, max: 3 } },
      },
    }),
  );
}

describe('pool-usage: rendered on the masters of clusters with elastic pools only', () => {
  const topology = elasticTopology();
  const paths = (document: string) => readWriteFiles(document).map((f) => f.path);

  it('gives every master the script, its timer enabled and the pools to publish, and no other node any of it', () => {
    for (const doc of renderAllUserData(topology)) {
      const master = /^master-\d$/.test(doc.name);
      assert.equal(paths(doc.text).includes(SCRIPT), master, doc.name);
      assert.equal(paths(doc.text).includes('/etc/systemd/system/mesos-pool-usage.timer'), master, doc.name);
      assert.equal(doc.text.includes('mesos-pool-usage.timer'), master, `${doc.name} neither enables nor masks a unit it does not have`);
    }
    const facts = readWriteFiles(renderServerUserData(topology, 'master-1')).find((f) => f.path === '/etc/mesos-cluster/facts.env')!.content.toString();
    assert.match(facts, /^CLUSTER_USAGE_POOLS=builds,spare$/m);
    assert.match(facts, /^CLUSTER_USAGE_NAMESPACE=mesos-cluster\/ci-aws$/m);
  });

  it('renders nothing of it for the example, whose pools have fixed sizes', () => {
    for (const doc of renderAllUserData(buildTopology(exampleCluster()))) assert.doesNotMatch(doc.text, /pool-usage|CLUSTER_USAGE/, doc.name);
  });
});

const missing = missingTool('curl', 'curl') ?? missingTool('jq', 'jq') ?? missingTool('aws', 'awscli') ?? motoMissing();

/** Instance metadata (IMDSv2: a token first): the region is all pool-usage asks for. */
function instanceMetadata(): Promise<LoopbackServer> {
  return startLoopbackServer((request) => {
    if (request.method === 'PUT' && request.url === '/latest/api/token') return { status: 200, body: 'token-1' };
    if (request.headers['x-aws-ec2-metadata-token'] !== 'token-1') return { status: 401 };
    return request.url === '/latest/meta-data/placement/region' ? { status: 200, body: 'us-east-1' } : { status: 404 };
  });
}

describe('pool-usage: the leading master publishes each elastic pool\'s CPU share to CloudWatch (stand-in master, moto)', gateOn(missing), () => {
  let moto: MotoServer;
  let imds: LoopbackServer;
  let leader: ReferenceShapedMesosMaster;
  let follower: ReferenceShapedMesosMaster;
  let leaderless: ReferenceShapedMesosMaster;
  const roots: string[] = [];
  const agents: StandInAgent[] = [
    { id: 'S1', hostname: '10.20.64.10', pool: 'builds', cpus: 8, usedCpus: 6 },
    { id: 'S2', hostname: '10.20.64.11', pool: 'builds', cpus: 8, usedCpus: 2 },
    // Draining: it takes no new task, so neither its CPUs nor their use count.
    { id: 'S3', hostname: '10.20.64.12', pool: 'builds', cpus: 8, usedCpus: 8, drain: { state: 'DRAINING', markGone: true } },
    // Another pool's agent, busy: not counted in builds.
    { id: 'S4', hostname: '10.20.0.40', pool: 'jenkins-masters', cpus: 8, usedCpus: 8 },
  ];

  before(async () => {
    assertToolAvailable(missing);
    [moto, imds, leader] = await Promise.all([startMoto(), instanceMetadata(), ReferenceShapedMesosMaster.start({ elected: true, agents })]);
    follower = await ReferenceShapedMesosMaster.start({ elected: false, agents });
    follower.leader = leader.address;
    leaderless = await ReferenceShapedMesosMaster.start({ elected: false, agents });
  });
  after(async () => {
    await Promise.all([moto?.stop(), imds?.close(), leader?.close(), follower?.close(), leaderless?.close()]);
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** master-1's rendered files under a scratch root, its own master at `master`, publishing into `namespace`. */
  function masterRoot(master: ReferenceShapedMesosMaster, namespace: string): string {
    const root = mkdtempSync(join(tmpdir(), 'pool-usage-'));
    roots.push(root);
    const files = readWriteFiles(renderServerUserData(elasticTopology(), 'master-1'));
    layOut(root, files);
    for (const file of files) if (file.permissions === '0755') chmodSync(join(root, file.path), 0o755);
    const [ip, port] = master.address.split(':');
    writeFileSync(join(root, 'etc/mesos-cluster/facts.env'), `\n# test overrides\nCLUSTER_NODE_IP=${ip}\nCLUSTER_MESOS_MASTER_PORT=${port}\nCLUSTER_USAGE_NAMESPACE=${namespace}\n`, { flag: 'a' });
    return root;
  }

  function publish(root: string, endpoint = moto.endpoint): Promise<{ code: number; stderr: string }> {
    const env = { ...(moto.env as Record<string, string>), PATH: process.env.PATH!, HOME: root, MESOS_CLUSTER_ROOT: root, MESOS_CLUSTER_IMDS_URL: `http://${imds.address}`, MESOS_CLUSTER_AWS_ENDPOINT: endpoint, AWS_MAX_ATTEMPTS: '1' };
    return new Promise((resolve) =>
      execFile(join(root, SCRIPT), [], { env, timeout: 120_000 }, (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr })),
    );
  }

  function aws(args: string[]): Promise<any> {
    return new Promise((resolve, reject) =>
      execFile('aws', ['--endpoint-url', moto.endpoint, '--region', 'us-east-1', '--output', 'json', 'cloudwatch', ...args], { env: { ...process.env, ...moto.env } }, (error, stdout, stderr) =>
        error ? reject(new Error(stderr)) : resolve(JSON.parse(stdout)),
      ),
    );
  }

  /** The metrics moto holds in `namespace`, as `name pool=value` lines. */
  async function metricsIn(namespace: string): Promise<string[]> {
    const listed = await aws(['list-metrics', '--namespace', namespace]);
    return listed.Metrics.map((m: any) => `${m.MetricName} ${m.Dimensions.map((d: any) => `${d.Name}=${d.Value}`).join(',')}`).sort();
  }

  /** The values of a pool's metric in `namespace` (GetMetricData, the policy's own statistic). */
  async function valuesOf(namespace: string, pool: string): Promise<number[]> {
    const now = Date.now();
    const query = [
      {
        Id: 'usage',
        MetricStat: { Metric: { Namespace: namespace, MetricName: POOL_USAGE_METRIC.name, Dimensions: [{ Name: POOL_USAGE_METRIC.dimension, Value: pool }] }, Period: 60, Stat: 'Average' },
      },
    ];
    const result = await aws(['get-metric-data', '--metric-data-queries', JSON.stringify(query), '--start-time', new Date(now - 3600_000).toISOString(), '--end-time', new Date(now + 3600_000).toISOString()]);
    return result.MetricDataResults[0].Values;
  }

  it('publishes 50 for builds (8 of 16 CPUs of its active agents in use) and says why the empty pool gets nothing', async () => {
    const namespace = 'test/leader';
    const result = await publish(masterRoot(leader, namespace));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /pool-usage: pool spare has no active agent with CPUs/);
    assert.deepEqual(await metricsIn(namespace), [`${POOL_USAGE_METRIC.name} ${POOL_USAGE_METRIC.dimension}=builds`]);
    assert.deepEqual(await valuesOf(namespace, 'builds'), [50]);
  });

  it('publishes nothing on a master that does not lead, and says which master does', async () => {
    const namespace = 'test/follower';
    const result = await publish(masterRoot(follower, namespace));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`pool-usage: ${leader.address.replace(/\./g, '\\.')} leads, not this master; publishing nothing`));
    assert.deepEqual(await metricsIn(namespace), []);
  });

  it('publishes nothing while no master leads', async () => {
    const namespace = 'test/leaderless';
    const result = await publish(masterRoot(leaderless, namespace));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /pool-usage: no leading master known \(\/master\/redirect answered 503\)/);
    assert.deepEqual(await metricsIn(namespace), []);
  });

  it('fails, so that systemd logs it, when CloudWatch cannot be reached', async () => {
    const endpoint = `http://${await closedPort()}`;
    const result = await publish(masterRoot(leader, 'test/unreachable'), endpoint);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Could not connect to the endpoint URL/);
  });
});
