/**
 * Test harness: the masters' drain gate (cloud-init/scripts/drain-gate.py, the script itself) on
 * 127.0.0.1 in front of a stand-in master, with the credentials the recorded masters know
 * (testMesosSecret). Callers come from 127.0.0.1, so the stand-in lists the agent there.
 */
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';
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
  const child: ChildProcess = spawnLogged(pythonExecutable(), [join(REPO, 'cloud-init/scripts/drain-gate.py'), '127.0.0.1', String(port), master, credentials, String(graceSeconds)], log);
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
  /** The master's port when the test's master does not listen on the rendered one. */
  masterPortOverride?: number,
): Promise<DrainGate> {
  const unit = readFileSync(join(master.root, '/etc/systemd/system/mesos-drain-gate.service'), 'utf8');
  // With tls.mesos the unit adds the CA and the master's certificate file: paths under the root.
  const [python, script, address, renderedPort, endpoint, credentials, grace, ...tlsFiles] = /^ExecStart=(.*)$/m.exec(unit)![1].split(' ');
  const [masterIp, masterPort] = endpoint.split(':');
  const listen = port ?? Number(renderedPort);
  const log = join(master.dir, `drain-gate-${listen}.log`);
  const args = [join(master.root, script), loopbackOf(address), String(listen), `${loopbackOf(masterIp)}:${masterPortOverride ?? masterPort}`, join(master.root, credentials), grace, ...tlsFiles.map((f) => join(master.root, f))];
  const child = spawnLogged(python, args, log);
  const gate = `${loopbackOf(address)}:${listen}`;
  // Listening, whatever it speaks: a TCP connection is accepted.
  await poll(`the drain gate at ${gate}`, 20_000, 200, async () => {
    const error = await new Promise<Error | undefined>((resolve) => {
      const socket = connect(listen, loopbackOf(address), () => socket.end(() => resolve(undefined)));
      socket.on('error', resolve);
    });
    return { done: error === undefined, value: undefined, describe: error?.message ?? 'listening' };
  });
  return { address: gate, log, close: () => stopChild(child, 'SIGTERM', 2_000) };
}
