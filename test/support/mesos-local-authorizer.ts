/**
 * The Mesos 1.11 local authorizer's decision for the operator calls the stand-in master serves,
 * as recorded in reference/mesos/operator-call-authorization.json (first applying entry decides;
 * none: the permissive flag). Lets ReferenceShapedMesosMaster answer 403 where real masters would.
 */
import reference from '../../reference/mesos/operator-call-authorization.json';

type Entity = { readonly values?: readonly string[]; readonly type?: string };
type Kind = 'SOME' | 'ANY' | 'NONE';
const kindOf = (entity: Entity): Kind => (entity.values !== undefined ? 'SOME' : (entity.type as Kind));
const subset = (request: Entity, entry: Entity) => (request.values ?? []).every((v) => (entry.values ?? []).includes(v));

function lookup(table: Record<string, Record<string, boolean | string>>, request: Entity, entry: Entity): boolean {
  const cell = table[kindOf(request)][kindOf(entry)];
  return typeof cell === 'boolean' ? cell : subset(request, entry);
}

const matches = (request: Entity, entry: Entity) => lookup(reference.decision.matches.table, request, entry);
const allows = (request: Entity, entry: Entity) => lookup(reference.decision.allows.table, request, entry);

/** Whether `principal` (undefined: unauthenticated) may do `action` on an implicit (ANY) object under `acls`. */
export function authorized(acls: Record<string, unknown>, action: string, principal: string | undefined): boolean {
  const subject: Entity = principal === undefined ? { type: 'ANY' } : { values: [principal] };
  const object: Entity = { type: 'ANY' };
  for (const entry of (acls[action] ?? []) as Record<string, Entity>[]) {
    const [subjects, objects] = [entry.principals, Object.entries(entry).find(([k]) => k !== 'principals')![1]];
    if (matches(subject, subjects) && matches(object, objects)) return allows(subject, subjects) && allows(object, objects);
  }
  return acls.permissive !== false;
}

/** The ACL actions a v1 call needs (DRAIN_AGENT with mark_gone needs mark_agents_gone too), or undefined if none recorded. */
export function actionsFor(call: { type: string; drain_agent?: { mark_gone?: boolean } }): string[] | undefined {
  const recorded = (reference.calls as Record<string, { actions: string[]; also_when_mark_gone?: string[] }>)[call.type];
  if (recorded === undefined) return undefined;
  return [...recorded.actions, ...(call.drain_agent?.mark_gone ? (recorded.also_when_mark_gone ?? []) : [])];
}

export const FORBIDDEN = reference.refusal;
