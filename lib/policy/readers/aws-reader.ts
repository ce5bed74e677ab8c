import { unescapeTerraformTemplate } from '../../terraform/escape';
import { ClusterView, IngressPermission, PolicyNode } from '../policy-stack';
import { AddressedBlock, Block, blocks, isTrue, referencedAddress, resourcesOf, TerraformJson } from '../terraform-json';
import { factOf, undoEncodingLayers } from '../user-data-contents';

const LOAD_BALANCERS = ['aws_lb', 'aws_alb', 'aws_elb'];

/** The cloud-neutral view of an AWS stack: instances and launch templates, security groups, subnets. */
export function readAwsStack(json: TerraformJson): ClusterView {
  const subnets = new Map(resourcesOf(json, 'aws_subnet').map((s) => [s.address, s.body]));
  const elasticIps = resourcesOf(json, 'aws_eip').map((e) => referencedAddress(e.body.instance));
  const node = (resource: AddressedBlock, userData: string | undefined, groups: unknown[], isPublic: boolean, subnetRef?: unknown, zone?: string, privateIp?: string): PolicyNode => {
    const tags: Record<string, string> = resource.body.tags ?? {};
    return {
      address: resource.address,
      role: (userData && factOf(userData, 'CLUSTER_NODE_ROLE')) || tags.role,
      services: ((userData && factOf(userData, 'CLUSTER_SERVICES')) || tags.services || '').split(',').filter((s) => s !== ''),
      zone: zone ?? subnets.get(referencedAddress(subnetRef) ?? '')?.availability_zone,
      privateIp,
      userData,
      groups: groups.map(groupAddress),
      publicAddress: isPublic,
      copies: copiesOf(json, resource.body),
    };
  };
  const instances = resourcesOf(json, 'aws_instance').map((i) =>
    node(
      i,
      userDataOf(i.body),
      [...(i.body.vpc_security_group_ids ?? []), ...(i.body.security_groups ?? [])],
      isTrue(i.body.associate_public_ip_address) || elasticIps.includes(i.address),
      i.body.subnet_id,
      i.body.availability_zone,
      i.body.private_ip,
    ),
  );
  const templates = resourcesOf(json, 'aws_launch_template').map((t) => {
    const interfaces = blocks(t.body.network_interfaces);
    return node(
      t,
      typeof t.body.user_data === 'string' ? undoEncodingLayers(t.body.user_data) : undefined,
      [...(t.body.vpc_security_group_ids ?? []), ...interfaces.flatMap((n) => n.security_groups ?? [])],
      interfaces.some((n) => isTrue(n.associate_public_ip_address)),
    );
  });
  return {
    nodes: [...instances, ...templates],
    ingress: awsIngress(json),
    groups: resourcesOf(json, 'aws_security_group', 'aws_default_security_group').map((g) => g.address),
    frontGroups: resourcesOf(json, ...LOAD_BALANCERS).flatMap((lb) => (lb.body.security_groups ?? []).map(groupAddress)),
    zones: [...new Set([...subnets.values()].map((s) => s.availability_zone).filter((z): z is string => typeof z === 'string'))],
    autoPublicNetworks: [...subnets].filter(([, s]) => isTrue(s.map_public_ip_on_launch)).map(([address]) => address),
  };
}

/** 1, a literal `count`, or the size of a `for_each` map written literally or as a literal local. */
function copiesOf(json: TerraformJson, body: Block): number | undefined {
  if (body.count === undefined && body.for_each === undefined) return 1;
  if (typeof body.count === 'number') return body.count;
  const local = /^\$\{local\.([A-Za-z0-9_-]+)\}$/.exec(String(body.for_each))?.[1];
  const map = local === undefined ? body.for_each : (json.locals as Record<string, unknown> | undefined)?.[local];
  if (Array.isArray(map)) return map.length;
  return typeof map === 'object' && map !== null ? Object.keys(map).length : undefined;
}

function userDataOf(instance: Block): string | undefined {
  if (typeof instance.user_data === 'string') return undoEncodingLayers(unescapeTerraformTemplate(instance.user_data));
  if (typeof instance.user_data_base64 === 'string') return undoEncodingLayers(instance.user_data_base64);
  return undefined;
}

/** A group by its resource address when the stack defines it, else the literal id. */
function groupAddress(value: unknown): string {
  return referencedAddress(value) ?? String(value);
}

/** Every ingress permission, from rule resources and inline blocks alike, one per source. */
export function awsIngress(json: TerraformJson): IngressPermission[] {
  const permissions: IngressPermission[] = [];
  const add = (address: string, group: string, rule: Block, sources: IngressPermission['source'][]) => {
    const protocol = String(rule.ip_protocol ?? rule.protocol ?? 'tcp');
    const all = protocol === '-1' || protocol === 'all';
    for (const source of sources) {
      permissions.push({
        address,
        group,
        protocol: all ? 'all' : protocol,
        fromPort: all ? 0 : Number(rule.from_port ?? 0),
        toPort: all ? 65535 : Number(rule.to_port ?? rule.from_port ?? 65535),
        source,
      });
    }
  };
  const sourcesOf = (rule: Block, self: string): IngressPermission['source'][] => [
    ...[rule.cidr_ipv4, rule.cidr_ipv6, ...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])].filter((c) => typeof c === 'string').map((cidr) => ({ cidr })),
    ...[rule.referenced_security_group_id, rule.source_security_group_id, ...(rule.security_groups ?? [])].filter((g) => g !== undefined).map((g) => ({ group: groupAddress(g) })),
    ...(isTrue(rule.self) ? [{ group: self }] : []),
    ...[rule.prefix_list_id, ...(rule.prefix_list_ids ?? [])].filter((p) => p !== undefined).map((p) => ({ other: `prefix list ${p}` })),
  ];
  for (const rule of resourcesOf(json, 'aws_vpc_security_group_ingress_rule')) {
    const group = groupAddress(rule.body.security_group_id);
    add(rule.address, group, rule.body, sourcesOf(rule.body, group));
  }
  for (const rule of resourcesOf(json, 'aws_security_group_rule').filter((r) => r.body.type === 'ingress')) {
    const group = groupAddress(rule.body.security_group_id);
    add(rule.address, group, rule.body, sourcesOf(rule.body, group));
  }
  for (const group of resourcesOf(json, 'aws_security_group', 'aws_default_security_group')) {
    for (const inline of blocks(group.body.ingress)) add(group.address, group.address, inline, sourcesOf(inline, group.address));
  }
  return permissions;
}
