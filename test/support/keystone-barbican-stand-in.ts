/**
 * A STAND-IN for Keystone and Barbican on loopback (a free port chosen at run time): no
 * OpenStack here. It answers only what the project sends, driven by the facts recorded from the
 * OpenStack sources in reference/openstack-api/ (provenance inside each file):
 * - `keystone-auth-tokens.json`: `POST /v3/auth/tokens` (password or application credential),
 *   201 with `X-Subject-Token` and a token carrying only fields of the API reference's samples;
 *   401 with Keystone's `{"error": {"code", "title", "message"}}`.
 * - `keystone-access-rules.json`: an application credential's access rules as keystonemiddleware's
 *   auth_token filter enforces them in front of Barbican: absent rules restrict nothing, an empty
 *   list refuses everything, a request passes when a rule's method, service (`key-manager`) and
 *   path pattern (`{name}` and `*` one segment, `**` anything) match; a refusal, like a missing or
 *   unknown token, is the filter's 401 with its body and `WWW-Authenticate`.
 * - `barbican-secrets.json`: `GET /v1/secrets` (paged: limit 10 by default, at most 100; `name`
 *   as SQL LIKE), `POST /v1/secrets` (201, `{"secret_ref"}`), `GET /v1/secrets/{uuid}/payload`
 *   (the payload as text/plain), `DELETE /v1/secrets/{uuid}` (204); Barbican's own errors as
 *   `{"code", "title", "description"}`.
 * It also plays Nova's metadata service when told to (`GET /openstack/latest/meta_data.json`,
 * `{"uuid", "meta": {...}}`, the shape of the config drive's file of the same name).
 * test/support/keystone-barbican-stand-in.test.ts holds its answers and its rule matching to
 * those files (the upstream's own path-matching cases included).
 */
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import accessRules from '../../reference/openstack-api/keystone-access-rules.json';
import barbicanSecrets from '../../reference/openstack-api/barbican-secrets.json';
import { LoopbackServer, Reply, startLoopbackServer } from './loopback-http';

export interface AccessRule {
  readonly service: string;
  readonly method: string;
  readonly path: string;
}

interface Secret {
  readonly uuid: string;
  readonly name: string;
  readonly payload: string;
  readonly created: string;
}

const REGION = 'RegionOne';
/** The service type Barbican's auth_token filter is configured with: the catalog type of its endpoint. */
export const KEY_MANAGER_SERVICE_TYPE = 'key-manager';
const PAGING = barbicanSecrets.calls['GET /v1/secrets'].paging;
const REFUSAL = accessRules.enforcement.refusal;
/** Barbican sits under a path, as behind a shared proxy: the clients must not assume the root. */
const BARBICAN_PATH = '/key-manager';

export class KeystoneBarbicanStandIn {
  /** Every request Barbican got, `METHOD /v1/...` (without the query), in order. */
  readonly barbicanRequests: string[] = [];
  readonly secrets = new Map<string, Secret>();
  /** The Keystone answer's status for every authentication, when set (e.g. 401). */
  failAuthWith?: number;
  /** Barbican's answer's status for every request, when set (e.g. 503). */
  failBarbicanWith?: number;
  /** What the metadata service answers; 404 while undefined. */
  metadataServiceAnswer?: object;
  private readonly tokens = new Map<string, { rules?: readonly AccessRule[] }>();
  private readonly applicationCredentials = new Map<string, { secret: string; rules?: readonly AccessRule[] }>();
  private readonly users = new Map<string, string>();
  private clock = 0;
  private server?: LoopbackServer;
  private port = 0;

  get authUrl(): string {
    return `http://127.0.0.1:${this.port}/v3`;
  }

  get metadataUrl(): string {
    return `http://127.0.0.1:${this.port}/openstack/latest/meta_data.json`;
  }

  get barbicanUrl(): string {
    return `http://127.0.0.1:${this.port}${BARBICAN_PATH}`;
  }

  addUser(name: string, password: string): void {
    this.users.set(name, password);
  }

  /** An application credential; `rules` undefined: created without access rules, so unrestricted. */
  addApplicationCredential(id: string, secret: string, rules?: readonly AccessRule[]): void {
    this.applicationCredentials.set(id, { secret, rules });
  }

  /** Stores a secret as someone else would (a hand-made value, a second one of a name). */
  store(name: string, payload: string): string {
    const uuid = randomUUID();
    // Barbican's timestamps; a counter keeps them strictly ordered within a test.
    const created = new Date(Date.UTC(2026, 0, 1, 0, 0, this.clock++)).toISOString().replace('Z', '');
    this.secrets.set(uuid, { uuid, name, payload, created });
    return uuid;
  }

  valuesOf(name: string): string[] {
    return [...this.secrets.values()].filter((s) => s.name === name).map((s) => s.payload);
  }

  async start(): Promise<void> {
    this.server = await startLoopbackServer((request, body) => this.answer(request, body));
    this.port = this.server.port;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  private answer(request: IncomingMessage, body: string): Reply {
    const url = new URL(request.url ?? '/', this.authUrl);
    if (request.method === 'POST' && url.pathname === '/v3/auth/tokens') return this.authenticate(body);
    if (request.method === 'GET' && url.pathname === '/openstack/latest/meta_data.json') {
      return this.metadataServiceAnswer ? json(200, this.metadataServiceAnswer) : json(404, { error: 'no metadata' });
    }
    if (url.pathname.startsWith(`${BARBICAN_PATH}/v1/`)) return this.barbican(request, url, body);
    return json(404, { error: { code: 404, message: `not in this stand-in: ${request.method} ${url.pathname}`, title: 'Not Found' } });
  }

  private authenticate(body: string): Reply {
    const unauthorized = () => json(401, { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    if (this.failAuthWith !== undefined) return unauthorized();
    const identity = (JSON.parse(body) as { auth: { identity: Record<string, any> } }).auth.identity;
    let rules: readonly AccessRule[] | undefined;
    if (identity.methods[0] === 'password') {
      const { name, password } = identity.password.user;
      if (this.users.get(name) !== password) return unauthorized();
    } else if (identity.methods[0] === 'application_credential') {
      const credential = this.applicationCredentials.get(identity.application_credential.id);
      if (credential === undefined || credential.secret !== identity.application_credential.secret) return unauthorized();
      rules = credential.rules;
    } else return unauthorized();
    const token = `gAAAAA${randomUUID().replace(/-/g, '')}`;
    this.tokens.set(token, { rules });
    const applicationCredential = identity.methods[0] === 'application_credential' ? { id: identity.application_credential.id, name: identity.application_credential.id, restricted: true } : undefined;
    const endpoint = (iface: string, url: string) => ({ id: randomUUID(), interface: iface, region: REGION, region_id: REGION, url });
    return json(
      201,
      {
        token: {
          ...(applicationCredential ? { application_credential: applicationCredential } : {}),
          methods: identity.methods,
          expires_at: '2099-01-01T00:00:00.000000Z',
          catalog: [
            { type: 'identity', name: 'keystone', endpoints: [endpoint('public', this.authUrl)] },
            {
              type: KEY_MANAGER_SERVICE_TYPE,
              name: 'barbican',
              endpoints: [endpoint('public', this.barbicanUrl), endpoint('internal', 'http://127.0.0.1:9/unused')],
            },
          ],
        },
      },
      { 'X-Subject-Token': token },
    );
  }

  private barbican(request: IncomingMessage, url: URL, body: string): Reply {
    const path = url.pathname.slice(BARBICAN_PATH.length);
    const method = request.method ?? 'GET';
    this.barbicanRequests.push(`${method} ${path}`);
    if (this.failBarbicanWith !== undefined) return json(this.failBarbicanWith, { code: this.failBarbicanWith, title: 'Service Unavailable', description: 'stand-in told to fail' });
    // Barbican's auth_token filter: an unknown token, or a request its access rules do not allow.
    const session = this.tokens.get(String(request.headers['x-auth-token'] ?? ''));
    if (session === undefined || !allowedByAccessRules(session.rules, method, path)) {
      return json(REFUSAL.status, REFUSAL.body, { 'WWW-Authenticate': `Keystone uri="${this.authUrl}"` });
    }
    const uuid = path.match(/^\/v1\/secrets\/([0-9a-f-]+)(\/payload)?$/);
    if (method === 'GET' && path === '/v1/secrets') {
      const name = url.searchParams.get('name');
      const found = [...this.secrets.values()].filter((s) => name === null || sqlLike(name, s.name));
      const { offset, limit } = pageOf(url.searchParams);
      const page = found.slice(offset, offset + limit);
      const listUrl = (at: number) => `${this.barbicanUrl}/v1/secrets?limit=${limit}&offset=${at}${name === null ? '' : `&name=${encodeURIComponent(name)}`}`;
      return json(200, {
        ...(found.length > offset + limit ? { next: listUrl(offset + limit) } : {}),
        ...(offset > 0 ? { previous: listUrl(Math.max(0, offset - limit)) } : {}),
        secrets: page.map((s) => ({
          secret_ref: `${this.barbicanUrl}/v1/secrets/${s.uuid}`,
          name: s.name,
          created: s.created,
          updated: s.created,
          status: 'ACTIVE',
          secret_type: 'opaque',
          content_types: { default: 'text/plain' },
        })),
        total: found.length,
      });
    }
    if (method === 'POST' && path === '/v1/secrets') {
      const { name, payload, payload_content_type } = JSON.parse(body) as { name: string; payload: string; payload_content_type: string };
      if (payload_content_type !== 'text/plain') return json(400, { code: 400, title: 'Bad Request', description: 'payload_content_type' });
      return json(201, { secret_ref: `${this.barbicanUrl}/v1/secrets/${this.store(name, payload)}` });
    }
    const secret = uuid && this.secrets.get(uuid[1]);
    if (!secret) return json(404, { code: 404, title: 'Not Found', description: 'Secret not found.' });
    if (method === 'GET' && uuid[2]) return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: secret.payload };
    if (method === 'DELETE' && !uuid[2]) {
      this.secrets.delete(secret.uuid);
      return { status: 204 };
    }
    return json(405, { code: 405, title: 'Method Not Allowed', description: method });
  }
}

/** A JSON answer (startLoopbackServer sends an object body as JSON, with its content type). */
const json = (status: number, body: object, headers: Record<string, string> = {}): Reply => ({ status, body, headers });

/** Whether the access rules let a token make this Barbican request (reference: keystone-access-rules.json). */
export function allowedByAccessRules(rules: readonly AccessRule[] | undefined, method: string, path: string): boolean {
  if (rules === undefined) return true; // created without access rules
  return rules.some((r) => r.method === method && r.service === KEY_MANAGER_SERVICE_TYPE && pathMatches(r.path, path));
}

/**
 * keystonemiddleware's access-rule path pattern: `{name}` and a lone `*` match one or more
 * characters other than `/`, `**` any characters, anything else itself (`.` any character, as
 * upstream leaves it unescaped); the whole path must match.
 */
export function pathMatches(pattern: string, path: string): boolean {
  const tokens = /(\{[^}]*\})|(\*(?=$|[^*]))|(\*\*)|([^{}*])/g;
  let regex = '';
  for (const [, tag, wild, recursive, literal] of pattern.matchAll(tokens)) {
    if (tag !== undefined || wild !== undefined) regex += '[^/]+';
    else if (recursive !== undefined) regex += '.*';
    // Upstream puts the character into its regex unescaped: `.` matches any character there too.
    else regex += literal === '.' ? '.' : literal.replace(/[+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`).test(path);
}

/** SQL LIKE, as Barbican filters names: `%` any run of characters, `_` any one. */
export function sqlLike(pattern: string, value: string): boolean {
  const regex = [...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`, 's').test(value);
}

/** Barbican's paging of a list: offset from 0, limit 10 by default, between 1 and 100. */
function pageOf(query: URLSearchParams): { offset: number; limit: number } {
  const offset = Math.max(0, Number.parseInt(query.get('offset') ?? '', 10) || PAGING.offset_default);
  const asked = Number.parseInt(query.get('limit') ?? '', 10);
  const limit = Number.isNaN(asked) || asked === 0 ? PAGING.limit_default : Math.min(PAGING.limit_max, Math.max(PAGING.limit_below_one, asked));
  return { offset, limit };
}
