import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TLS_FILES } from '../../lib/cloud-init/libprocess-tls-files';
import { AGENT_SECRET_FILES } from '../../lib/cloud-init/mesos-auth';
import { AGENT_DRAIN, AGENT_DRAIN_BOUND_SECONDS, PORTS } from '../../lib/model';
import { fileAt, parseCloudConfig, renderAll, unitActivation } from '../support/cloud-init-fixtures';
import { buildTopology } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const topology = buildTopology(exampleCluster());
const documents = new Map(renderAll(topology).map((d) => [d.id.split('/')[1], parseCloudConfig(d.text)]));
const UNIT_DIR = '/etc/systemd/system';
const SCRIPTS = '/usr/local/lib/mesos-cluster';

const activation = (name: string) => unitActivation(documents.get(name)!);

describe('agent drain units in the rendered documents', () => {
  it('every pool drains on shutdown and reactivates at boot, stopping before the agent and within the drain bound', () => {
    for (const pool of ['builds', 'jenkins-masters']) {
      const unit = fileAt(documents.get(pool)!, `${UNIT_DIR}/mesos-agent-drain.service`)?.content ?? '';
      assert.match(unit, /^After=mesos-slave\.service network-online\.target$/m, pool);
      assert.match(unit, new RegExp(`^ExecStop=-${SCRIPTS}/drain-agent drain$`, 'm'));
      assert.match(unit, new RegExp(`^ExecStart=-${SCRIPTS}/drain-agent reactivate$`, 'm'));
      assert.match(unit, new RegExp(`^TimeoutStopSec=${AGENT_DRAIN_BOUND_SECONDS}$`, 'm'));
      assert.ok(activation(pool).enable.includes('mesos-agent-drain'), pool);
      assert.ok(fileAt(documents.get(pool)!, `${SCRIPTS}/drain-agent`), pool);
      const facts = fileAt(documents.get(pool)!, '/etc/mesos-cluster/facts.env')!.content;
      assert.match(facts, new RegExp(`^CLUSTER_DRAIN_GATES=${topology.mesos.masters.map((m) => `${m.privateIp}:${PORTS.drainGate}`).join(',')}$`, 'm'), "every master's drain gate");
      assert.match(facts, new RegExp(`^CLUSTER_DRAIN_WAIT_SECONDS=${AGENT_DRAIN.waitSeconds}$`, 'm'));
      assert.match(facts, new RegExp(`^CLUSTER_DRAIN_CREDENTIAL_FILE=${AGENT_SECRET_FILES.credential}$`, 'm'), "the drain authenticates as the pool's principal");
    }
  });

  it("every master runs the drain gate on its own address, with the masters' credentials and the drain's task grace period", () => {
    for (const master of topology.mesos.masters) {
      const unit = fileAt(documents.get(master.name)!, `${UNIT_DIR}/mesos-drain-gate.service`)?.content ?? '';
      const credentials = '/etc/mesos-cluster/secrets/mesos-credentials.json';
      const start = `${SCRIPTS}/drain-gate ${master.privateIp} ${PORTS.drainGate} ${master.privateIp}:${PORTS.mesosMaster} ${credentials} ${AGENT_DRAIN.taskGraceSeconds}`;
      assert.match(unit, new RegExp(`^ExecStart=/usr/bin/python3 ${start.replace(/\./g, '\\.')}$`, 'm'), master.name);
      assert.ok(activation(master.name).enable.includes('mesos-drain-gate'), master.name);
      assert.ok(fileAt(documents.get(master.name)!, `${SCRIPTS}/drain-gate`), master.name);
    }
    for (const pool of ['builds', 'jenkins-masters']) assert.ok(activation(pool).mask.includes('mesos-drain-gate'), pool);
  });

  it("with tls.mesos the gate gets the cluster CA and the master's certificate (HTTPS both ways); without, neither", () => {
    const tls = buildTopology(exampleCluster({ tls: { mesos: true } }));
    const unitOf = (t: typeof topology) => fileAt(parseCloudConfig(renderAll(t).find((d) => d.id.endsWith('/master-1'))!.text), `${UNIT_DIR}/mesos-drain-gate.service`)?.content ?? '';
    assert.match(unitOf(tls), new RegExp(` ${AGENT_DRAIN.taskGraceSeconds} ${TLS_FILES.ca} ${TLS_FILES.server}$`, 'm'));
    assert.match(unitOf(topology), new RegExp(` ${AGENT_DRAIN.taskGraceSeconds}$`, 'm'));
  });

  it('only the auto-scaled pool watches its Auto Scaling lifecycle state', () => {
    assert.ok(activation('builds').enable.includes('mesos-agent-lifecycle.timer'));
    assert.ok(fileAt(documents.get('builds')!, `${SCRIPTS}/agent-lifecycle`));
    assert.ok(activation('jenkins-masters').mask.includes('mesos-agent-lifecycle.timer'));
    assert.equal(fileAt(documents.get('jenkins-masters')!, `${SCRIPTS}/agent-lifecycle`), undefined);
  });

  it('quorum servers and the bastion mask both units and carry neither script', () => {
    for (const name of ['zookeeper-1', 'master-1', 'marathon-1', 'bastion']) {
      assert.ok(['mesos-agent-drain', 'mesos-agent-lifecycle.timer'].every((u) => activation(name).mask.includes(u)), name);
      for (const script of ['drain-agent', 'agent-lifecycle']) {
        assert.equal(fileAt(documents.get(name)!, `${SCRIPTS}/${script}`), undefined, `${name}: ${script}`);
      }
    }
  });

  const missing = missingTool('systemd-analyze', 'systemd');
  it('systemd-analyze verify accepts the units (scripts stubbed at a scratch path)', gateOn(missing), () => {
    assertToolAvailable(missing);
    const dir = mkdtempSync(join(tmpdir(), 'drain-units-'));
    try {
      for (const script of ['drain-agent', 'agent-lifecycle']) {
        writeFileSync(join(dir, script), '#!/bin/sh\n');
        chmodSync(join(dir, script), 0o755);
      }
      const units = ['mesos-agent-drain.service', 'mesos-agent-lifecycle.service', 'mesos-agent-lifecycle.timer'].map((name) => {
        const content = fileAt(documents.get('builds')!, `${UNIT_DIR}/${name}`)!.content.split(`${SCRIPTS}/`).join(`${dir}/`);
        writeFileSync(join(dir, name), content);
        return join(dir, name);
      });
      const run = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], { encoding: 'utf8' });
      const problems = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '' && !/sysinit\.target not found/.test(l));
      assert.deepEqual(problems, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
