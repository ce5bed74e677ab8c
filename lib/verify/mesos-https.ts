import { CLUSTER_CA_CERT_SECRET, ClusterTopology, OPERATOR_TLS_SECRET } from '../model';
import { OperatorCredentials } from './credentials';
import { noOperatorCertificate } from './messages';
import { HttpsTrust } from './transport';

/**
 * How verify asks the masters. Without `tls.mesos`: plain HTTP (`https` undefined). With it, the
 * masters run libprocess SSL and refuse a client without a certificate of the cluster CA: HTTPS
 * checked against `tls/ca-cert`, presenting `tls/operator`; without both, `missing` says why
 * they are not asked at all (so no password is sent in clear).
 */
export function mesosHttps(topology: ClusterTopology, credentials: OperatorCredentials): { readonly https?: HttpsTrust; readonly missing?: string } {
  if (!topology.cluster.tls.mesos) return {};
  const { clusterCa, mesosClient } = credentials;
  if (clusterCa === undefined || mesosClient === undefined) {
    const absent = [mesosClient === undefined ? OPERATOR_TLS_SECRET : '', clusterCa === undefined ? CLUSTER_CA_CERT_SECRET : ''].filter((name) => name !== '');
    return { missing: noOperatorCertificate(absent, credentials.source) };
  }
  return { https: { caPem: clusterCa, client: mesosClient } };
}
