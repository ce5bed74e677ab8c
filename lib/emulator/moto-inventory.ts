/**
 * What exists in moto, asked of its EC2 query API directly (not through Terraform's state), so a
 * caller can tell "in state" from "in the cloud": instances and security groups by their Name tag,
 * rules by group, ports and source.
 */
import { motoQuery } from './moto-query';

export interface CloudThing {
  readonly id: string;
  readonly name: string | undefined;
  readonly state?: string;
}

/** One EC2 query API call to moto; its XML answer, or an error naming the action and status. */
export function ec2Action(endpoint: string, action: string, params: Record<string, string> = {}): Promise<string> {
  return motoQuery(endpoint, 'ec2', '2016-11-15', action, params);
}

/** The value of tag `key` in one item's XML. */
function tag(itemXml: string, key: string): string | undefined {
  const match = new RegExp(`<item>\\s*<key>${key}</key>\\s*<value>([^<]*)</value>`).exec(itemXml);
  return match?.[1];
}

/** Top-level `<item>` blocks of `<list>`: each holds nested items (tags), so they are cut by depth. */
function items(xml: string, list: string): string[] {
  const start = xml.indexOf(`<${list}>`);
  if (start < 0) return [];
  const found: string[] = [];
  let depth = 0;
  let from = -1;
  const pattern = /<item>|<\/item>|<\/[a-zA-Z]+Set>|<[a-zA-Z]+Set\/>/g;
  pattern.lastIndex = start + list.length + 2;
  for (let m = pattern.exec(xml); m !== null; m = pattern.exec(xml)) {
    if (m[0] === '<item>') {
      if (depth === 0) from = m.index;
      depth += 1;
    } else if (m[0] === '</item>') {
      depth -= 1;
      if (depth === 0) found.push(xml.slice(from, m.index + 7));
    } else if (depth === 0 && m[0] === `</${list}>`) break;
  }
  return found;
}

/** Every instance moto holds that is not terminated, with its Name tag. */
export async function liveInstances(endpoint: string): Promise<CloudThing[]> {
  const xml = await ec2Action(endpoint, 'DescribeInstances');
  return items(xml, 'reservationSet')
    .flatMap((reservation) => items(reservation, 'instancesSet'))
    .map((instance) => ({
      id: /<instanceId>([^<]+)<\/instanceId>/.exec(instance)![1],
      name: tag(instance, 'Name'),
      state: /<instanceState>\s*<code>\d+<\/code>\s*<name>([^<]+)<\/name>/.exec(instance)?.[1],
    }))
    .filter((instance) => instance.state !== 'terminated');
}

/** Every security group moto holds (default groups have no Name tag). */
export async function securityGroups(endpoint: string): Promise<CloudThing[]> {
  const xml = await ec2Action(endpoint, 'DescribeSecurityGroups');
  return items(xml, 'securityGroupInfo').map((group) => ({ id: /<groupId>([^<]+)<\/groupId>/.exec(group)![1], name: tag(group, 'Name') }));
}

export interface CloudRule {
  readonly id: string;
  readonly groupId: string;
  readonly egress: boolean;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly source: string | undefined;
}

/** Every security group rule moto holds, as `aws_vpc_security_group_*_rule` sees one. */
export async function securityGroupRules(endpoint: string): Promise<CloudRule[]> {
  const xml = await ec2Action(endpoint, 'DescribeSecurityGroupRules');
  const field = (item: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(item)?.[1];
  return items(xml, 'securityGroupRuleSet').map((rule) => ({
    id: field(rule, 'securityGroupRuleId')!,
    groupId: field(rule, 'groupId')!,
    egress: field(rule, 'isEgress') === 'true',
    protocol: field(rule, 'ipProtocol')!,
    fromPort: Number(field(rule, 'fromPort')),
    toPort: Number(field(rule, 'toPort')),
    source: field(rule, 'cidrIpv4') ?? /<referencedGroupInfo>[\s\S]*?<groupId>([^<]+)<\/groupId>/.exec(rule)?.[1],
  }));
}
