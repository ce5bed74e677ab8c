import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CommandError, runCommand } from './command-exit';
import { describeFsError, printable } from '../model';
import { folderUnusable, keepAndDown, SANDBOX_USAGE, usageProblem } from '../sandbox/messages';
import { missingTool, runSandbox } from '../sandbox/sandbox-run';
import { DEFAULT_SANDBOX_DIR } from '../sandbox/sandbox-layout';
import { lockSandbox } from '../sandbox/sandbox-lock';

/**
 * `npm run sandbox`: the example AWS cluster deployed to a local AWS emulator, a pull request's
 * view of a pool count change, then torn down (lib/sandbox/). Exit 2 on a bad command line.
 */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { keep: { type: 'boolean' }, down: { type: 'boolean' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    throw new CommandError(usageProblem((error as Error).message), 2);
  }
  if (values.help) {
    console.log(SANDBOX_USAGE);
    return 0;
  }
  if (values.keep && values.down) throw new CommandError(keepAndDown(), 2);
  if (values.dir === '') throw new CommandError(usageProblem('--dir needs a folder'), 2);
  const dir = values.dir === undefined ? DEFAULT_SANDBOX_DIR : resolve(values.dir);
  const unusable = folderProblem(dir);
  if (unusable !== undefined) throw new CommandError(folderUnusable(printable(dir), unusable), 1);
  const mode = values.keep ? 'keep' : values.down ? 'down' : 'run';
  const missing = missingTool(mode);
  if (missing !== undefined) throw new CommandError(missing, 1);
  let unlock;
  try {
    unlock = lockSandbox(dir);
  } catch (error) {
    throw new CommandError(`sandbox: ${(error as Error).message}`, 1);
  }
  try {
    await runSandbox({ dir, mode, env: process.env, say: (line) => console.log(line), progress: (line) => console.error(line) });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').slice(0, 20).join('\n') : String(error);
    throw new CommandError(`sandbox: ${message}\nWhat the run made is left in ${dir}; npm run sandbox -- --down${values.dir === undefined ? '' : ` --dir ${dir}`} clears it.`, 1);
  } finally {
    unlock();
  }
  return 0;
}

/** Why `dir` cannot hold a sandbox, or undefined: it is a folder, or can become one. */
function folderProblem(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    return undefined;
  } catch (error) {
    return describeFsError(error);
  }
}

runCommand('sandbox', main);
