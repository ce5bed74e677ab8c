import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dump, load } from 'js-yaml';
import { CLOUD_RULES } from '../../lib/cloud-rules';
import { renderAllUserData } from '../../lib/cloud-init';
import { buildTopology, ClusterFileError, parseClusterFile } from '../../lib/model';
import schema from '../../clusters/cluster.schema.json';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = ['ci-aws.yaml', 'ci-openstack.yaml'].map((name) => load(readFileSync(join(ROOT, 'clusters', name), 'utf8')) as Record<string, unknown>);
/** Seeded: a failure names its seed and path, and the same run reproduces it. */
const SEED = 19;
const RUNS = 1200;
/** Every n-th file that loads is also rendered to its nodes' cloud-config documents. */
const RENDER_EVERY = 10;

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

/** A problem line must not leak a JavaScript value; quoted values from the file are the file's own. */
function leaks(line: string): boolean {
  const unquoted = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return /undefined|\[object Object\]|NaN/.test(unquoted);
}

describe('cluster files generated from the schema and from mutations of the examples', () => {
  // A hang fails on the timeout; the run takes about 10 s on a quiet machine.
  it(`${RUNS} generated files each load (and every ${RENDER_EVERY}th renders) or get one "<file>: <path>: <message>" line per problem (seed ${SEED})`, { timeout: 180_000 }, () => {
    const started = Date.now();
    let loaded = 0;
    let refused = 0;
    let rendered = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 4, arbitrary: mutatedExample }, { weight: 1, arbitrary: fromSchema }), (document) => {
        const file = 'generated.yaml';
        const text = dump(document, { lineWidth: -1, noRefs: true });
        try {
          const topology = buildTopology(parseClusterFile(file, text, CLOUD_RULES));
          loaded += 1;
          if (loaded % RENDER_EVERY === 1) {
            rendered += 1;
            for (const { text: document } of renderAllUserData(topology)) assert.match(document, /^#cloud-config\n/);
          }
        } catch (error) {
          if (!(error instanceof ClusterFileError)) throw new Error(`not a ClusterFileError: ${(error as Error)?.stack ?? String(error)}`);
          refused += 1;
          assert.ok(error.problems.length > 0);
          for (const line of error.message.split('\n')) {
            assert.match(line, /^generated\.yaml: [^:]+: ./, line.slice(0, 300));
            assert.ok(!leaks(line), `leaks a JavaScript value: ${line.slice(0, 300)}`);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`# ${RUNS} generated cluster files: ${loaded} loaded (${rendered} rendered), ${refused} refused, in ${Date.now() - started} ms`);
    assert.ok(loaded > 0 && refused > 0, 'the generator reaches both outcomes');
  });
});
