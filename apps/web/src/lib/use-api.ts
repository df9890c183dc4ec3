import type { CallInput, ResponseOf } from "@homepot/contracts/client";
import type { EndpointKey } from "@homepot/contracts/endpoints";
import { useCallback, useEffect, useRef, useState } from "react";
import { type ApiError, call, isAbort, toApiError } from "./api.ts";

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Refetch now (keeps the current data on screen while loading). */
  reload: () => void;
}

export interface FetchOptions {
  /** Refetch every this many ms while the tab is visible. */
  pollMs?: number;
}

/**
 * Keeps one answer fresh: fetches when `key` changes (clearing the old answer), on `reload()` and every `pollMs`
 * while the tab is visible (keeping the old answer on screen). `key === null` means "not yet" (e.g. no id yet).
 */
function useFetch<T>(
  key: string | null,
  fetch: (signal: AbortSignal) => Promise<T>,
  options: FetchOptions,
): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(key !== null);
  const [tick, setTick] = useState(0);
  const lastKey = useRef<string | null>(null);
  // The latest closure: `key` says when its inputs changed.
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the request; `tick` forces a reload
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    if (lastKey.current !== key) {
      setData(undefined);
      setError(undefined);
    }
    lastKey.current = key;
    setLoading(true);
    fetchRef
      .current(controller.signal)
      .then((result) => {
        setData(result);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!isAbort(e)) setError(toApiError(e));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [key, tick]);

  const active = key !== null;
  useEffect(() => {
    if (!options.pollMs || !active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") setTick((t) => t + 1);
    }, options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, active]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/**
 * Any loader kept fresh like one GET (e.g. several typed calls at once): `key` names its inputs, null means "not yet".
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>, options: FetchOptions = {}) {
  return useFetch(key, load, options);
}

type GetKey = Extract<EndpointKey, `GET ${string}`>;
/** The input of a GET endpoint, without the per-call extras the hook sets itself. */
export type EndpointInput<K extends GetKey> = Omit<CallInput<K>, "signal" | "headers" | "timeoutMs">;

/**
 * GET one endpoint of the contracts' map and keep it fresh, typed end to end:
 * `useEndpoint("GET /devices/{device_id}", {params: {device_id}})` holds the route's own response type, so a
 * field renamed on the server breaks the dashboard's build. `input === null` means "not yet".
 */
export function useEndpoint<K extends GetKey>(
  endpoint: K,
  input: EndpointInput<K> | null,
  options: FetchOptions = {},
): ApiState<ResponseOf<K>> {
  const key = input === null ? null : `${endpoint} ${JSON.stringify(input)}`;
  return useFetch(
    key,
    (signal) =>
      (call as (k: K, i: CallInput<K>) => Promise<ResponseOf<K>>)(endpoint, { ...input, signal } as CallInput<K>),
    options,
  );
}
