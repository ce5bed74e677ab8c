import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MOTO_ENVIRONMENT } from './moto-quirks';

/** The launcher that corrects moto's one behaviour this project depends on (see moto-quirks.ts). */
const LAUNCHER = join(__dirname, 'launch-moto.py');
const PYTHON = process.env.PYTHON ?? 'python3';

/** A running moto server on loopback. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The server as started here: also where it listens and which process it is. */
export interface StartedMoto extends MotoServer {
  readonly port: number;
  /** The launcher's process id (a detached server is stopped by it, from a later process). */
  readonly pid: number;
}

export interface StartMotoOptions {
  /** Where moto's log goes. @default a new file under the system's temporary folder */
  readonly log?: string;
  /**
   * Let the server outlive this process (its own process group, no stdin tie, not waited for);
   * it then runs until signalled. @default false: it ends when this process does
   */
  readonly detached?: boolean;
}

/** Why moto cannot run here, or undefined when it can. */
export function motoUnavailable(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import moto.server, moto.ec2'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) return `moto is not installed for ${PYTHON} (pip install "moto[server]==5.2.1")`;
  return undefined;
}

/** Starts moto on 127.0.0.1 at a port the kernel picks; resolves once it listens. */
export function startMoto(options: StartMotoOptions = {}): Promise<StartedMoto> {
  // moto's log goes to a file: a pipe would fill, and block moto, while a caller waits on Terraform synchronously.
  const log = options.log ?? join(mkdtempSync(join(tmpdir(), 'moto-log-')), 'moto.log');
  const detached = options.detached === true;
  const child = spawn(PYTHON, detached ? [LAUNCHER, '--detached'] : [LAUNCHER], {
    stdio: [detached ? 'ignore' : 'pipe', 'pipe', openSync(log, 'w')],
    env: { ...process.env, ...MOTO_ENVIRONMENT },
    detached,
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const port = /^listening (\d+)$/.exec(line)?.[1];
      if (port === undefined) {
        child.kill();
        reject(new Error(`moto launcher said ${JSON.stringify(line)}`));
        return;
      }
      if (detached) {
        lines.close();
        child.stdout!.destroy();
        child.unref();
      }
      resolve({ endpoint: `http://127.0.0.1:${port}`, port: Number(port), pid: child.pid!, stop: () => stopChild(child) });
    });
    child.once('exit', (code) => reject(new Error(`moto exited with ${code} before listening; see ${log}`)));
    child.once('error', reject);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
