import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Blocks = Record<string, Record<string, Record<string, unknown>>>;
interface StackJson {
  resource?: Blocks;
  data?: Blocks;
  output?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Every `type.name` (or `data.type.name`) a block's strings refer to that the stack defines. */
function references(block: unknown, config: StackJson): { kind: 'resource' | 'data'; type: string; name: string }[] {
  const text = JSON.stringify(block);
  const found: { kind: 'resource' | 'data'; type: string; name: string }[] = [];
  for (const match of text.matchAll(/\b(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)) {
    const kind = match[1] ? 'data' : 'resource';
    if (config[kind] && (config[kind] as Blocks)[match[2]]?.[match[3]] !== undefined) found.push({ kind, type: match[2], name: match[3] });
  }
  return found;
}

/**
 * A synthesized stack cut down to the resources `keep` picks and everything they refer to,
 * transitively, with no outputs: the same blocks as synthesized, fewer of them, so that a test
 * that needs a few applies of real resources (instances, security groups and their rules) does
 * not wait for the whole cluster. Returns the new stack's folder.
 */
export function cutDownStack(stackDir: string, keep: (type: string, name: string, block: Record<string, unknown>) => boolean): string {
  const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
  const kept: Record<'resource' | 'data', Blocks> = { resource: {}, data: {} };
  const queue: { kind: 'resource' | 'data'; type: string; name: string }[] = [];
  for (const [type, blocks] of Object.entries(config.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) if (keep(type, name, block)) queue.push({ kind: 'resource', type, name });
  }
  while (queue.length > 0) {
    const { kind, type, name } = queue.pop()!;
    if (kept[kind][type]?.[name] !== undefined) continue;
    const block = (config[kind] as Blocks)[type][name];
    (kept[kind][type] ??= {})[name] = block;
    queue.push(...references(block, config));
  }
  const { output: _outputs, resource: _resources, data: _data, ...rest } = config;
  const dir = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-cut-down-')), 'stack');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ ...rest, resource: kept.resource, ...(Object.keys(kept.data).length > 0 ? { data: kept.data } : {}) }, null, 2));
  return dir;
}
