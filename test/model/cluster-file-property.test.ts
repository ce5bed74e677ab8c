import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { renderAllUserData } from '../../lib/cloud-init';
import { buildTopology, ClusterFileError, parseClusterFile } from '../../lib/model';
import { GENERATOR_SEED, generatedClusterDocument } from '../support/cluster-file-generators';

const SEED = GENERATOR_SEED;
const RUNS = 1200;
/** Every n-th file that loads is also rendered to its nodes' cloud-config documents. */
const RENDER_EVERY = 10;

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
      fc.property(generatedClusterDocument, (document) => {
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
