/**
 * lib/emulator/moto-server.ts: moto's own reset empties a running server for a test that needs a
 * clean one. CloudWatch only, so EC2 is never loaded here (a reset EC2 builds its defaults again).
 * The launcher's EC2 correction, made when a request first loads EC2, is proved on a fresh and on
 * a loaded server by moto-saved-state.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { motoQuery } from '../../lib/emulator/moto-query';
import { motoUnavailable, resetMoto, StartedMoto, startMoto } from '../../lib/emulator/moto-server';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = motoUnavailable();

/** Every `<tag>value</tag>` in an answer. */
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

describe('moto from the launcher, reset', gateOn(missing), () => {
  let moto: StartedMoto;
  before(async () => {
    assertToolAvailable(missing);
    moto = await startMoto();
  });
  after(async () => {
    await moto?.stop();
  });

  it('resetMoto empties it: the metric put before is gone', async () => {
    const metrics = async () => all(await motoQuery(moto.endpoint, 'monitoring', '2010-08-01', 'ListMetrics', { Namespace: 'test/reset' }), 'MetricName');
    await motoQuery(moto.endpoint, 'monitoring', '2010-08-01', 'PutMetricData', { Namespace: 'test/reset', 'MetricData.member.1.MetricName': 'm', 'MetricData.member.1.Value': '1' });
    assert.deepEqual(await metrics(), ['m']);
    await resetMoto(moto);
    assert.deepEqual(await metrics(), []);
  });
});
