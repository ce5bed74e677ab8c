import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readClusterPlan } from '../../lib/plan/plan-verdict';
import { PlanFileError } from '../../lib/plan/plan-json';
import { runTsCli } from '../support/run-cli';
import { change, plan, server } from '../plan/plan-fixtures';

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'check-change.ts');
const dir = mkdtempSync(join(tmpdir(), 'check-change-hostile-'));
const zk2 = server('zookeeper-2', 'zookeeper', '10.20.16.2');
const goodPlan = JSON.stringify(plan(change('aws_instance.zk["2"]', 'aws_instance', ['update'], zk2, zk2)));

/** One hostile plan file per case: what it holds, and the one line check-change must answer with (after `check-change: `). */
const CASES: { name: string; file: string; write?: (file: string) => void; line: RegExp }[] = [
  { name: 'a truncated plan', file: 'truncated.json', write: (f) => writeFileSync(f, goodPlan.slice(0, goodPlan.length / 2)), line: /truncated\.json: not readable as JSON \(.+\); pass the output of `terraform show -json <plan>`$/ },
  { name: 'an empty file', file: 'empty.json', write: (f) => writeFileSync(f, '\n'), line: /empty\.json: not readable as JSON \(the file is empty\)/ },
  { name: 'a huge file', file: 'huge.json', write: (f) => (writeFileSync(f, ''), truncateSync(f, 300 * 1024 * 1024)), line: /huge\.json: is 300 MiB, over the 256 MiB a plan is read up to/ },
  { name: 'a plan of format 2.0', file: 'v2.json', write: (f) => writeFileSync(f, goodPlan.replace('"1.2"', '"2.0"')), line: /v2\.json: not a Terraform plan in JSON format 1\.x; .* \(format_version: "2\.0"\)$/ },
  { name: 'a state, not a plan', file: 'state.json', write: (f) => writeFileSync(f, JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: {} })), line: /state\.json: planned_values: missing: not Terraform's plan JSON format 1\.x/ },
  { name: 'JSON that is a list', file: 'list.json', write: (f) => writeFileSync(f, '[1, 2]'), line: /list\.json: not a Terraform plan in JSON format 1\.x; .* \(format_version: missing\)$/ },
  {
    name: 'an entry whose address is a number and change a string',
    file: 'entry.json',
    write: (f) => writeFileSync(f, JSON.stringify({ format_version: '1.2', planned_values: {}, resource_changes: [{ address: 7, change: 'x' }] })),
    line: /entry\.json: resource_changes\[0\]\.(address: 7 is not a string|mode: missing|type: missing|name: missing|change: "x" is not an object): not Terraform's plan JSON format 1\.x/,
  },
  {
    name: 'an action Terraform does not write',
    file: 'action.json',
    write: (f) => writeFileSync(f, goodPlan.replace('"update"', '"explode"')),
    line: /action\.json: resource_changes\[0\]\.change\.actions\[0\]: "explode" is not one of "no-op", "create", "read", "update", "delete", "forget", "open"/,
  },
  { name: 'a missing file', file: 'missing.json', line: /missing\.json: cannot be read: it does not exist/ },
  { name: 'a folder', file: 'folder', line: /folder: cannot be read: it is a folder;/ },
  {
    name: 'a plan of another stack',
    file: 'other.json',
    write: (f) => writeFileSync(f, JSON.stringify(plan(change('aws_s3_bucket.logs', 'aws_s3_bucket', ['delete'], { id: 'logs', tags: { team: 'web' } }, null)))),
    line: /other\.json: none of its 1 managed resource\(s\) carries the cluster tag this project sets: not a plan of a mesos-cluster stack/,
  },
];

describe('check-change refuses every plan it cannot read, with one line', () => {
  before(() => {
    mkdirSync(join(dir, 'folder'));
    for (const c of CASES) c.write?.(join(dir, c.file));
  });

  for (const c of CASES) {
    it(`${c.name}: one line naming the file and the fault, never a pass`, () => {
      assert.throws(
        () => readClusterPlan(join(dir, c.file)),
        (error: Error) => {
          assert.ok(error instanceof PlanFileError, String(error));
          assert.doesNotMatch(error.message, /\n|undefined|\[object Object\]|NaN/);
          assert.match(error.message, c.line);
          return true;
        },
      );
    });
  }

  it('npm run check-change on such a file: exit 2, the error alone (no usage, no stack, no "pass")', async () => {
    const [entry, missing] = await Promise.all([runTsCli(CLI, [join(dir, 'entry.json')]), runTsCli(CLI, [join(dir, 'missing.json')])]);
    for (const run of [entry, missing]) {
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /^check-change: /);
      assert.doesNotMatch(run.stderr, /usage:|\n\s+at /);
    }
    assert.match(entry.stderr, CASES.find((c) => c.file === 'entry.json')!.line);
  });

  it('still reads a well-formed plan of a cluster stack (the cases above fail for their fault alone)', () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, goodPlan);
    assert.equal(readClusterPlan(file).resource_changes?.length, 1);
  });
});
