/**
 * A Keystone v3 token and the endpoint of one service from its catalog (Identity API v3:
 * `POST /v3/auth/tokens` answers 201 with the token in `X-Subject-Token` and the catalog in
 * the body). Node's own fetch; every failure is one line naming the URL and Keystone's answer.
 */
import { KeystoneCredentials } from './keystone-credentials';

export class OpenstackApiError extends Error {}

export interface ServiceSession {
  readonly token: string;
  /** The service's endpoint, without a trailing slash or API version. */
  readonly endpoint: string;
}

interface CatalogEntry {
  readonly type: string;
  readonly endpoints: readonly { readonly interface: string; readonly region?: string; readonly region_id?: string; readonly url: string }[];
}

/** `<url>: <status> <reason>: <the service's own message>`, on one line. */
export async function apiError(what: string, response: Response): Promise<OpenstackApiError> {
  const body = await response.text().catch(() => '');
  let detail = body;
  try {
    // Keystone: {"error": {"message"}}; Barbican: {"title", "description"}.
    const parsed = JSON.parse(body) as { error?: { message?: string }; description?: string; title?: string };
    detail = parsed.error?.message ?? parsed.description ?? parsed.title ?? body;
  } catch {
    // not JSON: the text as it came
  }
  const line = `${what}: ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}`.replace(/\s+/g, ' ').trim();
  return new OpenstackApiError(line.length > 300 ? `${line.slice(0, 297)}...` : line);
}

/** `https://keystone:5000` and `https://keystone:5000/v3/` both mean the v3 API there. */
export function tokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return `${/\/v3$/.test(base) ? base : `${base}/v3`}/auth/tokens`;
}

/** The endpoint of `serviceType` for the interface and region; refuses to guess between regions. */
export function catalogEndpoint(catalog: readonly CatalogEntry[], serviceType: string, iface: string, region: string | undefined, where: string): string {
  const endpoints = catalog
    .filter((s) => s.type === serviceType)
    .flatMap((s) => s.endpoints)
    .filter((e) => e.interface === iface && (region === undefined || e.region_id === region || e.region === region));
  const regions = [...new Set(endpoints.map((e) => e.region_id ?? e.region ?? ''))];
  if (endpoints.length === 0) {
    throw new OpenstackApiError(`${where}: the catalog has no ${serviceType} endpoint (interface ${iface}${region ? `, region ${region}` : ''}): is Barbican deployed there?`);
  }
  if (regions.length > 1) {
    throw new OpenstackApiError(`${where}: ${serviceType} is in several regions (${regions.join(', ')}): set openstack.region in the cluster file or OS_REGION_NAME`);
  }
  return endpoints[0].url.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** Per request, body included: a Keystone or Barbican that accepts and never answers is given up on. */
export const OPENSTACK_TIMEOUT_MS = 30_000;

/** `fetch`, with a failure to connect or a timeout as one OpenstackApiError line naming `where`. */
export async function openstackFetch(where: string, url: string, init: RequestInit, timeoutMs = OPENSTACK_TIMEOUT_MS): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new OpenstackApiError(`${where}: no answer within ${timeoutMs / 1000} s`);
    throw new OpenstackApiError(`${where}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
  }
}

/** Authenticates and finds the service; one OpenstackApiError line on any failure. */
export async function openServiceSession(credentials: KeystoneCredentials, serviceType: string, region: string | undefined): Promise<ServiceSession> {
  const url = tokensUrl(credentials.authUrl);
  const where = `Keystone at ${credentials.authUrl}`;
  const response = await openstackFetch(where, url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(credentials.request) });
  if (response.status !== 201 && response.status !== 200) throw await apiError(where, response);
  const token = response.headers.get('x-subject-token');
  const body = (await response.json()) as { token?: { catalog?: CatalogEntry[] } };
  if (!token) throw new OpenstackApiError(`${where}: no X-Subject-Token in the answer`);
  return { token, endpoint: catalogEndpoint(body.token?.catalog ?? [], serviceType, credentials.interface, region, where) };
}
