import type { BodyOf } from "@homepot/contracts/client";
import type { StateStore } from "../state/agent-state.ts";
import type { DiskQueue, QueueItem } from "../state/disk-queue.ts";
import { type ApiClient, type ApiResponse, detailOf, isRetryable, KeyRejectedError, NetworkError } from "./api.ts";
import type { Logger } from "./logger.ts";

/** Metrics samples per request (the server takes up to 1000). */
export const BATCH_SIZE = 500;

/**
 * Delivers the disk queue oldest first: consecutive metrics samples in batches, health checks and
 * command results one by one. A file is deleted only after the server answered 2xx for it, so a
 * crash or an outage at any point resends at most what the server never acknowledged.
 */
export class Sender {
  constructor(
    private readonly api: ApiClient,
    private readonly queue: DiskQueue,
    private readonly state: StateStore,
    private readonly log: Logger,
  ) {}

  private chain: Promise<unknown> = Promise.resolve();

  /**
   * "empty" when all was delivered, "retry" when the server is away (back off); throws KeyRejectedError
   * on 401. Calls are serialised: two overlapping flushes would read the same queue head and send it twice.
   */
  flush(): Promise<"empty" | "retry"> {
    const run = this.chain.then(() => this.flushNow());
    this.chain = run.catch(() => {});
    return run;
  }

  private async flushNow(): Promise<"empty" | "retry"> {
    for (;;) {
      const head = this.queue.peek(BATCH_SIZE);
      const first = head[0];
      if (!first) return "empty";
      const kind = first.item.kind;
      const group = kind === "metrics" || kind === "log" ? takeWhile(head, (e) => e.item.kind === kind) : [first];
      let res: ApiResponse;
      try {
        res = await this.send(group.map((g) => g.item));
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        this.noteError(`server unreachable: ${error.message}`);
        return "retry";
      }
      const files = group.map((g) => g.file);
      if (res.status >= 200 && res.status < 300) {
        this.queue.remove(files);
        this.state.update((s) => ({
          delivered_items: s.delivered_items + files.length,
          last_delivery_at: new Date().toISOString(),
        }));
        continue;
      }
      if (res.status === 401) throw new KeyRejectedError(detailOf(res));
      if (isRetryable(res.status)) {
        this.noteError(`server answered ${res.status}: ${detailOf(res)}`);
        return "retry";
      }
      // A final refusal (bad sample, command already finished…): keeping it would block the queue forever.
      if (kind === "result" && (res.status === 409 || res.status === 404)) {
        this.log.warn(
          { command_id: first.item.body.command_id, status: res.status, detail: detailOf(res) },
          "command result not accepted (already final or unknown); dropped",
        );
      } else {
        this.log.warn(
          { kind, items: files.length, status: res.status, detail: detailOf(res) },
          "server refused queued data; dropped",
        );
        this.state.update((s) => ({ rejected_items: s.rejected_items + files.length }));
      }
      this.queue.remove(files);
    }
  }

  /** The queue holds the bodies the agent built with the contract's input types (host-metrics.ts, agent.ts). */
  private send(items: QueueItem[]): Promise<ApiResponse> {
    const first = items[0] as QueueItem;
    const bodies = items.map((i) => i.body);
    if (first.kind === "metrics")
      return this.api.call("POST /analytics/device-metrics", {
        body: { samples: bodies as NonNullable<BodyOf<"POST /analytics/device-metrics">["samples"]> },
      });
    // Log lines: at most 500 a request (the server's limit), which BATCH_SIZE keeps.
    if (first.kind === "log") return this.api.call("POST /agent/logs", { body: bodies as BodyOf<"POST /agent/logs"> });
    if (first.kind === "health")
      return this.api.call("POST /devices/{device_id}/health", {
        params: { device_id: this.api.deviceId ?? "" },
        body: first.body as BodyOf<"POST /devices/{device_id}/health">,
      });
    const { command_id, ...report } = first.body as { command_id: string };
    return this.api.call("POST /devices/commands/{command_id}/result", {
      params: { command_id },
      body: report as BodyOf<"POST /devices/commands/{command_id}/result">,
    });
  }

  private noteError(message: string): void {
    this.state.update({ last_error: message, last_error_at: new Date().toISOString() });
  }
}

function takeWhile<T>(items: T[], ok: (t: T) => boolean): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (!ok(item)) break;
    out.push(item);
  }
  return out;
}
