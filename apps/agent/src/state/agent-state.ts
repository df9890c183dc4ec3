import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "./atomic-file.ts";

/** What the agent remembers between runs and shows in `status` (never the key). */
export interface AgentState {
  config_version: string | null;
  dropped_samples: number;
  rejected_items: number;
  delivered_items: number;
  last_delivery_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  last_sample_at: string | null;
  last_command: { command_id: string; command_type: string; status: string; at: string } | null;
  pid: number | null;
  started_at: string | null;
}

const EMPTY: AgentState = {
  config_version: null,
  dropped_samples: 0,
  rejected_items: 0,
  delivered_items: 0,
  last_delivery_at: null,
  last_error: null,
  last_error_at: null,
  last_sample_at: null,
  last_command: null,
  pid: null,
  started_at: null,
};

/** A small JSON file, rewritten atomically on every change. */
export class StateStore {
  private state: AgentState;

  constructor(private readonly file: string) {
    this.state = { ...EMPTY };
    if (existsSync(file)) {
      try {
        this.state = { ...EMPTY, ...(JSON.parse(readFileSync(file, "utf8")) as Partial<AgentState>) };
      } catch {
        // A corrupt state file only loses counters; start afresh.
      }
    }
  }

  get(): AgentState {
    return { ...this.state };
  }

  update(patch: Partial<AgentState> | ((s: AgentState) => Partial<AgentState>)): void {
    const delta = typeof patch === "function" ? patch(this.state) : patch;
    this.state = { ...this.state, ...delta };
    writeFileAtomic(this.file, `${JSON.stringify(this.state, null, 2)}\n`, 0o600);
  }
}
