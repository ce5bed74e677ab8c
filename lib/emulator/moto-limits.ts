/**
 * What the moto AWS emulator (5.2.1) does not do that AWS does, said plainly to anyone who runs
 * the stacks against it (`npm run sandbox` prints these first). The workarounds the scratch copy
 * applies are in moto-quirks.ts; these are limits no workaround lifts.
 */
export interface EmulatorLimit {
  readonly limit: string;
  /** Where upstream shows it, or what follows for the user. */
  readonly because: string;
}

export const MOTO_LIMITS: readonly EmulatorLimit[] = [
  {
    limit: 'no instance boots: EC2 instances are records with an id and addresses, nothing runs on them',
    because: 'so no cloud-init document runs, no ZooKeeper, Mesos or Marathon starts, and no node joins a cluster',
  },
  {
    limit: 'the outputs name addresses and URLs that nothing answers',
    because: 'the load balancer and the edge exist only as API records',
  },
  {
    limit: 'a few attributes read back differently from AWS and are ignored in the scratch copy',
    because: 'lib/emulator/moto-quirks.ts lists each one and why; plans in the emulator are therefore blind to changes of those attributes',
  },
  {
    limit: 'Data Lifecycle Manager (the volume backups) is not emulated and left out',
    because: 'moto 5.2.1 has no DLM API (moto-quirks.ts, MOTO_DISABLED_RESOURCES)',
  },
  {
    limit: 'the ACM certificate named in the cluster file is replaced by a stand-in certificate',
    because: 'the real one exists only in an AWS account (moto-quirks.ts, MOTO_REPLACED_ARGUMENTS)',
  },
  {
    limit: 'load balancer deletion protection is not enforced',
    because:
      'moto 5.2.1 deletes a protected load balancer (reference/moto/FACTS.md); on AWS the destroy needs an apply with enable_deletion_protection = false first',
  },
];
