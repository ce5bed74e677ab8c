/**
 * Test harness: the masters' drain gate (cloud-init/scripts/drain-gate.py, the script itself) on
 * 127.0.0.1 in front of a stand-in master, with the credentials the recorded masters know
 * (testMesosSecret). Callers come from 127.0.0.1, so the stand-in lists the agent there.
 */
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_DRAIN, agentPrincipal, buildTopology, OPERATOR_PRINCIPAL } from '../../lib/model';
import { exampleCluster } from './aws-synth';
import { REPO } from './cloud-init-fixtures';
import { freePort } from './loopback-stubs';
import { testMesosSecret } from './reference-shaped-mesos';
import { poll } from './zookeeper-ensemble';
import { spawnLogged, stopChild } from './zookeeper-runtime';

export interface DrainGate {
  /** `127.0.0.1:port`, as CLUSTER_DRAIN_GATES lists a master's gate. */
  readonly address: string;
  readonly log: string;
  close(): Promise<void>;
}

export async function startDrainGate(master: string, graceSeconds: number = AGENT_DRAIN.taskGraceSeconds): Promise<DrainGate> {
  const dir = mkdtempSync(join(tmpdir(), 'drain-gate-'));
  const principals = [OPERATOR_PRINCIPAL, ...buildTopology(exampleCluster()).pools.map((p) => agentPrincipal(p.name))];
  const credentials = join(dir, 'credentials.json');
  writeFileSync(credentials, JSON.stringify({ credentials: principals.map((principal) => ({ principal, secret: testMesosSecret(principal) })) }), { mode: 0o400 });
  const port = await freePort();
  const log = join(dir, 'drain-gate.log');
  const child: ChildProcess = spawnLogged('python3', [join(REPO, 'cloud-init/scripts/drain-gate.py'), '127.0.0.1', String(port), master, credentials, String(graceSeconds)], log);
  await poll('the drain gate listening', 20_000, 100, async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/`).catch((e: Error) => e);
    return { done: !(answer instanceof Error), value: undefined, describe: answer instanceof Error ? answer.message : String(answer.status) };
  });
  return {
    address: `127.0.0.1:${port}`,
    log,
    close: async () => {
      await stopChild(child, 'SIGTERM', 2_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A real master's drain gate, started as its rendered unit (mesos-drain-gate.service) starts it,
 * the rendered addresses and paths mapped onto the test's (`loopbackOf`, the master's root).
 */
export async function startRenderedDrainGate(
  master: { readonly root: string; readonly dir: string; readonly address: string },
  loopbackOf: (privateIp: string) => string,
  port?: number,
): Promise<DrainGate> {
  const unit = readFileSync(join(master.root, '/etc/systemd/system/mesos-drain-gate.service'), 'utf8');
  const [python, script, address, renderedPort, endpoint, credentials, grace] = /^ExecStart=(.*)$/m.exec(unit)![1].split(' ');
  const [masterIp, masterPort] = endpoint.split(':');
  const listen = port ?? Number(renderedPort);
  const log = join(master.dir, `drain-gate-${listen}.log`);
  const args = [join(master.root, script), loopbackOf(address), String(listen), `${loopbackOf(masterIp)}:${masterPort}`, join(master.root, credentials), grace];
  const child = spawnLogged(python, args, log);
  const gate = `${loopbackOf(address)}:${listen}`;
  await poll(`the drain gate at ${gate}`, 20_000, 200, async () => {
    const answer = await fetch(`http://${gate}/`).catch((e: Error) => e);
    return { done: !(answer instanceof Error), value: undefined, describe: answer instanceof Error ? answer.message : String(answer.status) };
  });
  return { address: gate, log, close: () => stopChild(child, 'SIGTERM', 2_000) };
}
