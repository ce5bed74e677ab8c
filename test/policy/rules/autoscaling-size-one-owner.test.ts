import { describe, it } from 'node:test';
import { autoscalingSizeOneOwner } from '../../../lib/policy/rules/autoscaling-size-one-owner';
import { assertFails, assertPasses, ref } from '../../support/policy-fixtures';

const tracking = (group: string) => ({
  autoscaling_group_name: ref(`aws_autoscaling_group.${group}`, 'name'),
  policy_type: 'TargetTrackingScaling',
  target_tracking_configuration: { target_value: 70 },
});

describe('rule autoscaling-size-one-owner', () => {
  it('passes a tracked group that ignores desired_capacity and a fixed group that does not', () => {
    assertPasses(autoscalingSizeOneOwner, {
      resource: {
        aws_autoscaling_group: { elastic: { desired_capacity: 6, lifecycle: { ignore_changes: ['desired_capacity'] } }, fixed: { desired_capacity: 3 } },
        aws_autoscaling_policy: { usage: tracking('elastic') },
      },
    });
  });

  it('fails a tracked group an apply would size back, and a fixed group a count change would never reach', () => {
    assertFails(
      autoscalingSizeOneOwner,
      {
        resource: {
          aws_autoscaling_group: {
            elastic: { desired_capacity: 6, lifecycle: { ignore_changes: ['max_size'] } },
            fixed: { desired_capacity: 3, lifecycle: { ignore_changes: 'all' } },
          },
          aws_autoscaling_policy: { usage: tracking('elastic') },
        },
      },
      { 'aws_autoscaling_group.elastic': /would set desired_capacity back/, 'aws_autoscaling_group.fixed': /count change would never reach it/ },
    );
  });
});
