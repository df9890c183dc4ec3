import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, get } from "./api.ts";

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Refetch now (keeps the current data on screen while loading). */
  reload: () => void;
}

type Query = Record<string, string | number | boolean | undefined | null>;

/**
 * GET a path and keep it fresh: refetches when the path or query change, and every `pollMs` while the tab is
 * visible. `path === null` means "not yet" (e.g. waiting for an id).
 */
export function useApi<T>(path: string | null, query?: Query, options: { pollMs?: number } = {}): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;
  const lastKey = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for path and query (a new object each render); `tick` forces a reload
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    // A new key clears the old answer; a reload or poll keeps it visible.
    if (lastKey.current !== key) {
      setData(undefined);
      setError(undefined);
    }
    lastKey.current = key;
    setLoading(true);
    get<T>(path, query, controller.signal)
      .then((result) => {
        setData(result);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (e instanceof DOMException && e.name === "AbortError") return;
        setError(e instanceof ApiError ? e : new ApiError(0, e instanceof Error ? e.message : String(e)));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [key, tick]);

  useEffect(() => {
    if (!options.pollMs || path === null) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") setTick((t) => t + 1);
    }, options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, path]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
