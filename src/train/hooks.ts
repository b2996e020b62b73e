import { path } from '../platform';
import { InvalidArgumentError, TensorGraphError } from '../errors';
import { getDefaultGraph, Graph, GraphKeys } from '../graph/graph';
import { bindCall, CallForms, declareConstructor, kinds, param } from '../graph/signature';
import { Tensor } from '../graph/tensor';
import { NDArray } from '../ndarray';
import { writeStd } from '../ops/logging';
import type { FeedDict } from '../session/feeds';
import type { Fetches } from '../session/fetches';
import type { Session } from '../session/session';
import { FileWriter } from '../summary/file_writer';
import type { Saver } from '../io/saver';
import { getGlobalStep } from './global_step';

/**
 * TF1's `NanLossDuringTrainingError` (raised by `NanTensorHook` when the loss is NaN).
 *
 * @example
 * try { while (!sess.shouldStop()) sess.run(train); } catch (e) { if (e instanceof tf.train.NanLossDuringTrainingError) ... }
 */
export class NanLossDuringTrainingError extends TensorGraphError {
  override name = 'NanLossDuringTrainingError';
  constructor() {
    super('NaN loss during training.');
  }
}

/** TF1's `tf_logging.info`/`warning`/`error`: one line on stderr with TF1's prefix. */
export function tfLog(level: 'INFO' | 'WARNING' | 'ERROR', msg: string): void {
  writeStd('stderr', `${level}:tensorflow:${msg}\n`);
}

/**
 * TF1's `SessionRunArgs(fetches, feed_dict=None, options=None)`: what a hook's `beforeRun` adds to a run.
 *
 * @example
 * beforeRun() { return new tf.train.SessionRunArgs(loss); }
 */
export class SessionRunArgs {
  constructor(
    readonly fetches: Fetches | null,
    readonly feedDict: FeedDict | null = null,
    readonly options: null = null,
  ) {
    if (options !== null) throw new TypeError('SessionRunArgs: options (tf.RunOptions) is not supported');
  }
}

/** TF1's `SessionRunContext`: the run's original arguments, the session, and `requestStop()`. */
export class SessionRunContext {
  private stop = false;
  constructor(
    readonly originalArgs: SessionRunArgs,
    readonly session: Session,
  ) {}
  /** Asks the monitored session to stop after this run. @example runContext.requestStop() */
  requestStop(): void {
    this.stop = true;
  }
  get stopRequested(): boolean {
    return this.stop;
  }
}

/** TF1's `SessionRunValues`: `results` holds the values of the fetches the hook asked for. */
export class SessionRunValues {
  constructor(
    readonly results: unknown,
    readonly options: null = null,
    readonly runMetadata: null = null,
  ) {}
}

/**
 * TF1's `SessionRunHook`: override any of `begin()`, `afterCreateSession(session, coord)`,
 * `beforeRun(runContext)` (return a `SessionRunArgs` to add fetches/feeds), `afterRun(runContext,
 * runValues)` and `end(session)`. Hooks run in list order at each step of a MonitoredTrainingSession.
 *
 * @example
 * class LossPrinter extends tf.train.SessionRunHook {
 *   beforeRun() { return new tf.train.SessionRunArgs(loss); }
 *   afterRun(ctx, values) { console.log(values.results.item()); }
 * }
 */
export class SessionRunHook {
  /** Called once before the graph is finalized: the last chance to add ops. */
  begin(): void {}
  /** Called once the session is created and its variables initialized or restored. */
  afterCreateSession(_session: Session, _coord: unknown): void {}
  /** Called before each run; may return what to fetch and feed in it. */
  beforeRun(_runContext: SessionRunContext): SessionRunArgs | null | undefined | void {
    return null;
  }
  /** Called after each run with the values of this hook's fetches. */
  afterRun(_runContext: SessionRunContext, _runValues: SessionRunValues): void {}
  /** Called when the session is closed normally (also at the end of the input). */
  end(_session: Session): void {}
}

/** TF1's `SecondOrStepTimer(every_secs=None, every_steps=None)`: when a periodic hook fires. */
export class SecondOrStepTimer {
  private lastTime: number | null = null;
  private lastStep: number | null = null;
  constructor(
    readonly everySecs: number | null = null,
    readonly everySteps: number | null = null,
  ) {
    if ((everySecs === null) === (everySteps === null))
      throw new InvalidArgumentError('exactly one of every_steps and every_secs should be provided.');
    if (everySecs !== null && everySecs < 0) throw new InvalidArgumentError('every_secs should be positive.');
    if (everySteps !== null && everySteps < 0)
      throw new InvalidArgumentError('every_steps should be positive.');
  }
  reset(): void {
    this.lastTime = null;
    this.lastStep = null;
  }
  shouldTriggerForStep(step: number): boolean {
    if (this.lastStep === null) return true;
    if (this.lastStep === step) return false;
    if (this.everySecs !== null && Date.now() / 1000 >= (this.lastTime as number) + this.everySecs)
      return true;
    if (this.everySteps !== null && step >= this.lastStep + this.everySteps) return true;
    return false;
  }
  /** Records a trigger; returns the seconds and steps since the previous one (nulls the first time). */
  updateLastTriggeredStep(step: number): [number | null, number | null] {
    const now = Date.now() / 1000;
    const out: [number | null, number | null] =
      this.lastTime === null ? [null, null] : [now - this.lastTime, step - (this.lastStep as number)];
    this.lastTime = now;
    this.lastStep = step;
    return out;
  }
  lastTriggeredStep(): number | null {
    return this.lastStep;
  }
}

/** Event writers shared by the hooks of one directory (TF1's `FileWriterCache`). */
const writers = new Map<string, FileWriter>();
export function cachedFileWriter(dir: string, graph: Graph): FileWriter {
  const key = path.resolve(dir);
  let w = writers.get(key);
  if (!w || isClosed(w)) writers.set(key, (w = new FileWriter(dir, graph)));
  return w;
}
function isClosed(w: FileWriter): boolean {
  return (w as unknown as { fd: unknown }).fd === null;
}

function requireGlobalStep(hook: string): Tensor {
  const step = getGlobalStep(getDefaultGraph());
  if (!step) throw new TensorGraphError(`Global step should be created to use ${hook}.`);
  return step;
}

const int = (v: unknown): number => Number((v as NDArray).item());
const optNum = kinds.nullable(kinds.number);
const optInt = kinds.nullable(kinds.nonNegInt);

const STOP_PARAMS = [
  param('numSteps', optInt, { default: null as number | null }),
  param('lastStep', optInt, { default: null as number | null }),
] as const;
const STOP_SIG = declareConstructor(
  'train.StopAtStepHook',
  STOP_PARAMS,
  (...a): unknown => new StopAtStepHook(...(a as CallForms<typeof STOP_PARAMS>)),
);

/**
 * TF1's `StopAtStepHook(num_steps=None, last_step=None)`: requests a stop once the global step reaches
 * `lastStep`, or `numSteps` steps after the step the session started at.
 *
 * @example
 * new tf.train.StopAtStepHook({ lastStep: 1000 })
 */
export class StopAtStepHook extends SessionRunHook {
  private numSteps: number | null;
  private lastStep: number | null;
  private step: Tensor | undefined;
  constructor(...args: CallForms<typeof STOP_PARAMS>) {
    super();
    const a = bindCall(STOP_SIG, args);
    if ((a.numSteps === null) === (a.lastStep === null))
      throw new InvalidArgumentError('Exactly one of num_steps and last_step must be provided.');
    this.numSteps = a.numSteps;
    this.lastStep = a.lastStep;
  }
  override begin(): void {
    this.step = requireGlobalStep('StopAtStepHook');
  }
  override afterCreateSession(session: Session): void {
    if (this.lastStep === null)
      this.lastStep = int(session.run(this.step as Tensor)) + (this.numSteps as number);
  }
  override beforeRun(): SessionRunArgs {
    return new SessionRunArgs(this.step as Tensor);
  }
  override afterRun(ctx: SessionRunContext, values: SessionRunValues): void {
    const last = this.lastStep as number;
    if (int(values.results) + 1 >= last && int(ctx.session.run(this.step as Tensor)) >= last)
      ctx.requestStop();
  }
}

/** Where a Saver comes from: given, the scaffold's, or the one in the SAVERS collection. */
export interface SaverSource {
  readonly saver: Saver;
}

function saverFromCollection(): Saver {
  const savers = getDefaultGraph().getCollection<Saver>(GraphKeys.SAVERS);
  if (savers.length === 0)
    throw new TensorGraphError(
      `No items in collection ${GraphKeys.SAVERS}. Please add a saver to the collection or provide a saver or scaffold.`,
    );
  if (savers.length > 1)
    throw new TensorGraphError(
      `More than one item in collection ${GraphKeys.SAVERS}. Please indicate which one to use by passing it to the constructor.`,
    );
  return savers[0] as Saver;
}

const objectKind = <T>(what: string) =>
  kinds.nullable(kinds.custom<T>(what, (v) => typeof v === 'object' && v !== null && !Array.isArray(v)));
const CKPT_PARAMS = [
  param('checkpointDir', kinds.string),
  param('saveSecs', optNum, { default: null as number | null }),
  param('saveSteps', optInt, { default: null as number | null }),
  param('saver', objectKind<Saver>('a tf.train.Saver'), { default: null }),
  param('checkpointBasename', kinds.string, { default: 'model.ckpt' }),
  param('scaffold', objectKind<SaverSource>('a tf.train.Scaffold'), { default: null }),
  param(
    'listeners',
    kinds.nullable(kinds.custom<null>('null (checkpoint listeners are not supported)', (v) => v === null)),
    { default: null },
  ),
] as const;
const CKPT_SIG = declareConstructor(
  'train.CheckpointSaverHook',
  CKPT_PARAMS,
  (...a): unknown => new CheckpointSaverHook(...(a as CallForms<typeof CKPT_PARAMS>)),
);

/**
 * TF1's `CheckpointSaverHook(checkpoint_dir, save_secs=None, save_steps=None, saver=None,
 * checkpoint_basename='model.ckpt', scaffold=None, listeners=None)`: saves `<dir>/model.ckpt-<step>` when
 * the session starts, every `saveSecs` seconds or `saveSteps` steps, and at the end.
 *
 * @example
 * new tf.train.CheckpointSaverHook('ckpt', { saveSteps: 100 })
 */
export class CheckpointSaverHook extends SessionRunHook {
  private readonly savePath: string;
  private readonly timer: SecondOrStepTimer;
  private saverGiven: Saver | null;
  private readonly scaffold: SaverSource | null;
  private step: Tensor | undefined;
  constructor(...args: CallForms<typeof CKPT_PARAMS>) {
    super();
    const a = bindCall(CKPT_SIG, args);
    if (a.saver !== null && a.scaffold !== null)
      throw new InvalidArgumentError('You cannot provide both saver and scaffold.');
    if ((a.saveSecs === null) === (a.saveSteps === null))
      throw new InvalidArgumentError('exactly one of every_steps and every_secs should be provided.');
    this.savePath = path.join(a.checkpointDir, a.checkpointBasename);
    this.timer = new SecondOrStepTimer(a.saveSecs, a.saveSteps);
    this.saverGiven = a.saver;
    this.scaffold = a.scaffold;
  }
  private get saver(): Saver {
    if (this.saverGiven) return this.saverGiven;
    if (this.scaffold) return this.scaffold.saver;
    return (this.saverGiven = saverFromCollection());
  }
  override begin(): void {
    this.step = requireGlobalStep('CheckpointSaverHook');
  }
  override afterCreateSession(session: Session): void {
    const step = int(session.run(this.step as Tensor));
    this.save(session, step);
    this.timer.updateLastTriggeredStep(step);
  }
  override beforeRun(): SessionRunArgs {
    return new SessionRunArgs(this.step as Tensor);
  }
  override afterRun(ctx: SessionRunContext, values: SessionRunValues): void {
    if (!this.timer.shouldTriggerForStep(int(values.results) + 1)) return;
    const step = int(ctx.session.run(this.step as Tensor));
    if (this.timer.shouldTriggerForStep(step)) {
      this.timer.updateLastTriggeredStep(step);
      this.save(ctx.session, step);
    }
  }
  override end(session: Session): void {
    const last = int(session.run(this.step as Tensor));
    if (last !== this.timer.lastTriggeredStep()) this.save(session, last);
  }
  private save(session: Session, step: number): void {
    tfLog('INFO', `Saving checkpoints for ${step} into ${this.savePath}.`);
    this.saver.save(session, this.savePath, step);
  }
}

/** A source of the summary op (a Scaffold). */
export interface SummaryOpSource {
  readonly summaryOp: Tensor | null;
}

const SUMMARY_PARAMS = [
  param('saveSteps', optInt, { default: null as number | null }),
  param('saveSecs', optNum, { default: null as number | null }),
  param('outputDir', kinds.nullable(kinds.string), { default: null as string | null }),
  param('summaryWriter', objectKind<FileWriter>('a tf.summary.FileWriter'), { default: null }),
  param('scaffold', objectKind<SummaryOpSource>('a tf.train.Scaffold'), { default: null }),
  param(
    'summaryOp',
    kinds.nullable(
      kinds.custom<Tensor | Tensor[]>(
        'a summary Tensor or a list of them',
        (v) => v instanceof Tensor || (Array.isArray(v) && v.every((x) => x instanceof Tensor)),
      ),
    ),
    { default: null },
  ),
] as const;
const SUMMARY_SIG = declareConstructor(
  'train.SummarySaverHook',
  SUMMARY_PARAMS,
  (...a): unknown => new SummarySaverHook(...(a as CallForms<typeof SUMMARY_PARAMS>)),
);

/**
 * TF1's `SummarySaverHook(save_steps=None, save_secs=None, output_dir=None, summary_writer=None,
 * scaffold=None, summary_op=None)`: runs the summary op every `saveSteps` steps (or `saveSecs` seconds)
 * and writes its value to an event file in `outputDir` at the global step.
 *
 * @example
 * new tf.train.SummarySaverHook({ saveSteps: 10, outputDir: 'logs', summaryOp: tf.summary.mergeAll() })
 */
export class SummarySaverHook extends SessionRunHook {
  private readonly timer: SecondOrStepTimer;
  private readonly outputDir: string | null;
  private writer: FileWriter | null;
  private readonly scaffold: SummaryOpSource | null;
  private readonly summaryOp: Tensor | Tensor[] | null;
  private step: Tensor | undefined;
  private nextStep: number | null = null;
  private requestSummary = false;
  constructor(...args: CallForms<typeof SUMMARY_PARAMS>) {
    super();
    const a = bindCall(SUMMARY_SIG, args);
    if ((a.scaffold === null) === (a.summaryOp === null))
      throw new InvalidArgumentError('Exactly one of scaffold or summary_op must be provided.');
    this.timer = new SecondOrStepTimer(a.saveSecs, a.saveSteps);
    this.outputDir = a.outputDir;
    this.writer = a.summaryWriter;
    this.scaffold = a.scaffold;
    this.summaryOp = a.summaryOp;
    if (this.writer === null && this.outputDir === null)
      throw new InvalidArgumentError('SummarySaverHook needs output_dir or summary_writer.');
  }
  private get op(): Tensor[] {
    const op = this.summaryOp ?? this.scaffold?.summaryOp ?? null;
    return op === null ? [] : Array.isArray(op) ? op : [op];
  }
  override begin(): void {
    if (this.writer === null) this.writer = cachedFileWriter(this.outputDir as string, getDefaultGraph());
    this.nextStep = null;
    this.step = requireGlobalStep('SummarySaver');
  }
  override beforeRun(): SessionRunArgs {
    this.requestSummary = this.nextStep === null || this.timer.shouldTriggerForStep(this.nextStep);
    const fetches: Record<string, Fetches> = { global_step: this.step as Tensor };
    if (this.requestSummary && this.op.length) fetches.summary = this.op;
    return new SessionRunArgs(fetches);
  }
  override afterRun(ctx: SessionRunContext, values: SessionRunValues): void {
    const r = values.results as { global_step: NDArray; summary?: NDArray[] };
    let step = int(r.global_step) + 1;
    if (this.nextStep === null || this.requestSummary) step = int(ctx.session.run(this.step as Tensor));
    if (this.requestSummary) {
      this.timer.updateLastTriggeredStep(step);
      for (const s of r.summary ?? []) (this.writer as FileWriter).addSummary(s, step);
    }
    this.nextStep = step + 1;
  }
  override end(): void {
    this.writer?.flush();
  }
}

const COUNTER_PARAMS = [
  param('everyNSteps', optInt, { default: 100 as number | null }),
  param('everyNSecs', optNum, { default: null as number | null }),
  param('outputDir', kinds.nullable(kinds.string), { default: null as string | null }),
  param('summaryWriter', objectKind<FileWriter>('a tf.summary.FileWriter'), { default: null }),
] as const;
const COUNTER_SIG = declareConstructor(
  'train.StepCounterHook',
  COUNTER_PARAMS,
  (...a): unknown => new StepCounterHook(...(a as CallForms<typeof COUNTER_PARAMS>)),
);

/**
 * TF1's `StepCounterHook(every_n_steps=100, every_n_secs=None, output_dir=None, summary_writer=None)`:
 * logs `global_step/sec` and writes it as a scalar summary.
 *
 * @example
 * new tf.train.StepCounterHook({ everyNSteps: 50, outputDir: 'logs' })
 */
export class StepCounterHook extends SessionRunHook {
  private readonly timer: SecondOrStepTimer;
  private writer: FileWriter | null;
  private readonly outputDir: string | null;
  private step: Tensor | undefined;
  constructor(...args: CallForms<typeof COUNTER_PARAMS>) {
    super();
    const a = bindCall(COUNTER_SIG, args);
    const steps = a.everyNSecs !== null && a.everyNSteps === 100 ? null : a.everyNSteps;
    if ((steps === null) === (a.everyNSecs === null))
      throw new InvalidArgumentError('exactly one of every_n_steps and every_n_secs should be provided.');
    this.timer = new SecondOrStepTimer(a.everyNSecs, steps);
    this.writer = a.summaryWriter;
    this.outputDir = a.outputDir;
  }
  override begin(): void {
    if (this.writer === null && this.outputDir !== null)
      this.writer = cachedFileWriter(this.outputDir, getDefaultGraph());
    this.step = requireGlobalStep('StepCounterHook');
  }
  override beforeRun(): SessionRunArgs {
    return new SessionRunArgs(this.step as Tensor);
  }
  override afterRun(ctx: SessionRunContext, values: SessionRunValues): void {
    if (!this.timer.shouldTriggerForStep(int(values.results) + 1)) return;
    const step = int(ctx.session.run(this.step as Tensor));
    if (!this.timer.shouldTriggerForStep(step)) return;
    const [secs, steps] = this.timer.updateLastTriggeredStep(step);
    if (secs === null || steps === null || secs <= 0) return;
    const rate = steps / secs;
    this.writer?.addSummary({ value: [{ tag: 'global_step/sec', simpleValue: rate }] }, step);
    tfLog('INFO', `global_step/sec: ${rate.toPrecision(6).replace(/\.?0+$/, '')}`);
  }
}

/** numpy's `str()` of a fetched value, as TF1's LoggingTensorHook prints it. */
export function numpyStr(v: NDArray): string {
  const el = (x: number): string => {
    if (v.dtype === 'bool') return x ? 'True' : 'False';
    if (v.dtype === 'int32') return String(x);
    if (Number.isNaN(x)) return 'nan';
    if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
    // numpy prints the shortest repr that reads back as the same float32.
    for (let p = 1; p <= 9; p++) {
      const s = Number(x.toPrecision(p));
      if (Math.fround(s) === Math.fround(x)) {
        const t = String(s);
        return v.shape.length && !t.includes('.') && !t.includes('e') ? `${t}.` : t;
      }
    }
    return String(x);
  };
  if (v.shape.length === 0) return el(v.data[0] as number);
  const rec = (d: number, base: number): string => {
    const n = v.shape[d] as number;
    let per = 1;
    for (let i = d + 1; i < v.shape.length; i++) per *= v.shape[i] as number;
    const parts: string[] = [];
    for (let i = 0; i < n; i++)
      parts.push(d === v.shape.length - 1 ? el(v.data[base + i] as number) : rec(d + 1, base + i * per));
    return `[${parts.join(d === v.shape.length - 1 ? ' ' : '\n' + ' '.repeat(d + 1))}]`;
  };
  return rec(0, 0);
}

const LOGGING_PARAMS = [
  param(
    'tensors',
    kinds.custom<Record<string, Tensor | string> | (Tensor | string)[]>(
      'an object of tag → Tensor (or tensor name), or a list of Tensors or names',
      (v) =>
        (Array.isArray(v) && v.every((x) => x instanceof Tensor || typeof x === 'string')) ||
        (typeof v === 'object' &&
          v !== null &&
          Object.values(v).every((x) => x instanceof Tensor || typeof x === 'string')),
      () => [],
    ),
  ),
  param('everyNIter', optInt, { default: null as number | null }),
  param('everyNSecs', optNum, { default: null as number | null }),
  param('atEnd', kinds.bool, { default: false }),
  param(
    'formatter',
    kinds.nullable(
      kinds.custom<(v: Record<string, NDArray>) => string>('a function', (v) => typeof v === 'function'),
    ),
    { default: null },
  ),
] as const;
const LOGGING_SIG = declareConstructor(
  'train.LoggingTensorHook',
  LOGGING_PARAMS,
  (...a): unknown => new LoggingTensorHook(...(a as CallForms<typeof LOGGING_PARAMS>)),
);

/**
 * TF1's `LoggingTensorHook(tensors, every_n_iter=None, every_n_secs=None, at_end=False,
 * formatter=None)`: logs `tag = value, …` (numpy formatting) to stderr every N local steps or seconds,
 * and/or at the end.
 *
 * @example
 * new tf.train.LoggingTensorHook({ loss, step: globalStep }, { everyNIter: 10 })
 */
export class LoggingTensorHook extends SessionRunHook {
  private readonly tags: string[];
  private readonly refs: (Tensor | string)[];
  private readonly timer: SecondOrStepTimer | null;
  private readonly atEnd: boolean;
  private readonly formatter: ((v: Record<string, NDArray>) => string) | null;
  private iter = 0;
  private trigger = false;
  private tensors: Tensor[] = [];
  constructor(...args: CallForms<typeof LOGGING_PARAMS>) {
    super();
    const a = bindCall(LOGGING_SIG, args);
    const periodic = a.everyNIter !== null || a.everyNSecs !== null;
    if ((!a.atEnd && !periodic) || (a.everyNIter !== null && a.everyNSecs !== null))
      throw new InvalidArgumentError(
        'either at_end and/or exactly one of every_n_iter and every_n_secs must be provided.',
      );
    if (a.everyNIter !== null && a.everyNIter <= 0)
      throw new InvalidArgumentError(`invalid every_n_iter=${a.everyNIter}.`);
    const entries: [string, Tensor | string][] = Array.isArray(a.tensors)
      ? a.tensors.map((t) => [t instanceof Tensor ? t.name : t, t])
      : Object.entries(a.tensors);
    this.tags = entries.map(([k]) => k);
    this.refs = entries.map(([, t]) => t);
    this.timer = periodic ? new SecondOrStepTimer(a.everyNSecs, a.everyNIter) : null;
    this.atEnd = a.atEnd;
    this.formatter = a.formatter;
  }
  override begin(): void {
    this.timer?.reset();
    this.iter = 0;
    const g = getDefaultGraph();
    this.tensors = this.refs.map((t) =>
      t instanceof Tensor ? t : g.getTensorByName(t.includes(':') ? t : `${t}:0`),
    );
  }
  override beforeRun(): SessionRunArgs | null {
    this.trigger = this.timer !== null && this.timer.shouldTriggerForStep(this.iter);
    return this.trigger ? new SessionRunArgs(this.tensors) : null;
  }
  private log(values: NDArray[]): void {
    const byTag: Record<string, NDArray> = {};
    this.tags.forEach((t, i) => (byTag[t] = values[i] as NDArray));
    if (this.formatter) tfLog('INFO', this.formatter(byTag));
    else {
      const stats = this.tags.map((t) => `${t} = ${numpyStr(byTag[t] as NDArray)}`);
      tfLog('INFO', stats.join(', '));
    }
  }
  override afterRun(_ctx: SessionRunContext, values: SessionRunValues): void {
    if (this.trigger) {
      this.timer?.updateLastTriggeredStep(this.iter);
      this.log(values.results as NDArray[]);
    }
    this.iter += 1;
  }
  override end(session: Session): void {
    if (this.atEnd) this.log(session.run(this.tensors) as NDArray[]);
  }
}

const NAN_PARAMS = [
  param('lossTensor', kinds.tensor),
  param('failOnNanLoss', kinds.bool, { default: true }),
] as const;
const NAN_SIG = declareConstructor(
  'train.NanTensorHook',
  NAN_PARAMS,
  (...a): unknown => new NanTensorHook(...(a as CallForms<typeof NAN_PARAMS>)),
);

/**
 * TF1's `NanTensorHook(loss_tensor, fail_on_nan_loss=True)`: fetches the loss each step; a NaN raises
 * `NanLossDuringTrainingError` (or, with `failOnNanLoss: false`, logs a warning and requests a stop).
 *
 * @example
 * hooks: [new tf.train.NanTensorHook(loss)]
 */
export class NanTensorHook extends SessionRunHook {
  private readonly loss: Tensor;
  private readonly fail: boolean;
  constructor(...args: CallForms<typeof NAN_PARAMS>) {
    super();
    const a = bindCall(NAN_SIG, args);
    if (!(a.lossTensor instanceof Tensor)) throw new TypeError('NanTensorHook: loss_tensor must be a Tensor');
    this.loss = a.lossTensor;
    this.fail = a.failOnNanLoss;
  }
  override beforeRun(): SessionRunArgs {
    return new SessionRunArgs(this.loss);
  }
  override afterRun(ctx: SessionRunContext, values: SessionRunValues): void {
    const v = values.results as NDArray;
    if (!Array.from(v.data as ArrayLike<number>).some((x) => Number.isNaN(x))) return;
    const msg = 'Model diverged with loss = NaN.';
    if (this.fail) {
      tfLog('ERROR', msg);
      throw new NanLossDuringTrainingError();
    }
    tfLog('WARNING', msg);
    ctx.requestStop();
  }
}
