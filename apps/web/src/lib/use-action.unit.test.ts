import { describe, expect, it } from "vitest";
import { ApiError } from "./api.ts";
import { type ActionHooks, runAction } from "./use-action.ts";

function recorder(confirm?: boolean) {
  const events: string[] = [];
  const hooks: ActionHooks = {
    confirm:
      confirm === undefined
        ? undefined
        : () => {
            events.push("confirm");
            return confirm;
          },
    onPending: (p) => events.push(p ? "pending" : "idle"),
    onError: (e) => events.push(e ? `error ${e.status} ${e.detail}` : "clear"),
    onSettled: () => events.push("refresh"),
  };
  return { events, hooks };
}

describe("runAction", () => {
  it("clears the last error, runs, then refreshes and answers true", async () => {
    const { events, hooks } = recorder();
    const ok = await runAction(async () => events.push("post"), hooks);
    expect(ok).toBe(true);
    expect(events).toEqual(["clear", "pending", "post", "idle", "refresh"]);
  });

  it("shows a server refusal as it came and still refreshes", async () => {
    const { events, hooks } = recorder();
    const ok = await runAction(async () => {
      throw new ApiError(409, "Job already finished");
    }, hooks);
    expect(ok).toBe(false);
    expect(events).toEqual(["clear", "pending", "error 409 Job already finished", "idle", "refresh"]);
  });

  it("turns any other failure into an ApiError with status 0", async () => {
    const { events, hooks } = recorder();
    await runAction(async () => {
      throw new TypeError("bad JSON");
    }, hooks);
    expect(events).toContain("error 0 bad JSON");
  });

  it("sends nothing and refreshes nothing when the user does not confirm", async () => {
    const { events, hooks } = recorder(false);
    const ok = await runAction(async () => events.push("post"), hooks);
    expect(ok).toBe(false);
    expect(events).toEqual(["confirm"]);
  });

  it("runs after a confirmation", async () => {
    const { events, hooks } = recorder(true);
    expect(await runAction(async () => events.push("post"), hooks)).toBe(true);
    expect(events).toEqual(["confirm", "clear", "pending", "post", "idle", "refresh"]);
  });
});
