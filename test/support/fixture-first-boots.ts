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

const boots = new Map<string, Promise<FirstBoot>>();
/** Boots wait here for a free core: a boot is a few hundred short processes. */
const waiting: (() => void)[] = [];
let running = 0;
/** Rendered once: rendering every document takes a second or two. */
let documents: readonly RenderedDocument[] | undefined;
const fixtureDocuments = () => (documents ??= bootableFixtureDocuments());

/**
 * The first boot of one bootable fixture document, made once per test process and shared by the
 * tests that read it (test/cloud-init/idempotent-apply.test.ts and the suites it runs) rather
 * than booted again; as many boots run at once as there are cores.
 */
export function fixtureFirstBoot(id: string): Promise<FirstBoot> {
  const known = boots.get(id);
  if (known) return known;
  const document = fixtureDocuments().find((d) => d.id === id);
  if (!document) throw new Error(`no bootable fixture document ${id}`);
  const boot = withFreeCore(() => firstBoot(document));
  boots.set(id, boot);
  return boot;
}

/** Every bootable fixture document's first boot, in document order. */
export function fixtureFirstBoots(): Promise<FirstBoot[]> {
  return Promise.all(fixtureDocuments().map((d) => fixtureFirstBoot(d.id)));
}

async function withFreeCore<T>(work: () => Promise<T>): Promise<T> {
  if (running >= Math.max(1, availableParallelism())) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

async function firstBoot(document: RenderedDocument): Promise<FirstBoot> {
  const config = parseCloudConfig(document.text);
  const sandbox = new NodeSandbox();
  const { code, stderr } = await sandbox.boot(config);
  const calls = sandbox.calls();
  sandbox.clearCalls();
  return { document, config, sandbox, code, stderr, tree: sandbox.snapshot(), calls };
}
