/**
 * `fn` remembered per text: a synth asks for the same document's result several times (sizes,
 * the stack, the policy rules). Bounded, because a long test run renders thousands of variants
 * where a synth needs a few dozen: past `max` entries the memory starts over.
 */
export function memoByText<T>(fn: (text: string) => T, max = 256): (text: string) => T {
  const results = new Map<string, T>();
  return (text) => {
    let result = results.get(text);
    if (result === undefined) {
      if (results.size > max) results.clear();
      result = fn(text);
      results.set(text, result);
    }
    return result;
  };
}
