import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MOTO_OVERRIDE_FILE, motoEndpointEnvironment, useStack } from '../../lib/emulator/moto-workspace';

const ENDPOINT = 'http://127.0.0.1:5999';

describe('useStack: how the provider finds moto', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mesos-cluster-moto-workspace-test-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  writeFileSync(join(scratch, 'cdk.tf.json'), '{}');

  /** The provider block of the override and the workspace's environment after useStack. */
  function used(options: { endpointsFromEnvironment?: boolean }, env: NodeJS.ProcessEnv = { PATH: '/usr/bin' }) {
    const dir = mkdtempSync(join(scratch, 'workspace-'));
    const workspace = { dir, env: { ...env } };
    useStack(workspace, scratch, ENDPOINT, options);
    const provider = JSON.parse(readFileSync(join(dir, MOTO_OVERRIDE_FILE), 'utf8')).provider.aws[0];
    return { provider, env: workspace.env };
  }

  it('by default, an endpoints block names moto for every service, and the environment is left as it was', () => {
    const { provider, env } = used({});
    assert.equal(provider.endpoints[0].ec2, ENDPOINT);
    assert.equal(provider.endpoints[0].sts, ENDPOINT);
    assert.deepEqual(env, { PATH: '/usr/bin' });
  });

  it('with endpointsFromEnvironment, no endpoints block, and AWS_ENDPOINT_URL names moto in the environment', () => {
    const { provider, env } = used({ endpointsFromEnvironment: true });
    assert.equal(provider.endpoints, undefined);
    assert.equal(provider.access_key, 'testing', 'the other moto settings stay');
    assert.deepEqual(env, { PATH: '/usr/bin', ...motoEndpointEnvironment(ENDPOINT) });
    assert.equal(env.AWS_ENDPOINT_URL, ENDPOINT);
  });

  it('with endpointsFromEnvironment, what the provider would put before AWS_ENDPOINT_URL is dropped from the environment', () => {
    const before = { PATH: '/usr/bin', AWS_ENDPOINT_URL_EC2: 'https://ec2.example', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_REGION: 'us-east-1' };
    assert.deepEqual(used({ endpointsFromEnvironment: true }, before).env, { PATH: '/usr/bin', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: ENDPOINT });
    assert.deepEqual(used({}, before).env, before, 'without the option the environment is left as it was');
  });
});
