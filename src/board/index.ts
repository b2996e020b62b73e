/**
 * The board: a local web page over the event files of a log directory (scalars, histograms, graph).
 * Importing this module starts nothing; `startBoard` (or the `tensorgraph board` command) does.
 *
 * @example
 * const board = await startBoard({ logdir: 'logs' });
 * console.log(board.url);
 */
export { startBoard, boardHandler } from './server';
export type { Board, BoardOptions } from './server';
export { PAGE_HTML } from './page';
