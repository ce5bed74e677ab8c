import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomically } from '../write-atomically';

/** What a sandbox run writes about the emulator it started, for a later run to find it. */
export interface EmulatorRecord {
  readonly pid: number;
  readonly port: number;
  readonly endpoint: string;
}

/** The launcher's script name, looked for in a process's command line before it is signalled. */
const LAUNCHER_NAME = 'launch-moto.py';

export function writeRecord(file: string, record: EmulatorRecord): void {
  writeFileAtomically(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** The record left in `file`, or undefined when there is none or it is not one (then it is stale). */
export function readRecord(file: string): EmulatorRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const { pid, port, endpoint } = JSON.parse(readFileSync(file, 'utf8'));
    if (!Number.isSafeInteger(pid) || pid <= 1 || !Number.isSafeInteger(port) || port <= 0 || port > 65535) return undefined;
    if (endpoint !== `http://127.0.0.1:${port}`) return undefined;
    return { pid, port, endpoint };
  } catch {
    return undefined;
  }
}

export function removeRecord(file: string): void {
  rmSync(file, { force: true });
}

/**
 * True when `pid` is alive and is the moto launcher: a process id is reused after a reboot, and
 * a sandbox must never signal a process it did not start. Without /proc the command line cannot
 * be read, and no process is taken for the launcher.
 */
export function isLauncher(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg.endsWith(LAUNCHER_NAME));
  } catch {
    return false;
  }
}

/** True when something answers HTTP at the endpoint within a few seconds. */
export async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

/** Ends the launcher the record names (SIGTERM; SIGKILL if it lingers) and waits until it is gone. */
export async function stopRecordedEmulator(record: EmulatorRecord): Promise<void> {
  if (!isLauncher(record.pid)) return;
  signal(record.pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (isLauncher(record.pid)) {
    if (Date.now() > deadline) {
      signal(record.pid, 'SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // Gone between the look and the signal: that is what was wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
