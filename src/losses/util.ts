// TF1's loss collection utilities (`tf.losses.add_loss`, `get_losses`, `get_regularization_losses`,
// `get_regularization_loss`, `get_total_loss`).
import { InvalidArgumentError } from '../errors';
import { getDefaultGraph } from '../graph/graph';
import { declare, kinds, param } from '../graph/signature';
import { Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor } from '../ops/op_def';
import { addN } from '../ops/array/broadcast';

const LOSSES = 'losses';
const REGULARIZATION_LOSSES = 'regularization_losses';

const scopeKind = kinds.nullable(
  kinds.custom<string>(
    'a regular expression string',
    (v) => typeof v === 'string',
    () => 's',
    true,
  ),
);
const collectionKind = kinds.nullable(
  kinds.custom<string>(
    'a collection name (string)',
    (v) => typeof v === 'string',
    () => 'c',
    true,
  ),
);

/** TF1's `get_collection(key, scope)`: items whose name matches `scope` from the start (`re.match`). */
function collection(key: string, scope: string | null): Tensor[] {
  const items = getDefaultGraph().getCollection<Tensor>(key);
  if (scope === null) return items;
  const re = new RegExp(`^(?:${scope})`);
  return items.filter((t) => typeof (t as { name?: unknown }).name === 'string' && re.test(t.name));
}

/**
 * TF1's `tf.losses.add_loss(loss, loss_collection=tf.GraphKeys.LOSSES)`: adds an externally defined loss
 * to the collection of losses (nothing when `lossCollection` is null).
 *
 * @example
 * tf.losses.addLoss(myLoss);
 */
export const addLoss = declare(
  'addLoss',
  [
    param('loss', kinds.tensor),
    param('lossCollection', collectionKind, { default: LOSSES as string | null }),
  ] as const,
  (a): void => {
    if (a.lossCollection === null) return;
    getDefaultGraph().addToCollection(a.lossCollection, convertToTensor(a.loss as TensorLike));
  },
);

/**
 * TF1's `tf.losses.get_losses(scope=None, loss_collection=tf.GraphKeys.LOSSES)`: the losses in the
 * collection (with `scope`, those whose name matches it from the start).
 *
 * @example
 * const losses = tf.losses.getLosses();
 */
export const getLosses = declare(
  'getLosses',
  [
    param('scope', scopeKind, { default: null }),
    param('lossCollection', kinds.string, { default: LOSSES }),
  ] as const,
  (a): Tensor[] => collection(a.lossCollection, a.scope),
);

/**
 * TF1's `tf.losses.get_regularization_losses(scope=None)`: the `regularization_losses` collection.
 *
 * @example
 * const regs = tf.losses.getRegularizationLosses();
 */
export const getRegularizationLosses = declare(
  'getRegularizationLosses',
  [param('scope', scopeKind, { default: null })] as const,
  (a): Tensor[] => collection(REGULARIZATION_LOSSES, a.scope),
);

/**
 * TF1's `tf.losses.get_regularization_loss(scope=None, name='total_regularization_loss')`: the sum of the
 * regularization losses (a constant 0 when there are none).
 *
 * @example
 * const reg = tf.losses.getRegularizationLoss();
 */
export const getRegularizationLoss = declare(
  'getRegularizationLoss',
  [
    param('scope', scopeKind, { default: null }),
    param('name', kinds.name, { default: 'total_regularization_loss' }),
  ] as const,
  (a): Tensor => {
    const losses = collection(REGULARIZATION_LOSSES, a.scope);
    if (losses.length === 0) return convertToTensor(0, 'float32');
    return addN(losses, a.name);
  },
);

/**
 * TF1's `tf.losses.get_total_loss(add_regularization_losses=True, name='total_loss', scope=None)`: the
 * sum of the `losses` collection plus (by default) the regularization losses. Errors when there is no
 * loss at all, as TF1's `add_n` of an empty list does.
 *
 * @example
 * tf.losses.softmaxCrossEntropy(labels, logits);
 * const total = tf.losses.getTotalLoss();
 */
export const getTotalLoss = declare(
  'getTotalLoss',
  [
    param('addRegularizationLosses', kinds.bool, { default: true }),
    param('name', kinds.name, { default: 'total_loss' }),
    param('scope', scopeKind, { default: null }),
  ] as const,
  (a): Tensor => {
    const losses = collection(LOSSES, a.scope);
    if (a.addRegularizationLosses) losses.push(...collection(REGULARIZATION_LOSSES, a.scope));
    if (losses.length === 0) {
      throw new InvalidArgumentError(
        'get_total_loss: there are no losses (add_n needs at least one tensor): build a tf.losses loss or call tf.losses.addLoss first',
      );
    }
    return addN(losses, a.name);
  },
);
