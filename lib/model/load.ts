import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CloudRulesByCloud } from './cloud-rules';
import { resolveDefaults, ResolvedCluster } from './defaults';
import { messages } from './messages';
import { ClusterFileError, FILE_PATH, Problem } from './problems';
import { parseClusterYaml } from './parse-yaml';
import { readClusterFile } from './read-cluster-file';
import { checkSchema } from './schema-check';
import { ClusterSpec } from './spec';
import { validateCluster } from './validate';

/**
 * Parses and validates one cluster file's text against the model and its cloud's rules (`clouds`).
 * Returns the resolved cluster, or throws a {@link ClusterFileError} listing every problem in the file.
 */
export function parseClusterFile(file: string, text: string, clouds: CloudRulesByCloud): ResolvedCluster {
  const parsed = parseClusterYaml(text);
  if ('problems' in parsed) throw new ClusterFileError(file, parsed.problems);
  const data = parsed.data;
  const problems = checkSchema(data);
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    problems.push(...validateCluster(data as ClusterSpec, clouds));
  }
  if (problems.length > 0) throw new ClusterFileError(file, dedupe(problems));
  const spec = data as ClusterSpec;
  return resolveDefaults(spec, clouds[spec.cloud]!);
}

/** Reads (see {@link readClusterFile}) and parses one cluster file; throws a {@link ClusterFileError}. */
export function loadClusterFile(file: string, clouds: CloudRulesByCloud): ResolvedCluster {
  const read = readClusterFile(file);
  if ('problem' in read) throw new ClusterFileError(file, [{ path: FILE_PATH, message: read.problem }]);
  return parseClusterFile(file, read.text, clouds);
}

/** Cluster files in a folder: `*.yaml` and `*.yml`, sorted by name. */
export function listClusterFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Checks a valid cluster against what its cloud can deploy (e.g. user-data size limits). */
export type DeployabilityCheck = (cluster: ResolvedCluster) => Problem[];

/**
 * Loads every cluster file, collecting the problems of all of them before failing, and
 * refuses two files with the same cluster name (they would write the same stack). `check`
 * runs on every file that is valid on its own, and its problems are reported the same way.
 */
export function loadClusterFiles(files: readonly string[], clouds: CloudRulesByCloud, check: DeployabilityCheck = () => []): ResolvedCluster[] {
  const errors: ClusterFileError[] = [];
  const clusters: ResolvedCluster[] = [];
  const owners = new Map<string, string>();
  for (const file of files) {
    try {
      const cluster = loadClusterFile(file, clouds);
      const other = owners.get(cluster.name);
      if (other !== undefined) {
        errors.push(new ClusterFileError(file, [{ path: 'name', message: messages.duplicateClusterName(cluster.name, basename(other)) }]));
        continue;
      }
      owners.set(cluster.name, file);
      const problems = check(cluster);
      if (problems.length > 0) throw new ClusterFileError(file, problems);
      clusters.push(cluster);
    } catch (error) {
      if (!(error instanceof ClusterFileError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new ClusterFilesError(errors);
  return clusters;
}

/** Problems from several files at once. */
export class ClusterFilesError extends Error {
  constructor(readonly errors: readonly ClusterFileError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ClusterFilesError';
  }
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
