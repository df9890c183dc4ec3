/** A one-line progress bar on stderr (redrawn in place on a TTY, a line every few seconds otherwise). */
export class ProgressBar {
  private lastLine = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly enabled = true,
  ) {}

  /** `fraction` undefined: open-ended work, no bar. */
  update(fraction: number | undefined, detail: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastLine < (this.tty ? 200 : 5000)) return;
    this.lastLine = now;
    let line = `${this.label}  ${detail}`;
    if (fraction !== undefined) {
      const f = Math.max(0, Math.min(1, fraction));
      const width = 24;
      const filled = Math.round(f * width);
      line = `${this.label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}%  ${detail}`;
    }
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  }

  done(detail: string, fraction: number | undefined = 1): void {
    if (!this.enabled) return;
    this.update(fraction, detail, true);
    if (this.tty) process.stderr.write("\n");
  }
}
