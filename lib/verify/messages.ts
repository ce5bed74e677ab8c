import { CLUSTER_CA_CERT_SECRET, OPERATOR_TLS_SECRET } from '../model';

/** verify's lines about the operator's TLS client certificate (tls.mesos), one place for their wording. */

/** The masters were not asked: with tls.mesos they take HTTPS with a cluster client certificate only, and `absent` is missing. */
export function noOperatorCertificate(absent: readonly string[], source: string): string {
  return (
    `not asked: with tls.mesos the masters answer only HTTPS with a client certificate of the cluster CA; ${absent.join(' and ')} not found (${source}); ` +
    `\`npm run secrets -- <cluster file>\` issues ${OPERATOR_TLS_SECRET}, or name "${OPERATOR_TLS_SECRET}" and "${CLUSTER_CA_CERT_SECRET}" in --credentials-file`
  );
}

/** A master gave no HTTPS answer to the operator's certificate: refused in the handshake, or down. */
export function noHttpsAnswer(source: string): string {
  return `no HTTPS answer: down, or it refused ${OPERATOR_TLS_SECRET} from ${source} in the handshake (a certificate another CA signed)`;
}

/** `tls/operator` is there but is not a certificate with its key. */
export function notAClientCertificate(source: string): string {
  return `${source}: ${OPERATOR_TLS_SECRET}: expected a certificate and its private key (PEM, as \`npm run secrets\` stores it); \`npm run secrets -- <cluster file> --rotate ${OPERATOR_TLS_SECRET}\` reissues it`;
}
