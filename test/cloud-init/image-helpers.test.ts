import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { IMAGE_HELPERS, NODE } from '../../lib/cloud-init/layout';
import { allFixtureDocuments, parseCloudConfig } from '../support/cloud-init-fixtures';
import { NodeSandbox } from '../support/node-applier';

describe('helpers that come with the image, not with user data', () => {
  it('no document carries them: image/provision.sh installs them', () => {
    for (const document of allFixtureDocuments()) {
      const paths = parseCloudConfig(document.text).write_files.map((f) => f.path);
      for (const helper of IMAGE_HELPERS) assert.ok(!paths.includes(`${NODE.scriptDir}/${helper}`), `${document.id}: ${helper}`);
    }
  });

  it('on an image without check-image the boot stops before any unit is touched, and says why', async () => {
    const document = allFixtureDocuments().find((d) => d.id === 'ci-aws/master-1')!;
    const sandbox = new NodeSandbox();
    rmSync(join(sandbox.root, NODE.scriptDir, 'check-image'));
    const { code, stderr } = await sandbox.boot(parseCloudConfig(document.text));
    assert.equal(code, 1);
    assert.match(stderr, /check-image: the image was not baked by image\/provision\.sh/);
    assert.deepEqual(sandbox.calls().filter((c) => c.startsWith('systemctl')), []);
  });
});
