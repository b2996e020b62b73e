import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tg-mts-'));
}

/** Captures stderr while `fn` runs (the hooks log there as TF1's INFO:tensorflow lines). */
function quietly<T>(fn: () => T, sink: string[] = []): T {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    sink.push(String(s));
    return true;
  });
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

/** y = w·x regression on one variable, trained by gradient descent with a global step. */
function buildModel() {
  const x = tf.placeholder('float32', [null], 'x');
  const y = tf.placeholder('float32', [null], 'y');
  const w = new tf.Variable(0, { name: 'w' });
  const loss = tf.reduceMean(tf.square(tf.subtract(tf.multiply(w, x), y)), null, false, 'loss');
  const globalStep = tf.train.getOrCreateGlobalStep();
  const train = new tf.train.GradientDescentOptimizer(0.1).minimize(loss, { globalStep });
  tf.summary.scalar('loss', loss);
  return { x, y, w, loss, globalStep, train };
}
const feed = { 'x:0': [1, 2], 'y:0': [2, 4] };

/** The hooks' calls in order. */
class Recorder extends tf.train.SessionRunHook {
  calls: string[] = [];
  constructor(
    private readonly tag: string,
    private readonly fetch: tf.Tensor | null = null,
  ) {
    super();
  }
  override begin(): void {
    this.calls.push(`${this.tag}.begin`);
  }
  override afterCreateSession(): void {
    this.calls.push(`${this.tag}.afterCreateSession`);
  }
  override beforeRun(ctx: tf.train.SessionRunContext): tf.train.SessionRunArgs | null {
    this.calls.push(`${this.tag}.beforeRun`);
    expect(ctx.session).toBeInstanceOf(tf.Session);
    return this.fetch ? new tf.train.SessionRunArgs(this.fetch) : null;
  }
  override afterRun(_ctx: tf.train.SessionRunContext, values: tf.train.SessionRunValues): void {
    this.calls.push(
      `${this.tag}.afterRun:${values.results === null ? 'null' : String((values.results as tf.NDArray).item())}`,
    );
  }
  override end(): void {
    this.calls.push(`${this.tag}.end`);
  }
}

describe('tf.train.MonitoredTrainingSession', () => {
  test('initializes, counts steps, stops at lastStep, calls hooks in order, finalizes the graph', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const m = buildModel();
      const rec = new Recorder('r', m.globalStep);
      const sess = quietly(
        () =>
          new tf.train.MonitoredTrainingSession({
            hooks: [new tf.train.StopAtStepHook({ lastStep: 5 }), rec],
          }),
      );
      expect(g.isFinalized).toBe(true);
      let runs = 0;
      let lastLoss = Infinity;
      while (!sess.shouldStop()) {
        const [, l] = sess.run([m.train, m.loss], feed) as [null, tf.NDArray];
        lastLoss = l.item() as number;
        runs++;
      }
      expect(runs).toBe(5);
      expect(sess).toBeInstanceOf(tf.train.MonitoredTrainingSession);
      sess.close();
      expect(lastLoss).toBeLessThan(10);
      expect(rec.calls.slice(0, 4)).toEqual([
        'r.begin',
        'r.afterCreateSession',
        'r.beforeRun',
        'r.afterRun:0',
      ]);
      expect(rec.calls.filter((c) => c.startsWith('r.afterRun')).length).toBe(5);
      expect(rec.calls[rec.calls.length - 1]).toBe('r.end');
    });
  });

  test('numSteps counts from the step the session starts at; run after stop is refused', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const m = buildModel();
      const setStep = m.globalStep.assign(10);
      const sess = new tf.train.SingularMonitoredSession({ hooks: [new tf.train.StopAtStepHook(3)] });
      sess.rawSession().run(setStep);
      // lastStep was fixed at creation: 0 + 3.
      sess.run(m.train, feed);
      expect(sess.shouldStop()).toBe(true);
      expect(() => sess.run(m.train, feed)).toThrow('Run called even after should_stop requested.');
      sess.close();
      expect(() => new tf.train.StopAtStepHook()).toThrow(
        'Exactly one of num_steps and last_step must be provided.',
      );
    });
  });

  test('checkpoint written and restored by a second session continuing from the saved global step', () => {
    const dir = tmpDir();
    const log: string[] = [];
    const first = { start: NaN, end: NaN, step: NaN };
    const g1 = new tf.Graph();
    g1.asDefault(() => {
      const m = buildModel();
      const peek = new Peek(m.w, m.globalStep);
      const sess = quietly(
        () =>
          new tf.train.MonitoredTrainingSession({
            checkpointDir: dir,
            saveCheckpointSteps: 2,
            hooks: [new tf.train.StopAtStepHook({ lastStep: 3 }), peek],
          }),
        log,
      );
      quietly(() => {
        while (!sess.shouldStop()) sess.run(m.train, feed);
        sess.close();
      }, log);
      Object.assign(first, { start: peek.atStart, end: peek.atEnd, step: peek.stepAtEnd });
    });
    expect(first.start).toBe(0);
    expect(first.step).toBe(3);
    expect(first.end).not.toBe(0);
    // Saved when the session started (step 0), at step 2 (saveSteps), and at the end (step 3).
    for (const step of [0, 2, 3])
      expect(tf.train.checkpointExists(path.join(dir, `model.ckpt-${step}`))).toBe(true);
    expect(tf.train.latestCheckpoint(dir)).toBe(path.resolve(dir, 'model.ckpt-3'));
    expect(log.join('')).toContain(
      `INFO:tensorflow:Saving checkpoints for 3 into ${path.join(dir, 'model.ckpt')}.`,
    );
    // Summaries (merge_all at every 100 steps: step 1 here) and the graph went to the event file.
    const events = fs.readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents'));
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((f) => fs.readFileSync(path.join(dir, f)).includes(Buffer.from('loss')))).toBe(true);

    const g2 = new tf.Graph();
    g2.asDefault(() => {
      const m = buildModel();
      const peek = new Peek(m.w, m.globalStep);
      const sess = quietly(
        () =>
          tf.train.MonitoredTrainingSession({
            checkpointDir: dir,
            saveCheckpointSteps: 2,
            hooks: [new tf.train.StopAtStepHook({ numSteps: 2 }), peek],
          }),
        log,
      );
      expect(peek.atStart).toBe(first.end); // restored, not re-initialized
      expect(peek.stepAtStart).toBe(3);
      let runs = 0;
      quietly(() => {
        while (!sess.shouldStop()) {
          sess.run(m.train, feed);
          runs++;
        }
        sess.close();
      }, log);
      expect(runs).toBe(2);
      expect(peek.stepAtEnd).toBe(5);
    });
    expect(tf.train.latestCheckpoint(dir)).toBe(path.resolve(dir, 'model.ckpt-5'));
  });

  test('summaries every saveSummariesSteps to summaryDir with a SummarySaverHook', () => {
    const dir = tmpDir();
    const g = new tf.Graph();
    g.asDefault(() => {
      const m = buildModel();
      const writer = new tf.summary.FileWriter(dir);
      const added: number[] = [];
      const orig = writer.addSummary.bind(writer);
      writer.addSummary = (s, step) => {
        added.push(step ?? -1);
        orig(s, step);
      };
      const hook = new tf.train.SummarySaverHook({
        saveSteps: 2,
        summaryWriter: writer,
        summaryOp: tf.summary.mergeAll()!,
      });
      const sess = new tf.train.SingularMonitoredSession({
        hooks: [hook, new tf.train.StopAtStepHook({ lastStep: 6 })],
      });
      while (!sess.shouldStop()) sess.run(m.train, feed);
      sess.close();
      writer.close();
      // TF1: the first run, then every 2 global steps, at the step after the run.
      expect(added).toEqual([1, 3, 5]);
    });
  });

  test('NanTensorHook raises NanLossDuringTrainingError, or stops with failOnNanLoss false', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const m = buildModel();
      const nanFeed = { 'x:0': [NaN], 'y:0': [1] };
      const log: string[] = [];
      const sess = new tf.train.SingularMonitoredSession({ hooks: [new tf.train.NanTensorHook(m.loss)] });
      sess.run(m.train, feed);
      quietly(() => {
        expect(() => sess.run(m.train, nanFeed)).toThrow(tf.train.NanLossDuringTrainingError);
      }, log);
      expect(log.join('')).toContain('ERROR:tensorflow:Model diverged with loss = NaN.');
      expect(new tf.train.NanLossDuringTrainingError().message).toBe('NaN loss during training.');
      sess.close();
      const soft = new tf.train.SingularMonitoredSession({
        hooks: [new tf.train.NanTensorHook(m.loss, false)],
      });
      quietly(() => soft.run(m.train, nanFeed), log);
      expect(soft.shouldStop()).toBe(true);
      expect(log.join('')).toContain('WARNING:tensorflow:Model diverged with loss = NaN.');
    });
  });

  test('LoggingTensorHook logs every N iterations in TF1 format', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const m = buildModel();
      const log: string[] = [];
      const hook = new tf.train.LoggingTensorHook({ step: m.globalStep, w: m.w }, { everyNIter: 2 });
      const sess = new tf.train.SingularMonitoredSession({
        hooks: [hook, new tf.train.StopAtStepHook({ lastStep: 4 })],
      });
      quietly(() => {
        while (!sess.shouldStop()) sess.run(m.train, feed);
      }, log);
      sess.close();
      const lines = log
        .join('')
        .split('\n')
        .filter((l) => l.includes('step = '));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^INFO:tensorflow:step = [01], w = /);
      expect(() => new tf.train.LoggingTensorHook([m.w])).toThrow(
        'either at_end and/or exactly one of every_n_iter and every_n_secs must be provided.',
      );
    });
  });

  test('OutOfRangeError ends the loop cleanly: shouldStop() turns true and close() still runs the end hooks', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const m = buildModel();
      const rec = new Recorder('r');
      const next = tf.data.Dataset.fromTensorSlices(tf.constant([1, 2]))
        .makeOneShotIterator()
        .getNext() as tf.Tensor;
      const sess = new tf.train.SingularMonitoredSession({ hooks: [rec] });
      let runs = 0;
      const got: number[] = [];
      while (!sess.shouldStop()) {
        const out = sess.run([m.train, next], feed);
        if (out === null) break; // the run that hit the end of the input
        got.push((out[1] as tf.NDArray).item() as number);
        runs++;
      }
      expect(got).toEqual([1, 2]);
      expect(sess.shouldStop()).toBe(true);
      expect(runs).toBe(2);
      sess.close();
      expect(rec.calls[rec.calls.length - 1]).toBe('r.end');
    });
  });

  test('argument checking follows TF1', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      buildModel();
      expect(() => new tf.train.MonitoredTrainingSession({ isChief: false } as never)).toThrow(TypeError);
      expect(() => new tf.train.MonitoredTrainingSession({ config: {} } as never)).toThrow(TypeError);
      expect(() => new tf.train.MonitoredTrainingSession({ saveCheckpointStep: 1 } as never)).toThrow(
        TypeError,
      );
      expect(() => new tf.train.CheckpointSaverHook('d')).toThrow(
        'exactly one of every_steps and every_secs should be provided.',
      );
    });
    const g2 = new tf.Graph();
    g2.asDefault(() => {
      new tf.Variable(1, { name: 'v' });
      expect(
        () => new tf.train.SingularMonitoredSession({ hooks: [new tf.train.StopAtStepHook(1)] }),
      ).toThrow('Global step should be created to use StopAtStepHook.');
    });
  });
});

/** Reads w and the global step right after the session is created and at its end. */
class Peek extends tf.train.SessionRunHook {
  atStart = NaN;
  stepAtStart = NaN;
  atEnd = NaN;
  stepAtEnd = NaN;
  constructor(
    private readonly w: tf.Tensor,
    private readonly step: tf.Tensor,
  ) {
    super();
  }
  override afterCreateSession(s: tf.Session): void {
    this.atStart = s.run(this.w).item() as number;
    this.stepAtStart = s.run(this.step).item() as number;
  }
  override end(s: tf.Session): void {
    this.atEnd = s.run(this.w).item() as number;
    this.stepAtEnd = s.run(this.step).item() as number;
  }
}
