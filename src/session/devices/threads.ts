/**
 * The threads behind CPU devices `/cpu:1`, `/cpu:2`, …: one per device index, started on first use and
 * shared by every session of the process (a session's runs are synchronous, so a device thread serves one
 * run at a time). Messages travel through MessagePorts; the receiver blocks in Atomics.wait on a shared
 * counter that the sender bumps after posting, and reads with a non-blocking receive — so the calling
 * thread can wait for a device without returning to the event loop (Session.run is synchronous).
 */
import { canBlock, startDeviceThread } from '../../platform';
import type { DeviceThread } from '../../platform';

/** At most this many devices (counters in the shared block). */
export const MAX_DEVICES = 64;

/** Messages from a device thread to the calling thread. */
export type FromDevice =
  | { k: 'value'; run: number; key: number; to: number; value: unknown }
  | { k: 'done'; run: number; device: number; trace?: [string, string, number, number][] }
  | { k: 'error'; run: number; device: number; name: string; message: string }
  | { k: 'fatal'; device: number; message: string };

let ctrl: Int32Array | undefined;
const threads = new Map<number, DeviceThread>();
/** Programs each running device thread holds, by id (a restarted thread holds none). */
const programs = new Map<number, Set<number>>();

/** The ids of the programs device `d`'s current thread has been sent. */
export function programsOn(d: number): Set<number> {
  let s = programs.get(d);
  if (!s) programs.set(d, (s = new Set()));
  return s;
}

function counters(): Int32Array {
  if (!ctrl) ctrl = new Int32Array(new SharedArrayBuffer(MAX_DEVICES * 4));
  return ctrl;
}

/** Whether this platform can run CPU devices on threads (Node: yes; a browser page cannot block). */
export function deviceThreadsAvailable(): boolean {
  return canBlock && typeof SharedArrayBuffer === 'function';
}

/** The thread of device `d` (≥ 1), started on first use. */
function thread(d: number): DeviceThread {
  let t = threads.get(d);
  if (!t) {
    if (d < 1 || d >= MAX_DEVICES)
      throw new RangeError(`device index ${d} out of range 1..${MAX_DEVICES - 1}`);
    t = startDeviceThread({ ctrl: counters().buffer, index: d });
    threads.set(d, t);
  }
  return t;
}

/** Posts `message` to device `d` and wakes it. */
export function postToDevice(d: number, message: unknown): void {
  thread(d).post(message);
  const c = counters();
  Atomics.add(c, d, 1);
  Atomics.notify(c, d);
}

/** The next message from any device thread (blocking). */
export function nextFromDevices(): FromDevice {
  const c = counters();
  for (;;) {
    const seen = Atomics.load(c, 0);
    for (const t of threads.values()) {
      const m = t.receive();
      if (m !== undefined) return m as FromDevice;
    }
    Atomics.wait(c, 0, seen);
  }
}

/** A message from any device thread that has already arrived, or undefined (never blocks). */
export function pollDevices(): FromDevice | undefined {
  for (const t of threads.values()) {
    const m = t.receive();
    if (m !== undefined) return m as FromDevice;
  }
  return undefined;
}

/** Stops device `d`'s thread (after a fatal error; a later run starts a new one). */
export function stopDevice(d: number): void {
  const t = threads.get(d);
  if (!t) return;
  threads.delete(d);
  programs.delete(d);
  try {
    t.post({ k: 'stop' });
    const c = counters();
    Atomics.add(c, d, 1);
    Atomics.notify(c, d);
  } finally {
    t.terminate();
  }
}

/** Stops every device thread (tests, benchmarks; they are unref'd and never keep the process alive). */
export function stopDeviceThreads(): void {
  for (const d of [...threads.keys()]) stopDevice(d);
}
