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
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout: out.join('\n'), stderr }));
  });
}

/** Like runTerraform, but a failure is an error carrying Terraform's own words. */
export async function terraformOrThrow(workspace: TerraformWorkspace, args: readonly string[]): Promise<string> {
  const result = await runTerraform(workspace, args);
  if (result.code !== 0) throw new Error(`terraform ${args[0]} failed in ${workspace.dir}:\n${result.stderr}${result.stdout.slice(-4000)}`);
  return result.stdout;
}
