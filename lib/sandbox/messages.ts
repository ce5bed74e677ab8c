/** The sandbox's messages to the user, each naming what went wrong and what to do. */

export const SANDBOX_USAGE = 'usage: npm run sandbox -- [--keep | --down] [--dir <folder>] (default folder .sandbox)';

/** A bad command line, on one line: what was wrong, then the usage. */
export function usageProblem(problem: string): string {
  return `sandbox: ${problem.replace(/\.$/, '')}; ${SANDBOX_USAGE}`;
}

export function motoMissing(reason: string): string {
  return `sandbox: ${reason}; the sandbox runs AWS's API emulator, moto, on this machine`;
}

export function terraformMissing(): string {
  return 'sandbox: terraform is not on PATH; install Terraform 1.x (npm run setup names how) and run again';
}

export function countNotFound(pool: string): string {
  return `the example cluster has no number at pools.${pool}.count to change`;
}

export function synthFailed(file: string, output: string): string {
  return `synthesizing ${file} failed:\n${output.trim()}`;
}

export function keepAndDown(): string {
  return usageProblem('--keep and --down exclude each other');
}

export function folderUnusable(dir: string, reason: string): string {
  return `sandbox: ${dir}: cannot be used as the sandbox folder (${reason}); name another with --dir`;
}

export function folderInUse(dir: string, pid: number | undefined): string {
  return `${dir} is in use by another sandbox run${pid === undefined ? '' : ` (pid ${pid})`}; wait for it to end, or give another folder with --dir`;
}

/** An apply Terraform refused before the emulator was asked anything: retrying cannot help. */
export function applyRefused(failure: string): string {
  return `${failure} (a configuration error, not an emulator fault: not retried)`;
}

/** The apply after a recovery failed too; the run stops there, leaving the workspace to look at. */
export function applyFailedAfterRecovery(workspace: string, imported: number, firstError: string): string {
  return `terraform apply failed again in ${workspace} after importing ${imported} resource(s) the emulator held: ${firstError}`;
}
