/** What differs between two syntheses, each a map of address -> exact JSON text: added, removed and changed addresses. */
export function diffAddresses(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>) {
  return {
    added: [...after.keys()].filter((a) => !before.has(a)).sort(),
    removed: [...before.keys()].filter((a) => !after.has(a)),
    changed: [...before.keys()].filter((a) => after.has(a) && after.get(a) !== before.get(a)),
  };
}

/** The parts of a synthesized stack that carry Terraform addresses. */
export interface AddressedStack {
  readonly locals?: Record<string, unknown>;
  readonly resource: Record<string, Record<string, unknown>>;
  readonly output: Record<string, unknown>;
}

/** Every resource, local and output of a synthesized stack by address, as its exact JSON text. */
export function addressTexts(json: AddressedStack): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(json.locals ?? {})) out.set(`local.${name}`, JSON.stringify(value));
  for (const [type, byName] of Object.entries(json.resource)) {
    for (const [name, config] of Object.entries(byName)) out.set(`${type}.${name}`, JSON.stringify(config));
  }
  for (const [name, config] of Object.entries(json.output)) out.set(`output.${name}`, JSON.stringify(config));
  return out;
}
