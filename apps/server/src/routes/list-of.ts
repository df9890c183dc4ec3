import type { Page } from "@homepot/core/analytics/page";

/** A page of rows as the list answer SPEC §3 names: `{success, count, <key>: [...], total?, next_cursor}`. */
export function listOf<K extends string, T>(key: K, page: Page<T>) {
  return {
    success: true as const,
    count: page.items.length,
    ...(page.total === undefined ? {} : { total: page.total }),
    next_cursor: page.next_cursor,
    ...({ [key]: page.items } as { [P in K]: T[] }),
  };
}
