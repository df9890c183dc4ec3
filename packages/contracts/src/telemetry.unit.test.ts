import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IngestMetricsBody, isPlainSample } from "./telemetry.ts";

// Values near every limit of the schema, and of the wrong types.
const mostly = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: other, weight: 1 });
const edgy = fc.oneof(
  fc.constantFrom(
    0,
    1,
    99.5,
    100,
    100.0001,
    -0,
    -1,
    3_600_000,
    3_600_001,
    1e12,
    1e12 + 1,
    2_147_483_647,
    2_147_483_648,
  ),
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.constantFrom(null, true, "12", "", [], {}),
);
const timestamp = fc.oneof(
  fc.constantFrom(
    "2026-11-27T10:00:00Z",
    "2026-11-27 10:00",
    "2026-02-30T10:00:00Z",
    "2026-11-27",
    "x",
    " 2026-11-27T10:00Z",
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string(),
);
const deviceId = fc.oneof(
  fc.constantFrom("pos-1", " pos-1", "pos 1", "", "a".repeat(100), "a".repeat(101)),
  fc.string(),
);
const extra = fc.oneof(fc.constantFrom(null, [], "x", { deep: { a: { b: { c: 1 } } } }), fc.jsonValue(), fc.object());
const sample = fc.record(
  {
    device_id: mostly(fc.constant("pos-1"), deviceId),
    timestamp: mostly(fc.constant(new Date().toISOString()), fc.oneof(timestamp, fc.constant(null))),
    cpu_percent: mostly(fc.double({ min: 0, max: 100, noNaN: true }), edgy),
    memory_percent: mostly(fc.constant(50), edgy),
    network_latency_ms: mostly(fc.nat(3_600_000), edgy),
    transaction_count: mostly(fc.nat(), edgy),
    transaction_volume: mostly(fc.double({ min: 0, max: 1e12, noNaN: true }), edgy),
    queue_depth: mostly(fc.nat(10), edgy),
    extra_metrics: mostly(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), extra),
  },
  { requiredKeys: [] },
);
const withOddKeys = fc.oneof(
  { arbitrary: sample, weight: 4 },
  sample.map((s) => ({ ...s, unknown_field: 1 })),
  sample.map((s) => ({ ...s, samples: [{ cpu_percent: 1 }] })),
);

describe("isPlainSample (the ingest route's precompiled check)", () => {
  it("accepts a body only when the schema accepts it and returns it unchanged", () => {
    // Found by this property in CI: the schema drops a "__proto__" key of extra_metrics, so the check must not pass it.
    expect(isPlainSample(JSON.parse('{"extra_metrics":{"__proto__":[]}}'))).toBe(false);
    let accepted = 0;
    fc.assert(
      fc.property(withOddKeys, (body) => {
        if (!isPlainSample(body)) return;
        accepted += 1;
        const parsed = IngestMetricsBody.safeParse(body);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(body);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(30); // the property is not vacuous
  });

  it("accepts what agents send, and leaves batches and bad fields to the schema", () => {
    const agent = {
      cpu_percent: 12.5,
      memory_percent: 40,
      disk_percent: 70,
      network_latency_ms: 12,
      transaction_count: 5,
      transaction_volume: 120.5,
      error_rate: 0,
      active_connections: 3,
      queue_depth: 0,
      timestamp: "2026-11-27T10:00:00Z",
      device_id: "pos-1",
      extra_metrics: { uptime_seconds: 100, services: { pos_app: "running" } },
    };
    expect(isPlainSample(agent)).toBe(true);
    expect(isPlainSample({ ...agent, cpu_percent: null, timestamp: null, extra_metrics: null })).toBe(true);
    expect(isPlainSample({ samples: [agent] })).toBe(false);
    expect(isPlainSample({ ...agent, cpu_percent: 101 })).toBe(false);
    expect(isPlainSample({ ...agent, transaction_count: 1.5 })).toBe(false);
    expect(isPlainSample({ ...agent, device_id: " pos-1" })).toBe(false);
    expect(isPlainSample({ ...agent, constructor: 1 })).toBe(false);
    expect(isPlainSample([agent])).toBe(false);
  });
});
