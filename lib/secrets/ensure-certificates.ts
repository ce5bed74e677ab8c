import { certificatePlans, CLUSTER_CA_CERT_SECRET, CLUSTER_CA_SECRET, ClusterTopology, clusterSecrets, clusterSecretsPath } from '../model';
import { bundlePem, issue, KeyedCertificate, newClusterCa, parseBundle, staleness } from './cluster-ca';
import { SecretOutcome, SecretStore } from './secret-store';

const describe = (topology: ClusterTopology, name: string) => clusterSecrets(topology).find((s) => s.name === name)?.description ?? name;

/**
 * Makes the cluster CA and every certificate below it exist (lib/model/tls.ts), with the tokens'
 * semantics: an existing CA is kept unless `rotate` names `tls/ca`; a certificate is kept while it
 * is signed by the CA, covers what the topology says and is not near its end, else reissued
 * (`updated`). The CA is stored before anything it signs, each certificate with its key in one
 * value, so a run stopped anywhere leaves every stored value whole and the next run completes it.
 */
export async function ensureClusterCertificates(store: SecretStore, topology: ClusterTopology, rotate: ReadonlySet<string>): Promise<SecretOutcome[]> {
  const prefix = clusterSecretsPath(topology.cluster.name);
  const outcomes: SecretOutcome[] = [];
  const caPath = `${prefix}/${CLUSTER_CA_SECRET}`;
  const rotatingCa = rotate.has(CLUSTER_CA_SECRET);
  let stored = rotatingCa ? undefined : await store.get(caPath);
  if (stored === undefined) {
    const written = await store.put(caPath, bundlePem(await newClusterCa(topology.cluster.name)), { description: describe(topology, CLUSTER_CA_SECRET), overwrite: rotatingCa });
    // `exists`: another run stored its CA between our read and our write; theirs stands.
    stored = await store.get(caPath);
    outcomes.push({ path: caPath, action: written === 'exists' ? 'kept' : rotatingCa ? 'rotated' : 'created' });
  } else {
    outcomes.push({ path: caPath, action: 'kept' });
  }
  const ca = stored === undefined ? undefined : parseBundle(stored);
  if (ca === undefined) throw new Error(`${caPath} is not a certificate with its key (npm run secrets -- --rotate ${CLUSTER_CA_SECRET})`);
  outcomes.push(await putDerived(store, `${prefix}/${CLUSTER_CA_CERT_SECRET}`, ca.certificatePem, describe(topology, CLUSTER_CA_CERT_SECRET)));
  for (const plan of certificatePlans(topology)) {
    const path = `${prefix}/${plan.secret}`;
    const existing = await store.get(path);
    const current = rotate.has(plan.secret) || existing === undefined ? undefined : parseBundle(existing);
    if (current !== undefined && staleness(current, ca, plan) === undefined) {
      outcomes.push({ path, action: 'kept' });
      continue;
    }
    const issued: KeyedCertificate = await issue(ca, plan);
    outcomes.push(await putDerived(store, path, bundlePem(issued), describe(topology, plan.secret), rotate.has(plan.secret) ? 'rotated' : undefined));
  }
  return outcomes;
}

/** Stores a value computed here (not a choice to keep): written when it differs from the stored one. */
async function putDerived(store: SecretStore, path: string, value: string, description: string, action?: 'rotated'): Promise<SecretOutcome> {
  const existing = await store.get(path);
  if (existing === value) return { path, action: 'kept' };
  const written = await store.put(path, value, { description, overwrite: existing !== undefined });
  if (written === 'exists') await store.put(path, value, { description, overwrite: true });
  return { path, action: action ?? (existing === undefined ? 'created' : 'updated') };
}
