import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface TerraformWorkspace {
  /** The stack's folder (`cdktf.out/stacks/<name>`). */
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface TerraformOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `terraform <args>` in the workspace; `onLine` sees stdout line by line (for `-json` streams). */
export function runTerraform(workspace: TerraformWorkspace, args: readonly string[], onLine?: (line: string) => void): Promise<TerraformOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd: workspace.dir, env: workspace.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: string[] = [];
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      out.push(line);
      onLine?.(line);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new TerraformError('terraform: not found on PATH; install Terraform 1.x (npm run setup) or put it on PATH') : error),
    );
    child.once('close', (code) => resolve({ code: code ?? 1, stdout: out.join('\n'), stderr }));
  });
}

/** Terraform could not run or refused a step; the message is one line, `details` holds its full output. */
export class TerraformError extends Error {
  constructor(
    message: string,
    readonly details = '',
  ) {
    super(message);
    this.name = 'TerraformError';
  }
}

/** Like runTerraform, but a failure is a TerraformError naming the step and Terraform's first error. */
export async function terraformOrThrow(workspace: TerraformWorkspace, args: readonly string[]): Promise<string> {
  const result = await runTerraform(workspace, args);
  if (result.code !== 0) {
    const output = `${result.stderr}\n${result.stdout.slice(-4000)}`;
    throw new TerraformError(`terraform ${args[0]} failed in ${workspace.dir}: ${firstTerraformError(output)}`, output);
  }
  return result.stdout;
}

/**
 * `Error: <summary>: <detail>` from Terraform's -no-color output, else its first line. The detail
 * is the diagnostic's first paragraph of text, its wrapped lines joined: not the `with`/`on` lines
 * nor the quoted source (`86:       }`).
 */
export function firstTerraformError(output: string): string {
  const lines = output.split('\n').map((l) => l.replace(/^[│╷╵\s]+/, '').trim());
  const at = lines.findIndex((l) => l.startsWith('Error: '));
  if (at === -1) return lines.find((l) => l !== '') ?? 'no output';
  const isText = (l: string) => l !== '' && !l.startsWith('on ') && !l.startsWith('with ') && !/^\d+:/.test(l) && !l.startsWith('Error: ');
  const from = lines.findIndex((l, i) => i > at && isText(l));
  if (from === -1) return lines[at];
  const to = lines.findIndex((l, i) => i > from && !isText(l));
  return `${lines[at]}: ${lines.slice(from, to === -1 ? undefined : to).join(' ')}`;
}
