import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { messages } from './messages';
import { joinPath, Problem } from './problems';

/** How far aliases may expand (yaml's own count of resolved aliases); a few shared blocks fit, a bomb does not. */
export const MAX_YAML_ALIAS_EXPANSION = 100;
/** Deeper than any cluster file needs (it is 4 levels deep); keeps a hostile nesting off the stack. */
export const MAX_YAML_DEPTH = 32;

/** The YAML 1.2 core schema's tags: the only ones that mean what a cluster file needs (`!!str 8080`). */
const ALLOWED_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));
/** A key that JavaScript objects treat as their prototype: kept on some resources, dropped from others. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

/**
 * Parses a cluster file's one YAML document into plain data, or lists what is wrong with it:
 * syntax, several documents, duplicate keys (found with one set per mapping, so the work grows
 * linearly with the file; yaml's own `uniqueKeys` compares every pair of keys), keys that are
 * not text, tags outside the core schema (`!!omap`, `!!js/function` would be silently changed
 * or dropped), `__proto__`, and aliases that expand past {@link MAX_YAML_ALIAS_EXPANSION}.
 */
export function parseClusterYaml(text: string): { data: unknown } | { problems: Problem[] } {
  const lineCounter = new LineCounter();
  let documents;
  try {
    documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  } catch (error) {
    if (error instanceof RangeError) return { problems: [{ path: '(yaml)', message: messages.yamlTooDeep(MAX_YAML_DEPTH) }] };
    throw error;
  }
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  if (documents.length > 1) return { problems: [{ path: at(documents[1].range[0]), message: messages.yamlDocuments(documents.length) }] };
  const document = documents[0];
  if (document === undefined) return { data: null };
  const syntax = document.errors.map((e) => ({
    path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(yaml)',
    // The parser recurses per level and reports running out of stack as an error of its own.
    message: e.message.includes('call stack') ? messages.yamlTooDeep(MAX_YAML_DEPTH) : `malformed YAML: ${e.message.split('\n')[0]}`,
  }));
  if (syntax.length > 0) return { problems: syntax };
  const problems: Problem[] = [];
  checkNode(document.contents, '', 0, problems, at);
  if (problems.length > 0) return { problems };
  try {
    return { data: document.toJS({ maxAliasCount: MAX_YAML_ALIAS_EXPANSION }) };
  } catch (error) {
    if (error instanceof ReferenceError) return { problems: [{ path: '(yaml)', message: messages.yamlAliasExpansion(MAX_YAML_ALIAS_EXPANSION) }] };
    throw error;
  }
}

type At = (offset: number) => string;

/** Walks the node tree once: depth, tags, keys and their uniqueness per mapping. */
function checkNode(node: unknown, path: string, depth: number, problems: Problem[], at: At): void {
  if (!(node instanceof Object) || isAlias(node)) return;
  const tag = (node as Node).tag;
  if (tag !== undefined && !ALLOWED_TAGS.has(tag)) {
    problems.push({ path: path || '(root)', message: messages.yamlTag(tag) });
    return;
  }
  if (depth > MAX_YAML_DEPTH) {
    problems.push({ path: path || '(root)', message: messages.yamlTooDeep(MAX_YAML_DEPTH) });
    return;
  }
  if (isSeq(node)) {
    node.items.forEach((item, i) => checkNode(item, joinPath(path, i), depth + 1, problems, at));
  } else if (isMap(node)) {
    const seen = new Map<string, string>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      if (!isScalar(key) || (key.value !== null && typeof key.value === 'object')) {
        const offset = (key as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0;
        problems.push({ path: at(offset), message: messages.yamlComplexKey() });
        continue;
      }
      if (key.tag !== undefined && !ALLOWED_TAGS.has(key.tag)) {
        problems.push({ path: path || '(root)', message: messages.yamlTag(key.tag) });
        continue;
      }
      const name = String(key.value ?? '');
      const where = at(key.range?.[0] ?? 0);
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push({ path: where, message: messages.duplicateKey(name, path, first) });
        continue;
      }
      seen.set(name, where);
      if (FORBIDDEN_KEYS.has(name)) {
        problems.push({ path: joinPath(path, name), message: messages.forbiddenKey(name) });
        continue;
      }
      checkNode(pair.value, joinPath(path, name), depth + 1, problems, at);
    }
  }
}
