/**
 * Terraform reads `${` and `%{` in any string of a configuration as template syntax. Text that
 * must reach a server verbatim (shell in user-data, such as `${VAR}`) escapes them as `$${`
 * and `%%{`, Terraform's own escapes for a literal `${` and `%{`.
 */
export function escapeTerraformTemplate(text: string): string {
  // Replacer functions: in a replacement string `$$` would itself mean one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** The inverse, as Terraform applies it when it evaluates the string. */
export function unescapeTerraformTemplate(text: string): string {
  return text.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}

/**
 * `value` with every string in it, keys included, escaped for Terraform: what came from a cluster
 * file reaches the plan literally even if validation let a `${` through. For plain data (objects,
 * arrays, strings, numbers, booleans), such as a resolved cluster; other values are kept as they are.
 */
export function escapeTemplateStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeTerraformTemplate(value) as T;
  if (Array.isArray(value)) return value.map((item) => escapeTemplateStrings(item)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [escapeTerraformTemplate(key), escapeTemplateStrings(item)])) as T;
  }
  return value;
}
