/** A one-line progress bar on stderr (redrawn in place on a TTY, a line every few seconds otherwise). */
export class ProgressBar {
  private lastLine = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly enabled = true,
  ) {}

  update(fraction: number, detail: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastLine < (this.tty ? 200 : 5000)) return;
    this.lastLine = now;
    const f = Math.max(0, Math.min(1, fraction));
    const width = 24;
    const filled = Math.round(f * width);
    const line = `${this.label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}%  ${detail}`;
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  }

  done(detail: string): void {
    if (!this.enabled) return;
    this.update(1, detail, true);
    if (this.tty) process.stderr.write("\n");
  }
}
