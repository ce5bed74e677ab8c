import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ALL_RULES } from '../../lib/policy';

const ROOT = join(__dirname, '..', '..');
const IGNORE_FILE = '.trivyignore.yaml';

interface IgnoredCheck {
  readonly id: string;
  readonly statement?: string;
}

const ignored: IgnoredCheck[] = parse(readFileSync(join(ROOT, IGNORE_FILE), 'utf8')).misconfigurations;
/** trivy-checks 2.x names a check AWS-nnnn; before, AVD-AWS-nnnn (still its alias). */
const checkNumber = (id: string) => id.replace(/^AVD-/, '');

describe(`the scanner's accepted findings (${IGNORE_FILE})`, () => {
  it('lists only trivy AWS checks, each with a written reason', () => {
    assert.ok(ignored.length > 0);
    for (const { id, statement } of ignored) {
      assert.match(id, /^(AVD-)?AWS-\d{4}$/);
      assert.ok((statement ?? '').length >= 20, `${id}: no reason given`);
    }
  });

  it('lists each check under its current and its former id', () => {
    const ids = new Set(ignored.map((c) => c.id));
    for (const id of ids) assert.ok(ids.has(id.startsWith('AVD-') ? checkNumber(id) : `AVD-${id}`), id);
  });

  it('accepts no finding that a policy rule claims to mirror', () => {
    const mirrored = new Map(ALL_RULES.flatMap((rule) => rule.mirrors.trivy.map((t) => [checkNumber(t), rule.id] as const)));
    for (const { id } of ignored) assert.equal(mirrored.get(checkNumber(id)), undefined, `${id} is ignored but rule ${mirrored.get(checkNumber(id))} mirrors it`);
  });

  it('is what the pull request workflow scans with, through an action pinned by commit and a pinned trivy', () => {
    const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'pull-request.yml'), 'utf8'));
    const step = (workflow.jobs.plan.steps as { uses?: string; with?: Record<string, string> }[]).find((s) => s.uses?.startsWith('aquasecurity/trivy-action@'));
    assert.match(step?.uses ?? '', /^aquasecurity\/trivy-action@[0-9a-f]{40}$/);
    assert.deepEqual(
      { ...step?.with, version: step?.with?.version?.replace(/\d+/g, 'N') },
      { version: 'vN.N.N', 'scan-type': 'config', 'scan-ref': 'cdktf.out/stacks', severity: 'HIGH,CRITICAL', 'exit-code': '1', trivyignores: IGNORE_FILE },
    );
  });
});
