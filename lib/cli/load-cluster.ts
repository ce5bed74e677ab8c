/**
 * How every command gets its cluster: from a cluster file, loaded with every built cloud's rules
 * and turned into the topology. A file with problems ends the command through a CommandError, so
 * each command prints the problems the same way and exits with the same code.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  buildTopology,
  ClusterFileError,
  ClusterFilesError,
  ClusterTopology,
  DeployabilityCheck,
  listClusterFiles,
  loadClusterFile,
  loadClusterFiles,
  ResolvedCluster,
} from '../model';
import { CLOUD_RULES } from './cloud-registry';
import { CommandError } from './command-exit';

/** The folder of cluster files: `$CLUSTERS_DIR`, else `clusters/` of the current folder. */
export function clustersDir(): string {
  return resolve(process.env.CLUSTERS_DIR ?? 'clusters');
}

/** The cluster of one file with its topology; a file with problems prints them and exits `exitCode`. */
export function loadClusterTopology(file: string, exitCode = 1): ClusterTopology {
  try {
    return buildTopology(loadClusterFile(file, CLOUD_RULES));
  } catch (error) {
    if (!(error instanceof ClusterFileError)) throw error;
    throw new CommandError(error.message, exitCode);
  }
}

/**
 * Every cluster of `files`, each also held against `check`. With a problem in any file, every
 * problem of every file is printed, then their count and `nothingDone` (what the command did not
 * do because of them), and the command exits 1.
 */
export function loadClustersOrExit(files: readonly string[], check: DeployabilityCheck, nothingDone: string): ResolvedCluster[] {
  try {
    return loadClusterFiles(files, CLOUD_RULES, check);
  } catch (error) {
    if (!(error instanceof ClusterFilesError)) throw error;
    const count = error.errors.reduce((n, e) => n + e.problems.length, 0);
    throw new CommandError(`${error.message}\n${count} problem(s) in ${error.errors.length} cluster file(s); ${nothingDone}`);
  }
}

/** No cluster file answers to the name a command was given. */
export class ClusterNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterNotFoundError';
  }
}

/**
 * A cluster named on the command line: a file path, `<clusters dir>/<name>.yaml`, or the `name`
 * inside one of the files there (files with problems are passed over in that search). Throws a
 * ClusterFileError when the file found has problems, a ClusterNotFoundError when none is found.
 */
export function findCluster(arg: string, dir: string = clustersDir()): ResolvedCluster {
  if (existsSync(arg)) return loadClusterFile(arg, CLOUD_RULES);
  const byFileName = join(dir, `${arg}.yaml`);
  if (existsSync(byFileName)) return loadClusterFile(byFileName, CLOUD_RULES);
  const files = existsSync(dir) ? listClusterFiles(dir) : [];
  for (const file of files) {
    try {
      const cluster = loadClusterFile(file, CLOUD_RULES);
      if (cluster.name === arg) return cluster;
    } catch (error) {
      if (!(error instanceof ClusterFileError)) throw error;
    }
  }
  throw new ClusterNotFoundError(`no cluster file for "${arg}": not a file, not ${byFileName}, and no file in ${dir} names a cluster "${arg}"`);
}
