import { spawnSync } from 'node:child_process';
import { isAbsolute } from 'node:path';

/**
 * The Python that runs moto and the AWS CLI, found once per process.
 *
 * `python3` and `aws` on PATH may be wrappers that pick an interpreter at each start (pyenv's bash
 * shims: about half a CPU-second each, more than the interpreter's own start). One start through
 * the wrapper reports the interpreter itself, the AWS CLI beside it, and what the emulator needs
 * (found, not imported), so every later start skips the wrapper. Where `python3` is a plain
 * interpreter the answer is that interpreter: nothing changes.
 */

/** The command asked: `$PYTHON`, else `python3` on PATH. */
export const PYTHON_COMMAND = process.env.PYTHON ?? 'python3';

/**
 * The packages moto's server needs (the `server` extra). Found, not imported: importing moto's
 * server and EC2 costs 3 to 4 CPU-s (the launcher's own start reports a broken install).
 */
const MOTO_SERVER_MODULES = ['moto', 'flask', 'flask_cors', 'werkzeug', 'boto3'];

export interface PythonFacts {
  /** The interpreter to start: the real executable, or the command asked when it could not say. */
  readonly executable: string;
  /** The AWS CLI's entry as the wrapper would run it, or undefined when there is none. */
  readonly awsCli: string | undefined;
  /** moto's server packages that are missing (all of them when Python did not start). */
  readonly missingMotoModules: readonly string[];
  /** The installed moto's version, or undefined. */
  readonly motoVersion: string | undefined;
}

/**
 * Asked of the wrapper: `sys.executable`; the `aws` on PATH, unless it is a shell script (a
 * wrapper) and the interpreter's own folder has one (a wrapper's PATH puts that folder first).
 */
const PROBE = `
import importlib.util, json, os, shutil, sys
def aws_cli():
    found = shutil.which("aws")
    beside = os.path.join(os.path.dirname(sys.executable), "aws")
    if found is not None:
        try:
            with open(found, "rb") as entry:
                first = entry.readline()
        except OSError:
            return found
        if not (first.startswith(b"#!") and b"sh" in first and b"python" not in first):
            return found
    return beside if os.access(beside, os.X_OK) else found
missing = [m for m in ${JSON.stringify(MOTO_SERVER_MODULES)} if importlib.util.find_spec(m) is None]
try:
    from importlib.metadata import version
    moto = version("moto")
except Exception:
    moto = None
print(json.dumps({"executable": sys.executable, "awsCli": aws_cli(), "missing": missing, "moto": moto}))
`;

let known: PythonFacts | undefined;

/** The facts, from one Python start in this process. */
export function pythonFacts(): PythonFacts {
  known ??= askPython(PYTHON_COMMAND, process.env);
  return known;
}

/** The interpreter to spawn instead of `python3`: `$PYTHON` as it is when it is a path (the test runner sets it), else asked. */
export function pythonExecutable(): string {
  return isAbsolute(PYTHON_COMMAND) ? PYTHON_COMMAND : pythonFacts().executable;
}

/** Starts `command` (found on `env`'s PATH) once and reads the facts from it. */
export function askPython(command: string, env: NodeJS.ProcessEnv): PythonFacts {
  const probe = spawnSync(command, ['-c', PROBE], { encoding: 'utf8', env });
  const unanswered: PythonFacts = { executable: command, awsCli: undefined, missingMotoModules: MOTO_SERVER_MODULES, motoVersion: undefined };
  if (probe.error !== undefined || probe.status !== 0) return unanswered;
  try {
    const answer = JSON.parse(probe.stdout);
    return { executable: answer.executable || command, awsCli: answer.awsCli ?? undefined, missingMotoModules: answer.missing, motoVersion: answer.moto ?? undefined };
  } catch {
    return unanswered;
  }
}
