/**
 * Mesos naming rules, from apache/mesos@1.11.0 docs/roles.md and docs/attributes-resources.md
 * (copied into reference/mesos/LAYOUT.md section 4).
 */

/** `*` or a role name that is a valid directory name. */
export function isValidMesosRole(role: string): boolean {
  if (role === '*') return true;
  if (role === '' || role === '.' || role === '..' || role.startsWith('-')) return false;
  // No slash, backspace, whitespace or other control characters.
  return !/[/\s\u0000-\u001f\u007f]/.test(role);
}

const TEXT = '[a-zA-Z0-9_/.-]+';
const ATTRIBUTE_NAME = new RegExp(`^${TEXT}$`);
const ATTRIBUTE_VALUE = new RegExp(
  [
    `^${TEXT}$`, // text (also covers plain scalars such as 2 or 1.5)
    '^\\[\\d+-\\d+\\]$', // range
    `^\\{${TEXT}(,${TEXT})*\\}$`, // set
  ].join('|'),
);

export function isValidAttributeName(name: string): boolean {
  return ATTRIBUTE_NAME.test(name);
}

export function isValidAttributeValue(value: string | number): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0;
  return ATTRIBUTE_VALUE.test(value);
}

/** `name:value;name:value`, the form of `--attributes`. */
export function formatAttributes(attributes: Readonly<Record<string, string | number>>): string {
  return Object.entries(attributes)
    .map(([name, value]) => `${name}:${value}`)
    .join(';');
}
