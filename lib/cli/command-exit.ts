/**
 * The one way a command ends. It never calls process.exit(): writes to a pipe (CI logs, `| tee`,
 * `| less`) are asynchronous in Node, and process.exit() drops whatever the reader has not taken
 * yet (everything past the pipe's 64 KiB). Setting process.exitCode and returning lets Node
 * deliver every byte and then exit with that code.
 */

/** A problem that stops a command: its message is printed alone, the process exits with `exitCode`. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** An error the command did not expect, as one line (the stack only with MESOS_CLUSTER_DEBUG=1). */
export function unexpectedErrorLine(command: string, error: unknown): string {
  if (process.env.MESOS_CLUSTER_DEBUG === '1' && error instanceof Error && error.stack !== undefined) return `${command}: ${error.stack}`;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${command}: unexpected error: ${message.split('\n')[0]} (MESOS_CLUSTER_DEBUG=1 shows where)`;
}

/**
 * Runs a command's main and sets the exit code from what it returns or throws (a CommandError's code, `unexpectedExitCode` for anything else). A synchronous
 * main runs at once, so whatever follows the call sees its work done.
 */
export function runCommand(command: string, main: () => number | Promise<number>, unexpectedExitCode = 1): void {
  const fail = (error: unknown) => {
    process.stderr.write(`${error instanceof CommandError ? error.message : unexpectedErrorLine(command, error)}\n`);
    process.exitCode = error instanceof CommandError ? error.exitCode : unexpectedExitCode;
  };
  let result;
  try {
    result = main();
  } catch (error) {
    fail(error);
    return;
  }
  if (result instanceof Promise) result.then((code) => (process.exitCode = code), fail);
  else process.exitCode = result;
}
