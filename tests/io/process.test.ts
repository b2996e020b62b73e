import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { NDArray } from '../../src';
import { CHECKPOINT_SUFFIX, latestCheckpoint, Saver } from '../../src/io';
import { CheckpointState, readCheckpointState } from '../../src/io/checkpoint_state';
import { childCodeDir, childEnv, childScript } from './fixtures/child_code';
import { buildBig, FEEDS, pattern } from './fixtures/models';
import { decodeEvent, readRecords } from '../summary/event_reader';

/**
 * Checkpoints and graphs across processes: a child trains and saves, this process imports the graph,
 * restores and continues training bit for bit; and children killed (SIGKILL) at random moments while
 * saving in a loop never lose the previous checkpoint.
 */
let root: string;
let code: string;
let trainDir: string;
let trainChild: Child;
let summaryDir: string;
let summaryChild: Child;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-proc-'));
  code = childCodeDir();
  // Runs while the kill test runs.
  trainDir = fs.mkdtempSync(path.join(root, 'train-'));
  trainChild = runChild('child_train', [trainDir]);
  summaryDir = fs.mkdtempSync(path.join(root, 'summary-'));
  summaryChild = runChild('child_summary', [summaryDir]);
});
afterAll(() => {
  trainChild.kill(); // no-op once it has exited
  summaryChild.kill();
  fs.rmSync(root, { recursive: true, force: true });
});

const bytesOf = (a: NDArray): string =>
  Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('base64');

interface Child {
  /** Resolves with the exit code or signal once the child has exited. */
  exited: Promise<string>;
  kill(): void;
  stderr(): string;
}

/** Runs a fixture script; `onLine` sees each stdout line. */
function runChild(
  name: string,
  args: string[],
  onLine: (line: string, child: Child) => void = () => {},
): Child {
  const proc = spawn(process.execPath, [childScript(code, name), ...args], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let buf = '';
  const child: Child = {
    exited: new Promise((resolve) => proc.on('exit', (c, s) => resolve(s ?? String(c)))),
    kill: () => proc.kill('SIGKILL'),
    stderr: () => err,
  };
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i), child);
      buf = buf.slice(i + 1);
    }
  });
  return child;
}

test('killing the process mid-save never loses the previous checkpoint', async () => {
  const size = 1 << 20; // 4 MB per save, so a random kill usually lands inside one
  const dir = fs.mkdtempSync(path.join(root, 'kill-'));
  const big = buildBig(size);
  const restoreAndCheck = (prefix: string): number => {
    const step = Number(/-(\d+)$/.exec(prefix)?.[1]);
    const sess = new tf.Session({ graph: big.graph });
    big.saver.restore(sess, prefix);
    expect(sess.run(big.count).item()).toBe(step);
    expect(bytesOf(sess.run(big.W))).toBe(bytesOf(tf.ndarray(pattern(step, size), [size])));
    return step;
  };
  const verify = (atLeast: number, round: number): number => {
    const latest = latestCheckpoint(dir);
    expect(latest).not.toBeNull();
    const step = restoreAndCheck(latest as string);
    expect(step).toBeGreaterThanOrEqual(atLeast);
    // Every checkpoint the index lists is complete; at most maxToKeep are listed.
    const state = readCheckpointState(dir) as CheckpointState;
    expect(state.allModelCheckpointPaths.length).toBeLessThanOrEqual(3);
    state.allModelCheckpointPaths.forEach(restoreAndCheck);
    // A kill between the index update and the deletion of the oldest can leave one extra file per kill.
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(CHECKPOINT_SUFFIX));
    expect(files.length).toBeLessThanOrEqual(3 + round + 1);
    return step;
  };
  let before = 0;
  for (let round = 0; round < 2; round++) {
    let first: number | null = null;
    let lastSaved = before;
    let killAt: NodeJS.Timeout | undefined;
    const child = runChild('child_save_loop', [dir, String(size)], (line, c) => {
      const [what, n] = line.split(' ');
      if (what === 'ready') {
        expect(Number(n)).toBe(before); // it resumed from the verified checkpoint
        first = Number(n);
      }
      if (what === 'saved') lastSaved = Number(n);
      if (what === 'saved' && first !== null && lastSaved >= first + 2 && !killAt) {
        killAt = setTimeout(() => c.kill(), Math.random() * 200);
      }
    });
    const status = await child.exited;
    expect([status, child.stderr()]).toEqual(['SIGKILL', '']);
    before = verify(lastSaved, round);
  }
  // The temp files a killed writer leaves are removed by the next process's first save.
  const temps = fs.readdirSync(dir).filter((f) => f.includes('.tmp-'));
  expect(temps.length).toBeLessThanOrEqual(1);
});

test('a graph and checkpoint written by another process are imported, restored and trained bit for bit', async () => {
  const status = await trainChild.exited;
  expect([status, trainChild.stderr()]).toEqual(['0', '']);
  const result = JSON.parse(fs.readFileSync(path.join(trainDir, 'result.json'), 'utf8')) as {
    prefix: string;
    atSave: Record<string, string>;
    final: Record<string, string>;
  };
  expect(latestCheckpoint(trainDir)).toBe(path.join(trainDir, 'model-3'));
  expect(result.prefix).toBe(path.join(trainDir, 'model-3'));

  // This process never built the model: it has only the JSON.
  const graph = new tf.Graph();
  tf.importGraphDef(fs.readFileSync(path.join(trainDir, 'graph.json'), 'utf8'), { graph });
  const saver = graph.asDefault(() => new Saver());
  const sess = new tf.Session({ graph });
  saver.restore(sess, latestCheckpoint(trainDir) as string);
  const names = Object.keys(result.atSave);
  expect(names).toEqual(
    expect.arrayContaining(['mlp/W:0', 'mlp/V:0', 'mlp/b:0', 'global_step:0', 'mlp/W/Adam_1:0']),
  );
  expect(names.map((n) => tf.globalVariables(graph).some((v) => v.name === n))).not.toContain(false);
  for (const n of names) expect([n, bytesOf(sess.run(n) as NDArray)]).toEqual([n, result.atSave[n]]);
  for (let i = 0; i < 4; i++) sess.run('train', FEEDS);
  for (const n of names) expect([n, bytesOf(sess.run(n) as NDArray)]).toEqual([n, result.final[n]]);
});

test('a FileWriter that is never closed still writes its events when the process exits', async () => {
  expect([await summaryChild.exited, summaryChild.stderr()]).toEqual(['0', '']);
  const [file] = fs.readdirSync(summaryDir);
  const events = readRecords(fs.readFileSync(path.join(summaryDir, file as string))).map(decodeEvent);
  expect(events.map((e) => [e.step ?? 0, e.summary?.value[0]?.simple_value])).toEqual([
    [0, undefined],
    [0, 1],
    [1, 0.5],
    [2, Math.fround(1 / 3)],
  ]);
});
