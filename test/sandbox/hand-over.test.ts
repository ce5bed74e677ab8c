import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MOTO_SERVICES } from '../../lib/emulator/moto-quirks';
import { MOTO_OVERRIDE_FILE, useStack } from '../../lib/emulator/moto-workspace';
import { handedOverOnFailure } from '../../lib/sandbox/hand-over';

const ENDPOINT = 'http://127.0.0.1:4566';

/** A workspace and a one-resource stack for it. */
function scratch() {
  const root = mkdtempSync(join(tmpdir(), 'mesos-cluster-hand-over-'));
  const stackDir = join(root, 'stack');
  mkdirSync(stackDir);
  writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify({ resource: { aws_vpc: { main: { cidr_block: '10.20.0.0/16' } } } }));
  const workspace = { dir: join(root, 'workspace'), env: {} as NodeJS.ProcessEnv };
  mkdirSync(workspace.dir);
  return { workspace, stackDir };
}

const providerBlock = (dir: string) => JSON.parse(readFileSync(join(dir, MOTO_OVERRIDE_FILE), 'utf8')).provider.aws[0];

describe("the sandbox's workspace: endpoints from the environment for its own runs, the block for a person", () => {
  it('a failed run hands the workspace over with the endpoints block (every service at the emulator), and the error goes on', async () => {
    const { workspace, stackDir } = scratch();
    const failure = new Error('terraform apply failed');
    await assert.rejects(
      handedOverOnFailure(workspace, stackDir, ENDPOINT, new Map(), async () => {
        useStack(workspace, stackDir, ENDPOINT, { endpointsFromEnvironment: true });
        assert.equal(providerBlock(workspace.dir).endpoints, undefined, 'the own runs have no block');
        throw failure;
      }),
      (error) => error === failure,
    );
    const handed = providerBlock(workspace.dir).endpoints;
    assert.ok(Array.isArray(handed), 'the workspace was handed over with an endpoints block');
    const [endpoints] = handed;
    assert.deepEqual(Object.keys(endpoints).sort(), [...MOTO_SERVICES].sort());
    assert.ok(Object.values(endpoints).every((url) => url === ENDPOINT), JSON.stringify(endpoints));
  });

  it('a run that succeeds keeps its own runs\' override: no block, the endpoint in their environment', async () => {
    const { workspace, stackDir } = scratch();
    await handedOverOnFailure(workspace, stackDir, ENDPOINT, new Map(), async () => useStack(workspace, stackDir, ENDPOINT, { endpointsFromEnvironment: true }));
    assert.equal(providerBlock(workspace.dir).endpoints, undefined);
    assert.equal(workspace.env.AWS_ENDPOINT_URL, ENDPOINT);
  });
});
