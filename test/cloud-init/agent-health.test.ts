import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AGENT_HEALTH_METRIC, agentHealthNamespace } from '../../lib/cloud-init/agent-health-files';
import { poolPlan } from '../../lib/cloud-init/node-plans';
import { buildTopology } from '../../lib/model';
import { issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { exampleCluster } from '../support/aws-synth';
import { agentRoot, AgentRoot } from '../support/agent-root';
import { closedPort, LoopbackServer, startLoopbackServer } from '../support/loopback-http';
import { publishedValues } from '../support/moto-cloudwatch';
import { motoMissing, MotoServer, startMoto } from '../support/moto-server';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const missing = missingTool('curl', 'curl') ?? missingTool('aws', 'awscli') ?? motoMissing();
const NAMESPACE = agentHealthNamespace('ci-aws');

/** Instance metadata (IMDSv2: a token first): the region is all agent-health asks for. */
function instanceMetadata(): Promise<LoopbackServer> {
  return startLoopbackServer((request) => {
    if (request.method === 'PUT' && request.url === '/latest/api/token') return { status: 200, body: 'token-1' };
    if (request.headers['x-aws-ec2-metadata-token'] !== 'token-1') return { status: 401 };
    return request.url === '/latest/meta-data/placement/region' ? { status: 200, body: 'us-east-1' } : { status: 404 };
  });
}

/** The values moto holds for an agent's metric. */
function published(name: string): Promise<number[]> {
  return publishedValues(sharedMoto(), { namespace: NAMESPACE, name: AGENT_HEALTH_METRIC.name, dimension: { name: AGENT_HEALTH_METRIC.dimension, value: name } });
}

/** One moto for the file: each test's agent publishes under a name of its own. */
let moto: MotoServer | undefined;
function sharedMoto(): MotoServer {
  if (moto === undefined) throw new Error('moto was not started');
  return moto;
}
before(async () => {
  if (missing === undefined) moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

describe('agent-health: a volume-backed agent publishes its health to CloudWatch (moto)', gateOn(missing), () => {
  let imds: LoopbackServer;
  let liveAgent: LoopbackServer;
  let deadAgent: string;
  const roots: AgentRoot[] = [];

  before(async () => {
    assertToolAvailable(missing);
    [imds, liveAgent] = await Promise.all([instanceMetadata(), startLoopbackServer((r) => ({ status: r.url === '/health' ? 200 : 404 }))]);
    deadAgent = await closedPort();
  });
  after(async () => {
    await Promise.all([imds?.close(), liveAgent?.close()]);
    for (const root of roots) root.dispose();
  });

  /** One agent of jenkins-masters named `name`, its Mesos agent at `address`, ready or not. */
  function agent(name: string, address: string, ready: boolean): AgentRoot {
    const [ip, port] = address.split(':');
    const root = agentRoot('jenkins-masters', ip, { CLUSTER_MESOS_AGENT_PORT: port });
    roots.push(root);
    writeFileSync(root.path('etc/mesos-cluster/node.env'), `CLUSTER_NODE_NAME=${name}\nCLUSTER_NODE_IP=${ip}\n`);
    if (ready) writeFileSync(root.path('var/lib/mesos-cluster/ready'), 'role=mesos-agent\n');
    return root;
  }

  const publish = (root: AgentRoot) =>
    root.run('agent-health', [], { ...(sharedMoto().env as Record<string, string>), MESOS_CLUSTER_IMDS_URL: `http://${imds.address}`, MESOS_CLUSTER_AWS_ENDPOINT: sharedMoto().endpoint });

  it('publishes 1 for an agent that answers /health, under its own name in the cluster namespace', async () => {
    const result = await publish(agent('jenkins-masters-1', liveAgent.address, true));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await published('jenkins-masters-1'), [1]);
  });

  it('publishes 0, and says why, for a ready agent whose Mesos agent does not answer', async () => {
    const result = await publish(agent('jenkins-masters-2', deadAgent, true));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /agent-health: the Mesos agent does not answer \/health/);
    assert.deepEqual(await published('jenkins-masters-2'), [0]);
  });

  it('publishes 1 while a node is still within its first boot, and 0 once it is not ready that long after', async () => {
    const booting = agent('jenkins-masters-3', deadAgent, false);
    const first = await publish(booting);
    assert.equal(first.code, 0, first.stderr);
    const facts = booting.path('etc/mesos-cluster/facts.env');
    const longAgo = Date.now() / 1000 - AGENT_HEALTH_METRIC.bootSeconds - 60;
    utimesSync(facts, longAgo, longAgo);
    const later = await publish(booting);
    assert.equal(later.code, 0, later.stderr);
    assert.match(later.stderr, /agent-health: not ready 18\d\ds after first boot/);
    assert.deepEqual((await published('jenkins-masters-3')).sort(), [0, 1]);
  });

  it('fails, so that systemd logs it, when CloudWatch cannot be reached; the alarm then sees silence', async () => {
    const root = agent('jenkins-masters-4', liveAgent.address, true);
    const result = await root.run('agent-health', [], {
      ...(sharedMoto().env as Record<string, string>),
      MESOS_CLUSTER_IMDS_URL: `http://${imds.address}`,
      MESOS_CLUSTER_AWS_ENDPOINT: `http://${deadAgent}`,
      AWS_MAX_ATTEMPTS: '1',
    });
    assert.notEqual(result.code, 0);
    assert.deepEqual(await published('jenkins-masters-4'), []);
  });
});

describe('agent-health with tls.mesos: the agent answers HTTPS only, to clients with a cluster CA certificate', gateOn(missing), () => {
  const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
  /** CLUSTER_MESOS_TLS_* as the pool's plan renders them into facts.env. */
  const tlsFacts = Object.fromEntries(Object.entries(poolPlan(topology, topology.pools.find((p) => p.name === 'jenkins-masters')!).facts).filter(([k]) => k.startsWith('CLUSTER_MESOS_TLS_'))) as Record<string, string>;
  let imds: LoopbackServer;
  let tlsAgent: Server;
  let ca: KeyedCertificate;
  const roots: AgentRoot[] = [];

  before(async () => {
    assertToolAvailable(missing);
    ca = await newClusterCa('health-tls');
    const own = await issue(ca, { secret: 'tls/agent', kind: 'server', commonName: 'stand-in agent', ips: ['127.0.0.1'] });
    // A stand-in for a TLS-only Mesos agent's /health: a client certificate from the cluster CA required.
    tlsAgent = createServer({ cert: own.certificatePem, key: own.keyPem, ca: ca.certificatePem, requestCert: true, rejectUnauthorized: true }, (req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end());
    await new Promise<void>((resolve) => tlsAgent.listen(0, '127.0.0.1', resolve));
    imds = await instanceMetadata();
  });
  after(async () => {
    await Promise.all([imds?.close(), new Promise((resolve) => tlsAgent?.close(resolve))]);
    for (const root of roots) root.dispose();
  });

  /** A ready agent whose client certificate is signed by `signer`. */
  async function tlsNode(name: string, signer: KeyedCertificate): Promise<AgentRoot> {
    const root = agentRoot('jenkins-masters', '127.0.0.1', { CLUSTER_MESOS_AGENT_PORT: (tlsAgent.address() as AddressInfo).port, ...tlsFacts });
    roots.push(root);
    writeFileSync(root.path('etc/mesos-cluster/node.env'), `CLUSTER_NODE_NAME=${name}\nCLUSTER_NODE_IP=127.0.0.1\n`);
    writeFileSync(root.path('var/lib/mesos-cluster/ready'), 'role=mesos-agent\n');
    const client = await issue(signer, { secret: 'tls/agent', kind: 'server', commonName: name, ips: ['127.0.0.1'] });
    const files: [string, string][] = [[tlsFacts.CLUSTER_MESOS_TLS_CA, ca.certificatePem], [tlsFacts.CLUSTER_MESOS_TLS_CERT, client.certificatePem], [tlsFacts.CLUSTER_MESOS_TLS_KEY, client.keyPem]];
    for (const [path, text] of files) {
      mkdirSync(dirname(root.path(path)), { recursive: true });
      writeFileSync(root.path(path), text, { mode: 0o400 });
    }
    return root;
  }
  const publish = (root: AgentRoot) =>
    root.run('agent-health', [], { ...(sharedMoto().env as Record<string, string>), MESOS_CLUSTER_IMDS_URL: `http://${imds.address}`, MESOS_CLUSTER_AWS_ENDPOINT: sharedMoto().endpoint });

  it('publishes 1 when the agent answers over HTTPS to its own certificate, 0 when that certificate is from another CA', async () => {
    assert.deepEqual(Object.keys(tlsFacts).sort(), ['CLUSTER_MESOS_TLS_CA', 'CLUSTER_MESOS_TLS_CERT', 'CLUSTER_MESOS_TLS_KEY']);
    const good = await publish(await tlsNode('jenkins-masters-tls-1', ca));
    assert.equal(good.code, 0, good.stderr);
    const bad = await publish(await tlsNode('jenkins-masters-tls-2', await newClusterCa('someone-else')));
    assert.equal(bad.code, 0, bad.stderr);
    assert.match(bad.stderr, /agent-health: the Mesos agent does not answer \/health/);
    assert.deepEqual(await published('jenkins-masters-tls-1'), [1]);
    assert.deepEqual(await published('jenkins-masters-tls-2'), [0]);
  });
});
