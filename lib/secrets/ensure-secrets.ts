import { CLUSTER_CA_CERT_SECRET, ClusterTopology, clusterSecrets, clusterSecretsPath, masterCredentialsDocument } from '../model';
import { ensureClusterCertificates } from './ensure-certificates';
import { generateToken } from './generate';
import { SecretOutcome, SecretStore } from './secret-store';

/** The names `--rotate` accepts for this cluster: its tokens, and with TLS its CA and certificates (the CA's certificate alone follows the CA). */
export function rotatableNames(topology: ClusterTopology): string[] {
  return clusterSecrets(topology)
    .filter((s) => s.kind === 'token' || (s.kind === 'certificate' && s.name !== CLUSTER_CA_CERT_SECRET))
    .map((s) => s.name);
}

/**
 * Makes the cluster's secrets exist: each missing token is generated, each existing one kept
 * (unless named in `rotate`), and the masters' credentials document recomputed from the
 * tokens and stored when it changed (a new pool, a rotated secret). Idempotent.
 */
export async function ensureClusterSecrets(store: SecretStore, topology: ClusterTopology, rotate: ReadonlySet<string> = new Set()): Promise<SecretOutcome[]> {
  const prefix = clusterSecretsPath(topology.cluster.name);
  const outcomes: SecretOutcome[] = [];
  const values = new Map<string, string>();
  const secrets = clusterSecrets(topology);
  for (const secret of secrets.filter((s) => s.kind === 'token')) {
    const path = `${prefix}/${secret.name}`;
    const rotating = rotate.has(secret.name);
    const existing = rotating ? undefined : await store.get(path);
    if (existing !== undefined) {
      values.set(secret.name, existing);
      outcomes.push({ path, action: 'kept' });
      continue;
    }
    const written = await store.put(path, generateToken(), { description: secret.description, overwrite: rotating });
    // `exists`: someone stored it between our read and our write; theirs stands.
    const value = await store.get(path);
    if (value === undefined) throw new Error(`${path} was written but cannot be read back`);
    values.set(secret.name, value);
    outcomes.push({ path, action: written === 'exists' ? 'kept' : rotating ? 'rotated' : 'created' });
  }
  for (const secret of secrets.filter((s) => s.kind === 'document')) {
    const path = `${prefix}/${secret.name}`;
    const document = masterCredentialsDocument(topology, (name) => values.get(name)!);
    const existing = await store.get(path);
    if (existing === document) {
      outcomes.push({ path, action: 'kept' });
      continue;
    }
    const written = await store.put(path, document, { description: secret.description, overwrite: existing !== undefined });
    if (written === 'exists') await store.put(path, document, { description: secret.description, overwrite: true });
    outcomes.push({ path, action: existing === undefined ? 'created' : 'updated' });
  }
  if (topology.cluster.tls.mesos) outcomes.push(...(await ensureClusterCertificates(store, topology, rotate)));
  return outcomes;
}
