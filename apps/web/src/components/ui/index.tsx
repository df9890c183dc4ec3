import {
  type ButtonHTMLAttributes,
  type ComponentProps,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
  useState,
} from "react";
import type { ApiError } from "../../lib/api.ts";
import { capitalize } from "../../lib/format.ts";

export function Button({
  variant = "secondary",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" | "ghost" }) {
  return <button type="button" className={`btn btn-${variant} ${className}`} {...props} />;
}

export function Card({
  title,
  actions,
  children,
  className = "",
  id,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  id?: string;
}) {
  return (
    <section className={`card ${className}`} id={id} aria-label={typeof title === "string" ? title : undefined}>
      {(title || actions) && (
        <header className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  online: "ok",
  healthy: "ok",
  ready: "ok",
  ok: "ok",
  succeeded: "ok",
  completed: "ok",
  success: "ok",
  active: "ok",
  connected: "ok",
  running: "ok",
  offline: "muted",
  cancelled: "muted",
  expired: "muted",
  inactive: "muted",
  unknown: "muted",
  error: "bad",
  failed: "bad",
  critical: "bad",
  unhealthy: "bad",
  high: "bad",
  maintenance: "warn",
  warning: "warn",
  insufficient_data: "warn",
  degraded: "warn",
  partial: "warn",
  medium: "warn",
  pending: "info",
  suspended: "warn",
  unpaired: "muted",
  archived: "muted",
  real: "info",
  simulated: "muted",
  test: "muted",
  sent: "info",
  in_progress: "info",
  queued: "info",
  low: "info",
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  const s = status ?? "unknown";
  return <span className={`badge badge-${STATUS_TONE[s.toLowerCase()] ?? "muted"}`}>{s.replace(/_/g, " ")}</span>;
}

export function Spinner({ label = "Loading" }: { label?: string }) {
  return (
    <div className="spinner" role="status" aria-live="polite">
      <span className="spinner-dot" aria-hidden /> {label}…
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** The clear "this part of the server does not exist yet" state, from a real 404 on the route. */
export function NotAvailable({ what, error }: { what: string; error?: ApiError }) {
  return (
    <div className="not-available" role="note">
      <strong>{what}: not available on this server yet.</strong>
      <span className="muted">{error ? ` The API answered ${error.status}: ${error.detail}` : ""}</span>
    </div>
  );
}

export function ErrorMessage({ error, what = "This" }: { error: ApiError | undefined; what?: string }) {
  if (!error) return null;
  if (error.isMissingRoute) return <NotAvailable what={what} error={error} />;
  if (error.status === 403)
    return (
      <div className="alert alert-bad" role="alert">
        You do not have permission to see {what.toLowerCase()}. ({error.detail})
      </div>
    );
  return (
    <div className="alert alert-bad" role="alert">
      {error.fields.length > 0 ? "Please check:" : error.detail}
      {error.fields.length > 0 && (
        <ul>
          {error.fields.map((f) => (
            <li key={`${f.location}.${f.field}`}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Renders loading / error / not-available / content for one API answer. */
export function Loadable<T>({
  state,
  what,
  children,
}: {
  state: { data: T | undefined; error: ApiError | undefined; loading: boolean };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.data !== undefined) return <>{children(state.data)}</>;
  if (state.error) return <ErrorMessage error={state.error} what={what} />;
  return <Spinner />;
}

export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`field ${error ? "field-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <small className="muted">{hint}</small>}
      {error && <small className="error-text">{error}</small>}
    </div>
  );
}

/** A text input; `onValue` takes the typed text (use `onChange` for anything else, such as files). */
export const Input = ({
  onValue,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { onValue?: (value: string) => void }) => (
  <input className="input" {...props} onChange={onValue ? (e) => onValue(e.target.value) : props.onChange} />
);
export const Select = ({
  onValue,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { onValue?: (value: string) => void }) => (
  <select className="input" {...props} onChange={onValue ? (e) => onValue(e.target.value) : props.onChange} />
);
export const TextArea = ({
  onValue,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { onValue?: (value: string) => void }) => (
  <textarea className="input" {...props} onChange={onValue ? (e) => onValue(e.target.value) : props.onChange} />
);

/** What every labelled control takes: its label, hint and error, and `onValue` with the new text. */
interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string;
  onValue: (value: string) => void;
}

/** A labelled `<input>`: `<TextField label="Name" value={name} onValue={setName} />`. */
export function TextField({
  label,
  hint,
  error,
  onValue,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange">) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id) => <Input id={id} {...input} onChange={(e) => onValue(e.target.value)} />}
    </Field>
  );
}

/** A labelled `<textarea>`. */
export function TextAreaField({
  label,
  hint,
  error,
  onValue,
  ...area
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "onChange">) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id) => <TextArea id={id} {...area} onChange={(e) => onValue(e.target.value)} />}
    </Field>
  );
}

export type Option<V extends string = string> = V | { value: V; label: string };

/** Options labelled with their values capitalised: `capitalized(["active", "deprecated"])` reads Active, Deprecated. */
export const capitalized = <V extends string>(values: readonly V[]): Option<V>[] =>
  values.map((value) => ({ value, label: capitalize(value) }));

/**
 * A labelled `<select>` of `options` (a plain string is both value and label), or of its own `<option>` children;
 * `onValue` gets one of the options' values.
 */
export function SelectField<V extends string = string>({
  label,
  hint,
  error,
  onValue,
  options = [],
  children,
  ...select
}: Omit<FieldProps, "onValue"> & {
  onValue: (value: V) => void;
  options?: readonly Option<V>[];
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "onChange">) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(id) => (
        <Select id={id} {...select} onChange={(e) => onValue(e.target.value as V)}>
          {children}
          <Options options={options} />
        </Select>
      )}
    </Field>
  );
}

function Options({ options }: { options: readonly Option[] }) {
  return options.map((o) =>
    typeof o === "string" ? (
      <option key={o}>{o}</option>
    ) : (
      <option key={o.value} value={o.value}>
        {o.label}
      </option>
    ),
  );
}

/** A select without a visible label (a filter above a table, a target picker in a row): `label` is its `aria-label`. */
export function FilterSelect<V extends string = string>({
  label,
  any,
  onValue,
  options,
  ...select
}: {
  label: string;
  /** The label of a first option, value "", that sets no filter ("Any status"). */
  any?: string;
  onValue: (value: V) => void;
  options: readonly Option<V>[];
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "onChange">) {
  const shown = any === undefined ? options : [{ value: "" as V, label: any }, ...options];
  return (
    <Select aria-label={label} {...select} onChange={(e) => onValue(e.target.value as V)}>
      <Options options={shown} />
    </Select>
  );
}

/** A secret the server shows only once (a signing secret, a password, a link): the value, Copy, and Done. */
export function ShownOnce({
  id,
  label,
  value,
  valueId,
  onDone,
}: {
  id: string;
  label: ReactNode;
  value: string;
  valueId?: string;
  onDone?: () => void;
}) {
  return (
    <div className="alert alert-ok" id={id}>
      {label}: <code id={valueId}>{value}</code> <CopyButton text={value} />
      {onDone && (
        <>
          {" "}
          <Button onClick={onDone}>Done</Button>
        </>
      )}
    </div>
  );
}

export function Stat({
  label,
  value,
  tone,
  hint,
}: {
  label: string;
  value: ReactNode;
  tone?: "ok" | "bad" | "warn" | "muted" | "info";
  hint?: ReactNode;
}) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ""}`}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
      {hint && <div className="stat-hint muted">{hint}</div>}
    </div>
  );
}

export function Tabs<T extends string>({
  tabs: given,
  value,
  onChange,
  idPrefix,
}: {
  /** Each tab's id, labelled with the id capitalised, or its id and label. */
  tabs: readonly (T | { id: T; label: string })[];
  value: T;
  onChange: (v: T) => void;
  idPrefix: string;
}) {
  const tabs = given.map((t) => (typeof t === "string" ? { id: t, label: capitalize(t) } : t));
  return (
    <div
      className="tabs"
      role="tablist"
      onKeyDown={(e) => {
        if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
        const i = tabs.findIndex((t) => t.id === value);
        const next = tabs[(i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
        if (!next) return;
        onChange(next.id);
        document.getElementById(`${idPrefix}-tab-${next.id}`)?.focus();
      }}
    >
      {tabs.map((t) => (
        <button
          key={t.id}
          id={`${idPrefix}-tab-${t.id}`}
          type="button"
          role="tab"
          aria-selected={value === t.id}
          tabIndex={value === t.id ? 0 : -1}
          className={`tab ${value === t.id ? "tab-active" : ""}`}
          onClick={() => onChange(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function CopyButton({ text, id }: { text: string; id?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      id={id}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          // Clipboard API refused (insecure context): fall back to a selection copy.
          const area = document.createElement("textarea");
          area.value = text;
          document.body.appendChild(area);
          area.select();
          document.execCommand("copy");
          area.remove();
        }
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

export function JsonView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}

/** A form's submit button (primary unless told): disabled, and saying `busy` ("Saving…"), while `pending`. */
export function SubmitButton({
  pending,
  busy,
  disabled,
  variant = "primary",
  children,
  ...props
}: ComponentProps<typeof Button> & { pending: boolean; busy: string }) {
  return (
    <Button {...props} type="submit" variant={variant} disabled={pending || disabled}>
      {pending ? busy : children}
    </Button>
  );
}

/** Loadable for a list in one API answer: `empty` when `items` picks no item out of it, else `children` of them. */
export function LoadableList<T, I>({
  state,
  what,
  items,
  empty,
  children,
}: {
  state: { data: T | undefined; error: ApiError | undefined; loading: boolean };
  what: string;
  items: (data: T) => I[];
  empty: ReactNode;
  children: (items: I[], data: T) => ReactNode;
}) {
  return (
    <Loadable state={state} what={what}>
      {(data) => {
        const list = items(data);
        return list.length === 0 ? <Empty>{empty}</Empty> : children(list, data);
      }}
    </Loadable>
  );
}

/** A checkbox with its label after it: `<Checkbox id="x" checked={on} onChecked={setOn} label="Staged" />`. */
export function Checkbox({
  label,
  onChecked,
  className,
  ...input
}: {
  label: ReactNode;
  onChecked: (checked: boolean) => void;
  /** The `<label>`'s class. */
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "onChange" | "className">) {
  return (
    <label className={className}>
      <input type="checkbox" {...input} onChange={(e) => onChecked(e.target.checked)} /> {label}
    </label>
  );
}

/** A card that shows one API answer (`Loadable`): `<LoadableCard title="Risks" state={risk} what="…">{(data) => …}`. */
export function LoadableCard<T>({
  title,
  id,
  state,
  what,
  children,
}: {
  title: string;
  id?: string;
  state: { data: T | undefined; error: ApiError | undefined; loading: boolean };
  what: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <Card title={title} id={id}>
      <Loadable state={state} what={what}>
        {children}
      </Loadable>
    </Card>
  );
}
