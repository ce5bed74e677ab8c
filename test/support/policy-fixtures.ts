import assert from 'node:assert/strict';
import { Cloud } from '../../lib/model';
import { PolicyStack } from '../../lib/policy/policy-stack';
import { STACK_READERS } from '../../lib/policy/readers';
import { PolicyRule, RuleResult } from '../../lib/policy/rule';
import { TerraformJson } from '../../lib/policy/terraform-json';

/** A small synthesized stack: `{ resource: { type: { name: body } } }`, read as its cloud reads it. */
export function fixtureStack(json: TerraformJson, cloud: Cloud = 'aws'): PolicyStack {
  const reader = STACK_READERS[cloud];
  if (!reader) throw new Error(`no reader for ${cloud}`);
  return { name: 'fixture', cloud, json, view: reader(json) };
}

/** Every result of the rule on the fixture. */
export function evaluate(rule: PolicyRule, json: TerraformJson): RuleResult[] {
  return rule.evaluate(fixtureStack(json));
}

/** The fixture passes: at least one resource judged and every judged one compliant. */
export function assertPasses(rule: PolicyRule, json: TerraformJson): RuleResult[] {
  const results = evaluate(rule, json);
  assert.ok(results.some((r) => r.outcome === 'compliant'), `nothing judged compliant: ${JSON.stringify(results)}`);
  assert.deepEqual(results.filter((r) => r.outcome === 'non-compliant'), []);
  return results;
}

/** The fixture fails on exactly these resources, each detail matching. */
export function assertFails(rule: PolicyRule, json: TerraformJson, expected: Record<string, RegExp>): void {
  const failing = evaluate(rule, json).filter((r) => r.outcome === 'non-compliant');
  assert.deepEqual(failing.map((r) => r.resource).sort(), Object.keys(expected).sort(), JSON.stringify(failing));
  for (const result of failing) assert.match(result.detail, expected[result.resource]);
}

/** `${type.name.id}`, as cdktf writes a reference. */
export function ref(address: string, attribute = 'id'): string {
  return `\${${address}.${attribute}}`;
}

/** A minimal rendered cloud-config: the facts the readers look for, and files by path. */
export function cloudConfig(facts: Record<string, string>, files: Record<string, string> = {}): string {
  const facts_ = Object.entries(facts).map(([k, v]) => `      ${k}=${v}`).join('\n');
  const rest = Object.entries(files).map(([path, content]) => `  - path: ${path}\n    content: |\n${content.split('\n').filter((l) => l !== '').map((l) => `      ${l}`).join('\n')}`);
  return `#cloud-config\nwrite_files:\n  - path: /etc/mesos-cluster/facts.env\n    content: |\n${facts_}\n${rest.join('\n')}\n`;
}
