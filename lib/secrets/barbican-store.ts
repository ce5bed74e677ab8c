/**
 * Barbican (OpenStack Key Manager API v1) as the cluster's SecretStore: one opaque text/plain
 * secret per name, under the same names as on AWS (`/mesos-cluster/<cluster>/<name>`).
 * Barbican's names are not unique and a payload cannot change, so a value is replaced by
 * storing a new secret of that name and deleting the others; while two exist, the oldest is
 * the value (fetch-secrets reads the same one at boot). Key Manager API: `GET /v1/secrets?name=`,
 * `POST /v1/secrets`, `GET /v1/secrets/{uuid}/payload`, `DELETE /v1/secrets/{uuid}`.
 */
import { apiError, OpenstackApiError, openstackFetch, ServiceSession } from './keystone-session';
import { SecretStore } from './secret-store';

/** Barbican's service type in the Keystone catalog. */
export const KEY_MANAGER_SERVICE = 'key-manager';

interface Listed {
  readonly uuid: string;
  readonly created: string;
}

/** Oldest first; the UUID breaks a tie the same way on every reader. */
const byAge = (a: Listed, b: Listed) => a.created.localeCompare(b.created) || a.uuid.localeCompare(b.uuid);

export class BarbicanSecretStore implements SecretStore {
  constructor(private readonly session: ServiceSession) {}

  async get(path: string): Promise<string | undefined> {
    const [oldest] = await this.list(path);
    if (oldest === undefined) return undefined;
    const response = await this.call('GET', `/v1/secrets/${oldest.uuid}/payload`, { accept: 'text/plain' });
    return response.text();
  }

  async put(path: string, value: string, { overwrite }: { description: string; overwrite: boolean }): Promise<'written' | 'exists'> {
    if (!overwrite && (await this.list(path)).length > 0) return 'exists';
    const created = await this.call('POST', '/v1/secrets', { 'content-type': 'application/json' }, {
      name: path,
      payload: value,
      payload_content_type: 'text/plain',
      secret_type: 'opaque',
    });
    const ours = uuidOf(((await created.json()) as { secret_ref?: string }).secret_ref);
    const all = await this.list(path);
    if (overwrite) {
      for (const other of all.filter((s) => s.uuid !== ours)) await this.call('DELETE', `/v1/secrets/${other.uuid}`);
      return 'written';
    }
    // Someone else stored one between our look and our write: the oldest stands, ours goes.
    if (all.length > 0 && all[0].uuid !== ours) {
      await this.call('DELETE', `/v1/secrets/${ours}`);
      return 'exists';
    }
    return 'written';
  }

  private async list(name: string): Promise<Listed[]> {
    const response = await this.call('GET', `/v1/secrets?name=${encodeURIComponent(name)}&limit=100`, { accept: 'application/json' });
    const { secrets = [] } = (await response.json()) as { secrets?: { secret_ref?: string; name?: string; created?: string }[] };
    return secrets
      .filter((s) => s.name === name)
      .map((s) => ({ uuid: uuidOf(s.secret_ref), created: s.created ?? '' }))
      .sort(byAge);
  }

  private async call(method: string, path: string, headers: Record<string, string> = {}, body?: object): Promise<Response> {
    const url = `${this.session.endpoint}${path}`;
    const where = `Barbican at ${this.session.endpoint}: ${method} ${path.split('?')[0]}`;
    for (let attempt = 1; ; attempt++) {
      const response = await openstackFetch(where, url, { method, headers: { 'x-auth-token': this.session.token, ...headers }, body: body && JSON.stringify(body) });
      if (response.ok) return response;
      // Throttled or briefly unavailable: back off, as on AWS.
      if ((response.status === 429 || response.status === 503) && attempt < 5) {
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
        continue;
      }
      throw await apiError(where, response);
    }
  }
}

function uuidOf(ref: string | undefined): string {
  const uuid = ref?.replace(/\/+$/, '').split('/').pop();
  if (!uuid) throw new OpenstackApiError(`Barbican: an answer without a secret_ref`);
  return uuid;
}
