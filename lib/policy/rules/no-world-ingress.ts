import { judge, PolicyRule } from '../rule';

/** Nothing admits the whole internet: neither 0.0.0.0/0 nor ::/0, nor a network nearly as wide. */
export const noWorldIngress: PolicyRule = {
  id: 'no-world-ingress',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'no ingress from `0.0.0.0/0`, `::/0` or any IPv4 prefix shorter than /8',
  mirrors: {
    checkov: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260', 'CKV_AWS_277'],
    trivy: ['AVD-AWS-0107'],
    kics: ['4728cd65-a20c-49da-8b31-9c08b423e4db'],
  },
  explanation: 'Ingress comes from the admin networks or from the cluster\'s own groups, never from the whole internet',
  fix: 'list the operators\' networks in network.adminCidrs and let only those in',
  evaluate: ({ view }) =>
    view.ingress
      .filter((p) => 'cidr' in p.source)
      .map((p) => {
        const cidr = (p.source as { cidr: string }).cidr;
        return judge(p.address, isWorld(cidr) ? `admits ${cidr} to ports ${p.fromPort}-${p.toPort}` : undefined, `admits only ${cidr}`);
      }),
};

/** IPv4 prefixes shorter than /8 (16 million addresses or more) count as the world; IPv6 shorter than /16 too. */
export function isWorld(cidr: string): boolean {
  const [address, bits] = cidr.split('/');
  const prefix = bits === undefined ? (address.includes(':') ? 128 : 32) : Number(bits);
  return address.includes(':') ? prefix < 16 : prefix < 8;
}
