import { spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

// Plain JavaScript, shared with the command line (`node scripts/entry-bundle.js <entry.ts>`).
const { freshEntryBundle } = require('../../scripts/entry-bundle.js') as { freshEntryBundle(entry: string): string };

const ROOT = join(__dirname, '..', '..');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const checked = new Map<string, string>();

/**
 * The bundle of a TypeScript entry (`lib/cli/render.ts`, absolute or from the repository root):
 * its own code and what it imports in one JavaScript file, built again whenever a source of it
 * changed (scripts/entry-bundle.js, docs/test-lanes.md). Node runs it in about a third of the CPU
 * that tsx needs for the same entry. Checked once per test process: the sources stay put while
 * tests run.
 */
export function entryBundle(script: string): string {
  const entry = isAbsolute(script) ? script : join(ROOT, script);
  let bundle = checked.get(entry);
  if (bundle === undefined) {
    bundle = freshEntryBundle(entry);
    checked.set(entry, bundle);
  }
  return bundle;
}

/**
 * A TypeScript command-line entry run as its bundle (entryBundle), asynchronously, so that two
 * may run side by side and a long one does not block the test process.
 */
export function runTsCli(script: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entryBundle(script), ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
