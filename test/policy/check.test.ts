import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blocksSynth, checkStack, formatFinding } from '../../lib/policy';
import { PolicyRule } from '../../lib/policy/rule';
import { TerraformJson } from '../../lib/policy/terraform-json';

const openVolume: TerraformJson = { resource: { aws_ebs_volume: { data: { encrypted: false } }, aws_s3_bucket: { logs: {} } } };
const rule = (id: string, level: PolicyRule['level'], clouds: PolicyRule['clouds'] = ['aws']): PolicyRule => ({
  id,
  level,
  clouds,
  summary: 'test rule',
  mirrors: { checkov: [], trivy: [], kics: [] },
  explanation: 'test rule',
  fix: `fix ${id}`,
  evaluate: () => [{ resource: 'aws_ebs_volume.data', outcome: 'non-compliant', detail: 'unencrypted' }],
});
const reason = 'a scratch volume that only ever holds build caches';

describe('policy check', () => {
  it('prints a finding as stack, resource, level, rule, detail and fix, and stops the synth on an error', () => {
    const report = checkStack({ name: 'ci', cloud: 'aws', json: openVolume }, [rule('volume-rule', 'error')]);
    assert.deepEqual(report.findings.map(formatFinding), ['ci: aws_ebs_volume.data: error volume-rule: unencrypted. Fix: fix volume-rule']);
    assert.equal(blocksSynth(report), true);
  });

  it('prints warnings but lets the synth go on', () => {
    const report = checkStack({ name: 'ci', cloud: 'aws', json: openVolume }, [rule('volume-rule', 'warning')]);
    assert.match(formatFinding(report.findings[0]), /: warning volume-rule: /);
    assert.equal(blocksSynth(report), false);
  });

  it('runs only the rules that declare the stack\'s cloud', () => {
    const report = checkStack({ name: 'ci', cloud: 'aws', json: openVolume }, [rule('openstack-only', 'error', ['openstack'])]);
    assert.deepEqual(report.findings, []);
  });

  it('keeps a suppressed finding visible with its reason and lets the synth go on', () => {
    const suppressions = [{ rule: 'volume-rule', resource: 'aws_ebs_volume.data', reason }];
    const report = checkStack({ name: 'ci', cloud: 'aws', json: openVolume, suppressions }, [rule('volume-rule', 'error')]);
    assert.deepEqual(report.findings.map(formatFinding), [`ci: aws_ebs_volume.data: suppressed volume-rule: unencrypted (reason: ${reason})`]);
    assert.equal(blocksSynth(report), false);
  });

  it('refuses a suppression of an unknown rule, one without a real reason and one that matches nothing', () => {
    const suppressions = [
      { rule: 'no-such-rule', resource: 'aws_ebs_volume.data', reason },
      { rule: 'volume-rule', resource: 'aws_ebs_volume.data', reason: 'ok' },
      { rule: 'volume-rule', resource: 'aws_ebs_volume.other', reason },
    ];
    const report = checkStack({ name: 'ci', cloud: 'aws', json: openVolume, suppressions }, [rule('volume-rule', 'error')]);
    assert.equal(report.suppressionProblems.length, 3, report.suppressionProblems.join('\n'));
    assert.match(report.suppressionProblems[0], /^ci: policy\.suppressions no-such-rule aws_ebs_volume\.data: no rule "no-such-rule"; rules are volume-rule$/);
    assert.match(report.suppressionProblems[1], /the reason must say why, in at least 20 characters/);
    assert.match(report.suppressionProblems[2], /aws_ebs_volume\.other: matches no finding; remove it/);
    assert.equal(blocksSynth(report), true);
  });
});
