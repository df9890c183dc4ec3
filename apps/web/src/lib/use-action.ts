import { useCallback, useRef, useState } from "react";
import { type ApiError, toApiError } from "./api.ts";

export interface ActionHooks {
  /** Asked first; `false` cancels before anything is sent. */
  confirm?: () => boolean;
  onPending: (pending: boolean) => void;
  onError: (error: ApiError | undefined) => void;
  /** After the action, whether it worked or not (the server may have changed either way): refetch. */
  onSettled?: () => void;
}

/**
 * One button's POST: confirm, clear the last error, run, show a failure as an ApiError, refresh. Answers whether the
 * action went through (false when cancelled or failed), so a form can clear itself only on success.
 */
export async function runAction(action: () => Promise<unknown>, hooks: ActionHooks): Promise<boolean> {
  if (hooks.confirm && !hooks.confirm()) return false;
  hooks.onError(undefined);
  hooks.onPending(true);
  try {
    await action();
    return true;
  } catch (error) {
    hooks.onError(toApiError(error));
    return false;
  } finally {
    hooks.onPending(false);
    hooks.onSettled?.();
  }
}

export interface Action {
  /** Runs `action`; with `confirm`, only after the user agrees to that question. */
  run: (action: () => Promise<unknown>, options?: { confirm?: string }) => Promise<boolean>;
  pending: boolean;
  error: ApiError | undefined;
  setError: (error: ApiError | undefined) => void;
}

/** State for the buttons and forms that write: `pending` while one runs, its `error`, then `refresh` (e.g. reloads). */
export function useAction(refresh?: () => void): Action {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const run = useCallback(
    (action: () => Promise<unknown>, options: { confirm?: string } = {}) =>
      runAction(action, {
        confirm: options.confirm === undefined ? undefined : () => window.confirm(options.confirm),
        onPending: setPending,
        onError: setError,
        onSettled: () => refreshRef.current?.(),
      }),
    [],
  );
  return { run, pending, error, setError };
}
