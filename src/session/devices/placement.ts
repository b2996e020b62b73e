/**
 * Placement of a compiled CPU plan on the session's CPU devices, and the per-device programs it implies.
 *
 * Each step runs on the device its op was pinned to with `tf.device('/cpu:N')`; unpinned ops, ops pinned
 * to a device this session does not have (soft placement, logged) and everything that touches session
 * state (variables, assignments, random streams, summaries, control flow, iterators) run on `/cpu:0`, the
 * calling thread, where the variables live. A value produced on one device and read on another becomes a
 * transfer (TF1's send/recv pair): sent as soon as it is computed, received when first needed. A read of a
 * variable by another device is sent at the earliest point where the read is ordered: right after the
 * last assignment to that variable that precedes the reader in the plan (or at the start of the run).
 * Cross-device control dependencies become empty tokens. Every device runs its steps in plan order, a
 * topological order shared by all devices, so blocking receives cannot deadlock.
 */
import type { Operation } from '../../graph/tensor';
import { ExecutionPlan, PlanStep } from '../plan';
import { encodeStep, portable, StepDescriptor } from './codec';
import { parseDevice } from './names';

/** A value to send after a step (or at the start of the run): its key and destination device. */
export interface Send {
  key: number;
  to: number;
  /** An empty token (a control dependency), not a value. */
  token?: boolean;
}

/** A variable read sent to another device: read from the session's variables at that point. */
export interface LiveSend extends Send {
  variable: Operation;
}

/** What `/cpu:0` (the calling thread) does for the plan. */
export interface MainProgram {
  /** Main's own copies of its steps (frees recomputed for this device); undefined where not main's. */
  steps: (PlanStep | undefined)[];
  /** Per global step: keys main must receive before running it (values and tokens from other devices). */
  waits: number[][];
  /** Per global step: what main sends after running it (its outputs) or at its position (live reads). */
  sendsAfter: Send[][];
  /** Per global step: live variable reads sent to other devices at that position. */
  liveAfter: LiveSend[][];
  /** Sent when the run starts: feeds and reads of variables no earlier step assigns. */
  startSends: Send[];
  startLive: LiveSend[];
  /** Fetched keys computed on other devices (received before the run returns). */
  fetchWaits: number[];
}

/** What a worker device runs for the plan (sent to its thread once, then run by id). */
export interface WorkerProgram {
  device: number;
  steps: StepDescriptor[];
  /** Per local step: keys to send after it (to main, which forwards what is meant for other workers). */
  sendsAfter: Send[][];
  keyCount: number;
  /** The session's CPU backend computes float32 in float64 (reference mode): the device does too. */
  float64: boolean;
}

/** Where each step of a plan runs, and why a pinned step runs on `/cpu:0` instead (by step). */
export interface Placement {
  device: number[];
  notes: (string | undefined)[];
}

export interface DevicePlan {
  /** Device index per step of the plan. */
  device: number[];
  /** `/cpu:0`'s own plan: its steps (others undefined), extended key space; built once, run per run. */
  mainPlan: ExecutionPlan;
  /** Why a step runs on `/cpu:0` although pinned elsewhere (placement log), by step. */
  notes: (string | undefined)[];
  main: MainProgram;
  workers: WorkerProgram[];
  keyCount: number;
}

const STATE_TYPES = /^(TensorArray|Iterator|OneShotIterator|MakeIterator)/;

/**
 * The placement pass of host plans: writes each step's reason for an override into the plan, and —
 * where some step runs on another device than `/cpu:0` — every step's device (`'/cpu:N'`).
 */
export function placeHostPlan(plan: ExecutionPlan, deviceCount: number): void {
  const { device, notes } = placeOnCpuDevices(plan, deviceCount);
  const several = device.some((d) => d > 0);
  plan.steps.forEach((step, i) => {
    const note = notes[i];
    if (note !== undefined) step.reason = note;
    if (several) step.device = `/cpu:${device[i] ?? 0}`;
  });
}

/** The placement `placeHostPlan` wrote into a host plan's steps. */
export function hostPlacementOf(plan: ExecutionPlan): Placement {
  return {
    device: plan.steps.map((s) => (s.device ? (parseDevice(s.device)?.index ?? 0) : 0)),
    notes: plan.steps.map((s) => s.reason),
  };
}

/** Device of each step (see the module comment), with the reason for every override. */
function placeOnCpuDevices(plan: ExecutionPlan, deviceCount: number): Placement {
  const device: number[] = [];
  const notes: (string | undefined)[] = [];
  for (const step of plan.steps) {
    const op = step.op;
    const spec = parseDevice(op.device);
    let d = 0;
    let note: string | undefined;
    if (spec?.type === 'GPU') note = `soft placement: ${op.device} on a CPU session`;
    else if (spec && spec.index !== undefined && spec.index > 0) {
      if (spec.index >= deviceCount)
        note = `soft placement: ${op.device} does not exist (${deviceCount} CPU device${deviceCount > 1 ? 's' : ''})`;
      else if (
        op.def.stateful ||
        op.def.refInputs?.length ||
        op.def.shapesFromKernel ||
        STATE_TYPES.test(op.type)
      )
        note = 'stateful: runs where the variables and random streams live';
      else if (!portable(op)) note = 'attrs cannot leave the calling thread';
      else d = spec.index;
    }
    device.push(d);
    notes.push(note);
  }
  return { device, notes };
}

/** Builds the per-device programs of a plan, or undefined when every step runs on `/cpu:0`. */
export function buildDevicePlan(
  plan: ExecutionPlan,
  deviceCount: number,
  float64: boolean,
  { device, notes }: Placement,
): DevicePlan | undefined {
  if (!device.some((d) => d > 0)) return undefined;
  const steps = plan.steps;
  let keyCount = plan.slotCount;

  // Producer device of each slot: feeds are main's; outputs are their step's.
  const producer = new Map<number, number>();
  const producedAt = new Map<number, number>();
  for (const slot of plan.feedSlots.values()) producer.set(slot, 0);
  steps.forEach((s, i) => {
    for (const slot of s.outputSlots) {
      if (slot < 0) continue;
      producer.set(slot, device[i] as number);
      producedAt.set(slot, i);
    }
  });

  const n = steps.length;
  const waits: number[][] = steps.map(() => []);
  const mainSendsAfter: Send[][] = steps.map(() => []);
  const liveAfter: LiveSend[][] = steps.map(() => []);
  const startSends: Send[] = [];
  const startLive: LiveSend[] = [];
  const workerSendsAfter = new Map<number, Send[]>(); // global step index → sends (worker side)
  const inputsOf: number[][] = steps.map((s) => s.inputSlots.slice());
  const sent = new Set<string>(); // `${key}>${to}`

  const route = (key: number, from: number, to: number, at: number | undefined, token = false): void => {
    if (sent.has(`${key}>${to}`)) return;
    sent.add(`${key}>${to}`);
    const send: Send = token ? { key, to, token } : { key, to };
    if (from === 0) (at === undefined ? startSends : (mainSendsAfter[at] as Send[])).push(send);
    else {
      const list = workerSendsAfter.get(at as number) ?? [];
      list.push(send);
      workerSendsAfter.set(at as number, list);
    }
  };

  // Position of the assignments to each variable, for live reads.
  const writesOf = new Map<Operation, number[]>();
  steps.forEach((s, i) => {
    for (const r of s.op.def.refInputs ?? []) {
      const v = s.op.inputs[r]?.op;
      if (v) writesOf.set(v, [...(writesOf.get(v) ?? []), i]);
    }
  });
  const stepOfOp = new Map<number, number>();
  steps.forEach((s, i) => stepOfOp.set(s.op.id, i));

  steps.forEach((s, i) => {
    const d = device[i] as number;
    s.inputSlots.forEach((slot, k) => {
      const variable = s.liveReads?.[k];
      if (variable && d > 0) {
        // A variable read on another device: a fresh key, filled from the variable store.
        const key = keyCount++;
        (inputsOf[i] as number[])[k] = key;
        const before = (writesOf.get(variable) ?? []).filter((w) => w < i);
        const send = { key, to: d, variable };
        if (before.length) (liveAfter[before[before.length - 1] as number] as LiveSend[]).push(send);
        else startLive.push(send);
        return;
      }
      if (slot < 0 || variable) return;
      const from = producer.get(slot) ?? 0;
      if (from === d) return;
      route(slot, from, d, producedAt.get(slot));
      if (d === 0) (waits[i] as number[]).push(slot);
    });
    // Control dependencies across devices: an empty token sent after the control input's step.
    for (const c of s.op.controlInputs) {
      const j = stepOfOp.get(c.id);
      if (j === undefined || device[j] === d) continue;
      const key = keyCount++;
      route(key, device[j] as number, d, j, true);
      (waits[i] as number[]).push(key);
    }
  });

  // Fetches computed elsewhere come back to main.
  const fetchWaits: number[] = [];
  for (const slot of plan.fetchSlots) {
    if (slot < 0) continue;
    const from = producer.get(slot) ?? 0;
    if (from !== 0 && !fetchWaits.includes(slot)) {
      fetchWaits.push(slot);
      route(slot, from, 0, producedAt.get(slot));
    }
  }

  // Memory plan per device: a key is freed after its last local use (reads and sends); main keeps
  // feeds and fetches.
  const keep = new Set<number>([...plan.fetchSlots, ...plan.feedSlots.values()]);
  const lastUse = (dev: number): Map<number, number> => {
    const last = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const sends =
        dev === 0 ? (mainSendsAfter[i] as Send[]) : device[i] === dev ? (workerSendsAfter.get(i) ?? []) : [];
      if (device[i] === dev) {
        for (const k of inputsOf[i] as number[]) if (k >= 0) last.set(k, i);
        for (const k of (steps[i] as PlanStep).outputSlots) if (k >= 0 && !last.has(k)) last.set(k, i);
      }
      for (const sd of sends) last.set(sd.key, Math.max(last.get(sd.key) ?? i, i));
      if (device[i] === dev) for (const k of waits[i] as number[]) last.set(k, Math.max(last.get(k) ?? i, i));
    }
    return last;
  };

  const mainLast = lastUse(0);
  const mainFrees: number[][] = steps.map(() => []);
  for (const [k, i] of mainLast) if (!keep.has(k) && k < plan.slotCount) (mainFrees[i] as number[]).push(k);
  const mainSteps = steps.map((s, i) =>
    device[i] === 0 ? { ...s, freeSlots: mainFrees[i] as number[] } : undefined,
  );

  const workers: WorkerProgram[] = [];
  for (let dev = 1; dev < deviceCount; dev++) {
    const local = steps.map((_s, i) => i).filter((i) => device[i] === dev);
    if (!local.length) continue;
    const last = lastUse(dev);
    const frees = new Map<number, number[]>();
    for (const [k, i] of last) if (k < plan.slotCount) frees.set(i, [...(frees.get(i) ?? []), k]);
    workers.push({
      device: dev,
      keyCount,
      float64,
      steps: local.map((i) => {
        const s = steps[i] as PlanStep;
        return encodeStep(s.op, {
          inputSlots: inputsOf[i] as number[],
          outputSlots: s.outputSlots,
          freeSlots: frees.get(i) ?? [],
          waits: (waits[i] as number[]).filter((k) => k >= plan.slotCount),
        });
      }),
      sendsAfter: local.map((i) => workerSendsAfter.get(i) ?? []),
    });
  }

  const mainPlan = new ExecutionPlan(
    plan.backend,
    mainSteps as PlanStep[],
    plan.feedSlots,
    plan.fetchSlots,
    keyCount,
    plan.variablesRead,
  );
  mainPlan.maxTensorBytes = plan.maxTensorBytes;
  return {
    device,
    mainPlan,
    notes,
    keyCount,
    workers,
    main: {
      steps: mainSteps,
      waits,
      sendsAfter: mainSendsAfter,
      liveAfter,
      startSends,
      startLive,
      fetchWaits,
    },
  };
}

/** Writes where each step runs and what it sends (values, tokens) into the plan's steps, for printing. */
export function annotatePlan(plan: ExecutionPlan, dp: DevicePlan): void {
  const local = new Map<number, number>(); // worker device → index of its current local step
  dp.device.forEach((d, i) => {
    const out = [...(dp.main.sendsAfter[i] ?? []), ...(dp.main.liveAfter[i] ?? [])];
    if (d > 0) {
      const j = local.get(d) ?? 0;
      local.set(d, j + 1);
      out.push(...(dp.workers.find((w) => w.device === d)?.sendsAfter[j] ?? []));
    }
    const step = plan.steps[i] as PlanStep;
    step.device = `/cpu:${d}`;
    step.sends = out.map((x) => `${x.token ? 'token' : `%${x.key}`} -> /cpu:${x.to}`);
  });
}
