import { describe, expect, it } from "vitest";
import { batchSize, commandTypeFor, inferJobType, planBatches } from "./plan-batches.ts";

const ten = Array.from({ length: 10 }, (_, i) => `d${i}`);

describe("planBatches", () => {
  it("puts every device in one batch without a rollout", () => {
    expect(planBatches(ten, undefined)).toEqual([ten]);
    expect(planBatches([], [1, 2])).toEqual([]);
  });
  it("uses counts in order and repeats the last size", () => {
    expect(planBatches(ten, [1, 3]).map((b) => b.length)).toEqual([1, 3, 3, 3]);
    expect(planBatches(ten, [2, 3]).flat()).toEqual(ten);
  });
  it("turns percentages into sizes, rounded up", () => {
    expect(planBatches(ten, ["10%", "50%"]).map((b) => b.length)).toEqual([1, 5, 4]);
    expect(batchSize("25%", 5)).toBe(2);
    expect(batchSize("100%", 7)).toBe(7);
  });
});

describe("job types", () => {
  it("infers the type from the original API's action", () => {
    expect(inferJobType("Restart POS terminals")).toBe("restart");
    expect(inferJobType("Update POS payment config")).toBe("config_update");
    expect(inferJobType("Firmware 2.1 rollout")).toBe("firmware_update");
    expect(inferJobType("run health check")).toBe("health_check");
  });
  it("maps each type to a device command", () => {
    expect(commandTypeFor("config_update")).toBe("UPDATE_CONFIG");
    expect(commandTypeFor("restart")).toBe("RESTART");
    expect(commandTypeFor("health_check")).toBe("RUN_HEALTH_CHECK");
  });
});
