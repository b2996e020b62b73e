/**
 * `tf.InteractiveSession` and the session side of `Tensor.eval` / `Operation.run` (installed into the
 * graph floor as hooks: graph code never imports the session).
 */
import { installSessionMethods, Operation, Tensor } from '../graph/tensor';
import type { NDArray } from '../ndarray';
import { keywordArgs } from './call_args';
import { getDefaultSession, pushDefaultSession, removeDefaultSession } from './default_session';
import type { FeedDict } from './feeds';
import { Session, SessionOptions } from './session';

export { getDefaultSession } from './default_session';

/**
 * A Session that makes itself the default session when built (TF1's `tf.InteractiveSession`), so that
 * `tensor.eval()` and `op.run()` need no session argument — for REPLs and notebooks. `close()` removes
 * it from the default-session stack.
 *
 * @example
 * const sess = new tf.InteractiveSession();
 * const a = tf.constant([1, 2]);
 * a.mul(2).eval().toArray(); // [2, 4]
 * sess.close();
 */
export class InteractiveSession extends Session {
  constructor(options?: SessionOptions) {
    super(options);
    pushDefaultSession(this);
  }

  override close(): void {
    removeDefaultSession(this);
    super.close();
  }
}

interface Resolved {
  feedDict: FeedDict | undefined;
  session: Session;
}

/** Reads `eval`/`run`'s `(feedDict?, session?)` in every form `Tensor.eval` documents. */
function resolve(target: Tensor | Operation, what: 'eval' | 'run', args: readonly unknown[]): Resolved {
  const fn = target instanceof Tensor ? 'Tensor.eval()' : 'Operation.run()';
  let [feedDict, session] = args;
  if (feedDict instanceof Session) {
    // Variable.eval(session) in TF1; also unambiguous for tensors (a Session is never a feed dict).
    if (session !== undefined && session !== null)
      throw new TypeError(`${fn} got two sessions: pass eval(feedDict, session) or eval(session)`);
    session = feedDict;
    feedDict = undefined;
  } else {
    const kw = keywordArgs(fn, target.graph, feedDict, ['feedDict', 'session']);
    if (kw) {
      if (session !== undefined && session !== null)
        throw new TypeError(`${fn}: keyword arguments must be the last argument`);
      feedDict = kw.feedDict;
      session = kw.session;
    }
  }
  if (session !== undefined && session !== null && !(session instanceof Session))
    throw new TypeError(`${fn}: argument 'session' must be a tf.Session, got ${typeof session}`);
  if (feedDict !== undefined && feedDict !== null && typeof feedDict !== 'object')
    throw new TypeError(
      `${fn}: argument 'feedDict' must be a Map, an array of [tensor, value] pairs or an object keyed by tensor names, got ${typeof feedDict}`,
    );
  const sess = (session as Session | null | undefined) ?? getDefaultSession();
  if (!sess) {
    throw new Error(
      what === 'eval'
        ? 'Cannot evaluate tensor using `eval()`: No default session is registered. Use `with sess.as_default()` or pass an explicit session to `eval(session=sess)`'
        : 'Cannot execute operation using `run()`: No default session is registered. Use `with sess.as_default():` or pass an explicit session to `run(session=sess)`',
    );
  }
  if (sess.graph !== target.graph) {
    throw new Error(
      what === 'eval'
        ? "Cannot use the given session to evaluate tensor: the tensor's graph is different from the session's graph."
        : "Cannot use the given session to execute operation: the operation's graph is different from the session's graph.",
    );
  }
  return { feedDict: (feedDict ?? undefined) as FeedDict | undefined, session: sess };
}

installSessionMethods({
  evalTensor(t: Tensor, args: readonly unknown[]): NDArray {
    const { feedDict, session } = resolve(t, 'eval', args);
    return session.run(t, feedDict);
  },
  runOperation(op: Operation, args: readonly unknown[]): void {
    const { feedDict, session } = resolve(op, 'run', args);
    session.run(op, feedDict);
  },
});
