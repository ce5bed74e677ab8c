import { compliant, judge, nonCompliant, PolicyRule } from '../rule';

/** Roles that are meant to be reached from the admin networks; load balancers are not nodes. */
const PUBLIC_ROLES = ['bastion'];

/** Only the bastion (and the load balancer, which is not a node) has a public address. */
export const noPublicIp: PolicyRule = {
  id: 'no-public-ip',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'only the bastion has a public address; no subnet hands them out',
  mirrors: {
    checkov: ['CKV_AWS_88', 'CKV_AWS_130', 'CKV_AWS_389'],
    trivy: ['AVD-AWS-0009', 'AVD-AWS-0164'],
    kics: ['5a2486aa-facf-477d-a5c1-b010789459ce'],
  },
  explanation: 'Cluster nodes live in private networks; only the bastion and the load balancer face the internet',
  fix: 'drop the public address (associate_public_ip_address, an elastic or floating IP, map_public_ip_on_launch) and reach the node through the bastion',
  evaluate: ({ view }) => [
    ...view.nodes.map((node) => {
      if (!node.publicAddress) return compliant(node.address, 'no public address');
      return judge(
        node.address,
        PUBLIC_ROLES.includes(node.role ?? '') ? undefined : `a ${node.role ?? 'node'} with a public address`,
        `the ${node.role} is the one node meant to be public`,
      );
    }),
    ...view.autoPublicNetworks.map((network) => nonCompliant(network, 'gives every node launched in it a public address')),
  ],
};
