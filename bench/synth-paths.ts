import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How one synth path runs on a folder of cluster files, writing into `outdir`. */
export interface SynthPath {
  readonly name: string;
  readonly argv: (outdir: string) => string[];
  /** Whether the bench runs it on the scale scenarios only (it is slow and not a target). */
  readonly scaleRowsOnly?: boolean;
}

/** The project's `cdktf.json` app command, run by a shell as the cdktf CLI runs it. */
export function cdktfJsonApp(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')) as { app: string }).app;
}

/** The paths operators use, each a whole process started from the repository's root. */
export function synthPaths(root: string): SynthPath[] {
  return [
    { name: 'npm run synth', argv: () => ['npm', 'run', '--silent', 'synth'] },
    { name: 'cdktf.json app', argv: () => ['sh', '-c', cdktfJsonApp(root)] },
    { name: 'npx cdktf synth', argv: (outdir) => ['npx', '--no-install', 'cdktf', 'synth', '--output', outdir], scaleRowsOnly: true },
  ];
}

/**
 * The floor: Node loading `cdktf`, `constructs` and exactly the provider modules the project
 * imports (found in its sources, so a new resource type or cloud joins the floor by itself).
 */
export function floorArgv(root: string): string[] {
  const modules = [...new Set(['cdktf', 'constructs', ...providerModules(root)])].sort();
  return ['node', '-e', modules.map((m) => `require(${JSON.stringify(m)});`).join('')];
}

/** Provider modules imported anywhere under lib/ or by main.ts, e.g. `@cdktf/provider-aws/lib/vpc`. */
export function providerModules(root: string): string[] {
  const found = new Set<string>();
  for (const file of [join(root, 'main.ts'), ...typeScriptFiles(join(root, 'lib'))]) {
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(@cdktf\/provider-[^']+)'/g)) found.add(match[1]);
  }
  return [...found].sort();
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typeScriptFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}
