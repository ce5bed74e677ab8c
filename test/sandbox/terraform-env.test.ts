/**
 * The sandbox's Terraform environment (lib/sandbox/terraform-env.ts). sandbox-cli.test.ts runs its
 * Terraform commands against a reattached provider, and Terraform installs no reattached provider:
 * that the sandbox's own `terraform init` gets the provider from the mirror is proved here, on a
 * configuration that names only the provider.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { terraformOrThrow } from '../../lib/plan/terraform-run';
import { sandboxLayout } from '../../lib/sandbox/sandbox-layout';
import { sandboxTerraformEnv } from '../../lib/sandbox/terraform-env';
import { AWS_PROVIDER, offlineTerraformUnavailable, providerMirror } from '../support/offline-terraform';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const scratchLayout = () => sandboxLayout(join(mkdtempSync(join(tmpdir(), 'mesos-cluster-sandbox-')), 'sandbox'));

describe("the sandbox's Terraform environment", () => {
  it('passes on no AWS credential or profile, reads no ~/.aws file, and with TF_PROVIDER_MIRROR names the mirror in a CLI configuration of its own', () => {
    const layout = scratchLayout();
    const env = sandboxTerraformEnv(layout, { PATH: '/usr/bin', AWS_PROFILE: 'work', AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't', TF_PROVIDER_MIRROR: '/opt/mirror' });
    for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) assert.equal(env[name], undefined, name);
    for (const name of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) assert.equal(env[name], '/dev/null', `${name}: no ~/.aws file is read`);
    assert.equal(env.TF_CLI_CONFIG_FILE, layout.terraformConfig);
    assert.equal(env.TF_PLUGIN_CACHE_DIR, layout.pluginCache);
    assert.match(readFileSync(layout.terraformConfig, 'utf8'), /filesystem_mirror \{\s+path\s+= "\/opt\/mirror"\s+include = \["registry\.terraform\.io\/hashicorp\/aws"\]/);
  });

  const missing = offlineTerraformUnavailable();
  it("terraform init in it installs the AWS provider from the mirror, into the sandbox's plugin cache", gateOn(missing), async () => {
    assertToolAvailable(missing);
    const layout = scratchLayout();
    const base: NodeJS.ProcessEnv = { ...process.env, TF_PROVIDER_MIRROR: providerMirror() };
    for (const name of ['TF_REATTACH_PROVIDERS', 'TF_PLUGIN_CACHE_DIR', 'TF_CLI_CONFIG_FILE']) delete base[name];
    const workspace = { dir: layout.workspace, env: sandboxTerraformEnv(layout, base) };
    mkdirSync(workspace.dir, { recursive: true });
    writeFileSync(join(workspace.dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } } }));
    await terraformOrThrow(workspace, ['init', '-input=false', '-no-color']);
    const [version] = readdirSync(join(providerMirror(), AWS_PROVIDER));
    for (const root of [join(workspace.dir, '.terraform', 'providers'), layout.pluginCache]) {
      assert.ok(existsSync(join(root, AWS_PROVIDER, version)), `the provider ${version} under ${root}`);
    }
  });
});
