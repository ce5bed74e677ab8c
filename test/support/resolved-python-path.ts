/**
 * A PATH on which `python3` and `aws` are the interpreter and AWS CLI that the wrappers on PATH
 * would start (lib/emulator/python-interpreter.ts), so that a script under test that calls them
 * skips the wrapper (pyenv's shims: about half a CPU-second a start). Where nothing was resolved
 * (no Python) the PATH is returned as it is.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pythonFacts } from '../../lib/emulator/python-interpreter';

let folder: string | undefined | null;

/** `path` with a folder of links to the resolved `python3` and `aws` first. */
export function pathWithResolvedPython(path: string = process.env.PATH ?? '/usr/bin:/bin'): string {
  folder ??= linkFolder();
  return folder === null ? path : `${folder}:${path}`;
}

function linkFolder(): string | null {
  const { executable, awsCli } = pythonFacts();
  if (!isAbsolute(executable) && awsCli === undefined) return null;
  const made = mkdtempSync(join(tmpdir(), 'mesos-cluster-python-'));
  process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  if (isAbsolute(executable)) symlinkSync(executable, join(made, 'python3'));
  if (awsCli !== undefined) symlinkSync(awsCli, join(made, 'aws'));
  return made;
}
