import { JsonView } from "../../components/ui/index.tsx";

/** What a command came back with: its error, else its result, else a dash (still running, or nothing to say). */
export function CommandResult({ c }: { c: { error_message: string | null; result?: unknown } }) {
  if (c.error_message) return <span className="error-text">{c.error_message}</span>;
  if (c.result !== null && c.result !== undefined) return <JsonView value={c.result} />;
  return <span className="muted">—</span>;
}
