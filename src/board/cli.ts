import * as fs from 'fs';
import { startBoard } from './server';

/**
 * `tensorgraph board --logdir DIR [--port 6006] [--host 127.0.0.1]`: starts the board on a log directory
 * and serves it until interrupted (Ctrl-C).
 */
export const USAGE = [
  'Usage: tensorgraph board --logdir DIR [--port 6006] [--host 127.0.0.1]',
  '',
  '  --logdir DIR   the log directory (event files written by tf.summary.FileWriter, one run per subdirectory)',
  '  --port N       TCP port (default 6006; 0 picks a free port)',
  '  --host H       interface to listen on (default 127.0.0.1, this machine only)',
].join('\n');

export interface BoardArgs {
  logdir: string;
  port: number;
  host: string;
}

/** Parses `board …` arguments; throws an Error with the usage text on a mistake. */
export function parseBoardArgs(argv: readonly string[]): BoardArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') throw new Error(USAGE);
  if (command !== 'board') throw new Error(`unknown command '${command}'\n\n${USAGE}`);
  let logdir: string | undefined;
  let port = 6006;
  let host = '127.0.0.1';
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : rest[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value\n\n${USAGE}`);
      return v;
    };
    if (flag === '--logdir') logdir = value();
    else if (flag === '--port') {
      const v = value();
      port = Number(v);
      if (!/^\d+$/.test(v) || port > 65535)
        throw new Error(`--port must be an integer in [0, 65535], got '${v}'`);
    } else if (flag === '--host') host = value();
    else if (flag === '--help' || flag === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option '${arg}'\n\n${USAGE}`);
  }
  if (logdir === undefined) throw new Error(`--logdir is required\n\n${USAGE}`);
  return { logdir, port, host };
}

/** Runs the command line; returns the exit code when it fails to start (the server keeps running otherwise). */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  let args: BoardArgs;
  try {
    args = parseBoardArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (!fs.existsSync(args.logdir))
    console.warn(`tensorgraph board: ${args.logdir} does not exist yet; waiting for event files to appear`);
  try {
    const board = await startBoard(args);
    console.log(`tensorgraph board: serving ${args.logdir} at ${board.url} (Ctrl-C to stop)`);
    const stop = (): void => {
      void board.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE')
      console.error(`tensorgraph board: port ${args.port} is in use; try --port 0`);
    else console.error(`tensorgraph board: ${err.message}`);
    return 1;
  }
}
