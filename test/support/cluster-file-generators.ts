import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { load } from 'js-yaml';
import schema from '../../clusters/cluster.schema.json';

/**
 * Cluster files generated from the schema and from mutations of the shipped examples, shared by
 * the pure property test (test/model/cluster-file-property.test.ts) and the one that sends a
 * sample of what synthesizes through `terraform validate` (test/aws/generated-files-validate.test.ts).
 */
const ROOT = join(__dirname, '..', '..');
const EXAMPLES = ['ci-aws.yaml', 'ci-openstack.yaml'].map((name) => load(readFileSync(join(ROOT, 'clusters', name), 'utf8')) as Record<string, unknown>);

/** Seeded: a failure names its seed and path, and the same run reproduces it. */
export const GENERATOR_SEED = 19;

/** Values that break parsers and messages: wrong types, boundaries, odd and huge strings, CIDR edges. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1, 2, 3, 65535, 65536, 2 ** 31, 2 ** 53 + 2, -0.5, 1e308, [], {}, ''),
  fc.constantFrom('${var.x}', '%{ if true }', 'a\nb', '"quoted"', "it's", 'undefined', 'NaN', '[object Object]', '\u0000\u202e', '💥', ' '.repeat(3)),
  fc.constantFrom('0.0.0.0/0', '10.0.0.0/33', '10.0.0.0/8', '10.20.0.1/16', '::/0', '256.1.1.1/24', '10.20.0.0', 'fe80::/10'),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 5000, maxLength: 20000 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom('name', 'count', 'size', 'cidr', 'extra'), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Every path to a value in a document: where a mutation can land. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return [prefix];
}

type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'extra'; key: string; value: unknown } | { kind: 'duplicate' };

function mutate(document: unknown, at: (string | number)[], mutation: Mutation): unknown {
  const copy = structuredClone(document);
  if (at.length === 0) return mutation.kind === 'set' ? mutation.value : copy;
  const parent = at.slice(0, -1).reduce((node: any, key) => node[key], copy);
  const key = at[at.length - 1];
  if (mutation.kind === 'set') parent[key] = mutation.value;
  else if (mutation.kind === 'delete') Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key];
  else if (mutation.kind === 'extra' && parent[key] !== null && typeof parent[key] === 'object' && !Array.isArray(parent[key])) parent[key][mutation.key] = mutation.value;
  else if (mutation.kind === 'duplicate' && Array.isArray(parent)) parent.push(structuredClone(parent[Number(key)]));
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: hostileValue.map((value) => ({ kind: 'set' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'delete' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extra' as const), key: fc.constantFrom('bogus', 'Name', 'count2', 'x-y'), value: hostileValue }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'duplicate' as const }) },
);

/** An example with one to three mutations, each at a path that exists when it is applied. */
const mutatedExample = fc
  .tuple(fc.constantFrom(...EXAMPLES), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }))
  .map(([example, steps]) =>
    steps.reduce<unknown>((doc, [pick, m]) => {
      const all = paths(doc);
      return mutate(doc, all[pick % all.length], m);
    }, example),
  );

/** A document from the schema's own top-level keys, each with any value: the schema read as a generator. */
const fromSchema = fc.dictionary(fc.constantFrom(...Object.keys(schema.properties)), hostileValue, { minKeys: 1, maxKeys: Object.keys(schema.properties).length });

/** Four mutated examples to one document built from the schema. */
export const generatedClusterDocument: fc.Arbitrary<unknown> = fc.oneof({ weight: 4, arbitrary: mutatedExample }, { weight: 1, arbitrary: fromSchema });
