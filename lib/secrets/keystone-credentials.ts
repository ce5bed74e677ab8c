/**
 * The operator's OpenStack credentials, as the OpenStack client and the Terraform provider read
 * them: `OS_CLOUD` and clouds.yaml (with secure.yaml), or the `OS_*` variables of an RC file.
 * Never from the cluster file. Password and application-credential authentication only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** Where Keystone is and what to send it (`POST /v3/auth/tokens`). */
export interface KeystoneCredentials {
  readonly authUrl: string;
  readonly request: object;
  /** @default - the cluster file's region, else the only region offering the service */
  readonly region?: string;
  /** @default 'public' */
  readonly interface: string;
}

export class KeystoneCredentialsError extends Error {}

type Settings = Record<string, string | undefined>;

/** clouds.yaml's search path (openstacksdk's): OS_CLIENT_CONFIG_FILE, the current directory, the user's, the system's. */
function cloudsFiles(env: NodeJS.ProcessEnv): string[] {
  return [env.OS_CLIENT_CONFIG_FILE, join(process.cwd(), 'clouds.yaml'), join(homedir(), '.config', 'openstack', 'clouds.yaml'), '/etc/openstack/clouds.yaml'].filter(
    (f): f is string => f !== undefined && f !== '',
  );
}

function cloudSettings(name: string, env: NodeJS.ProcessEnv): Settings {
  const file = cloudsFiles(env).find((f) => existsSync(f));
  if (file === undefined) throw new KeystoneCredentialsError(`OS_CLOUD=${name}: no clouds.yaml (looked in ${cloudsFiles(env).join(', ')})`);
  const read = (f: string) => (parse(readFileSync(f, 'utf8')) as { clouds?: Record<string, Record<string, unknown>> } | null)?.clouds?.[name];
  const cloud = read(file);
  if (cloud === undefined) throw new KeystoneCredentialsError(`OS_CLOUD=${name}: no cloud of that name in ${file}`);
  // secure.yaml beside it holds the passwords some keep apart.
  const secure = existsSync(join(dirname(file), 'secure.yaml')) ? read(join(dirname(file), 'secure.yaml')) : undefined;
  const auth = { ...(cloud.auth as Settings | undefined), ...(secure?.auth as Settings | undefined) };
  return { ...auth, auth_type: cloud.auth_type as string | undefined, region_name: cloud.region_name as string | undefined, interface: cloud.interface as string | undefined };
}

function environmentSettings(env: NodeJS.ProcessEnv): Settings {
  const names = [
    'auth_url', 'auth_type', 'username', 'user_id', 'password', 'user_domain_name', 'user_domain_id', 'project_name', 'project_id',
    'project_domain_name', 'project_domain_id', 'application_credential_id', 'application_credential_name', 'application_credential_secret', 'region_name', 'interface',
  ];
  const settings: Settings = Object.fromEntries(names.map((n) => [n, env[`OS_${n.toUpperCase()}`] || undefined]));
  return { ...settings, project_name: settings.project_name ?? env.OS_TENANT_NAME, project_id: settings.project_id ?? env.OS_TENANT_ID };
}

const domain = (id?: string, name?: string) => (id ? { id } : name ? { name } : { id: 'default' });

function user(s: Settings): object {
  if (s.user_id) return { id: s.user_id };
  if (!s.username) throw new KeystoneCredentialsError('no user: set OS_USERNAME or OS_USER_ID (or auth.username in clouds.yaml)');
  return { name: s.username, domain: domain(s.user_domain_id, s.user_domain_name) };
}

function authRequest(s: Settings): object {
  const type = s.auth_type ?? (s.application_credential_secret ? 'v3applicationcredential' : 'password');
  if (type === 'v3applicationcredential' || type === 'application_credential') {
    if (!s.application_credential_secret) throw new KeystoneCredentialsError('application credential without a secret: set OS_APPLICATION_CREDENTIAL_SECRET');
    const credential = s.application_credential_id
      ? { id: s.application_credential_id, secret: s.application_credential_secret }
      : { name: s.application_credential_name, secret: s.application_credential_secret, user: user(s) };
    return { auth: { identity: { methods: ['application_credential'], application_credential: credential } } };
  }
  if (type !== 'password' && type !== 'v3password') throw new KeystoneCredentialsError(`auth_type ${type} is not supported: use password or v3applicationcredential`);
  if (!s.password) throw new KeystoneCredentialsError('no password: set OS_PASSWORD (or auth.password in clouds.yaml or secure.yaml)');
  const project = s.project_id ? { id: s.project_id } : s.project_name ? { name: s.project_name, domain: domain(s.project_domain_id, s.project_domain_name) } : undefined;
  if (project === undefined) throw new KeystoneCredentialsError('no project: set OS_PROJECT_NAME or OS_PROJECT_ID (Barbican keeps secrets per project)');
  return { auth: { identity: { methods: ['password'], password: { user: { ...user(s), password: s.password } } }, scope: { project } } };
}

/** The operator's credentials from the environment; a KeystoneCredentialsError names what is missing. */
export function keystoneCredentials(env: NodeJS.ProcessEnv = process.env): KeystoneCredentials {
  const settings = env.OS_CLOUD ? cloudSettings(env.OS_CLOUD, env) : environmentSettings(env);
  if (!settings.auth_url) {
    throw new KeystoneCredentialsError('no OpenStack credentials: set OS_CLOUD (clouds.yaml) or source your RC file (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, ...)');
  }
  return {
    authUrl: settings.auth_url,
    request: authRequest(settings),
    region: env.OS_REGION_NAME || settings.region_name,
    interface: env.OS_INTERFACE || settings.interface || 'public',
  };
}
