import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JENKINS_PRINCIPAL, MARATHON_PRINCIPAL, OPERATOR_PRINCIPAL } from '../../lib/model';
import reference from '../../reference/mesos/operator-call-authorization.json';
import { authorized } from './mesos-local-authorizer';
import { ReferenceShapedMesosMaster, testMesosSecret } from './reference-shaped-mesos';

const v1 = (master: ReferenceShapedMesosMaster, principal: string, call: object) =>
  fetch(`http://${master.address}/api/v1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${principal}:${testMesosSecret(principal)}`).toString('base64')}` },
    body: JSON.stringify(call),
  });

describe("the stand-in master's authorization: Mesos 1.11's local authorizer as reference/mesos/operator-call-authorization.json records it", () => {
  it('the first entry whose subject and object match decides; none: the permissive flag', () => {
    const acls = { permissive: false, drain_agents: [{ principals: { values: ['a'] }, agents: { type: 'NONE' } }, { principals: { type: 'ANY' }, agents: { type: 'ANY' } }] };
    assert.equal(authorized(acls, 'drain_agents', 'a'), false, 'a hits NONE first');
    assert.equal(authorized(acls, 'drain_agents', 'b'), true);
    assert.equal(authorized(acls, 'drain_agents', undefined), true, 'an unauthenticated subject (ANY) matches the ANY entry');
    assert.equal(authorized({ permissive: false }, 'drain_agents', 'b'), false);
    assert.equal(authorized({ permissive: true }, 'drain_agents', 'b'), true);
    assert.equal(authorized({ permissive: false, drain_agents: [{ principals: { values: ['a'] }, agents: { type: 'ANY' } }] }, 'drain_agents', undefined), false, 'ANY does not match SOME: no entry applies');
  });

  let master: ReferenceShapedMesosMaster;
  before(async () => {
    master = await ReferenceShapedMesosMaster.start({
      elected: true,
      principals: [OPERATOR_PRINCIPAL, 'agent-builds', MARATHON_PRINCIPAL, JENKINS_PRINCIPAL],
      agents: [{ id: 'a-S1', hostname: '10.20.64.11', pool: 'builds' }],
    });
  });
  after(() => master.close());

  it("answers 403 where the example cluster's rendered --acls refuse: neither frameworks nor agents may drain or reactivate agents, the operator may", async () => {
    const drain = { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'a-S1' }, mark_gone: true } };
    // Agents drain through the masters' drain gate, which calls as the operator (mesos-acls.ts).
    const refused = [MARATHON_PRINCIPAL, JENKINS_PRINCIPAL, 'agent-builds'];
    for (const principal of refused) {
      for (const call of [drain, { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: 'a-S1' } } }]) {
        const answer = await v1(master, principal, call);
        assert.equal(answer.status, reference.refusal.status, `${call.type} by ${principal}`);
        assert.equal(await answer.text(), reference.refusal.body);
      }
    }
    assert.deepEqual(master.calls, [], 'nothing refused reached the master');
    assert.equal((await v1(master, OPERATOR_PRINCIPAL, drain)).status, 200);
    assert.equal((await v1(master, OPERATOR_PRINCIPAL, { type: 'GET_AGENTS' })).status, 200);
    assert.deepEqual(master.forbidden, refused.flatMap((principal) => [`DRAIN_AGENT by ${principal}`, `REACTIVATE_AGENT by ${principal}`]));
  });
});
