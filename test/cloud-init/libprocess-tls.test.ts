import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { awsUserDataProblems } from '../../lib/aws/user-data-limit';
import { renderAllUserData } from '../../lib/cloud-init';
import { SECRETS } from '../../lib/cloud-init/layout';
import { TLS_FILES } from '../../lib/cloud-init/libprocess-tls-files';
import { mesosAgentFlags } from '../../lib/cloud-init/mesos-agent-files';
import { marathonSettings } from '../../lib/cloud-init/marathon-files';
import { poolPlan, serverPlan } from '../../lib/cloud-init/node-plans';
import { buildTopology, CLUSTER_CA_SECRET, OPERATOR_TLS_SECRET } from '../../lib/model';
import { ensureClusterSecrets } from '../../lib/secrets/ensure-secrets';
import { exampleCluster, synthAws } from '../support/aws-synth';
import { parseCloudConfig } from '../support/cloud-init-fixtures';
import { NodeSandbox } from '../support/node-applier';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { MemoryStore } from '../support/memory-secret-store';

const OPENSSL_MISSING = missingTool('openssl', 'openssl');

const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
const plain = buildTopology(exampleCluster());
const server = (role: string) => topology.servers.find((s) => s.role === role)!;
const pool = (name: string) => topology.pools.find((p) => p.name === name)!;
const manifestOf = (files: readonly { path: string; content: string }[]) => files.find((f) => f.path === SECRETS.manifest)?.content ?? '';

describe('libprocess SSL in the rendered nodes (tls.mesos)', () => {
  it('renders no TLS at all when the cluster file leaves it off', () => {
    for (const document of renderAllUserData(plain)) assert.doesNotMatch(document.text, /LIBPROCESS_SSL_|\/tls-|issue-agent-cert/, document.name);
  });

  it('a master and a Marathon server fetch the CA certificate and their role\'s certificate; Marathon can read its own', () => {
    const master = manifestOf(serverPlan(topology, server('mesos-master')).files);
    assert.match(master, new RegExp(` ${TLS_FILES.ca} 0400 root:root\n`));
    assert.match(master, new RegExp(` ${TLS_FILES.server} 0400 root:root\n`));
    const marathon = manifestOf(serverPlan(topology, server('marathon')).files);
    assert.match(marathon, new RegExp(` ${TLS_FILES.server} 0400 marathon:marathon\n`));
    assert.equal(manifestOf(serverPlan(topology, server('zookeeper')).files), '', 'ZooKeeper servers fetch nothing');
  });

  it("Marathon's scheduler driver gets the same libprocess SSL settings as the masters", () => {
    const settings = new Map(marathonSettings(topology, server('marathon')).map(([k, v]) => [k, v]));
    assert.equal(settings.get('LIBPROCESS_SSL_ENABLED'), 'true');
    assert.equal(settings.get('LIBPROCESS_SSL_CERT_FILE'), TLS_FILES.server);
    assert.equal(settings.get('LIBPROCESS_SSL_REQUIRE_CLIENT_CERT'), 'true');
    assert.equal(settings.get('LIBPROCESS_SSL_SUPPORT_DOWNGRADE'), 'false');
  });

  it('an agent fetches its pool CA, then signs its own certificate once agent-identity knows its address', () => {
    const plan = poolPlan(topology, pool('builds'));
    assert.ok(manifestOf(plan.files).includes(` ${TLS_FILES.poolCa} 0400 root:root\n`), manifestOf(plan.files));
    assert.ok(plan.files.some((f) => f.content === '{{tls/pools/builds}}'), 'the pool CA template is the secret alone (a document)');
    const steps = plan.preSteps.map(([script]) => script);
    const [fetch, identity, issue] = ['fetch-secrets', 'agent-identity', 'issue-agent-cert'].map((s) => steps.indexOf(s));
    assert.ok(fetch >= 0 && fetch < identity && identity < issue, steps.join(' → '));
    assert.deepEqual(plan.preSteps[issue].slice(1), [TLS_FILES.ca, TLS_FILES.poolCa, TLS_FILES.agentChain, TLS_FILES.agentKey]);
    const defaults = plan.files.find((f) => f.path === '/etc/default/mesos')!.content;
    assert.match(defaults, new RegExp(`^LIBPROCESS_SSL_CERT_FILE=${TLS_FILES.agentChain}$`, 'm'));
    assert.match(defaults, new RegExp(`^LIBPROCESS_SSL_KEY_FILE=${TLS_FILES.agentKey}$`, 'm'));
  });

  it("an agent names its executors' environment: its TLS settings, and no PATH that would replace a build image's", () => {
    const executors = JSON.parse(mesosAgentFlags(topology, pool('builds')).executor_environment_variables as string);
    assert.deepEqual(Object.keys(executors).filter((k) => !k.startsWith('LIBPROCESS_SSL_')), []);
    assert.equal(executors.LIBPROCESS_SSL_ENABLED, 'true');
    assert.equal(executors.LIBPROCESS_SSL_CERT_FILE, TLS_FILES.agentChain);
    assert.equal(executors.LIBPROCESS_SSL_KEY_FILE, TLS_FILES.agentKey);
    assert.equal(mesosAgentFlags(plain, plain.pools[0]).executor_environment_variables, undefined, 'left alone without TLS');
  });

  it('a booted builds agent writes its pool CA and signs itself a certificate for its own address that the cluster CA accepts', gateOn(OPENSSL_MISSING), async () => {
    assertToolAvailable(OPENSSL_MISSING);
    const store = new MemoryStore();
    await ensureClusterSecrets(store, topology);
    const sandbox = new NodeSandbox();
    const values = join(sandbox.root, '..', 'values');
    mkdirSync(values);
    for (const [name, value] of store.values) writeFileSync(join(values, name.replace(/\//g, '_')), value);
    // The store answers with the stored value, as `aws ssm get-parameter --output text` prints it.
    sandbox.replaceStandIn('aws', `#!/bin/bash\nwhile [ $# -gt 0 ]; do [ "$1" = --name ] && name="$2"; shift; done\ncat "${values}/$(printf %s "$name" | tr / _)"\n`);
    const document = renderAllUserData(topology).find((d) => d.name === 'builds')!;
    const booted = await sandbox.boot(parseCloudConfig(document.text));
    assert.equal(booted.code, 0, booted.stderr);
    const chain = sandbox.read(TLS_FILES.agentChain);
    const certificate = new X509Certificate(chain);
    assert.equal(certificate.subjectAltName, 'IP Address:10.20.64.7', 'the address agent-identity found (node-stubs.ts)');
    assert.ok(certificate.checkPrivateKey(createPrivateKey(sandbox.read(TLS_FILES.agentKey))));
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(sandbox.root, TLS_FILES.ca), '-untrusted', join(sandbox.root, TLS_FILES.agentChain), join(sandbox.root, TLS_FILES.agentChain)], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    for (const file of [TLS_FILES.poolCa, TLS_FILES.agentChain, TLS_FILES.agentKey]) assert.equal(statSync(join(sandbox.root, file)).mode & 0o777, 0o400, file);
  });

  it('every AWS document still fits the user-data limit', () => {
    assert.deepEqual(awsUserDataProblems(topology), []);
  });

  it('AWS: each identity may read the CA certificate and its own certificate; none the CA key or the operator\'s certificate, no pool another pool\'s CA', () => {
    const { resource } = synthAws(topology.cluster).json;
    const readsOf = (identity: string): string[] => {
      const statements = JSON.parse(resource.aws_iam_role_policy[`identity-${identity}_policy`].policy).Statement;
      return statements.find((s: { Sid: string }) => s.Sid === 'ReadOwnSecrets').Resource.map((arn: string) => arn.replace(/^.*:parameter\/mesos-cluster\/ci-aws\//, ''));
    };
    assert.deepEqual(readsOf('master').filter((n) => n.startsWith('tls/')), ['tls/ca-cert', 'tls/master']);
    assert.deepEqual(readsOf('marathon').filter((n) => n.startsWith('tls/')), ['tls/ca-cert', 'tls/marathon']);
    assert.deepEqual(readsOf('builds').filter((n) => n.startsWith('tls/')), ['tls/ca-cert', 'tls/pools/builds']);
    for (const identity of ['zookeeper', 'master', 'marathon', 'jenkins-masters', 'builds', 'edge']) {
      const policy = resource.aws_iam_role_policy[`identity-${identity}_policy`]?.policy ?? '';
      assert.doesNotMatch(policy, new RegExp(`/${CLUSTER_CA_SECRET}"`), identity);
      assert.doesNotMatch(policy, new RegExp(`/${OPERATOR_TLS_SECRET}"`), identity);
    }
  });
});
