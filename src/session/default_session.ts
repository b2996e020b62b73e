/**
 * The default-session stack (TF1's `_default_session_stack`): `sess.asDefault(fn)` pushes a session for
 * the duration of `fn`; an `InteractiveSession` pushes itself when built and is removed when closed.
 * `Tensor.eval()` and `Operation.run()` without a session use the top of this stack.
 */
import type { Session } from './session';

const stack: Session[] = [];

/** The innermost default session, or `null` (TF1's `tf.get_default_session()`). */
export function getDefaultSession(): Session | null {
  return stack[stack.length - 1] ?? null;
}

/** Makes `sess` the default session (until `removeDefaultSession`). */
export function pushDefaultSession(sess: Session): void {
  stack.push(sess);
}

/**
 * Removes the innermost registration of `sess`. Interactive sessions do not enforce nesting (as in TF1),
 * so the entry may sit below others, e.g. when it is closed inside another session's `asDefault`.
 */
export function removeDefaultSession(sess: Session): void {
  const i = stack.lastIndexOf(sess);
  if (i >= 0) stack.splice(i, 1);
}
