import { FailedPreconditionError, InvalidArgumentError, OutOfRangeError, TensorGraphError } from '../errors';
import { getDefaultGraph, Graph, GraphKeys } from '../graph/graph';
import { bindCall, CallForms, declareConstructor, kinds, param } from '../graph/signature';
import { Operation, Tensor } from '../graph/tensor';
import { globalVariablesInitializer, Variable, variablesInitializer } from '../graph/variable';
import { latestCheckpoint, Saver } from '../io/saver';
import type { FeedDict } from '../session/feeds';
import type { Fetches, FetchResult } from '../session/fetches';
import { Session } from '../session/session';
import { mergeAll } from '../summary/ops';
import {
  CheckpointSaverHook,
  SessionRunArgs,
  SessionRunContext,
  SessionRunHook,
  SessionRunValues,
  StepCounterHook,
  SummarySaverHook,
  tfLog,
} from './hooks';

const nullOnly = (what: string) =>
  kinds.custom<null>(
    `null (${what} is not supported)`,
    (v) => v === null,
    () => null,
  );
const opKind = kinds.nullable(
  kinds.custom<Operation | Tensor>(
    'an Operation or Tensor',
    (v) => v instanceof Operation || v instanceof Tensor,
  ),
);

const SCAFFOLD_PARAMS = [
  param('initOp', opKind, { default: null }),
  param('initFeedDict', kinds.nullable(kinds.custom<FeedDict>('a feed dict', (v) => typeof v === 'object')), {
    default: null,
  }),
  param(
    'initFn',
    kinds.nullable(
      kinds.custom<(scaffold: Scaffold, session: Session) => void>(
        'a function',
        (v) => typeof v === 'function',
      ),
    ),
    { default: null },
  ),
  param('readyOp', nullOnly('ready_op'), { default: null }),
  param('readyForLocalInitOp', nullOnly('ready_for_local_init_op'), { default: null }),
  param('localInitOp', opKind, { default: null }),
  param('summaryOp', kinds.nullable(kinds.custom<Tensor>('a summary Tensor', (v) => v instanceof Tensor)), {
    default: null,
  }),
  param('saver', kinds.nullable(kinds.custom<Saver>('a tf.train.Saver', (v) => v instanceof Saver)), {
    default: null,
  }),
  param('copyFromScaffold', nullOnly('copy_from_scaffold'), { default: null }),
] as const;
const SCAFFOLD_SIG = declareConstructor(
  'train.Scaffold',
  SCAFFOLD_PARAMS,
  (...a): unknown => new Scaffold(...(a as CallForms<typeof SCAFFOLD_PARAMS>)),
);

/**
 * TF1's `Scaffold(init_op=None, init_feed_dict=None, init_fn=None, ready_op=None,
 * ready_for_local_init_op=None, local_init_op=None, summary_op=None, saver=None,
 * copy_from_scaffold=None)`: the ops a monitored session needs. `finalize()` fills in the defaults
 * (init op `tf.globalVariablesInitializer()`, summary op `tf.summary.mergeAll()`, a Saver of every global
 * variable, each stored in its TF1 collection) and finalizes the graph.
 *
 * @example
 * const scaffold = new tf.train.Scaffold({ saver: new tf.train.Saver({ maxToKeep: 2 }) });
 */
export class Scaffold {
  private _initOp: Operation | Tensor | null;
  readonly initFeedDict: FeedDict | null;
  readonly initFn: ((scaffold: Scaffold, session: Session) => void) | null;
  private _localInitOp: Operation | Tensor | null;
  private _summaryOp: Tensor | null;
  private _saver: Saver | null;
  private finalized = false;

  constructor(...args: CallForms<typeof SCAFFOLD_PARAMS>) {
    const a = bindCall(SCAFFOLD_SIG, args);
    this._initOp = a.initOp;
    this.initFeedDict = a.initFeedDict;
    this.initFn = a.initFn;
    this._localInitOp = a.localInitOp;
    this._summaryOp = a.summaryOp;
    this._saver = a.saver;
  }

  get initOp(): Operation | Tensor | null {
    return this._initOp;
  }
  get localInitOp(): Operation | Tensor | null {
    return this._localInitOp;
  }
  get summaryOp(): Tensor | null {
    return this._summaryOp;
  }
  get saver(): Saver {
    if (!this._saver) throw new FailedPreconditionError('Scaffold.saver is available after finalize()');
    return this._saver;
  }

  /** Creates the default ops (stored in TF1's collections) and finalizes the default graph. @example scaffold.finalize() */
  finalize(): this {
    if (this.finalized) return this;
    const graph = getDefaultGraph();
    this._initOp ??= getOrDefault(graph, 'init_op', GraphKeys.INIT_OP, () => globalVariablesInitializer());
    this._localInitOp ??= getOrDefault(graph, 'local_init_op', GraphKeys.LOCAL_INIT_OP, () => {
      const locals = graph.getCollection<Variable>(GraphKeys.LOCAL_VARIABLES);
      return locals.length ? variablesInitializer(locals, 'init_1') : null;
    });
    this._summaryOp ??= getOrDefault(graph, 'summary_op', GraphKeys.SUMMARY_OP, () => mergeAll());
    if (!this._saver) {
      const savers = graph.getCollection<Saver>(GraphKeys.SAVERS);
      if (savers.length > 1)
        throw new TensorGraphError(
          `More than one item in collection ${GraphKeys.SAVERS}. Please indicate which one to use by passing it to the tf.train.Scaffold constructor as: tf.train.Scaffold({ saver })`,
        );
      this._saver = savers[0] ?? null;
      if (!this._saver) {
        this._saver = new Saver({ maxToKeep: 5 });
        graph.addToCollection(GraphKeys.SAVERS, this._saver);
      }
    }
    graph.finalize();
    this.finalized = true;
    return this;
  }
}

function getOrDefault<T>(graph: Graph, arg: string, key: string, make: () => T | null): T | null {
  const items = graph.getCollection<T>(key);
  if (items.length > 1)
    throw new TensorGraphError(
      `More than one item in the collection "${key}". Please indicate which one to use by passing it to the tf.train.Scaffold constructor as: tf.train.Scaffold({ ${arg}: item })`,
    );
  if (items.length === 1) return items[0] as T;
  const made = make();
  if (made !== null) graph.addToCollection(key, made);
  return made;
}

/** The parts shared by MonitoredTrainingSession and SingularMonitoredSession. */
abstract class MonitoredSessionBase {
  /** The underlying `tf.Session` (TF1's `raw_session()` of a SingularMonitoredSession). */
  protected readonly sess: Session;
  readonly graph: Graph;
  protected readonly hooks: SessionRunHook[];
  private stopped = false;
  private closed = false;

  protected constructor(hooks: SessionRunHook[], scaffold: Scaffold, checkpointDir: string | null) {
    this.graph = getDefaultGraph();
    this.hooks = hooks;
    for (const h of hooks) h.begin();
    scaffold.finalize();
    this.sess = new Session({ graph: this.graph });
    const ckpt = checkpointDir !== null ? latestCheckpoint(checkpointDir) : null;
    if (ckpt !== null) {
      scaffold.saver.restore(this.sess, ckpt);
      tfLog('INFO', `Restoring parameters from ${ckpt}`);
    } else {
      if (scaffold.initOp) this.sess.run(scaffold.initOp, scaffold.initFeedDict ?? undefined);
      if (scaffold.initFn) scaffold.initFn(scaffold, this.sess);
    }
    if (scaffold.localInitOp) this.sess.run(scaffold.localInitOp);
    for (const h of hooks) h.afterCreateSession(this.sess, null);
  }

  /** True once a hook requested a stop, or the input ended (OutOfRangeError). @example while (!sess.shouldStop()) sess.run(train) */
  shouldStop(): boolean {
    return this.stopped || this.closed;
  }

  /**
   * Runs `fetches` with `feedDict` plus what the hooks ask for (TF1's `run(fetches, feed_dict=None,
   * options=None, run_metadata=None)`), then lets the hooks see the results. When the input pipeline is
   * exhausted (`tf.errors.OutOfRangeError`), the session stops: `shouldStop()` becomes true and the run
   * returns `null` (TF1's `with` block swallows that error), so a
   * `while (!sess.shouldStop()) sess.run(train)` loop ends cleanly.
   */
  run<const F extends Fetches>(
    fetches: F,
    feedDict?: FeedDict | null,
    options?: null,
    runMetadata?: null,
  ): FetchResult<F> {
    if (options !== undefined && options !== null)
      throw new TypeError("MonitoredSession.run: 'options' (tf.RunOptions) is not supported");
    if (runMetadata !== undefined && runMetadata !== null)
      throw new TypeError("MonitoredSession.run: 'runMetadata' is not supported");
    if (this.closed) throw new FailedPreconditionError('Attempted to use a closed MonitoredSession.');
    if (this.stopped) throw new TensorGraphError('Run called even after should_stop requested.');
    const ctx = new SessionRunContext(new SessionRunArgs(fetches, feedDict ?? null), this.sess);
    const hookFetches: (Fetches | null)[] = [];
    const feeds = new Map<unknown, unknown>();
    const addFeeds = (fd: FeedDict | null | undefined, who: string): void => {
      if (!fd) return;
      const entries: [unknown, unknown][] =
        fd instanceof Map
          ? [...fd.entries()]
          : Array.isArray(fd)
            ? (fd as [unknown, unknown][])
            : Object.entries(fd);
      for (const [k, v] of entries) {
        const key = k instanceof Tensor ? k.name : String(k).includes(':') ? String(k) : `${String(k)}:0`;
        if (feeds.has(key))
          throw new InvalidArgumentError(
            who === 'user'
              ? 'Same tensor is fed by a SessionRunHook and user.'
              : 'Same tensor is fed by two hooks.',
          );
        feeds.set(key, [k, v]);
      }
    };
    addFeeds(feedDict, 'user');
    for (const h of this.hooks) {
      const req = h.beforeRun(ctx);
      hookFetches.push(req ? req.fetches : null);
      if (req) addFeeds(req.feedDict, 'hook');
    }
    const wanted: Fetches[] = [fetches];
    const slot: (number | null)[] = hookFetches.map((f) => (f === null ? null : wanted.push(f) - 1));
    const feedList = [...feeds.values()] as [Tensor | string, never][];
    let out: unknown[];
    try {
      const run = this.sess.run.bind(this.sess) as (f: unknown, d?: unknown) => unknown;
      out = run(wanted, feedList.length ? new Map(feedList) : undefined) as unknown[];
    } catch (e) {
      if (e instanceof OutOfRangeError) {
        this.stopped = true;
        return null as FetchResult<F>;
      }
      throw e;
    }
    this.hooks.forEach((h, i) => {
      const s = slot[i] as number | null;
      h.afterRun(ctx, new SessionRunValues(s === null ? null : out[s]));
    });
    if (ctx.stopRequested) this.stopped = true;
    return out[0] as FetchResult<F>;
  }

  /** Calls every hook's `end`, then closes the session (TF1's `close()`); idempotent. @example sess.close() */
  close(): void {
    if (this.closed) return;
    try {
      for (const h of this.hooks) h.end(this.sess);
    } finally {
      this.closed = true;
      this.sess.close();
    }
  }
}

const secs = kinds.nullable(kinds.number);
const steps = kinds.nullable(kinds.nonNegInt);
const USE_DEFAULT = Symbol('USE_DEFAULT');
const hooksKind = kinds.nullable(
  kinds.custom<SessionRunHook[]>(
    'a list of SessionRunHooks',
    (v) => Array.isArray(v) && v.every((h) => h instanceof SessionRunHook),
    () => [],
  ),
);
const MTS_PARAMS = [
  param(
    'master',
    kinds.custom<string>(
      "'' (only in-process sessions exist)",
      (v) => v === '',
      () => '',
      true,
    ),
    {
      default: '',
    },
  ),
  param(
    'isChief',
    kinds.custom<true>('true (non-chief workers are not supported)', (v) => v === true),
    {
      default: true as const,
    },
  ),
  param('checkpointDir', kinds.nullable(kinds.string), { default: null as string | null }),
  param(
    'scaffold',
    kinds.nullable(kinds.custom<Scaffold>('a tf.train.Scaffold', (v) => v instanceof Scaffold)),
    {
      default: null,
    },
  ),
  param('hooks', hooksKind, { default: null }),
  param('chiefOnlyHooks', hooksKind, { default: null }),
  param('saveCheckpointSecs', secs, { default: USE_DEFAULT as unknown as number | null }),
  param('saveSummariesSteps', steps, { default: USE_DEFAULT as unknown as number | null }),
  param('saveSummariesSecs', secs, { default: USE_DEFAULT as unknown as number | null }),
  param('config', nullOnly('config (tf.ConfigProto)'), { default: null }),
  param('stopGracePeriodSecs', kinds.number, { default: 120 }),
  param('logStepCountSteps', steps, { default: 100 as number | null }),
  param('maxWaitSecs', kinds.number, { default: 7200 }),
  param('saveCheckpointSteps', steps, { default: USE_DEFAULT as unknown as number | null }),
  param('summaryDir', kinds.nullable(kinds.string), { default: null as string | null }),
] as const;
const MTS_SIG = declareConstructor(
  'train.MonitoredTrainingSession',
  MTS_PARAMS,
  (...a): unknown => new MonitoredTrainingSessionImpl(...(a as CallForms<typeof MTS_PARAMS>)),
);

/**
 * TF1's training loop session: `MonitoredTrainingSession(master='', is_chief=True, checkpoint_dir=None,
 * scaffold=None, hooks=None, chief_only_hooks=None, save_checkpoint_secs=600, save_summaries_steps=100,
 * save_summaries_secs=None, config=None, stop_grace_period_secs=120, log_step_count_steps=100,
 * max_wait_secs=7200, save_checkpoint_steps=None, summary_dir=None)`. It calls the hooks' `begin`,
 * finalizes the graph, restores the newest checkpoint of `checkpointDir` (else runs the initializers),
 * and with a `checkpointDir` adds TF1's default hooks: a StepCounterHook, a SummarySaverHook (every 100
 * steps) and a CheckpointSaverHook (every 600 s, or `saveCheckpointSteps`). A global step is required
 * for those. Close it with `close()` (it saves a final checkpoint).
 *
 * @example
 * const globalStep = tf.train.getOrCreateGlobalStep();
 * const train = opt.minimize(loss, { globalStep });
 * const sess = new tf.train.MonitoredTrainingSession({
 *   checkpointDir: 'ckpt', hooks: [new tf.train.StopAtStepHook({ lastStep: 1000 })] });
 * while (!sess.shouldStop()) sess.run(train);
 * sess.close();
 */
class MonitoredTrainingSessionImpl extends MonitoredSessionBase {
  constructor(...args: CallForms<typeof MTS_PARAMS>) {
    const a = bindCall(MTS_SIG, args);
    const given = (v: unknown): boolean => v !== (USE_DEFAULT as unknown);
    let sumSteps: number | null = a.saveSummariesSteps;
    let sumSecs: number | null = a.saveSummariesSecs;
    if (!given(sumSteps) && !given(sumSecs)) [sumSteps, sumSecs] = [100, null];
    else if (!given(sumSecs)) sumSecs = null;
    else if (!given(sumSteps)) sumSteps = null;
    let ckSteps: number | null = a.saveCheckpointSteps;
    let ckSecs: number | null = a.saveCheckpointSecs;
    if (!given(ckSteps) && !given(ckSecs)) [ckSteps, ckSecs] = [null, 600];
    else if (!given(ckSecs)) ckSecs = null;
    else if (!given(ckSteps)) ckSteps = null;
    const scaffold = a.scaffold ?? new Scaffold();
    const all: SessionRunHook[] = [...(a.chiefOnlyHooks ?? [])];
    const summaryDir = a.summaryDir ?? a.checkpointDir;
    if (summaryDir) {
      if (a.logStepCountSteps && a.logStepCountSteps > 0)
        all.push(new StepCounterHook({ outputDir: summaryDir, everyNSteps: a.logStepCountSteps }));
      if ((sumSteps && sumSteps > 0) || (sumSecs && sumSecs > 0))
        all.push(
          new SummarySaverHook({
            scaffold,
            saveSteps: sumSecs && sumSecs > 0 ? null : sumSteps,
            saveSecs: sumSecs && sumSecs > 0 ? sumSecs : null,
            outputDir: summaryDir,
          }),
        );
    }
    if (a.checkpointDir && ((ckSecs && ckSecs > 0) || (ckSteps && ckSteps > 0)))
      all.push(
        new CheckpointSaverHook(a.checkpointDir, {
          saveSecs: ckSecs && ckSecs > 0 ? ckSecs : null,
          saveSteps: ckSecs && ckSecs > 0 ? null : ckSteps,
          scaffold,
        }),
      );
    all.push(...(a.hooks ?? []));
    super(all, scaffold, a.checkpointDir);
  }
}

/** `tf.train.MonitoredTrainingSession`: callable as TF1's function, or with `new`. */
export interface MonitoredTrainingSessionConstructor {
  new (...args: CallForms<typeof MTS_PARAMS>): MonitoredTrainingSessionImpl;
  (...args: CallForms<typeof MTS_PARAMS>): MonitoredTrainingSessionImpl;
}
/** The monitored session `tf.train.MonitoredTrainingSession(...)` returns. */
export type MonitoredTrainingSession = MonitoredTrainingSessionImpl;

/**
 * TF1's `tf.train.MonitoredTrainingSession(...)` (see the class above for the arguments): a function in
 * TF1, so both `tf.train.MonitoredTrainingSession({ ... })` and `new tf.train.MonitoredTrainingSession({
 * ... })` work; `instanceof` works too.
 *
 * @example
 * const sess = tf.train.MonitoredTrainingSession({ checkpointDir: 'ckpt', hooks });
 * while (!sess.shouldStop()) sess.run(train);
 * sess.close();
 */
export const MonitoredTrainingSession = function MonitoredTrainingSession(
  ...args: CallForms<typeof MTS_PARAMS>
): MonitoredTrainingSessionImpl {
  return new MonitoredTrainingSessionImpl(...args);
} as unknown as MonitoredTrainingSessionConstructor;
MonitoredTrainingSession.prototype = MonitoredTrainingSessionImpl.prototype;

const SINGULAR_PARAMS = [
  param('hooks', hooksKind, { default: null }),
  param(
    'scaffold',
    kinds.nullable(kinds.custom<Scaffold>('a tf.train.Scaffold', (v) => v instanceof Scaffold)),
    {
      default: null,
    },
  ),
  param(
    'master',
    kinds.custom<string>(
      "'' (only in-process sessions exist)",
      (v) => v === '',
      () => '',
      true,
    ),
    {
      default: '',
    },
  ),
  param('config', nullOnly('config (tf.ConfigProto)'), { default: null }),
  param('checkpointDir', kinds.nullable(kinds.string), { default: null as string | null }),
  param('stopGracePeriodSecs', kinds.number, { default: 120 }),
  param('checkpointFilenameWithPath', kinds.nullable(kinds.string), { default: null as string | null }),
] as const;
const SINGULAR_SIG = declareConstructor(
  'train.SingularMonitoredSession',
  SINGULAR_PARAMS,
  (...a): unknown => new SingularMonitoredSession(...(a as CallForms<typeof SINGULAR_PARAMS>)),
);

/**
 * TF1's `SingularMonitoredSession(hooks=None, scaffold=None, master='', config=None,
 * checkpoint_dir=None, stop_grace_period_secs=120, checkpoint_filename_with_path=None)`: a monitored
 * session with only the given hooks (restores from `checkpointDir` when it has a checkpoint).
 *
 * @example
 * const sess = new tf.train.SingularMonitoredSession({ hooks: [new tf.train.StopAtStepHook({ numSteps: 10 })] });
 * while (!sess.shouldStop()) sess.run(train);
 */
export class SingularMonitoredSession extends MonitoredSessionBase {
  constructor(...args: CallForms<typeof SINGULAR_PARAMS>) {
    const a = bindCall(SINGULAR_SIG, args);
    if (a.checkpointFilenameWithPath !== null)
      throw new TypeError(
        'SingularMonitoredSession: checkpointFilenameWithPath is not supported; use checkpointDir',
      );
    super(a.hooks ?? [], a.scaffold ?? new Scaffold(), a.checkpointDir);
  }
  /** The underlying tf.Session (TF1's `raw_session()`). @example sess.rawSession().run(x) */
  rawSession(): Session {
    return this.sess;
  }
}
