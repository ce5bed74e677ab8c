import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { MOTO_ENVIRONMENT } from './moto-quirks';
import { PYTHON_COMMAND, pythonExecutable, pythonFacts } from './python-interpreter';

/** The launcher that corrects moto's one behaviour this project depends on (see moto-quirks.ts). */
const LAUNCHER = join(__dirname, 'launch-moto.py');

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
  /**
   * Writes moto's whole state to `file`, for `startMoto({ load })` (launch-moto.py says what it
   * holds). Call it while no client is talking to the server. Not for a detached server.
   */
  save(file: string): Promise<void>;
}

export interface StartMotoOptions {
  /** Where moto's log goes. @default a new file under the system's temporary folder */
  readonly log?: string;
  /**
   * Let the server outlive this process (its own process group, no stdin tie, not waited for);
   * it then runs until signalled. @default false: it ends when this process does
   */
  readonly detached?: boolean;
  /** A file an earlier server's `save` wrote: the server starts with that state. @default empty */
  readonly load?: string;
}

/** Why moto cannot run here, or undefined when it can (asked once per process: python-interpreter.ts). */
export function motoUnavailable(): string | undefined {
  if (pythonFacts().missingMotoModules.length > 0) return `moto is not installed for ${PYTHON_COMMAND} (pip install "moto[server]==5.2.1")`;
  return undefined;
}

/** The installed moto's version (a saved state loads only into the same one); asked once per process. */
export function motoVersion(): string {
  const version = pythonFacts().motoVersion;
  if (version === undefined) throw new Error(motoUnavailable() ?? `${PYTHON_COMMAND} could not report moto's version`);
  return version;
}

/**
 * Empties every service of a running moto, as a fresh one would start (moto's own API,
 * `POST /moto-api/reset`: reference/moto/FACTS.md): cheaper than a new server for a test that
 * needs a clean emulator.
 */
export async function resetMoto(moto: MotoServer): Promise<void> {
  const response = await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto did not reset: ${response.status} ${await response.text()}`);
}

/** Starts moto on 127.0.0.1 at a port the kernel picks; resolves once it listens. */
export function startMoto(options: StartMotoOptions = {}): Promise<StartedMoto> {
  // moto's log goes to a file: a pipe would fill, and block moto, while a caller waits on Terraform synchronously.
  const log = options.log ?? join(mkdtempSync(join(tmpdir(), 'moto-log-')), 'moto.log');
  const detached = options.detached === true;
  const args = [LAUNCHER, ...(detached ? ['--detached'] : []), ...(options.load === undefined ? [] : ['--load', options.load])];
  const child = spawn(pythonExecutable(), args, {
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
      const save = detached ? () => Promise.reject(new Error('a detached moto reads no commands')) : commandChannel(child, lines, log);
      resolve({ endpoint: `http://127.0.0.1:${port}`, port: Number(port), pid: child.pid!, stop: () => stopChild(child), save });
    });
    child.once('exit', (code) => reject(new Error(`moto exited with ${code} before listening; see ${log}`)));
    child.once('error', reject);
  });
}

/** `save <file>` on the launcher's stdin, answered by one line on its stdout; one command at a time. */
function commandChannel(child: ChildProcess, lines: Interface, log: string): (file: string) => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  const answers: ((line: string | undefined) => void)[] = [];
  lines.on('line', (line) => answers.shift()?.(line));
  lines.on('close', () => answers.splice(0).forEach((answer) => answer(undefined)));
  // A write after moto died fails here; the closed stdout above answers the waiting command.
  child.stdin!.on('error', () => undefined);
  const save = (file: string): Promise<void> =>
    new Promise((resolve, reject) => {
      answers.push((line) => {
        if (line === 'saved') resolve();
        else reject(new Error(line === undefined ? `moto exited before saving its state; see ${log}` : `moto could not save its state to ${file}: ${line}`));
      });
      child.stdin!.write(`save ${file}\n`);
    });
  return (file) => (last = last.catch(() => undefined).then(() => save(file)));
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
