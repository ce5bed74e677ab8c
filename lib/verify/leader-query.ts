import { PORTS } from '../model';
import { isRefusal, OperatorCredentials, refusedState } from './credentials';
import { MasterState } from './mesos-check';
import { HttpsTrust, Transport } from './transport';

/** What the leading master answered, or why there is nothing (a check's summary when it fails). */
export type LeaderAnswer<T> = { readonly value: T } | { readonly failure: string };

/**
 * `GET <path>` on the one elected master (leader-only endpoints redirect elsewhere), as the
 * operator principal when its credentials are known; `pick` takes what the check reads from the
 * JSON body, or undefined when it is not there. `what` completes "<master> did not ...", e.g.
 * `list its agents`. `https` as masterStates asked (mesos-https.ts).
 */
export async function askLeader<T>(
  transport: Transport,
  masters: readonly MasterState[],
  request: { readonly path: string; readonly what: string; readonly pick: (body: any) => T | undefined },
  credentials: OperatorCredentials,
  https?: HttpsTrust,
): Promise<LeaderAnswer<T>> {
  const leaders = masters.filter((m) => m.elected);
  if (leaders.length !== 1) return { failure: 'no single leading master to ask' };
  const leader = leaders[0].master;
  const answer = await transport.httpGet(leader.privateIp, PORTS.mesosMaster, request.path, credentials.mesos, https);
  if (answer && isRefusal(answer.status)) return { failure: `${leader.name}: ${refusedState(answer.status, credentials.mesos, credentials.source)}` };
  let value: T | undefined;
  try {
    if (answer?.status === 200) value = request.pick(JSON.parse(answer.body) ?? {});
  } catch {
    value = undefined;
  }
  return value === undefined ? { failure: `${leader.name} did not ${request.what}` } : { value };
}

/** `value` when it is an array, else undefined (a body without the list a check reads). */
export const asArray = <T>(value: unknown): T[] | undefined => (Array.isArray(value) ? (value as T[]) : undefined);
