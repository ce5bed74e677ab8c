import { SECRETS } from '../../cloud-init/layout';
import { CLUSTER_CA_CERT_SECRET, EDGE_TLS_SECRET } from '../../model';
import { placeholdersOf } from '../../cloud-init/secret-files';
import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

/**
 * The edge is handed no secret: no secret template, no manifest for fetch-secrets. With tls.mesos
 * it may fetch the cluster CA's certificate (public), to check the masters' and Marathon's, and
 * its own certificate (`tls/edge`), which the masters require of every HTTPS client. That one
 * grants a TLS handshake and nothing more: what the edge may do is still decided by Mesos's HTTP
 * credentials and Marathon's, and it holds none of them.
 */
const ALLOWED = [CLUSTER_CA_CERT_SECRET, EDGE_TLS_SECRET];

export const edgeHoldsNoSecret: PolicyRule = {
  id: 'edge-holds-no-secret',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'the edge\'s user-data templates no secret (the cluster CA\'s certificate and its own TLS certificate at most) and has no secrets manifest otherwise',
  mirrors: NO_SCANNER,
  explanation: "The edge faces Jenkins users and webhooks; a credential on it (Marathon's was) turns an nginx compromise into a cluster administrator",
  fix: "read task locations from the masters' read-only endpoints (cloud-init/scripts/edge-routes.py) and give the edge's plan no secret file but the CA certificate and its own TLS certificate",
  evaluate: ({ view }) =>
    view.nodes
      .filter((node) => node.role === 'edge')
      .map((node) => {
        const files = cloudConfigFiles(node.userData ?? '');
        const templated = [...new Set([...files.values()].flatMap(placeholdersOf))];
        const secrets = templated.filter((name) => !ALLOWED.includes(name));
        const problem =
          secrets.length > 0
            ? `its user-data templates the secrets ${secrets.join(', ')}`
            : files.has(SECRETS.manifest) && templated.length === 0
              ? `its user-data has a secrets manifest (${SECRETS.manifest}) but templates nothing it may fetch: fetch-secrets writes secrets on it`
              : undefined;
        return judge(node.address, problem, templated.length > 0 ? `templates only ${templated.join(', ')}` : 'no secret template or manifest');
      }),
};
