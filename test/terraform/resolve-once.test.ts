import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App, TerraformLocal, TerraformStack } from 'cdktf';
import { resolveOnce } from '../../lib/terraform/resolve-once';

function appWithStack(outdir: string): { app: App; stack: TerraformStack } {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'one');
  new TerraformLocal(stack, 'greeting', 'hello');
  return { app, stack };
}

describe('resolveOnce', () => {
  it('gives the JSON that synth writes, resolved once and not again', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'resolve-once-'));
    try {
      const { app, stack } = appWithStack(outdir);
      const json = resolveOnce(stack) as { locals: Record<string, string>; terraform: { backend?: unknown } };
      assert.equal(json.locals.greeting, 'hello');
      // prepareStack ran first: the default backend is in the checked JSON.
      assert.ok(json.terraform.backend !== undefined);
      assert.equal(stack.toTerraform(), json);
      app.synth();
      assert.deepEqual(JSON.parse(readFileSync(join(outdir, 'stacks', 'one', 'cdk.tf.json'), 'utf8')), json);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('refuses to write a stack that gained a construct after it was resolved', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'resolve-once-'));
    try {
      const { app, stack } = appWithStack(outdir);
      resolveOnce(stack);
      new TerraformLocal(stack, 'late', 'unchecked');
      assert.throws(() => app.synth(), /stack one: changed after it was resolved and checked/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
