import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import schema from '../../clusters/cluster.schema.json';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { ClusterFileError, joinPath, parseClusterFile, ResolvedCluster } from '../../lib/model';
import { decodeUserData } from '../../lib/aws/user-data';
import { unescapeTerraformTemplate } from '../../lib/terraform/escape';

/** What Terraform would evaluate if it reached a configuration unescaped: a file read, a directive, a line break. */
export const PAYLOADS = ['${file("/etc/hostname")}', '%{ if true }x%{ endif }', 'a\nb'];

export type Segment = string | number;
export interface Slot {
  readonly segments: readonly Segment[];
  /** A value, or the key of a mapping whose keys the file chooses (`tags`, `pools`, `attributes`). */
  readonly kind: 'value' | 'key';
}

/** An existing entry of the example under each mapping whose keys the file chooses. */
const EXAMPLE_KEY: Record<string, string> = { pools: 'jenkins-masters', tags: 'team', attributes: 'rack' };

/** Every place of the JSON Schema where a cluster file puts a string. */
export function stringSlots(node: any, segments: Segment[] = [], out = new Map<string, Slot>()): Slot[] {
  if (node.$ref) node = schema.definitions[node.$ref.replace('#/definitions/', '') as keyof typeof schema.definitions];
  const types = [node.type ?? []].flat();
  const stringEnum = [node.enum ?? [], node.const ?? []].flat().some((v: unknown) => typeof v === 'string');
  if (types.includes('string') || stringEnum) out.set(JSON.stringify(segments), { segments, kind: 'value' });
  for (const [key, child] of Object.entries<any>({ ...node.properties, ...node.then?.properties })) stringSlots(child, [...segments, key], out);
  if (typeof node.additionalProperties === 'object') {
    const parent = String(segments[segments.length - 1]);
    out.set(JSON.stringify([...segments, '(key)']), { segments, kind: 'key' });
    stringSlots(node.additionalProperties, [...segments, EXAMPLE_KEY[parent] ?? parent], out);
  }
  if (node.items) stringSlots(node.items, [...segments, 0], out);
  return [...out.values()];
}

/** The example with `payload` in the slot; returns the file and the path a refusal must name. */
export function hostileFile(example: () => any, slot: Slot, payload: string): { text: string; path: string } {
  const data = example();
  let parent = data;
  for (const segment of slot.segments.slice(0, -1)) parent = parent[segment] ??= {};
  const last = slot.segments[slot.segments.length - 1];
  if (slot.kind === 'key') {
    const map = parent[last];
    const key = `k${payload}`;
    map[key] = map[Object.keys(map)[0]];
    return { text: stringify(data), path: joinPath(...slot.segments, key) };
  }
  const given = parent[last];
  parent[last] = typeof given === 'string' ? `${given}${payload}` : payload;
  return { text: stringify(data), path: joinPath(...slot.segments) };
}

/**
 * Every string (and key) of the synthesized JSON as Terraform reads it, and as Terraform turns it
 * into a value; gzip+base64 user-data (lib/aws/user-data.ts), which Terraform passes on unread, decoded.
 */
export function terraformStrings(json: unknown): { raw: string[]; literal: string[] } {
  const raw: string[] = [];
  const decoded: string[] = [];
  const walk = (value: unknown, key?: string): void => {
    if (typeof value === 'string') {
      raw.push(value);
      if ((key === 'user_data' || key === 'user_data_base64') && !value.startsWith('#')) decoded.push(decodeUserData(value));
    } else if (Array.isArray(value)) value.forEach((v) => walk(v));
    else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) (raw.push(k), walk(v, k));
  };
  walk(json);
  return { raw, literal: [...raw.map(unescapeTerraformTemplate), ...decoded] };
}

/** An unescaped `${` or `%{` that is not one of the stack's own references (`${aws_vpc.network_vpc.id}`). */
export const INTERPOLATED_PAYLOAD = /(^|[^$])\$\{file\(|(^|[^%])%\{ if/;


/**
 * Every payload in every slot: each is refused with one `hostile.yaml: ` line at its field (or at
 * a section refused whole), or parses and reaches the JSON `synth` writes literally, never
 * unescaped. Returns the fields whose payload was accepted but reached no string of the JSON.
 */
export function assertHostileStringsHandled(example: () => any, slots: readonly Slot[], synth: (cluster: ResolvedCluster) => unknown): string[] {
  const accepted: string[] = [];
  for (const slot of slots) {
    for (const payload of PAYLOADS) {
      const { text, path } = hostileFile(example, slot, payload);
      let cluster: ResolvedCluster;
      try {
        cluster = parseClusterFile('hostile.yaml', text, CLOUD_RULES);
      } catch (error) {
        assert.ok(error instanceof ClusterFileError, `${path} ${JSON.stringify(payload)}: ${String(error)}`);
        // At the field, or at a section refused whole (another cloud's section).
        const named = error.problems.some((p) => p.path === path || path.startsWith(`${p.path}.`));
        assert.ok(named, `${path} ${JSON.stringify(payload)} refused elsewhere:\n${error.message}`);
        assert.ok(error.message.split('\n').every((line) => line.startsWith('hostile.yaml: ')), error.message);
        continue;
      }
      const { raw, literal } = terraformStrings(synth(cluster));
      assert.ok(!raw.some((s) => INTERPOLATED_PAYLOAD.test(s)), `${path}: ${JSON.stringify(payload)} reaches Terraform unescaped`);
      if (!literal.some((s) => s.includes(payload))) accepted.push(path);
    }
  }
  return [...new Set(accepted)];
}
