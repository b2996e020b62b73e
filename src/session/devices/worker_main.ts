/**
 * The executor of one CPU device `/cpu:N` (N ≥ 1), running on its own worker thread (./threads.ts).
 *
 * It keeps the programs it was sent (rebuilt operations, kernels of its own CPU backend) and runs one
 * when told: steps in plan order, each waiting for the values and tokens other devices send, each output
 * that another device needs sent right after its step. It never touches session state (placement keeps
 * variables, assignments and random streams on `/cpu:0`), so a failed run changes nothing here either.
 * Its kernels use one thread: the devices are the parallelism (no oversubscription of the cores).
 */
import { MessagePort, workerData } from 'worker_threads';
import { receiveMessageOnPort } from 'worker_threads';
import '../../index';
import { createCpuBackend } from '../../backends/cpu';
import { setKernelOptions } from '../../backends/cpu/wasm';
import { monotonicMicros } from '../../platform';
import { Graph } from '../../graph/graph';
import { NDArray } from '../../ndarray';
import { PlanRun } from '../execute';
import { ExecutionPlan, PlanStep } from '../plan';
import { decodeStep, fromWire, toWire, WireArray } from './codec';
import type { Send, WorkerProgram } from './placement';
import type { Backend, RunState } from '../../backends/backend';

const {
  port,
  ctrl: sab,
  index,
} = workerData as { port: MessagePort; ctrl: SharedArrayBuffer; index: number };
const ctrl = new Int32Array(sab);

type ToDevice =
  | { k: 'program'; id: number; program: WorkerProgram }
  | { k: 'drop'; ids: number[] }
  | { k: 'run'; run: number; program: number; trace: boolean }
  | { k: 'value'; run: number; key: number; value: WireArray | null }
  | { k: 'abort'; run: number }
  | { k: 'stop' };

interface Loaded {
  plan: ExecutionPlan;
  backend: Backend;
  sendsAfter: Send[][];
  waits: number[][];
}

const backends = { float32: createCpuBackend(), float64: createCpuBackend({ float64: true }) };
setKernelOptions({ threads: 1 });
const graph = new Graph();
const programs = new Map<number, Loaded>();
const TOKEN = new NDArray(new Float32Array(0), [0], 'float32');

/** Session state does not exist on a device thread (placement keeps stateful ops on /cpu:0). */
const noState: RunState = {
  readVariable: (op) => {
    throw new Error(`internal: ${op.name} read a variable on /cpu:${index}`);
  },
  writeVariable: (op) => {
    throw new Error(`internal: ${op.name} wrote a variable on /cpu:${index}`);
  },
  random: (op) => {
    throw new Error(`internal: ${op.name} drew random numbers on /cpu:${index}`);
  },
};

function post(m: unknown): void {
  port.postMessage(m);
  Atomics.add(ctrl, 0, 1);
  Atomics.notify(ctrl, 0);
}

function next(): ToDevice {
  for (;;) {
    const seen = Atomics.load(ctrl, index);
    const m = receiveMessageOnPort(port);
    if (m) return m.message as ToDevice;
    Atomics.wait(ctrl, index, seen);
  }
}

function load(program: WorkerProgram): Loaded {
  let id = 0;
  const backend = program.float64 ? backends.float64 : backends.float32;
  const steps: PlanStep[] = program.steps.map((d) => {
    const op = decodeStep(graph, d, ++id);
    const kernel = backend.kernelFor(op);
    if (!kernel)
      throw new Error(`No kernel registered for op '${op.name}' (op type: ${op.type}) on /cpu:${index}`);
    return { op, kernel, inputSlots: d.inputSlots, outputSlots: d.outputSlots, freeSlots: d.freeSlots };
  });
  const plan = new ExecutionPlan('cpu', steps, new Map(), [], program.keyCount, []);
  return { plan, backend, sendsAfter: program.sendsAfter, waits: program.steps.map((d) => d.waits) };
}

/** Handles a message that is not part of the run in progress; returns false on 'stop'. */
function handle(m: ToDevice): boolean {
  if (m.k === 'program') {
    try {
      programs.set(m.id, load(m.program));
    } catch (e) {
      post({ k: 'fatal', device: index, message: (e as Error).message });
    }
  } else if (m.k === 'drop') for (const id of m.ids) programs.delete(id);
  else if (m.k === 'run') execute(m.run, m.program, m.trace);
  else if (m.k === 'stop') return false;
  // Values and aborts of runs that already ended here are stale: dropped.
  return true;
}

function execute(runId: number, programId: number, trace: boolean): void {
  const p = programs.get(programId);
  if (!p) {
    post({
      k: 'error',
      run: runId,
      device: index,
      name: 'Error',
      message: `internal: program ${programId} unknown on /cpu:${index}`,
    });
    return;
  }
  const run = new PlanRun(p.plan, p.backend, new Map(), noState);
  const times: [string, string, number, number][] = [];
  // Waits until `key` has arrived; false when the run was aborted meanwhile.
  // Traced: each wait shows as a `_Recv` entry (TF1's step stats list the receive ops too).
  const arrive = (key: number): boolean => {
    if (run.get(key) !== undefined) return true;
    const waitStart = trace ? monotonicMicros() : 0;
    while (run.get(key) === undefined) {
      const m = next();
      if (m.k === 'value' && m.run === runId) run.put(m.key, m.value ? fromWire(m.value) : TOKEN);
      else if (m.k === 'abort' && m.run === runId) return false;
      else if (m.k === 'value' || m.k === 'abort') continue;
      else if (m.k === 'stop') throw new Error('stopped');
      else handle(m);
    }
    if (trace) times.push([`_Recv/%${key}`, '_Recv', waitStart, monotonicMicros()]);
    return true;
  };
  for (let j = 0; j < p.plan.steps.length; j++) {
    const step = p.plan.steps[j] as PlanStep;
    for (const key of step.inputSlots) if (key >= 0 && !arrive(key)) return;
    for (const key of p.waits[j] as number[]) if (!arrive(key)) return;
    const start = trace ? monotonicMicros() : 0;
    let results;
    try {
      results = run.start(j);
      if (results instanceof Promise) throw new Error('internal: asynchronous kernel on a CPU device');
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      post({ k: 'error', run: runId, device: index, name: err.name, message: err.message });
      return;
    }
    run.finish(j, results, () => {
      for (const s of p.sendsAfter[j] as Send[]) {
        const v = s.token ? null : toWire(run.get(s.key) as NDArray);
        post({ k: 'value', run: runId, key: s.key, to: s.to, value: v });
      }
    });
    if (trace) times.push([step.op.name, step.op.type, start, monotonicMicros()]);
  }
  post({ k: 'done', run: runId, device: index, ...(trace ? { trace: times } : {}) });
}

try {
  while (handle(next()));
} catch (e) {
  post({ k: 'fatal', device: index, message: (e as Error).message });
}
