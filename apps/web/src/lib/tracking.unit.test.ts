import { describe, expect, it } from "vitest";
import {
  ACTIVITY_URL,
  type ActivityEvent,
  clickTargetId,
  ERRORS_URL,
  pagePath,
  Tracker,
  type Transport,
} from "./tracking.ts";

/** A transport that records what would have gone over the wire, answering with `status`. */
function fakeTransport(status = 201) {
  const sent: { url: string; body: unknown }[] = [];
  const beacons: { url: string; body: unknown }[] = [];
  const transport: Transport & { status: number; beaconOk: boolean } = {
    status,
    beaconOk: true,
    async send(url, body) {
      sent.push({ url, body });
      return transport.status;
    },
    beacon(url, body) {
      if (!transport.beaconOk) return false;
      beacons.push({ url, body });
      return true;
    },
  };
  return { transport, sent, beacons };
}

/** Manual clock and timers so batching is tested without waiting. */
function fakeTime(start = Date.parse("2026-01-01T10:00:00Z")) {
  let now = start;
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    setTimer: (fn: () => void) => {
      const id = next++;
      timers.set(id, fn);
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    fire: () => {
      const fns = [...timers.values()];
      timers.clear();
      for (const fn of fns) fn();
    },
    pendingTimers: () => timers.size,
  };
}

function setup(options: { batchSize?: number; maxQueue?: number; status?: number } = {}) {
  const net = fakeTransport(options.status);
  const time = fakeTime();
  const tracker = new Tracker({
    transport: net.transport,
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    batchSize: options.batchSize ?? 5,
    maxQueue: options.maxQueue ?? 100,
    sessionId: "s-1",
  });
  return { tracker, ...net, time };
}

const events = (body: unknown) => (body as { events: ActivityEvent[] }).events;
const flushed = () => new Promise((r) => setTimeout(r, 0));

describe("Tracker", () => {
  it("records nothing while signed out", async () => {
    const { tracker, sent, beacons, time } = setup();
    tracker.pageView("/devices");
    tracker.click("nav-devices");
    tracker.search("pos-terminal");
    tracker.formSubmit("site-form");
    tracker.error("boom");
    tracker.flushOnHide(true);
    await tracker.flush();
    expect(tracker.pending).toHaveLength(0);
    expect(time.pendingTimers()).toBe(0);
    expect(sent).toHaveLength(0);
    expect(beacons).toHaveLength(0);
  });

  it("closes a page view with its time on page when the route changes", () => {
    const { tracker, time } = setup();
    tracker.setUser(7);
    tracker.pageView("/devices?status=error#top", "Devices");
    time.advance(3_500);
    tracker.pageView("/sites");
    expect(tracker.pending).toEqual([
      {
        activity_type: "page_view",
        page_url: "/devices",
        duration_ms: 3500,
        extra_data: { title: "Devices" },
        timestamp: "2026-01-01T10:00:03.500Z",
        session_id: "s-1",
      },
    ]);
    // Same path again (e.g. a query change) is not a new page view.
    tracker.pageView("/sites?q=abc");
    expect(tracker.pending).toHaveLength(1);
  });

  it("after a full page load records the real page, once the session check finds a user", () => {
    const { tracker, time } = setup({ batchSize: 100 });
    // The route's effect runs before /auth/me answers: the user is not known yet.
    tracker.pageView("/devices/pos-1?tab=commands", "Device");
    time.advance(300);
    tracker.setUser(7);
    tracker.click("device-tab-commands");
    time.advance(2_000);
    tracker.pageView("/jobs");
    expect(tracker.pending.map((e) => [e.activity_type, e.page_url, e.duration_ms ?? null])).toEqual([
      ["click", "/devices/pos-1", null],
      ["page_view", "/devices/pos-1", 2300],
    ]);
  });

  it("does not record a page entered while signed out (the login page), but the one after signing in", () => {
    const { tracker, time } = setup({ batchSize: 100 });
    tracker.setUser(null);
    tracker.pageView("/login");
    time.advance(5_000);
    tracker.setUser(3);
    tracker.pageView("/");
    time.advance(1_000);
    tracker.pageView("/sites");
    expect(tracker.pending.map((e) => [e.page_url, e.duration_ms])).toEqual([["/", 1000]]);
  });

  it("counts time on page only while the page is visible", () => {
    const { tracker, time } = setup({ batchSize: 100 });
    tracker.setUser(1);
    tracker.pageView("/insights");
    time.advance(1_000);
    tracker.setVisible(false);
    time.advance(60 * 60_000); // an hour in a background tab
    tracker.setVisible(true);
    time.advance(500);
    tracker.pageView("/jobs");
    expect(tracker.pending[0]).toMatchObject({ page_url: "/insights", duration_ms: 1500 });
  });

  it("a page entered in a hidden tab starts counting when it is shown", () => {
    const { tracker, time } = setup({ batchSize: 100 });
    tracker.setUser(1);
    tracker.setVisible(false);
    tracker.pageView("/sites");
    time.advance(10_000);
    tracker.setVisible(true);
    time.advance(250);
    tracker.endPage();
    expect(tracker.pending[0]).toMatchObject({ page_url: "/sites", duration_ms: 250 });
  });

  it("sends a batch when batchSize events are queued, and the rest on the timer", async () => {
    const { tracker, sent, time } = setup({ batchSize: 3 });
    tracker.setUser("1");
    tracker.pageView("/");
    tracker.click("a");
    tracker.click("b");
    expect(sent).toHaveLength(0);
    tracker.click("c");
    await flushed();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(ACTIVITY_URL);
    expect(events(sent[0]?.body).map((e) => e.element_id)).toEqual(["a", "b", "c"]);
    expect(events(sent[0]?.body).every((e) => e.page_url === "/" && e.activity_type === "click")).toBe(true);
    tracker.click("d");
    expect(sent).toHaveLength(1);
    time.fire();
    await flushed();
    expect(sent).toHaveLength(2);
    expect(events(sent[1]?.body).map((e) => e.element_id)).toEqual(["d"]);
  });

  it("keeps a failed batch (network error, 5xx, 429) for the next try, drops one the server rejects", async () => {
    const { tracker, sent, transport } = setup({ batchSize: 100 });
    tracker.setUser("1");
    tracker.click("x");
    transport.status = 503;
    await tracker.flush();
    expect(tracker.pending.map((e) => e.element_id)).toEqual(["x"]);
    transport.status = 0;
    tracker.click("y");
    await tracker.flush();
    expect(tracker.pending.map((e) => e.element_id)).toEqual(["x", "y"]);
    transport.status = 422;
    await tracker.flush();
    expect(tracker.pending).toHaveLength(0);
    expect(sent).toHaveLength(3);
  });

  it("stops and forgets everything when the server says the session is gone (401)", async () => {
    const { tracker, transport } = setup({ batchSize: 100 });
    tracker.setUser("1");
    tracker.click("x");
    transport.status = 401;
    await tracker.flush();
    expect(tracker.enabled).toBe(false);
    tracker.click("y");
    expect(tracker.pending).toHaveLength(0);
  });

  it("caps the queue, dropping the oldest events", () => {
    const { tracker } = setup({ batchSize: 1000, maxQueue: 3 });
    tracker.setUser("1");
    for (const id of ["a", "b", "c", "d", "e"]) tracker.click(id);
    expect(tracker.pending.map((e) => e.element_id)).toEqual(["c", "d", "e"]);
  });

  it("hands everything to sendBeacon when the page is hidden for good, including the open page view", () => {
    const { tracker, beacons, sent, time } = setup({ batchSize: 100 });
    tracker.setUser("1");
    tracker.pageView("/jobs");
    tracker.click("job-create");
    time.advance(1200);
    tracker.flushOnHide(true);
    expect(sent).toHaveLength(0);
    expect(beacons).toHaveLength(1);
    expect(events(beacons[0]?.body).map((e) => [e.activity_type, e.duration_ms ?? null])).toEqual([
      ["click", null],
      ["page_view", 1200],
    ]);
    expect(tracker.pending).toHaveLength(0);
  });

  it("keeps the events when the browser refuses the beacon", () => {
    const { tracker, transport } = setup({ batchSize: 100 });
    tracker.setUser("1");
    tracker.click("a");
    transport.beaconOk = false;
    tracker.flushOnHide(false);
    expect(tracker.pending.map((e) => e.element_id)).toEqual(["a"]);
  });

  it("records search queries (trimmed, non-empty) but no other typed value", () => {
    const { tracker } = setup({ batchSize: 100 });
    tracker.setUser("1");
    tracker.pageView("/devices");
    tracker.search("   ");
    tracker.search("  pos-terminal-006 ", "devices");
    tracker.formSubmit("register-device-form", { fields: 4 });
    expect(tracker.pending).toHaveLength(2);
    expect(tracker.pending[0]).toMatchObject({
      activity_type: "search",
      search_query: "pos-terminal-006",
      page_url: "/devices",
      extra_data: { scope: "devices" },
    });
    expect(tracker.pending[1]).toMatchObject({
      activity_type: "form_submit",
      element_id: "register-device-form",
      extra_data: { fields: 4 },
    });
    expect(JSON.stringify(tracker.pending[1])).not.toContain("search_query");
  });

  it("signing out empties the queue and stops the timer", () => {
    const { tracker, time } = setup({ batchSize: 100 });
    tracker.setUser("1");
    tracker.click("a");
    expect(time.pendingTimers()).toBe(1);
    tracker.setUser(null);
    expect(tracker.pending).toHaveLength(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it("reports uncaught errors to the errors endpoint, once per message and capped", async () => {
    const { tracker, sent } = setup();
    tracker.setUser("1");
    tracker.pageView("/insights");
    tracker.error("TypeError: x is undefined", "at foo (app.js:1)");
    tracker.error("TypeError: x is undefined", "at foo (app.js:1)");
    for (let i = 0; i < 20; i++) tracker.error(`other ${i}`);
    expect(sent.filter((s) => s.url === ERRORS_URL)).toHaveLength(10);
    expect(sent[0]?.body).toMatchObject({
      category: "frontend",
      severity: "error",
      error_message: "TypeError: x is undefined",
      stack_trace: "at foo (app.js:1)",
      endpoint: "/insights",
    });
    expect(tracker.pending).toHaveLength(0);
  });
});

describe("pagePath", () => {
  it("keeps the path only", () => {
    expect(pagePath("https://h.example:8000/devices/pos-1?q=secret#x")).toBe("/devices/pos-1");
    expect(pagePath("/sites?search=abc")).toBe("/sites");
    expect(pagePath("")).toBe("/");
  });
});

describe("clickTargetId", () => {
  interface FakeNode {
    id: string;
    closest: (s: string) => unknown;
  }
  const el = (id: string | null, parent?: FakeNode): FakeNode => {
    const node: FakeNode = {
      id: id ?? "",
      closest: (s: string) => (s === "[id]" ? (id ? node : parent ? parent.closest(s) : null) : null),
    };
    return node;
  };
  it("uses the nearest element with an id", () => {
    expect(clickTargetId(el(null, el("send-command")) as unknown as EventTarget)).toBe("send-command");
    expect(clickTargetId(el("nav-sites") as unknown as EventTarget)).toBe("nav-sites");
  });
  it("ignores clicks outside any element with an id, and the app root", () => {
    expect(clickTargetId(el(null) as unknown as EventTarget)).toBeUndefined();
    expect(clickTargetId(el(null, el("root")) as unknown as EventTarget)).toBeUndefined();
    expect(clickTargetId(null)).toBeUndefined();
  });
});
