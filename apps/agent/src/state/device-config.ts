import { copyFileSync, existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { writeFileAtomic } from "./atomic-file.ts";

/** The device configuration the agent applies (UPDATE_CONFIG), with the previous one kept for rollback. */
export class DeviceConfigStore {
  constructor(
    readonly file: string,
    readonly previousFile: string,
  ) {}

  current(): Record<string, unknown> | undefined {
    if (!existsSync(this.file)) return undefined;
    return JSON.parse(readFileSync(this.file, "utf8")) as Record<string, unknown>;
  }

  /** Atomically replaces the config; the old one (if any) becomes the rollback copy. */
  apply(config: Record<string, unknown>): { hadPrevious: boolean } {
    const hadPrevious = existsSync(this.file);
    if (hadPrevious) copyFileSync(this.file, this.previousFile);
    writeFileAtomic(this.file, `${JSON.stringify(config, null, 2)}\n`, 0o644);
    return { hadPrevious };
  }

  /** Undoes the last apply: the previous config comes back, or the file goes when there was none. */
  rollback(hadPrevious: boolean): void {
    if (hadPrevious && existsSync(this.previousFile)) renameSync(this.previousFile, this.file);
    else if (!hadPrevious) rmSync(this.file, { force: true });
  }
}
