/** What differs between two syntheses, each a map of address -> exact JSON text: added, removed and changed addresses. */
export function diffAddresses(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>) {
  return {
    added: [...after.keys()].filter((a) => !before.has(a)).sort(),
    removed: [...before.keys()].filter((a) => !after.has(a)),
    changed: [...before.keys()].filter((a) => after.has(a) && after.get(a) !== before.get(a)),
  };
}
