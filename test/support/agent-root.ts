/**
 * Test harness: an agent's files laid out under a scratch root, as the pool's rendered
 * cloud-config writes them (helper scripts as delivered, facts.env), plus what agent-identity
 * writes at boot (node.env) and the pool's credential that fetch-secrets writes. Scripts honour
 * MESOS_CLUSTER_ROOT, so they run here unchanged.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderPoolUserData } from '../../lib/cloud-init';
import { AGENT_SECRET_FILES } from '../../lib/cloud-init/mesos-auth';
import { agentPrincipal, buildTopology } from '../../lib/model';
import { testMesosSecret } from './reference-shaped-mesos';
import { exampleCluster } from './aws-synth';
import { layOut, readWriteFiles } from './zookeeper-cloud-config';

export const SCRIPT_DIR = '/usr/local/lib/mesos-cluster';

export interface AgentRoot {
  readonly root: string;
  path(relative: string): string;
  /** Runs a delivered helper script with the root and `env`; never rejects. */
  run(script: string, args: readonly string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }>;
  dispose(): void;
}

/**
 * The pool's files under a fresh root; `facts` are appended to facts.env (later lines win when
 * sourced), e.g. loopback master addresses and short drain bounds.
 */
export function agentRoot(pool: string, nodeIp: string, facts: Record<string, string | number>): AgentRoot {
  const root = mkdtempSync(join(tmpdir(), `agent-${pool}-`));
  const files = readWriteFiles(renderPoolUserData(buildTopology(exampleCluster()), pool));
  layOut(root, files);
  for (const file of files) if (file.permissions === '0755') chmodSync(join(root, file.path), 0o755);
  const extra = Object.entries(facts).map(([key, value]) => `${key}=${value}\n`).join('');
  writeFileSync(join(root, 'etc/mesos-cluster/facts.env'), `\n# test overrides\n${extra}`, { flag: 'a' });
  writeFileSync(join(root, 'etc/mesos-cluster/node.env'), `CLUSTER_NODE_NAME=${pool}-i-0123\nCLUSTER_NODE_IP=${nodeIp}\n`);
  mkdirSync(join(root, 'var/lib/mesos-cluster'), { recursive: true });
  // What fetch-secrets writes at boot: the pool's credential, with the stand-in masters' secret.
  const credential = join(root, AGENT_SECRET_FILES.credential);
  mkdirSync(dirname(credential), { recursive: true });
  writeFileSync(credential, JSON.stringify({ principal: agentPrincipal(pool), secret: testMesosSecret(agentPrincipal(pool)) }), { mode: 0o400 });
  return {
    root,
    path: (relative) => join(root, relative),
    run: (script, args, env = {}) =>
      new Promise((resolve) => {
        execFile(
          join(root, SCRIPT_DIR, script),
          args,
          { env: { PATH: process.env.PATH, HOME: root, MESOS_CLUSTER_ROOT: root, MESOS_CLUSTER_DRAIN_INTERVAL: '0.2', ...env }, timeout: 300_000 },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
        );
      }),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
