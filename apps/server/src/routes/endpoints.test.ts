import { endpoints } from "@homepot/contracts/endpoints";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe("the contracts' endpoint map (the typed client's source)", () => {
  it.each(Object.keys(endpoints))("%s is a route of this server", (key) => {
    const [method, path] = key.split(" ") as [string, string];
    const url = `/api/v1${path.replace(/\{(\w+)\}/g, ":$1")}`;
    expect(t.app.hasRoute({ method: method as "GET", url }), `${method} ${url}`).toBe(true);
  });
});
