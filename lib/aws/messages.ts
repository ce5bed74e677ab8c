import { show } from '../model/problems';

/** The messages of AWS's own rules, as named functions (the neutral ones are in lib/model/messages.ts). */
export const awsMessages = {
  forbiddenNamePrefix: (value: string, prefix: string, why: string) =>
    `${show(value)} starts with ${show(prefix)}: ${why}, and the cluster name begins those names`,
  zoneOutsideRegion: (zone: string, region: string) =>
    `zone ${show(zone)} is not in region ${show(region)} (aws.region): AWS zone names are the region's name and a letter, e.g. ${region}a, or a local zone, e.g. ${region}-bos-1a`,
  zonesForLoadBalancer: (count: number) =>
    `${count} zone given: AWS application load balancers need subnets in at least 2 zones`,
  tagLength: (what: 'key' | 'value', value: string, length: number, allowed: string) =>
    `tag ${what} ${show(value)} has ${length} character(s); AWS allows ${allowed}`,
  tagCharacters: (what: 'key' | 'value', value: string, bad: readonly string[]) =>
    `tag ${what} ${show(value)} has ${bad.map((c) => show(c)).join(', ')}: AWS allows only letters, digits, spaces and _ . : / = + - @`,
  tagAwsPrefix: (key: string) => `tag key ${show(key)} starts with "aws:", which AWS reserves for its own tags`,
  reservedTagKey: (key: string, reserved: readonly string[]) =>
    `tag key ${show(key)} is set by the stack itself (reserved: ${reserved.join(', ')})`,
  tooManyTags: (count: number, max: number, reserved: readonly string[]) =>
    `${count} tags given; at most ${max}: AWS allows 50 per resource and the stack adds its own (${reserved.join(', ')})`,
  awsName: (value: string, what: string) => `${show(value)} is not ${what}`,
  tooManyAdminCidrs: (count: number, max: number, perCidr: number, quota: number) =>
    `${count} admin CIDRs given; at most ${max}: each takes ${perCidr} rules in the load balancer's security group and AWS allows ${quota} inbound rules per group; list fewer, broader office or VPN ranges`,
  requiredFor: (why: string) => `is required when cloud is aws (${why})`,
  alarmTopicInOtherRegion: (topicRegion: string, region: string) =>
    `the SNS topic is in ${topicRegion}, but CloudWatch alarms notify topics of their own region only, ${region} (aws.region): create the topic in ${region}`,
  certificateInOtherRegion: (certificateRegion: string, region: string) =>
    `the ACM certificate is in ${certificateRegion}, but the load balancer runs in ${region} (aws.region): request or import the certificate in ${region}`,
};
