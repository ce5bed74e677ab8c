/**
 * Every hand-written response the tests serve, with the check that holds it to reference/. A
 * fixture the tests use must be listed here: test/support/fixture-coverage.test.ts fails for a
 * file under test/fixtures (or a module of canned answers) that has no validator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARATHON_LEADER, MASTER_METRICS } from './readiness-responses';
import { marathonTypeProblems } from './marathon-types';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const operatorApi = read('reference/mesos/operator-api.json');
const unknownKeys = (object: object, known: readonly string[], at: string) => Object.keys(object).filter((k) => !known.includes(k)).map((k) => `${at}/${k}: not in the reference`);
const messageFields = (message: string) => Object.keys(operatorApi.messages[message].fields);
/** A reference entry's field names, without its provenance. */
const referenceKeys = (o: object) => Object.keys(o).filter((k) => k !== 'added_by' && k !== 'source');

/** A `GET /master/frameworks` answer: its frameworks and their tasks. */
function frameworksProblems(path: string): string[] {
  const answer = read(path);
  return [
    ...unknownKeys(answer, referenceKeys(operatorApi.master_frameworks_json.fields), ''),
    ...answer.frameworks.flatMap((f: { tasks: object[] }, i: number) => [
      ...unknownKeys(f, referenceKeys(operatorApi.master_frameworks_json.framework_object), `/frameworks/${i}`),
      ...f.tasks.flatMap((t, j) => unknownKeys(t, referenceKeys(operatorApi.master_frameworks_json.task_object), `/frameworks/${i}/tasks/${j}`)),
    ]),
  ];
}

/** Repository path -> problems of the file against reference/ ([] when it holds). */
export const FIXTURE_VALIDATORS: Readonly<Record<string, () => string[]>> = {
  'test/fixtures/mesos/get-agents-agent.json': () => {
    const entry = read('test/fixtures/mesos/get-agents-agent.json');
    return [
      ...unknownKeys(entry, Object.keys(operatorApi.v1_operator_api.calls.GET_AGENTS.response.fields.agents.item_fields), ''),
      ...unknownKeys(entry.agent_info, messageFields('mesos.v1.AgentInfo'), '/agent_info'),
      ...(entry.agent_info.attributes ?? []).flatMap((a: object, i: number) => unknownKeys(a, messageFields('mesos.v1.Attribute'), `/agent_info/attributes/${i}`)),
    ];
  },
  'test/fixtures/mesos/master-slaves-slave.json': () => unknownKeys(read('test/fixtures/mesos/master-slaves-slave.json'), Object.keys(operatorApi.master_state_json.slave_object), ''),
  'test/fixtures/mesos/master-frameworks-framework.json': () =>
    unknownKeys(read('test/fixtures/mesos/master-frameworks-framework.json'), Object.keys(operatorApi.master_frameworks_json.framework_object), ''),
  'test/fixtures/mesos/metrics-snapshot.json': () => unknownKeys(read('test/fixtures/mesos/metrics-snapshot.json'), Object.keys(operatorApi.metrics_snapshot.readiness_keys), ''),
  'test/fixtures/marathon/leader.json': () => marathonTypeProblems(read('test/fixtures/marathon/leader.json'), 'LeaderInfo'),
  'test/fixtures/marathon/no-leader.json': () => marathonTypeProblems(read('test/fixtures/marathon/no-leader.json'), 'Message'),
  'test/fixtures/edge/master-state-summary.json': () => {
    const summary = read('test/fixtures/edge/master-state-summary.json');
    // state-summary adds per-state task counts (TASK_*) and the ids of the other side to each entry.
    const counted = (o: object) => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('TASK_')));
    return [
      ...unknownKeys(summary, referenceKeys(operatorApi.master_state_summary_json.fields), ''),
      ...summary.slaves.flatMap((a: object, i: number) => unknownKeys(counted(a), [...Object.keys(operatorApi.master_state_json.slave_object), 'framework_ids'], `/slaves/${i}`)),
      ...summary.frameworks.flatMap((f: object, i: number) => unknownKeys(counted(f), [...Object.keys(operatorApi.master_frameworks_json.framework_object), 'slave_ids'], `/frameworks/${i}`)),
    ];
  },
  'test/fixtures/edge/master-frameworks-marathon.json': () => frameworksProblems('test/fixtures/edge/master-frameworks-marathon.json'),
  'test/fixtures/edge/master-frameworks-impostor.json': () => frameworksProblems('test/fixtures/edge/master-frameworks-impostor.json'),
  'test/support/readiness-responses.ts': () => [
    ...Object.entries(MASTER_METRICS).flatMap(([name, metrics]) => unknownKeys(metrics, Object.keys(operatorApi.metrics_snapshot.readiness_keys), `MASTER_METRICS.${name}`)),
    ...marathonTypeProblems(MARATHON_LEADER.elected, 'LeaderInfo', 'MARATHON_LEADER.elected'),
    ...marathonTypeProblems(MARATHON_LEADER.none, 'Message', 'MARATHON_LEADER.none'),
  ],
};
