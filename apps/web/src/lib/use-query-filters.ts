import { useCallback } from "react";
import { useSearchParams } from "react-router";

/**
 * A list page's filters, kept in the URL's query so a filtered list can be linked to: `get(key)` ("" when unset) and
 * `update(changes)`, which drops a key set to "" and goes back to the first page unless it sets `offset` itself;
 * `offset`, the page's first row (0 when unset).
 */
export function useQueryFilters() {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (changes: Record<string, string>) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
          if (!("offset" in changes)) next.delete("offset");
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { params, get: (key: string) => params.get(key) ?? "", update, offset: Number(params.get("offset")) || 0 };
}
