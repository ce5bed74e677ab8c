import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto } from '../emulator/moto-server';
import { answers, EmulatorRecord, isLauncher, readRecord, removeRecord, stopRecordedEmulator, writeRecord } from './emulator-record';
import { SandboxLayout } from './sandbox-layout';

/** The emulator a sandbox run talks to, and whether an earlier run had left it. */
export interface SandboxEmulator {
  readonly record: EmulatorRecord;
  readonly reused: boolean;
}

/** The state an earlier run's apply left in the workspace. */
export function hasState(layout: SandboxLayout): boolean {
  return existsSync(join(layout.workspace, 'terraform.tfstate'));
}

/** The emulator an earlier run left, when it still runs, answers, and its workspace holds state. */
export async function liveEmulator(layout: SandboxLayout): Promise<EmulatorRecord | undefined> {
  const left = readRecord(layout.record);
  if (left === undefined || !isLauncher(left.pid) || !hasState(layout)) return undefined;
  return (await answers(left.endpoint)) ? left : undefined;
}

/**
 * What an earlier run left (`--keep`, or a run that was interrupted), when it is whole; otherwise
 * undefined, with the leftovers cleared (the synthesized stacks among them), so that a new
 * emulator ({@link startEmulator}) and new syntheses can start side by side.
 */
export async function reusableEmulator(layout: SandboxLayout, say: (line: string) => void): Promise<SandboxEmulator | undefined> {
  const live = await liveEmulator(layout);
  if (live !== undefined) {
    say(`reusing what an earlier run left: the emulator (pid ${live.pid}) at ${live.endpoint} and the state in ${layout.workspace}`);
    return { record: live, reused: true };
  }
  if (existsSync(layout.record) || existsSync(layout.workspace)) {
    say(`clearing what an earlier run left in ${layout.root} (its emulator is gone or holds no state)`);
    await clearSandbox(layout);
  }
  return undefined;
}

/** A new emulator, detached, so that it outlives this process when it is kept, and a later run finds it by its record. */
export async function startEmulator(layout: SandboxLayout, say: (line: string) => void): Promise<SandboxEmulator> {
  const moto = await startMoto({ log: layout.motoLog, detached: true });
  const record = { pid: moto.pid, port: moto.port, endpoint: moto.endpoint };
  writeRecord(layout.record, record);
  say(`started the emulator (moto, pid ${record.pid}) at ${record.endpoint}; its log: ${layout.motoLog}`);
  return { record, reused: false };
}

/**
 * Stops the recorded emulator (only if that process is still the launcher) and removes all a run
 * made but the plugin cache, which spares the next run fetching the provider again.
 */
export async function clearSandbox(layout: SandboxLayout): Promise<void> {
  const record = readRecord(layout.record);
  if (record !== undefined) await stopRecordedEmulator(record);
  for (const path of [layout.workspace, layout.synth, layout.summary, layout.terraformConfig, layout.motoLog]) rmSync(path, { recursive: true, force: true });
  removeRecord(layout.record);
}
