/**
 * A JSON value's fields as JSON pointers ('[]' for any array element) with their JSON types: the
 * form reference/openstack-api/ records response shapes in, so an answer can be held to them.
 */
export type FieldTypes = Readonly<Record<string, readonly string[]>>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function fieldsOf(value: unknown, path = ''): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const visit = (v: unknown, at: string) => {
    const key = at === '' ? '/' : at;
    if (!found.has(key)) found.set(key, new Set());
    found.get(key)!.add(typeOf(v));
    if (Array.isArray(v)) for (const item of v) visit(item, `${at}/[]`);
    else if (typeof v === 'object' && v !== null) for (const [k, item] of Object.entries(v)) visit(item, `${at}/${k}`);
  };
  visit(value, path);
  return found;
}

/** The fields of `value` the reference does not list, or lists with another type: `pointer: type`. */
export function fieldsNotIn(value: unknown, reference: FieldTypes, path = ''): string[] {
  const problems: string[] = [];
  for (const [pointer, types] of fieldsOf(value, path)) {
    for (const type of types) if (!(reference[pointer] ?? []).includes(type)) problems.push(`${pointer}: ${type}`);
  }
  return problems;
}
