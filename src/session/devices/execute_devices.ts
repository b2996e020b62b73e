/**
 * Runs a plan placed on several CPU devices (./placement.ts). The calling thread is `/cpu:0`: it starts
 * every device's program, then runs its own steps in plan order, sending values as soon as they exist and
 * receiving (blocking) what it needs; values from one worker device to another pass through it (it
 * forwards them whenever it waits or between its steps). The run ends when every device reported done; an
 * error on any device aborts the others and is thrown here, and the session then discards the run's
 * variable writes — a failed run changes no variable, as on one device.
 */
import type { Backend, RunState, SlotValue } from '../../backends/backend';
import { setDevicesRunning } from '../../backends/cpu/wasm';
import * as errors from '../../errors';
import { NDArray } from '../../ndarray';
import { monotonicMicros } from '../../platform';
import { PlanRun } from '../execute';
import type { ExecutionPlan, PlanStep } from '../plan';
import { fromWire, toWire, WireArray } from './codec';
import type { DevicePlan, Send } from './placement';
import { FromDevice, nextFromDevices, pollDevices, postToDevice, programsOn, stopDevice } from './threads';

/** One executed step in a trace: device index, op name and type, start and end (µs since the epoch). */
export interface StepTrace {
  device: number;
  nodeName: string;
  opType: string;
  startMicros: number;
  endMicros: number;
}

const TOKEN = new NDArray(new Float32Array(0), [0], 'float32');
let nextProgram = 1;
let nextRun = 1;
const programIds = new WeakMap<DevicePlan, Map<number, number>>();

/** Program ids a device plan was given on its devices (to drop them when the session closes). */
export function programIdsOf(dp: DevicePlan): Map<number, number> {
  let ids = programIds.get(dp);
  if (!ids) {
    ids = new Map(dp.workers.map((w) => [w.device, nextProgram++]));
    programIds.set(dp, ids);
  }
  return ids;
}

/** Tells the device threads to forget a closed session's programs. */
export function dropPrograms(dps: Iterable<DevicePlan>): void {
  for (const dp of dps) {
    const ids = programIds.get(dp);
    if (!ids) continue;
    for (const [d, id] of ids) {
      if (!programsOn(d).delete(id)) continue;
      postToDevice(d, { k: 'drop', ids: [id] });
    }
  }
}

function rebuildError(m: { name: string; message: string }): Error {
  const Ctor = (errors as unknown as Record<string, new (msg: string) => Error>)[m.name];
  if (typeof Ctor === 'function') return new Ctor(m.message);
  if (m.name === 'TypeError') return new TypeError(m.message);
  if (m.name === 'RangeError') return new RangeError(m.message);
  return new Error(m.message);
}

export function executeOnDevices(
  plan: ExecutionPlan,
  dp: DevicePlan,
  backend: Backend,
  feeds: ReadonlyMap<string, NDArray>,
  state: RunState<SlotValue>,
  trace?: StepTrace[],
): (SlotValue | undefined)[] {
  const runId = nextRun++;
  const ids = programIdsOf(dp);
  const pending = new Set<number>();
  const tracing = trace !== undefined;
  // Every thread stamps the process-wide monotonic clock; this offset turns it into µs since the epoch.
  const epoch = tracing ? Date.now() * 1000 - monotonicMicros() : 0;
  try {
    for (const w of dp.workers) {
      const id = ids.get(w.device) as number;
      const sent = programsOn(w.device);
      if (!sent.has(id)) {
        postToDevice(w.device, { k: 'program', id, program: w });
        sent.add(id);
      }
      postToDevice(w.device, { k: 'run', run: runId, program: id, trace: tracing });
      pending.add(w.device);
    }
  } catch (e) {
    abort(runId, pending);
    throw e;
  }

  dp.mainPlan.maxTensorBytes = plan.maxTensorBytes;
  const run = new PlanRun(dp.mainPlan, backend, feeds, state);
  const send = (s: Send, value: SlotValue | undefined): void => {
    const wire = s.token ? null : toWire(value as NDArray);
    postToDevice(s.to, { k: 'value', run: runId, key: s.key, value: wire });
  };
  const onMessage = (m: FromDevice): void => {
    if (m.k === 'fatal') {
      pending.delete(m.device);
      stopDevice(m.device);
      throw new errors.InternalError(`CPU device /cpu:${m.device} failed: ${m.message}`);
    }
    if (m.run !== runId) return; // a message of an earlier, aborted run
    if (m.k === 'value') {
      if (m.to === 0) run.put(m.key, m.value ? fromWire(m.value as WireArray) : TOKEN);
      else postToDevice(m.to, { k: 'value', run: runId, key: m.key, value: m.value });
    } else if (m.k === 'done') {
      pending.delete(m.device);
      if (trace && m.trace) {
        for (const [nodeName, opType, s, e] of m.trace)
          trace.push({ device: m.device, nodeName, opType, startMicros: s + epoch, endMicros: e + epoch });
      }
    } else {
      pending.delete(m.device);
      throw rebuildError(m);
    }
  };
  const waitFor = (key: number): void => {
    while (run.get(key) === undefined) onMessage(nextFromDevices());
  };
  const drain = (): void => {
    for (let m = pollDevices(); m !== undefined; m = pollDevices()) onMessage(m);
  };

  setDevicesRunning(true);
  try {
    for (const s of dp.main.startSends) send(s, run.get(s.key));
    for (const s of dp.main.startLive) send(s, state.readVariable(s.variable));
    for (let i = 0; i < plan.steps.length; i++) {
      if (dp.device[i] !== 0) continue;
      for (const key of dp.main.waits[i] as number[]) waitFor(key);
      const start = tracing ? monotonicMicros() : 0;
      const results = run.start(i);
      if (results instanceof Promise) throw new Error('internal: asynchronous kernel on a CPU device');
      run.finish(i, results, () => {
        for (const s of dp.main.sendsAfter[i] as Send[]) send(s, run.get(s.key));
      });
      for (const s of dp.main.liveAfter[i] ?? []) send(s, state.readVariable(s.variable));
      if (trace) {
        const op = (plan.steps[i] as PlanStep).op;
        trace.push({
          device: 0,
          nodeName: op.name,
          opType: op.type,
          startMicros: start + epoch,
          endMicros: monotonicMicros() + epoch,
        });
      }
      drain();
    }
    for (const key of dp.main.fetchWaits) waitFor(key);
    while (pending.size) onMessage(nextFromDevices());
  } catch (e) {
    run.abort();
    abort(runId, pending);
    throw e;
  } finally {
    setDevicesRunning(false);
  }
  return run.fetched();
}

/** Tells the devices still running `runId` to stop it. */
function abort(runId: number, pending: Set<number>): void {
  for (const d of pending) {
    try {
      postToDevice(d, { k: 'abort', run: runId });
    } catch {
      // a device that cannot be told has failed: a later run restarts it
    }
  }
}
