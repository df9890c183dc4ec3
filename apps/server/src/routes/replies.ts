/** The success answers of SPEC §3 (`listOf` in list-of.ts builds the paged lists); the response schema orders the keys. */

/** `{success, data}`: what a read answers. */
export const ok = <T>(data: T) => ({ success: true as const, data });

/** `{success, message}`: a write that answers in words only (a delete). */
export const okMessage = (message: string) => ({ success: true as const, message });

/** `{success, message, data}`: a write and the row it wrote. */
export const okWrite = <T>(message: string, data: T) => ({ success: true as const, message, data });

/** `{success, count, <key>: rows}` and what `extra` adds (a total…): a list answered whole. */
export function okList<K extends string, T, E extends object = Record<never, never>>(
  key: K,
  rows: T[],
  extra?: E,
): { success: true; count: number } & E & { [P in K]: T[] } {
  return { success: true as const, count: rows.length, ...extra, ...({ [key]: rows } as { [P in K]: T[] }) } as {
    success: true;
    count: number;
  } & E & { [P in K]: T[] };
}

/** `{success, status: "success", …answer}`: the original HOMEPOT's enrolment and agent answers. */
export const okStatus = <T extends object>(answer: T) => ({
  success: true as const,
  status: "success" as const,
  ...answer,
});
