// A text progress bar for long training loops. On a terminal it redraws one line on stderr
// (`\r`); when stderr is not a terminal (CI logs, pipes) it prints a plain line every 10 %.

export interface ProgressOptions {
  /** Disabled bars print nothing (quiet mode / tests). */
  enabled?: boolean;
  stream?: NodeJS.WriteStream;
}

export class ProgressBar {
  private readonly start = performance.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;
  private readonly tty: boolean;

  constructor(
    private readonly total: number,
    private readonly label: string,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = options.enabled ?? true;
    this.tty = this.stream.isTTY === true;
  }

  /** Reports that `done` of `total` units are finished; `info` is shown after the bar (e.g. the loss). */
  update(done: number, info = ''): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (this.tty) {
      // Redraw at most ~20 times a second: drawing is cheap, but not free inside a tight loop.
      if (done < this.total && now - this.lastDraw < 50) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.render(done, info)}\x1b[K`);
      if (done >= this.total) this.stream.write('\n');
    } else {
      const decile = Math.floor((10 * done) / this.total);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.stream.write(`${this.render(done, info)}\n`);
    }
  }

  private render(done: number, info: string): string {
    const width = 28;
    const frac = Math.min(1, done / this.total);
    const filled = Math.round(frac * width);
    const elapsed = (performance.now() - this.start) / 1000;
    const eta = done > 0 ? (elapsed * (this.total - done)) / done : 0;
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const pct = `${Math.floor(frac * 100)}`.padStart(3);
    const time = done >= this.total ? `${elapsed.toFixed(1)}s` : `eta ${eta.toFixed(0)}s`;
    return `${this.label} ${bar} ${pct}% ${done}/${this.total} ${time}${info ? `  ${info}` : ''}`;
  }
}
