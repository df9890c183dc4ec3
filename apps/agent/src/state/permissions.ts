import { existsSync, readFileSync } from "node:fs";
import { PERMISSION_KEYS, type PermissionFlags, type PermissionKey } from "@homepot/contracts/permissions";
import { writeFileAtomic } from "./atomic-file.ts";

/** What the agent does when an operator asks for a grant: asks its owner (default), grants, or refuses at once. */
export type RequestPolicy = "ask" | "auto" | "deny";

export interface PermissionFile {
  grants: PermissionFlags;
  on_request: RequestPolicy;
  /** Requests waiting for the owner (policy ask): `homepot-agent permissions grant <key>` answers them. */
  pending: { permission: PermissionKey; command_id: string; asked_at: string; reason: string | null }[];
  updated_at: string | null;
}

const empty = (): PermissionFile => ({
  grants: Object.fromEntries(PERMISSION_KEYS.map((k) => [k, false])) as PermissionFlags,
  on_request: "ask",
  pending: [],
  updated_at: null,
});

export const isPermissionKey = (k: string): k is PermissionKey => (PERMISSION_KEYS as readonly string[]).includes(k);

/**
 * The owner's grants, kept on the device (mode 0600): the agent enforces these itself, whatever the server says
 * (defence in depth), and tells the server about every change.
 */
export class PermissionStore {
  constructor(readonly file: string) {}

  get(): PermissionFile {
    if (!existsSync(this.file)) return empty();
    try {
      const raw = JSON.parse(readFileSync(this.file, "utf8")) as Partial<PermissionFile>;
      const base = empty();
      for (const k of PERMISSION_KEYS) base.grants[k] = raw.grants?.[k] === true;
      if (raw.on_request === "auto" || raw.on_request === "deny") base.on_request = raw.on_request;
      base.pending = Array.isArray(raw.pending)
        ? raw.pending.filter((p) => isPermissionKey(String(p?.permission)))
        : [];
      base.updated_at = typeof raw.updated_at === "string" ? raw.updated_at : null;
      return base;
    } catch {
      // A damaged file grants nothing.
      return empty();
    }
  }

  /** Sets grants (and answers pending requests for them); returns the new file. */
  set(changes: Partial<Record<PermissionKey, boolean>>): PermissionFile {
    const file = this.get();
    Object.assign(file.grants, changes);
    file.pending = file.pending.filter((p) => changes[p.permission] === undefined);
    return this.save(file);
  }

  setPolicy(policy: RequestPolicy): PermissionFile {
    return this.save({ ...this.get(), on_request: policy });
  }

  addPending(request: PermissionFile["pending"][number]): PermissionFile {
    const file = this.get();
    file.pending = [...file.pending.filter((p) => p.permission !== request.permission), request].slice(-20);
    return this.save(file);
  }

  private save(file: PermissionFile): PermissionFile {
    file.updated_at = new Date().toISOString();
    writeFileAtomic(this.file, `${JSON.stringify(file, null, 2)}\n`);
    return file;
  }
}
