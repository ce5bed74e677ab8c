import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { blocks, Block, referencedAddress, resourcesOf } from '../terraform-json';

/**
 * An Auto Scaling group's desired capacity has one owner: its scaling policy, or its count in
 * the cluster file, never both and never neither.
 */
export const autoscalingSizeOneOwner: PolicyRule = {
  id: 'autoscaling-size-one-owner',
  level: 'error',
  clouds: ['aws'],
  mirrors: NO_SCANNER,
  summary: 'a group a target-tracking policy sizes has `lifecycle.ignore_changes = [desired_capacity]`; a group sized by its count has not',
  explanation:
    "A group a target-tracking policy sizes ignores changes to desired_capacity, so a plan after it scaled shows no change and an apply does not undo the policy (or remove agents mid-build); a group sized by its count does not, so a count change in the file reaches it",
  fix: 'elastic pools: lifecycle.ignore_changes = [desired_capacity] on the group; fixed pools and the edge: no such entry (lib/aws/auto-scaled-agent-pool.ts)',
  evaluate: (stack) => {
    const tracked = new Set(
      resourcesOf(stack.json, 'aws_autoscaling_policy')
        .filter(({ body }) => body.policy_type === 'TargetTrackingScaling' || blocks(body.target_tracking_configuration).length > 0)
        .map(({ body }) => referencedAddress(body.autoscaling_group_name)),
    );
    return resourcesOf(stack.json, 'aws_autoscaling_group').map(({ address, body }) => {
      const ignores = ignoresDesiredCapacity(body);
      if (tracked.has(address)) {
        return judge(address, ignores ? undefined : 'a policy sizes it, but an apply would set desired_capacity back', 'sized by its policy; ignores changes to desired_capacity');
      }
      return judge(address, ignores ? 'no policy sizes it, yet it ignores desired_capacity: a count change would never reach it' : undefined, 'sized by its count');
    });
  },
};

function ignoresDesiredCapacity(group: Block): boolean {
  const ignored: unknown = group.lifecycle?.ignore_changes;
  return ignored === 'all' || (Array.isArray(ignored) && ignored.includes('desired_capacity'));
}
