import { getDefaultGraph } from './graph';
import { declare, kinds, param } from './signature';

const keyKind = kinds.custom<string>(
  'a collection name (string)',
  (v) => typeof v === 'string',
  () => 'c',
  true,
);
const scopeKind = kinds.nullable(
  kinds.custom<string>(
    'a regular expression string',
    (v) => typeof v === 'string',
    () => 's',
    true,
  ),
);

/** Any value (a string too: it is never taken as an op name). */
const anyValue = kinds.custom<unknown>(
  'any value',
  () => true,
  () => 0,
  true,
);

/** TF1's scope filter: `re.match(scope, item.name)`; items without a string `name` are left out. */
function filterByScope<T>(items: T[], scope: string | null): T[] {
  if (scope === null) return items;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${scope})`);
  } catch {
    throw new TypeError(`getCollection: scope must be a regular expression, got '${scope}'`);
  }
  return items.filter((item) => {
    const name = (item as { name?: unknown } | null)?.name;
    return typeof name === 'string' && re.test(name);
  });
}

/**
 * TF1's `tf.get_collection(key, scope=None)` on the default graph: a copy of the collection's items; with
 * `scope`, only the items whose `name` matches it from the start (a regular expression, as TF1's
 * `re.match`; items without a name are dropped).
 *
 * @example
 * const updateOps = tf.getCollection(tf.GraphKeys.UPDATE_OPS);
 * const layer1Vars = tf.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES, 'layer1');
 */
export const getCollection = declare(
  'getCollection',
  [param('key', keyKind), param('scope', scopeKind, { default: null as string | null })] as const,
  (a): unknown[] => filterByScope(getDefaultGraph().getCollection<unknown>(a.key), a.scope),
);

/**
 * TF1's `tf.get_collection_ref(key)`: the default graph's collection list itself (created empty when
 * missing); changing the array changes the collection.
 *
 * @example
 * tf.getCollectionRef('my_ops').push(op);
 */
export const getCollectionRef = declare(
  'getCollectionRef',
  [param('key', keyKind)] as const,
  (a): unknown[] => getDefaultGraph().getCollectionRef<unknown>(a.key),
);

/**
 * TF1's `tf.add_to_collection(name, value)`: appends `value` to the default graph's collection `name`.
 *
 * @example
 * tf.addToCollection(tf.GraphKeys.LOSSES, loss);
 */
export const addToCollection = declare(
  'addToCollection',
  [param('name', keyKind), param('value', anyValue)] as const,
  (a): void => getDefaultGraph().addToCollection(a.name, a.value),
);

/**
 * TF1's `tf.add_to_collections(names, value)`: appends `value` to each collection in `names` (a name or
 * a list of names; each collection once).
 *
 * @example
 * tf.addToCollections(['a', 'b'], loss);
 */
export const addToCollections = declare(
  'addToCollections',
  [
    param(
      'names',
      kinds.custom<string | string[]>(
        'a collection name or a list of names',
        (v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
        () => ['c'],
        true,
      ),
    ),
    param('value', anyValue),
  ] as const,
  (a): void => {
    const names = typeof a.names === 'string' ? [a.names] : a.names;
    const graph = getDefaultGraph();
    for (const n of new Set(names)) graph.addToCollection(n, a.value);
  },
);
