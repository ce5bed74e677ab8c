import { buildSync } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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
 * Bindings generated into the project (e.g. lib/openstack/generated/) are TypeScript: they are
 * compiled to JavaScript under dist/ first (where `cdktf` resolves), as the packages' already are.
 */
export function floorArgv(root: string): string[] {
  const { packages, generated } = providerModules(root);
  const compiled = generated.length === 0 ? [] : compileBindings(root, generated, join(root, 'dist', 'bench-floor'));
  const modules = [...new Set(['cdktf', 'constructs', ...packages])].sort();
  return ['node', '-e', [...modules, ...compiled].map((m) => `require(${JSON.stringify(m)});`).join('')];
}

/**
 * Provider modules imported anywhere under lib/ or by main.ts: package paths such as
 * `@cdktf/provider-aws/lib/vpc`, and generated bindings in the project (absolute paths, no extension).
 */
export function providerModules(root: string): { packages: string[]; generated: string[] } {
  const packages = new Set<string>();
  const generated = new Set<string>();
  for (const file of [join(root, 'main.ts'), ...typeScriptFiles(join(root, 'lib'))]) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
      if (specifier.startsWith('@cdktf/provider-')) packages.add(specifier);
      else if (specifier.startsWith('.') && specifier.includes('/generated/providers/')) generated.add(resolve(dirname(file), specifier));
    }
  }
  return { packages: [...packages].sort(), generated: [...generated].sort() };
}

/** Each generated binding compiled on its own, its packages left to node_modules. */
function compileBindings(root: string, sources: readonly string[], outdir: string): string[] {
  const entryPoints = sources.map((source) => [`${source}.ts`, join(source, 'index.ts')].find((f) => existsSync(f)) ?? `${source}.ts`);
  buildSync({ absWorkingDir: root, entryPoints, outdir, outbase: root, bundle: true, packages: 'external', platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  return entryPoints.map((entry) => join(outdir, relative(root, entry)).replace(/\.ts$/, '.js'));
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typeScriptFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}
