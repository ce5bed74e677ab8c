import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import { REPOSITORY_ROOT } from './sandbox-layout';
import { countNotFound, synthFailed } from './messages';

/** The cluster the sandbox deploys: the shipped AWS example, unchanged. */
export const EXAMPLE_CLUSTER_FILE = join(REPOSITORY_ROOT, 'clusters', 'ci-aws.yaml');

/** A pool count change as a pull request makes it: one number in the cluster file. */
export interface CountChange {
  readonly pool: string;
  readonly from: number;
  readonly to: number;
  /** The cluster file with that one number changed and every other byte kept. */
  readonly text: string;
}

/** `text` with `pools.<pool>.count` raised by `by`, edited in place so the diff is that line alone. */
export function growPool(text: string, pool: string, by: number): CountChange {
  const node = parseDocument(text).getIn(['pools', pool, 'count'], true);
  if (!isScalar(node) || typeof node.value !== 'number' || node.range === undefined || node.range === null) throw new Error(countNotFound(pool));
  const [start, end] = node.range;
  const from = node.value;
  const to = from + by;
  return { pool, from, to, text: `${text.slice(0, start)}${to}${text.slice(end)}` };
}

/** The cluster's name as its file gives it (the stack's name). */
export function clusterName(text: string): string {
  return String(parseDocument(text).get('name'));
}

/**
 * Synthesizes one cluster file with the project's own synth (`scripts/app.js`: validation and
 * policy rules included) into `dir`; returns the stack's folder.
 */
export async function synthesize(text: string, fileName: string, dir: string): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  const clusters = join(dir, 'clusters');
  mkdirSync(clusters, { recursive: true });
  writeFileSync(join(clusters, basename(fileName)), text);
  const outdir = join(dir, 'cdktf.out');
  const env = { ...process.env, CLUSTERS_DIR: clusters, CDKTF_OUTDIR: outdir };
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(REPOSITORY_ROOT, 'scripts', 'app.js')], { cwd: REPOSITORY_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(synthFailed(fileName, `${stdout}${stderr}`))) : resolve(),
    ),
  );
  return join(outdir, 'stacks', clusterName(text));
}
