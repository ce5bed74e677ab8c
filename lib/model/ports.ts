/** Well-known ports of the cluster's services, in one place for templates, security groups and tests. */
export const PORTS = {
  ssh: 22,
  zookeeperClient: 2181,
  zookeeperPeer: 2888,
  zookeeperElection: 3888,
  mesosMaster: 5050,
  mesosAgent: 5051,
  marathonHttp: 8080,
  /** Marathon's HTTPS port with `tls.marathon`, which closes marathonHttp. */
  marathonHttps: 8443,
  /**
   * Marathon's scheduler driver (libprocess) port. Pinned so that masters can call back
   * through a firewall; libprocess would otherwise pick a random port.
   */
  marathonLibprocess: 9090,
  /**
   * The Jenkins masters' way to the leading Mesos master, on the loopback of each agent that
   * hosts them (lib/cloud-init/framework-proxy-files.ts): never opened in any firewall.
   */
  frameworkProxy: 5049,
  /**
   * The masters' drain gate (lib/cloud-init/drain-gate-files.ts): agents ask it to drain,
   * reactivate or mark gone themselves; only agents reach it.
   */
  drainGate: 5053,
  /** The edge's nginx, behind the load balancer. */
  edgeHttp: 80,
  /** The load balancer's HTTPS listener for the edge (Jenkins, /mesos, /marathon). */
  edgeHttps: 443,
  /** The UI load balancer's plain-HTTP listener: it only redirects to HTTPS. */
  loadBalancerHttp: 80,
  /**
   * Every Jenkins master's HTTP port (its UI, and where a build's agent fetches agent.jar and
   * its JNLP file) and its TCP inbound-agent port, fixed (lib/apps/jenkins-master-app.ts) so
   * that builds may reach these two ports of the agents hosting Jenkins masters and nothing
   * else of theirs (pool-task-ports.ts). Inside Mesos' task range, so the agents offer them to
   * Marathon; one master per agent, so two masters never want them on one host.
   */
  jenkinsHttp: 31080,
  jenkinsInboundAgent: 31081,
} as const;

/** Mesos' default task port range (apache/mesos@1.11.0 src/slave/constants.hpp DEFAULT_PORTS). */
export const TASK_PORTS = { from: 31000, to: 32000 } as const;
