/**
 * The items of `list`, letting the event loop serve other work every `every` items. Whole-fleet insights score
 * thousands of devices on the server's one thread; without a pause now and then, every request waits for a chunk.
 */
export async function* inTurns<T>(list: readonly T[], every = 20): AsyncGenerator<T> {
  for (let i = 0; i < list.length; i++) {
    if (i > 0 && i % every === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    yield list[i] as T;
  }
}
