import type { ComponentProps } from "react";
import type { Action } from "../lib/use-action.ts";
import { Button } from "./ui/index.tsx";

/**
 * A button that runs one write as `action`: disabled while the action runs, asking `confirm` first when given, and
 * calling `onDone` once the write went through (`<ActionButton action={a} run={() => del(url)} confirm="Delete?">`).
 */
export function ActionButton({
  action,
  run,
  confirm,
  onDone,
  disabled,
  ...button
}: Omit<ComponentProps<typeof Button>, "onClick"> & {
  action: Action;
  run: () => Promise<unknown>;
  confirm?: string | undefined;
  onDone?: () => void;
}) {
  const click = async () => {
    if (await action.run(run, { confirm })) onDone?.();
  };
  return <Button {...button} disabled={action.pending || disabled} onClick={() => void click()} />;
}
