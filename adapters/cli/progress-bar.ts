/** A one-line progress bar on a terminal; silent when stderr is not a TTY (pipes, CI, logs). */
export class ProgressBar {
  private last = 0;
  private drawn = false;

  private readonly stream: NodeJS.WriteStream;
  private readonly enabled: boolean;

  constructor(stream: NodeJS.WriteStream = process.stderr, enabled = Boolean(process.stderr.isTTY)) {
    this.stream = stream;
    this.enabled = enabled;
  }

  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 50 && done < total) return;
    this.last = now;
    const width = 30;
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    this.stream.write(
      `\r${label.padEnd(12)} ${bar} ${String(Math.round(ratio * 100)).padStart(3)} %  ${done}/${total}   `,
    );
    this.drawn = true;
  }

  /** Prints a status line (for example the file being read) in place of the bar. */
  status(text: string): void {
    if (!this.enabled) return;
    const cols = this.stream.columns ?? 80;
    this.stream.write(`\r${text.slice(0, cols - 1).padEnd(cols - 1)}`);
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write("\r\x1b[K");
    this.drawn = false;
  }
}
