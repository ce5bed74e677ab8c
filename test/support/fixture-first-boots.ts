import { availableParallelism } from 'node:os';
import { bootableFixtureDocuments, CloudConfig, parseCloudConfig, RenderedDocument } from './cloud-init-fixtures';
import { NodeSandbox } from './node-applier';

/** A bootable fixture document after its first boot in a fresh sandbox (blank volume, `agent` wrapper). */
export interface FirstBoot {
  readonly document: RenderedDocument;
  readonly config: CloudConfig;
  readonly sandbox: NodeSandbox;
  /** configure-node's exit code and error output. */
  readonly code: number;
  readonly stderr: string;
  /** The tree and the stand-ins' calls right after the first boot (later tests may boot the sandbox again). */
  readonly tree: Record<string, string>;
  readonly calls: readonly string[];
}

let boots: Map<string, Promise<FirstBoot>> | undefined;

/**
 * Every bootable fixture document booted once per test process, as many at a time as there are
 * cores: a boot is a few hundred short processes, so the tests that read a first boot share it
 * (test/cloud-init/idempotent-apply.test.ts and the suites it runs) rather than boot again.
 * Keyed by document id, in document order; each promise settles when that node has booted.
 */
export function fixtureFirstBoots(): ReadonlyMap<string, Promise<FirstBoot>> {
  if (boots) return boots;
  const documents = bootableFixtureDocuments();
  const started: Map<string, Promise<FirstBoot>> = new Map();
  const chain: Promise<unknown>[] = Array.from({ length: Math.max(1, availableParallelism()) }, () => Promise.resolve());
  documents.forEach((document, i) => {
    // Lane i % n boots after the lane's previous node: at most n boots run at once.
    const lane = i % chain.length;
    const boot = chain[lane].then(() => firstBoot(document));
    chain[lane] = boot.catch(() => undefined);
    started.set(document.id, boot);
  });
  boots = started;
  return boots;
}

/** The first boot of one fixture document; rejects if the document is not a fixture. */
export function fixtureFirstBoot(id: string): Promise<FirstBoot> {
  const boot = fixtureFirstBoots().get(id);
  if (!boot) throw new Error(`no bootable fixture document ${id}`);
  return boot;
}

async function firstBoot(document: RenderedDocument): Promise<FirstBoot> {
  const config = parseCloudConfig(document.text);
  const sandbox = new NodeSandbox();
  const { code, stderr } = await sandbox.boot(config);
  const calls = sandbox.calls();
  sandbox.clearCalls();
  return { document, config, sandbox, code, stderr, tree: sandbox.snapshot(), calls };
}
