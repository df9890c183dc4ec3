/**
 * Activity tracking: page views (with time on page), clicks on elements with ids, searches, form submits and
 * uncaught errors, batched to POST /api/v1/analytics/user-activity (errors to /api/v1/analytics/errors) and
 * flushed with navigator.sendBeacon when the page is hidden. It never records typed values (only search
 * queries, on purpose) and records nothing while nobody is signed in.
 */

import type {
  ActivityEvent as ActivitySchema,
  FrontendError as FrontendErrorSchema,
} from "@homepot/contracts/analytics";
import type { z } from "zod";

export const ACTIVITY_URL = "/api/v1/analytics/user-activity";
export const ERRORS_URL = "/api/v1/analytics/errors";

export type ActivityType = "page_view" | "click" | "search" | "form_submit";

// The intake schemas' own field names and types (type-only: no schema code in the bundle); a renamed field breaks
// the build here.
type ActivityIn = z.input<typeof ActivitySchema>;
export type ActivityEvent = Pick<ActivityIn, "element_id" | "search_query" | "duration_ms" | "extra_data"> & {
  activity_type: ActivityType;
  timestamp: string;
  session_id: NonNullable<ActivityIn["session_id"]>;
  page_url: NonNullable<ActivityIn["page_url"]>;
};

type FrontendErrorIn = z.input<typeof FrontendErrorSchema>;
export type FrontendError = Pick<FrontendErrorIn, "stack_trace"> & {
  /** The server files every dashboard error under `frontend`; sent for the original API's sake. */
  category: "frontend";
  severity: NonNullable<FrontendErrorIn["severity"]>;
  error_code: NonNullable<FrontendErrorIn["error_code"]>;
  error_message: NonNullable<FrontendErrorIn["error_message"]>;
  endpoint: NonNullable<FrontendErrorIn["endpoint"]>;
  context: NonNullable<FrontendErrorIn["context"]>;
};

/** How events leave the page; fetch while the page lives, a beacon when it is going away. */
export interface Transport {
  /** Resolves with the HTTP status (0 when the network failed). */
  send(url: string, body: unknown): Promise<number>;
  /** True when the browser queued it. */
  beacon(url: string, body: unknown): boolean;
}

export interface TrackerOptions {
  transport: Transport;
  now?: () => number;
  /** Send as soon as this many events are queued. */
  batchSize?: number;
  /** ...or after this long. */
  flushIntervalMs?: number;
  /** Oldest events are dropped beyond this (a long offline spell must not eat memory). */
  maxQueue?: number;
  /** Errors reported per page load, at most (an error in a render loop must not flood the server). */
  maxErrors?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  sessionId?: string;
}

const MAX_TEXT = 500;
const clip = (s: string, n = MAX_TEXT) => (s.length > n ? s.slice(0, n) : s);

/** The path only: query strings and fragments can carry typed values. */
export function pagePath(url: string): string {
  const withoutOrigin = url.replace(/^[a-z]+:\/\/[^/]+/i, "");
  const path = withoutOrigin.split(/[?#]/)[0] ?? "/";
  return clip(path || "/");
}

function randomId(): string {
  const c = globalThis.crypto;
  if (c && "randomUUID" in c) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class Tracker {
  readonly sessionId: string;
  private userId: string | null = null;
  private queue: ActivityEvent[] = [];
  private timer: unknown;
  private inFlight = false;
  /** True after an explicit sign-out; before the first session check the user is unknown, not signed out. */
  private signedOut = false;
  private hidden = false;
  /**
   * The page on screen. It is kept while the session check of a full page load is still running (so that page is
   * recorded, under its real path, once the user is known); `record` is false for pages entered while signed
   * out (the login page). Time on page counts only while the page is visible.
   */
  private page: {
    path: string;
    title?: string;
    record: boolean;
    visibleMs: number;
    visibleSince: number | null;
  } | null = null;
  private errorsSent = 0;
  private readonly seenErrors = new Set<string>();
  private readonly o: Required<Omit<TrackerOptions, "sessionId">>;

  constructor(options: TrackerOptions) {
    this.o = {
      now: () => Date.now(),
      batchSize: 20,
      flushIntervalMs: 5_000,
      maxQueue: 500,
      maxErrors: 10,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
    this.sessionId = options.sessionId ?? randomId();
  }

  get enabled(): boolean {
    return this.userId !== null;
  }

  get pending(): readonly ActivityEvent[] {
    return this.queue;
  }

  /**
   * Sign-in turns tracking on (a page entered while the session was still being checked is then recorded);
   * sign-out (null) turns it off and forgets anything not yet sent.
   */
  setUser(userId: string | number | null): void {
    this.userId = userId === null ? null : String(userId);
    this.signedOut = this.userId === null;
    if (this.userId === null) {
      this.queue = [];
      if (this.page) this.page.record = false;
      this.cancelTimer();
    }
  }

  /** A route was entered: closes the previous page view with its time on page and starts a new one. */
  pageView(url: string, title?: string): void {
    const path = pagePath(url);
    if (this.page?.path === path) return;
    this.endPage();
    this.page = {
      path,
      title,
      record: !this.signedOut,
      visibleMs: 0,
      visibleSince: this.hidden ? null : this.o.now(),
    };
  }

  /** The tab was hidden or shown again: time on page counts only while the page is visible. */
  setVisible(visible: boolean): void {
    this.hidden = !visible;
    const page = this.page;
    if (!page) return;
    if (!visible && page.visibleSince !== null) {
      page.visibleMs += this.o.now() - page.visibleSince;
      page.visibleSince = null;
    } else if (visible && page.visibleSince === null) {
      page.visibleSince = this.o.now();
    }
  }

  /** Closes the current page view (route change, page hidden for good, sign-out). */
  endPage(): void {
    const page = this.page;
    this.page = null;
    if (!page?.record || !this.enabled) return;
    const visible = page.visibleMs + (page.visibleSince === null ? 0 : this.o.now() - page.visibleSince);
    const duration = Math.max(0, Math.round(visible));
    this.push({
      activity_type: "page_view",
      page_url: page.path,
      duration_ms: duration,
      extra_data: page.title ? { title: clip(page.title, 200) } : undefined,
    });
  }

  click(elementId: string, extra?: Record<string, unknown>): void {
    if (!elementId) return;
    this.push({
      activity_type: "click",
      page_url: this.currentPath(),
      element_id: clip(elementId, 255),
      extra_data: extra,
    });
  }

  /** Search queries are the one typed value recorded, by design (what operators look for). */
  search(query: string, scope?: string): void {
    const q = query.trim();
    if (!q) return;
    this.push({
      activity_type: "search",
      page_url: this.currentPath(),
      search_query: clip(q),
      extra_data: scope ? { scope } : undefined,
    });
  }

  formSubmit(formId: string, extra?: Record<string, unknown>): void {
    this.push({
      activity_type: "form_submit",
      page_url: this.currentPath(),
      element_id: formId ? clip(formId, 255) : undefined,
      extra_data: extra,
    });
  }

  /** Uncaught errors go straight to the errors endpoint (deduplicated, capped per page load). */
  error(message: string, stack?: string, extra?: Record<string, unknown>): void {
    if (!this.enabled) return;
    const key = clip(message, 200);
    if (this.seenErrors.has(key) || this.errorsSent >= this.o.maxErrors) return;
    this.seenErrors.add(key);
    this.errorsSent += 1;
    const body: FrontendError = {
      category: "frontend",
      severity: "error",
      error_code: "UNCAUGHT_ERROR",
      error_message: clip(message || "Unknown error", 2000),
      stack_trace: stack ? clip(stack, 8000) : undefined,
      endpoint: clip(this.currentPath(), 255),
      context: { session_id: this.sessionId, ...extra },
    };
    void this.o.transport.send(ERRORS_URL, body).catch(() => undefined);
  }

  /** Sends what is queued with fetch; failed sends (network, 5xx, 429) are kept for the next try. */
  async flush(): Promise<void> {
    this.cancelTimer();
    if (this.inFlight || this.queue.length === 0 || !this.enabled) return;
    const batch = this.queue;
    this.queue = [];
    this.inFlight = true;
    let status = 0;
    try {
      status = await this.o.transport.send(ACTIVITY_URL, { events: batch });
    } catch {
      status = 0;
    } finally {
      this.inFlight = false;
    }
    const retry = status === 0 || status === 429 || status >= 500;
    if (retry && this.enabled) {
      this.queue = [...batch, ...this.queue].slice(-this.o.maxQueue);
      this.schedule();
    } else if (status === 401) {
      this.setUser(null);
    } else if (this.queue.length > 0) {
      this.schedule();
    }
  }

  /** The page is going away: close the page view and hand everything to sendBeacon (fetch may be killed). */
  flushOnHide(final: boolean): void {
    if (final) this.endPage();
    if (this.queue.length === 0 || !this.enabled) return;
    const batch = this.queue;
    this.queue = [];
    this.cancelTimer();
    if (!this.o.transport.beacon(ACTIVITY_URL, { events: batch })) {
      this.queue = [...batch, ...this.queue].slice(-this.o.maxQueue);
    }
  }

  private currentPath(): string {
    return this.page?.path ?? "/";
  }

  private push(event: Omit<ActivityEvent, "timestamp" | "session_id">): void {
    if (!this.enabled) return;
    const full: ActivityEvent = {
      ...event,
      timestamp: new Date(this.o.now()).toISOString(),
      session_id: this.sessionId,
    };
    if (full.extra_data === undefined) delete full.extra_data;
    this.queue.push(full);
    if (this.queue.length > this.o.maxQueue) this.queue.splice(0, this.queue.length - this.o.maxQueue);
    if (this.queue.length >= this.o.batchSize) void this.flush();
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = this.o.setTimer(() => {
      this.timer = undefined;
      void this.flush();
    }, this.o.flushIntervalMs);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.o.clearTimer(this.timer);
    this.timer = undefined;
  }
}

/** The element whose id a click is recorded under: the nearest element with an id, never a text field's value. */
export function clickTargetId(target: EventTarget | null): string | undefined {
  const el = target as (Element & { closest?: (s: string) => Element | null }) | null;
  if (!el || typeof el.closest !== "function") return undefined;
  const withId = el.closest("[id]");
  if (!withId?.id) return undefined;
  // The app root is not a meaningful click target.
  if (withId.id === "root") return undefined;
  return withId.id;
}

/** A fetch/sendBeacon transport for the real page (same origin, so the session cookie goes along). */
export function browserTransport(): Transport {
  return {
    async send(url, body) {
      try {
        const response = await fetch(url, {
          method: "POST",
          credentials: "include",
          keepalive: true,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        return response.status;
      } catch {
        return 0;
      }
    },
    beacon(url, body) {
      if (typeof navigator === "undefined" || typeof navigator.sendBeacon !== "function") return false;
      return navigator.sendBeacon(url, new Blob([JSON.stringify(body)], { type: "application/json" }));
    },
  };
}

/** Wires the tracker to the document: clicks, submits, errors and page hide. Returns an uninstaller. */
export function installBrowserTracking(tracker: Tracker, win: Window = window): () => void {
  const doc = win.document;
  const onClick = (event: MouseEvent) => {
    const id = clickTargetId(event.target);
    if (!id) return;
    const el = doc.getElementById(id);
    tracker.click(id, el ? { tag: el.tagName.toLowerCase() } : undefined);
  };
  const onSubmit = (event: SubmitEvent) => {
    const form = event.target as HTMLFormElement | null;
    if (form?.tagName !== "FORM") return;
    // Field names only (how many, which), never what was typed.
    tracker.formSubmit(form.id || form.getAttribute("name") || "", { fields: form.elements.length });
  };
  const onError = (event: ErrorEvent) =>
    tracker.error(event.message, event.error instanceof Error ? event.error.stack : undefined, {
      source: event.filename,
      line: event.lineno,
    });
  const onRejection = (event: PromiseRejectionEvent) => {
    const reason = event.reason;
    tracker.error(
      reason instanceof Error ? reason.message : String(reason),
      reason instanceof Error ? reason.stack : undefined,
      { kind: "unhandledrejection" },
    );
  };
  const onVisibility = () => {
    const visible = doc.visibilityState !== "hidden";
    tracker.setVisible(visible);
    if (!visible) tracker.flushOnHide(false);
  };
  const onPageHide = () => tracker.flushOnHide(true);

  tracker.setVisible(doc.visibilityState !== "hidden");
  // One signal removes every listener.
  const listening = new AbortController();
  const { signal } = listening;
  doc.addEventListener("click", onClick, { capture: true, signal });
  doc.addEventListener("submit", onSubmit, { capture: true, signal });
  doc.addEventListener("visibilitychange", onVisibility, { signal });
  win.addEventListener("error", onError, { signal });
  win.addEventListener("unhandledrejection", onRejection, { signal });
  win.addEventListener("pagehide", onPageHide, { signal });
  return () => listening.abort();
}

/** The dashboard's single tracker. */
export const tracker = new Tracker({ transport: browserTransport() });
