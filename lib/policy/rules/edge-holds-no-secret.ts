import { SECRETS } from '../../cloud-init/layout';
import { CLUSTER_CA_CERT_SECRET } from '../../model';
import { placeholdersOf } from '../../cloud-init/secret-files';
import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

/**
 * The edge is handed no secret: no secret template, no manifest for fetch-secrets. The one thing it
 * may fetch is the cluster CA's certificate (public; tls.marathon), to check Marathon's.
 */
export const edgeHoldsNoSecret: PolicyRule = {
  id: 'edge-holds-no-secret',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'the edge\'s user-data templates no secret (the cluster CA\'s certificate at most) and has no secrets manifest otherwise',
  mirrors: NO_SCANNER,
  explanation: "The edge faces Jenkins users and webhooks; a credential on it (Marathon's was) turns an nginx compromise into a cluster administrator",
  fix: "read task locations from the masters' read-only endpoints (cloud-init/scripts/edge-routes.py) and give the edge's plan no secret file but the CA certificate",
  evaluate: ({ view }) =>
    view.nodes
      .filter((node) => node.role === 'edge')
      .map((node) => {
        const files = cloudConfigFiles(node.userData ?? '');
        const templated = [...new Set([...files.values()].flatMap(placeholdersOf))];
        const secrets = templated.filter((name) => name !== CLUSTER_CA_CERT_SECRET);
        const problem =
          secrets.length > 0
            ? `its user-data templates the secrets ${secrets.join(', ')}`
            : files.has(SECRETS.manifest) && templated.length === 0
              ? `its user-data has a secrets manifest (${SECRETS.manifest}) but templates nothing it may fetch: fetch-secrets writes secrets on it`
              : undefined;
        return judge(node.address, problem, templated.length > 0 ? `templates only ${CLUSTER_CA_CERT_SECRET}` : 'no secret template or manifest');
      }),
};
