import { Patch, patchYaml } from '../support/yaml-patch';
export type { Patch };
import { ClusterFileError } from '../../lib/model/problems';
import { parseClusterFile } from '../../lib/model/load';
import { ResolvedCluster } from '../../lib/model/defaults';

/** The file name every in-memory cluster file is reported under. */
export const FILE = 'test.yaml';

/** A small valid AWS cluster: two zones, one pool, every optional key left to its default. */
export const BASE_YAML = `
name: test
cloud: aws
aws:
  region: us-east-1
image: ami-0123456789abcdef0
sshKey:
  name: admin
network:
  zones: [us-east-1a, us-east-1b]
  adminCidrs: [198.51.100.0/24]
pools:
  builds:
    count: 2
`;

/** The base cluster file with `patch` deep-merged into it (see patchYaml). */
export function specYaml(patch: Patch = {}): string {
  return patchYaml(BASE_YAML, patch);
}

/** Parses a cluster file that must be valid. */
export function resolve(patch: Patch = {}): ResolvedCluster {
  return parseClusterFile(FILE, specYaml(patch));
}

/** The `<file>: <path>: <message>` lines of a cluster file's text; [] when it is valid. */
export function problemLines(text: string): string[] {
  try {
    parseClusterFile(FILE, text);
    return [];
  } catch (error) {
    if (!(error instanceof ClusterFileError)) throw error;
    return error.message.split('\n');
  }
}
