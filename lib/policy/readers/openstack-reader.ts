import { unescapeTerraformTemplate } from '../../terraform/escape';
import { ClusterView, IngressPermission, PolicyNode } from '../policy-stack';
import { Block, blocks, referencedAddress, resourcesOf, TerraformJson } from '../terraform-json';
import { factOf, undoEncodingLayers } from '../user-data-contents';

const INSTANCE = 'openstack_compute_instance_v2';
const PORT = 'openstack_networking_port_v2';
const GROUP = 'openstack_networking_secgroup_v2';

/**
 * The cloud-neutral view of an OpenStack stack: servers with the ports they are plugged into
 * (which carry their addresses and security groups), security group rules, floating IPs.
 */
export function readOpenStackStack(json: TerraformJson): ClusterView {
  const ports = new Map(resourcesOf(json, PORT).map((p) => [p.address, p.body]));
  const floating = new Set(resourcesOf(json, 'openstack_networking_floatingip_associate_v2').map((a) => referencedAddress(a.body.port_id)));
  const nodes = resourcesOf(json, INSTANCE).map((instance): PolicyNode => {
    // A for_each instance plugs into its own key's port of a for_each port resource.
    const portAddresses = blocks(instance.body.network).map((n) => referencedAddress(typeof n.port === 'string' ? n.port.replace('[each.key]', '') : n.port)).filter((a): a is string => a !== undefined);
    const plugged = portAddresses.map((a) => ports.get(a)).filter((p): p is Block => p !== undefined);
    const userData = typeof instance.body.user_data === 'string' ? undoEncodingLayers(unescapeTerraformTemplate(instance.body.user_data)) : undefined;
    const metadata: Record<string, string> = instance.body.metadata ?? {};
    return {
      address: instance.address,
      role: (userData && factOf(userData, 'CLUSTER_NODE_ROLE')) || metadata.role,
      services: ((userData && factOf(userData, 'CLUSTER_SERVICES')) || metadata.services || '').split(',').filter((s) => s !== ''),
      zone: literal(instance.body.availability_zone),
      privateIp: literal(plugged.flatMap((p) => blocks(p.fixed_ip)).map((f) => f.ip_address)[0]),
      userData,
      groups: [...plugged.flatMap((p) => p.security_group_ids ?? []), ...(instance.body.security_groups ?? [])].map(groupAddress),
      publicAddress: portAddresses.some((a) => floating.has(a)),
      // A for_each over a Terraform expression (the pool's agents map): only Terraform can count it.
      copies: instance.body.for_each === undefined && instance.body.count === undefined ? 1 : undefined,
    };
  });
  return {
    nodes,
    ingress: openstackIngress(json),
    groups: resourcesOf(json, GROUP).map((g) => g.address),
    frontGroups: resourcesOf(json, 'openstack_lb_loadbalancer_v2').flatMap((lb) => (lb.body.security_group_ids ?? []).map(groupAddress)),
    zones: [...new Set(nodes.map((n) => n.zone).filter((z): z is string => z !== undefined))],
    // The cluster's subnets are on its own network; only a floating IP makes an address public.
    autoPublicNetworks: [],
  };
}

/** Every ingress rule, one per source. Neutron reads a rule without a remote as open to every address. */
export function openstackIngress(json: TerraformJson): IngressPermission[] {
  return resourcesOf(json, 'openstack_networking_secgroup_rule_v2')
    .filter((rule) => rule.body.direction === 'ingress')
    .map((rule) => {
      const body = rule.body;
      const protocol = typeof body.protocol === 'string' && body.protocol !== '' ? body.protocol : 'all';
      const ranged = body.port_range_min !== undefined && protocol !== 'all';
      const source: IngressPermission['source'] =
        body.remote_group_id !== undefined
          ? { group: groupAddress(body.remote_group_id) }
          : body.remote_address_group_id !== undefined
            ? { other: `address group ${body.remote_address_group_id}` }
            : { cidr: typeof body.remote_ip_prefix === 'string' ? body.remote_ip_prefix : body.ethertype === 'IPv6' ? '::/0' : '0.0.0.0/0' };
      return {
        address: rule.address,
        group: groupAddress(body.security_group_id),
        protocol,
        fromPort: ranged ? Number(body.port_range_min) : 0,
        toPort: ranged ? Number(body.port_range_max ?? body.port_range_min) : 65535,
        source,
      };
    });
}

function groupAddress(value: unknown): string {
  return referencedAddress(value) ?? String(value);
}

/** A value written in the configuration, not a Terraform expression (`${each.value.zone}`). */
function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}
