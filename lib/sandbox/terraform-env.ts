import { mkdirSync, writeFileSync } from 'node:fs';
import { SandboxLayout } from './sandbox-layout';

const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/**
 * Credentials, profiles and an endpoint a real AWS account could be reached with: the sandbox
 * never passes them on (its own runs get moto's endpoint in their place: sandbox-run.ts).
 */
const AWS_ACCOUNT_VARIABLES = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE', 'AWS_ENDPOINT_URL'];

/**
 * The environment Terraform runs in for the sandbox: no real AWS credentials, no call home, the
 * AWS provider kept in the sandbox's plugin cache (fetched once), or taken from a filesystem
 * mirror when `TF_PROVIDER_MIRROR` names one (machines without network, like CI's).
 */
export function sandboxTerraformEnv(layout: SandboxLayout, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of AWS_ACCOUNT_VARIABLES) delete env[name];
  mkdirSync(layout.pluginCache, { recursive: true });
  Object.assign(env, {
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    // A person's ~/.aws files could name a profile's keys, or `ignore_configured_endpoint_urls`,
    // which would send the runs that find moto through AWS_ENDPOINT_URL to AWS instead.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    TF_PLUGIN_CACHE_DIR: base.TF_PLUGIN_CACHE_DIR || layout.pluginCache,
    // The cache's checksums differ from a lock file's written elsewhere; the sandbox keeps no lock file of value.
    TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true',
  });
  const mirror = base.TF_PROVIDER_MIRROR;
  if (mirror !== undefined && mirror !== '') {
    writeFileSync(
      layout.terraformConfig,
      [
        'provider_installation {',
        `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${AWS_PROVIDER}"]\n  }`,
        `  direct {\n    exclude = ["${AWS_PROVIDER}"]\n  }`,
        '}',
        '',
      ].join('\n'),
    );
    env.TF_CLI_CONFIG_FILE = layout.terraformConfig;
  }
  return env;
}

/** The variables a person needs to run `terraform` in the kept workspace by hand, as `NAME=value` words. */
export function handEnvironment(env: NodeJS.ProcessEnv): string[] {
  return ['TF_CLI_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED', 'CHECKPOINT_DISABLE']
    .filter((name) => env[name] !== undefined && env[name] !== '')
    .map((name) => `${name}=${shellWord(env[name]!)}`);
}

/** A word the shell reads back as `text`. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
