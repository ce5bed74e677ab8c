import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterDiagram } from '../../lib/plan/cluster-diagram';
import { classifyPlan } from '../../lib/plan/cluster-resources';
import { summarizePlan } from '../../lib/plan/plan-summary';
import { summaryMarkdown, summaryText } from '../../lib/plan/summary-markdown';
import { explainProtected } from '../../lib/plan/terraform-refusal';
import { change, group, plan, server, volume } from './plan-fixtures';

const ZK = (n: number, zone: string) => server(`zookeeper-${n}`, 'zookeeper', `10.20.16.${n}`, zone);

describe('plan summary', () => {
  const planned = plan(
    change('a.one', 'aws_instance', ['no-op'], ZK(1, 'us-east-1a'), ZK(1, 'us-east-1a')),
    change('a.two', 'aws_instance', ['delete', 'create'], ZK(2, 'us-east-1b'), ZK(2, 'us-east-1b'), { action_reason: 'replace_by_request' }),
    change('g.b', 'aws_autoscaling_group', ['update'], group('builds', 6), group('builds', 8)),
    change('v.x', 'aws_ebs_volume', ['create'], null, volume('jenkins-masters-4', 'jenkins-masters')),
    change('s.x', 'aws_subnet', ['no-op'], { id: 'subnet-1' }, { id: 'subnet-1' }),
  );
  const summary = summarizePlan('ci-aws', classifyPlan(planned));

  it('counts changes by role and pool and names touched quorum servers and data volumes', () => {
    assert.deepEqual(Object.fromEntries(summary.groups), {
      zookeeper: { create: 0, update: 0, replace: 1, destroy: 0 },
      'pool builds': { create: 0, update: 1, replace: 0, destroy: 0 },
      'pool jenkins-masters': { create: 1, update: 0, replace: 0, destroy: 0 },
    });
    assert.match(summaryText(summary), /quorum servers touched: zookeeper-2 replaced \(requested with -replace\)/);
    assert.match(summaryText(summary), /data volumes touched: jenkins-masters-4-data created/);
  });

  it('draws zones with their servers and pools with counts, the changed ones marked', () => {
    const diagram = clusterDiagram(summary);
    assert.match(diagram, /subgraph n_zone_us_east_1b\["us-east-1b"\]\n    n_zookeeper_2\["zookeeper-2"\]\n  end/);
    assert.match(diagram, /n_pool_builds\[\["pool builds: 6 → 8 agents"\]\]/);
    assert.match(diagram, /class n_zookeeper_2 replace/);
    assert.doesNotMatch(diagram, /class n_zookeeper_1 /);
    assert.match(summaryMarkdown(summary), /```mermaid\nflowchart LR/);
  });

  it('explains a prevent_destroy refusal of a data volume with the safe procedure', () => {
    const refused = summarizePlan('ci-aws', [], [{ address: 'aws_ebs_volume.x', explanation: explainProtected('aws_ebs_volume.x') }]);
    assert.match(summaryMarkdown(refused), /Terraform refused to plan[\s\S]*`aws_ebs_volume.x`: a data volume .* drain it, back the volume up/);
  });
});
