/**
 * TF1's keyword forms for session calls whose positional argument is itself a plain object:
 * `sess.run(fetches, { feedDict })` and `t.eval({ feedDict, session })` next to
 * `sess.run(fetches, { 'x:0': ... })`. A plain object is read as keyword arguments only when every key is
 * one of the call's keyword names and none of those keys names an operation of the graph; a key that is
 * both is ambiguous and a TypeError (pass the feed dict as a Map, or positionally).
 */
import type { Graph } from '../graph/graph';
import { isOptionsObject } from '../graph/signature';

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The keyword arguments in `v` (keys normalized to camelCase), or undefined when `v` is not a keyword
 * object. `fn` names the call in errors; `keywords` are its camelCase keyword names.
 */
export function keywordArgs(
  fn: string,
  graph: Graph,
  v: unknown,
  keywords: readonly string[],
): Record<string, unknown> | undefined {
  if (!isOptionsObject(v)) return undefined;
  const keys = Object.keys(v);
  const camel = new Map<string, string>();
  for (const k of keywords) {
    camel.set(k, k);
    camel.set(snake(k), k);
  }
  if (keys.length === 0 || !keys.every((k) => camel.has(k))) return undefined;
  const clash = keys.filter((k) => namesOperation(graph, k));
  if (clash.length > 0) {
    throw new TypeError(
      `${fn}: ambiguous object argument: '${clash.join("', '")}' is both a keyword argument of ${fn} and the name of an operation in the graph. ` +
        `Pass the feed dict as a Map (new Map([[tensor, value]])) or by position.`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const name = camel.get(k) as string;
    if (name in out) throw new TypeError(`${fn} got multiple values for argument '${name}'`);
    out[name] = (v as Record<string, unknown>)[k];
  }
  return out;
}

function namesOperation(graph: Graph, key: string): boolean {
  try {
    graph.getOperationByName(key);
    return true;
  } catch {
    return false;
  }
}
