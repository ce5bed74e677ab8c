import assert from 'node:assert/strict';
import { Patch, patchYaml } from '../support/yaml-patch';
export type { Patch };
import { ClusterFileError } from '../../lib/model/problems';
import { parseClusterFile } from '../../lib/model/load';
import { ResolvedCluster } from '../../lib/model/defaults';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';

/** The file name every in-memory cluster file is reported under. */
export const FILE = 'test.yaml';

/** A small valid AWS cluster: two zones, one pool, every optional key left to its default. */
export const BASE_YAML = `
name: test
cloud: aws
aws:
  region: us-east-1
  certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
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
  return parseClusterFile(FILE, specYaml(patch), CLOUD_RULES);
}

/** The `<file>: <path>: <message>` lines of a cluster file's text; [] when it is valid. */
export function problemLines(text: string): string[] {
  try {
    parseClusterFile(FILE, text, CLOUD_RULES);
    return [];
  } catch (error) {
    if (!(error instanceof ClusterFileError)) throw error;
    return error.message.split('\n');
  }
}

/** Asserts the file has exactly one problem, at `path`, whose message contains every word. */
export function onlyProblem(patch: Patch | string, path: string, ...words: string[]): string {
  const lines = problemLines(typeof patch === 'string' ? patch : specYaml(patch));
  assert.equal(lines.length, 1, `expected one problem at ${path}, got:\n${lines.join('\n')}`);
  return hasProblem(lines, path, ...words);
}

/** Asserts one of `lines` is `<file>: <path>: <message>` with every word in the message. */
export function hasProblem(lines: readonly string[], path: string, ...words: string[]): string {
  const prefix = `${FILE}: ${path}: `;
  const line = lines.find((l) => l.startsWith(prefix) && words.every((w) => l.slice(prefix.length).includes(w)));
  assert.ok(line, `no line "${prefix}..." containing ${JSON.stringify(words)} in:\n${lines.join('\n')}`);
  return line;
}

/** Asserts the patched base file has no problem. */
export function valid(patch: Patch): void {
  assert.deepEqual(problemLines(specYaml(patch)), []);
}
