/** The services whose members must keep a majority while one of them is replaced. */
export type QuorumService = 'zookeeper' | 'mesos-master' | 'marathon';

/** One server Terraform manages on its own (not in an Auto Scaling group), as the roll sees it. */
export interface RollServer {
  /** The model's stable name: `zookeeper-2`, `jenkins-masters-1`, `bastion`. */
  readonly name: string;
  /** What `--role` selects it by: `zookeeper`, `masters`, `marathon`, `control`, a pool, `edge`, `bastion`. */
  readonly role: string;
  /** The quorums it is a member of (a colocated control server is in all three). */
  readonly quorums: readonly QuorumService[];
  /** A Mesos agent: drained before it goes. */
  readonly agent: boolean;
  /** The instance's Terraform address, e.g. `aws_instance.zookeeper-2_instance`. */
  readonly address: string;
  /** The instance and every resource that reads its id (volume attachment, target group attachment...). */
  readonly targets: readonly string[];
  /** The arguments Terraform ignores after creation, as the stack sets them (may hold `${...}` references). */
  readonly desired: Readonly<Record<string, string>>;
}

/** A pool (or the edge) run by an Auto Scaling group: rolled by the group's instance refresh. */
export interface AutoScaledGroup {
  readonly role: string;
  /** `aws_autoscaling_group.pool-builds_group` */
  readonly address: string;
  /** The group's name in AWS. */
  readonly groupName: string;
}

/** Who leads each quorum right now, by server name; undefined when unknown. */
export interface Leaders {
  readonly zookeeper?: string;
  readonly mesos?: string;
  readonly marathon?: string;
}

export interface ReplaceStep {
  readonly kind: 'replace';
  readonly server: RollServer;
  /** Why it is replaced: `ami ami-1 -> ami-2`, or `no state` when nothing could be compared. */
  readonly reasons: readonly string[];
  /** It leads a quorum now. */
  readonly leader: boolean;
}

export interface RefreshStep {
  readonly kind: 'instance-refresh';
  readonly group: AutoScaledGroup;
}

export type RollStep = ReplaceStep | RefreshStep;

export interface RollPlan {
  readonly steps: readonly RollStep[];
  /** Lines said before the steps: no state found, leaders unknown, a field that could not be compared. */
  readonly notes: readonly string[];
  /** Servers considered and found current (for resumability reports). */
  readonly current: readonly string[];
}
