/**
 * Mesos naming rules, from apache/mesos@1.11.0 docs/roles.md and docs/attributes-resources.md
 * (copied into reference/mesos/LAYOUT.md section 4), narrowed to what is safe where the names
 * land: roles in a shell-sourced facts file and in resource file names, attribute names as
 * file names under /etc/mesos-agent/attributes/.
 */

/** Letters, digits, `_`, `.` and `-`: safe unquoted in a shell and as one file name. */
const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

/** `*`, or a safe name that is not `.` or `..` and does not start with `-`. */
export function isValidMesosRole(role: string): boolean {
  if (role === '*') return true;
  return isSafeFileName(role) && !role.startsWith('-');
}

/** A safe name that does not start with `.`: the agent would read `.x` as a hidden file, and skip it. */
export function isValidAttributeName(name: string): boolean {
  return isSafeFileName(name) && !name.startsWith('.');
}

function isSafeFileName(name: string): boolean {
  return SAFE_NAME.test(name) && name !== '.' && name !== '..';
}

/**
 * Text (which also covers plain scalars such as 2 or 1.5) or a range `[a-b]`. Mesos' docs allow
 * scalar, range and text for attributes; a set `{a,b}` parses as a resource but aborts the agent
 * when given as an attribute.
 */
const ATTRIBUTE_TEXT = /^([a-zA-Z0-9_/.-]+|\[\d+-\d+\])$/;
/** A scalar as Mesos parses it: no sign, no exponent; String() must not switch to `1e+21`. */
const ATTRIBUTE_NUMBER = /^\d+(\.\d+)?$/;

export function isValidAttributeValue(value: string | number): boolean {
  if (typeof value === 'number') return ATTRIBUTE_NUMBER.test(String(value));
  return ATTRIBUTE_TEXT.test(value);
}

/** `name:value;name:value`, the form of `--attributes`. */
export function formatAttributes(attributes: Readonly<Record<string, string | number>>): string {
  return Object.entries(attributes)
    .map(([name, value]) => `${name}:${value}`)
    .join(';');
}
