import type { Logger } from "./context.ts";

type Listener<T> = (event: T) => void | Promise<void>;

/**
 * In-process, typed events, emitted after the transaction that caused them commits. Listeners run detached:
 * a slow or failing listener never delays or breaks the use case that emitted. Other server instances learn
 * of changes by polling the tables, not from a bus.
 */
export class EventBus<Events extends { [K in keyof Events]: object }> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener<never>);
    this.listeners.set(event, set);
    return () => this.off(event, listener);
  }

  off<E extends keyof Events>(event: E, listener: Listener<Events[E]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  emit<E extends keyof Events>(event: E, payload: Events[E], logger?: Logger): void {
    const fail = (err: unknown) => logger?.error({ err, event, payload }, "event bus listener failed");
    for (const listener of [...(this.listeners.get(event) ?? [])] as Listener<Events[E]>[]) {
      try {
        const pending = listener(payload);
        if (pending && typeof pending.then === "function") pending.then(undefined, fail);
      } catch (err) {
        fail(err);
      }
    }
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
