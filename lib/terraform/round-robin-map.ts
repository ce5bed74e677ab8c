import { Fn, forExpression, Op, ref, Token } from 'cdktf';

/**
 * A Terraform expression for `<prefix>-1 .. <prefix>-<count>`, each mapped to one entry of every
 * list in `columns`, round-robin (`columns.x[(n - 1) % length]`): the same placement as the model's
 * agents (`lib/model/topology.ts`). Terraform evaluates it, so the configuration has the same size
 * at 3 agents and at 3,000, while a `for_each` over it still addresses every agent by its name.
 * Growing `count` adds keys and leaves every existing entry as it was.
 */
export function roundRobinMap(prefix: string, count: number, columns: Readonly<Record<string, readonly string[]>>, address?: FixedAddressColumn): string {
  const index = ref('val');
  const entry: Record<string, string> = {};
  for (const [name, values] of Object.entries(columns)) entry[name] = Fn.element([...values], Token.asNumber(index));
  if (address !== undefined) {
    // The k-th agent of a zone takes host firstHost + k of its zone's subnet (lib/model/topology.ts).
    const perZone = Fn.floor(Op.div(index, address.subnetCidrs.length));
    entry[address.column] = Fn.cidrhost(Fn.element([...address.subnetCidrs], Token.asNumber(index)), Op.add(address.firstHost, perZone));
  }
  const key = Fn.format('%s-%d', [prefix, Op.add(index, 1)]);
  return Token.asString(forExpression(Fn.range(0, count), entry, key));
}

/** A column of fixed addresses: agent n of `subnetCidrs`' round-robin takes host `firstHost + floor(n / zones)`. */
export interface FixedAddressColumn {
  readonly column: string;
  readonly subnetCidrs: readonly string[];
  readonly firstHost: number;
}
