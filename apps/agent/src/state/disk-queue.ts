import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.ts";

export type QueueKind = "health" | "metrics" | "result" | "log";

/** One thing waiting to be delivered; `id` is its idempotency id (also inside metrics samples). */
export interface QueueItem {
  id: string;
  kind: QueueKind;
  created_at: string;
  body: Record<string, unknown>;
}

/**
 * The offline queue: one file per item, named so that sorting the names gives arrival order.
 * Everything goes through it (written before it is sent), so nothing is lost when the server is
 * away or the agent dies mid-send; an item is deleted only after the server acknowledged it (2xx).
 * Bounded: past `maxItems` the oldest are dropped and counted.
 */
export class DiskQueue {
  private seq = 0;

  constructor(
    readonly dir: string,
    readonly maxItems: number,
    private readonly onDrop: (count: number) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  push(kind: QueueKind, body: Record<string, unknown>, id: string = randomUUID()): QueueItem {
    const item: QueueItem = { id, kind, created_at: new Date().toISOString(), body };
    this.seq = (this.seq + 1) % 1_000_000;
    const name = `${Date.now().toString().padStart(15, "0")}-${String(this.seq).padStart(6, "0")}-${kind}-${id}.json`;
    writeFileAtomic(join(this.dir, name), JSON.stringify(item), 0o600);
    this.enforceBound();
    return item;
  }

  private files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  }

  size(): number {
    return this.files().length;
  }

  /** The oldest `limit` items, with the file each lives in. Unreadable files are removed. */
  peek(limit: number): { file: string; item: QueueItem }[] {
    const out: { file: string; item: QueueItem }[] = [];
    for (const file of this.files()) {
      if (out.length >= limit) break;
      try {
        out.push({ file, item: JSON.parse(readFileSync(join(this.dir, file), "utf8")) as QueueItem });
      } catch {
        rmSync(join(this.dir, file), { force: true });
      }
    }
    return out;
  }

  remove(files: string[]): void {
    for (const file of files) rmSync(join(this.dir, file), { force: true });
  }

  private enforceBound(): void {
    const files = this.files();
    const excess = files.length - this.maxItems;
    if (excess <= 0) return;
    this.remove(files.slice(0, excess));
    this.onDrop(excess);
  }
}
