import { SECRETS } from '../../cloud-init/layout';
import { placeholdersOf } from '../../cloud-init/secret-files';
import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

/** The edge is handed no secret: no secret template, no manifest for fetch-secrets. */
export const edgeHoldsNoSecret: PolicyRule = {
  id: 'edge-holds-no-secret',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'the edge\'s user-data templates no secret and has no secrets manifest',
  mirrors: NO_SCANNER,
  explanation: "The edge faces Jenkins users and webhooks; a credential on it (Marathon's was) turns an nginx compromise into a cluster administrator",
  fix: "read task locations from the masters' read-only endpoints (cloud-init/scripts/edge-routes.py) and give the edge's plan no secret files",
  evaluate: ({ view }) =>
    view.nodes
      .filter((node) => node.role === 'edge')
      .map((node) => {
        const files = cloudConfigFiles(node.userData ?? '');
        const secrets = [...new Set([...files.values()].flatMap(placeholdersOf))];
        const problem = files.has(SECRETS.manifest)
          ? `its user-data has a secrets manifest (${SECRETS.manifest}): fetch-secrets writes secrets on it`
          : secrets.length > 0
            ? `its user-data templates the secrets ${secrets.join(', ')}`
            : undefined;
        return judge(node.address, problem, 'no secret template or manifest');
      }),
};
