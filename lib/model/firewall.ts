import { PORTS, TASK_PORTS } from './ports';
import { Cloud } from './spec';
import { PLAIN_UIS, uiEndpoints, UiTls } from './ui-endpoints';

/**
 * Who may talk to whom, cloud-neutral: each cloud turns these into its own security group rules.
 * Sources are other groups or the operator's admin CIDRs; nothing is open to the whole internet.
 */
export type FirewallGroup = 'bastion' | 'load-balancer' | 'edge-listener' | 'ui-redirect' | 'edge-redirect' | 'edge' | 'zookeeper' | 'mesos-master' | 'marathon' | 'mesos-agent';

/** Sources that are networks, not groups: the admin CIDRs, and the edge's Jenkins users and webhooks. */
export type FirewallCidrSource = 'admin' | 'edge-clients';

export const FIREWALL_GROUPS: readonly FirewallGroup[] = [
  'bastion',
  'load-balancer',
  // A second group on the load balancer for the edge's HTTPS listener: its CIDR rules do not
  // count against the UI group's AWS quota of 60 inbound rules.
  'edge-listener',
  // A third for the plain-HTTP redirect listener, for the same reason: one admin rule per CIDR here.
  'ui-redirect',
  // OpenStack's plain-HTTP listener (the edge's, or the UIs' own without an edge): it admits whom the edge's 443 admits.
  'edge-redirect',
  'edge',
  'zookeeper',
  'mesos-master',
  'marathon',
  'mesos-agent',
];

/**
 * The clouds a group is built on, for groups some cloud has no use for (any other group: every
 * cloud). Both admit a plain-HTTP listener on port 80 that only redirects to HTTPS:
 * - `ui-redirect`, AWS: the UI load balancer's, there with or without an edge (the UIs have a
 *   certificate there), from the admin CIDRs;
 * - `edge-redirect`, OpenStack: an L7 policy to the edge's 443, or without an edge to the
 *   Marathon UI's HTTPS listener, from the admin CIDRs and `edge.cidrs`, as the edge's 443.
 */
export const FIREWALL_GROUP_CLOUDS: Readonly<Partial<Record<FirewallGroup, readonly Cloud[]>>> = {
  'ui-redirect': ['aws'],
  'edge-redirect': ['openstack'],
};

/**
 * The groups built on `cloud`, and the rules between them (and from CIDRs into them); with
 * `tls.marathon`, Marathon's API is open on its HTTPS port only; with `tls.mesos`, nothing of the
 * load balancer's reaches the masters (ui-endpoints.ts).
 */
export function firewallOn(cloud: Cloud, tls: UiTls = PLAIN_UIS): { readonly groups: readonly FirewallGroup[]; readonly rules: readonly FirewallRule[] } {
  const groups = FIREWALL_GROUPS.filter((group) => FIREWALL_GROUP_CLOUDS[group]?.includes(cloud) ?? true);
  const built = (source: FirewallRule['from']) => source === 'admin' || source === 'edge-clients' || groups.includes(source);
  return { groups, rules: firewallRules(tls).filter((rule) => groups.includes(rule.to) && built(rule.from)) };
}

export interface FirewallRule {
  /** Stable rule name, unique per target group; becomes part of the resource address. */
  readonly name: string;
  /** The group the rule admits traffic into. */
  readonly to: FirewallGroup;
  readonly fromPort: number;
  readonly toPort: number;
  /** A group, `admin` for the cluster file's `network.adminCidrs`, or `edge-clients` for `edge.cidrs`. */
  readonly from: FirewallGroup | FirewallCidrSource;
  readonly description: string;
}

const SERVERS: readonly FirewallGroup[] = ['zookeeper', 'mesos-master', 'marathon', 'mesos-agent', 'edge'];

function port(to: FirewallGroup, from: FirewallGroup | FirewallCidrSource, number: number, name: string, description: string): FirewallRule {
  return { name: `${name}-from-${from}`, to, fromPort: number, toPort: number, from, description };
}

/** Marathon's API port and the rules' name for it: plain HTTP, or with `tls.marathon` HTTPS only. */
function marathonApi(tls: UiTls): { readonly port: number; readonly name: string } {
  return tls.marathon ? { port: PORTS.marathonHttps, name: 'marathon-https' } : { port: PORTS.marathonHttp, name: 'marathon-http' };
}

/** Every rule of the model for the cluster's `tls`. */
export function firewallRules(tls: UiTls): readonly FirewallRule[] {
  const uis = uiEndpoints(tls);
  const marathon = marathonApi(tls);
  return [
    port('bastion', 'admin', PORTS.ssh, 'ssh', 'SSH to the bastion from the admin networks'),
    ...uis.map((ui) => port('load-balancer', 'admin', ui.port, `${ui.name}-ui`, `${ui.description} through the load balancer from the admin networks`)),
    port('ui-redirect', 'admin', PORTS.loadBalancerHttp, 'http-redirect', 'Plain HTTP to the load balancer, answered only with a redirect to HTTPS, from the admin networks'),
    ...uis.map((ui) => port(ui.service, 'load-balancer', ui.targetPort, `${ui.name}-ui`, `${ui.description} from the load balancer`)),
    ...SERVERS.map((to) => port(to, 'bastion', PORTS.ssh, 'ssh', 'SSH from the bastion only')),
    ...(['zookeeper', 'mesos-master', 'marathon', 'mesos-agent'] as const).map((from) =>
      port('zookeeper', from, PORTS.zookeeperClient, 'zookeeper-client', `ZooKeeper clients: ${from}`),
    ),
    port('zookeeper', 'zookeeper', PORTS.zookeeperPeer, 'zookeeper-peer', 'ZooKeeper followers to the leader'),
    port('zookeeper', 'zookeeper', PORTS.zookeeperElection, 'zookeeper-election', 'ZooKeeper leader election'),
    port('mesos-master', 'mesos-master', PORTS.mesosMaster, 'mesos-master', 'Mesos masters: replicated log and leader redirects'),
    port('mesos-master', 'mesos-agent', PORTS.mesosMaster, 'mesos-master', 'Mesos agents and the frameworks they run register with the master'),
    port('mesos-master', 'marathon', PORTS.mesosMaster, 'mesos-master', 'Marathon registers with the master'),
    port('mesos-master', 'mesos-agent', PORTS.drainGate, 'drain-gate', 'Mesos agents ask the drain gate to drain or reactivate themselves'),
    // The edge: HTTPS on the load balancer from admins, Jenkins users and webhooks (on OpenStack
    // also plain HTTP, redirected); the load balancer to nginx; nginx to the leaders it routes /mesos and /marathon to.
    port('edge-listener', 'admin', PORTS.edgeHttps, 'edge-https', 'Jenkins masters, /mesos and /marathon through the edge from the admin networks'),
    port('edge-listener', 'edge-clients', PORTS.edgeHttps, 'edge-https', 'Jenkins masters through the edge from Jenkins users and webhooks (edge.cidrs)'),
    port('edge-redirect', 'admin', PORTS.loadBalancerHttp, 'http-redirect', 'Plain HTTP to the edge, answered only with a redirect to HTTPS, from the admin networks'),
    port('edge-redirect', 'edge-clients', PORTS.loadBalancerHttp, 'http-redirect', 'Plain HTTP to the edge, answered only with a redirect to HTTPS, from Jenkins users and webhooks (edge.cidrs)'),
    port('edge', 'edge-listener', PORTS.edgeHttp, 'edge-http', 'The load balancer to the edge nginx'),
    port('mesos-master', 'edge', PORTS.mesosMaster, 'mesos-master', 'The edge routes /mesos to the leading master'),
    port('marathon', 'edge', marathon.port, marathon.name, 'The edge routes /marathon to the Marathon leader'),
    // An SSH SOCKS tunnel through the bastion (ssh -D) for the Mesos UI, which polls the leader
    // and opens sandboxes on agents at their private addresses (docs/ci-platform.md#the-mesos-ui).
    port('mesos-master', 'bastion', PORTS.mesosMaster, 'mesos-ui-tunnel', 'Mesos UI through an SSH tunnel from the bastion'),
    port('mesos-agent', 'bastion', PORTS.mesosAgent, 'mesos-ui-tunnel', 'Mesos UI sandboxes through an SSH tunnel from the bastion'),
    port('marathon', 'bastion', marathon.port, 'marathon-ui-tunnel', 'Marathon UI through an SSH tunnel from the bastion'),
    port('marathon', 'marathon', marathon.port, marathon.name, 'Marathon standbys proxy to the leader'),
    port('marathon', 'mesos-master', PORTS.marathonLibprocess, 'marathon-scheduler', 'Mesos master calls back the Marathon scheduler (LIBPROCESS_PORT)'),
    port('mesos-agent', 'mesos-master', PORTS.mesosAgent, 'mesos-agent', 'Mesos master to the agent'),
    // Task ports between pools are per pool (pool-task-ports.ts): builds reach only their Jenkins master's ports.
    {
      name: 'task-ports-from-marathon',
      to: 'mesos-agent',
      fromPort: TASK_PORTS.from,
      toPort: TASK_PORTS.to,
      from: 'marathon',
      description: 'Marathon health checks of its tasks (HTTP and TCP checks run from the Marathon leader)',
    },
    {
      name: 'task-ports-from-edge',
      to: 'mesos-agent',
      fromPort: TASK_PORTS.from,
      toPort: TASK_PORTS.to,
      from: 'edge',
      description: 'The edge routes to Marathon apps (Jenkins masters) on their task ports',
    },
  ];
}

/** The rules without `tls`. */
export const FIREWALL_RULES: readonly FirewallRule[] = firewallRules(PLAIN_UIS);
