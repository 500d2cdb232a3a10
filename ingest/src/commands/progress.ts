/**
 * Import progress on stderr: a bar redrawn in place on a terminal, a plain line every few seconds
 * otherwise (CI logs, files), so output stays readable in both.
 */
export class Progress {
  private done = 0;
  private lines = 0;
  private events = 0;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = out.isTTY ? 100 : 5000
  ) {}

  read(chars: number): void {
    this.done += chars;
  }

  counted(lines: number, events: number): void {
    this.lines = lines;
    this.events = events;
    const now = Date.now();
    if (now - this.lastDraw >= this.everyMs) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  finish(): void {
    this.draw(true);
  }

  private draw(final: boolean): void {
    const share = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(this.lines / seconds) : 0;
    const figures = `${(share * 100).toFixed(0).padStart(3)}% ${this.lines.toLocaleString('en')} lines, ${this.events.toLocaleString('en')} events, ${rate.toLocaleString('en')} lines/s`;
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round(share * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${figures}\x1b[K${final ? '\n' : ''}`);
    } else {
      this.out.write(`import: ${figures}\n`);
    }
  }
}
