import { useId, useRef, useState } from "react";
import type { ApiError } from "../../lib/api.ts";
import { ErrorMessage, Input } from "./index.tsx";

/** One choice of a picker: its value, what it shows (default the value) and a hint beside it (e.g. a count). */
export interface PickerOption {
  value: string;
  label?: string;
  hint?: string;
}

const SHOWN = 12;

/**
 * A multi-select with search: the chosen values as removable chips, a search box, and the options matching it
 * (those loaded from the API) to pick from. Nothing chosen means "any". With `onQuery` the parent searches (on the
 * server, for lists too long to load, e.g. devices) and passes the matches as `options`; without it the picker
 * filters `options` itself. Enter picks the first match, Escape closes the list.
 */
export function MultiPicker({
  id,
  label,
  options,
  value,
  onChange,
  onQuery,
  loading,
  error,
  empty = "any",
}: {
  id: string;
  label: string;
  options: readonly PickerOption[] | undefined;
  value: readonly string[];
  onChange: (value: string[]) => void;
  onQuery?: (text: string) => void;
  loading?: boolean;
  error?: ApiError | undefined;
  empty?: string;
}) {
  const inputId = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  // Labels of values seen in earlier option lists, so a chosen device keeps its name when a new search replaces them.
  const known = useRef(new Map<string, PickerOption>());
  for (const o of options ?? []) known.current.set(o.value, o);
  const q = query.trim().toLowerCase();
  const matches = (options ?? []).filter(
    (o) =>
      !value.includes(o.value) &&
      (onQuery !== undefined || !q || `${o.value} ${o.label ?? ""}`.toLowerCase().includes(q)),
  );
  const pick = (v: string) => {
    onChange([...value, v]);
    setQuery("");
    onQuery?.("");
  };
  const search = (text: string) => {
    setQuery(text);
    setOpen(true);
    onQuery?.(text);
  };
  return (
    <div className="field multi-picker" id={id}>
      <label htmlFor={inputId}>{label}</label>
      <ul className="picker-chosen" aria-label={`${label}: chosen`}>
        {value.length === 0 && <li className="muted picker-any">{empty}</li>}
        {value.map((v) => (
          <li key={v} className="badge picker-chip" data-value={v}>
            {known.current.get(v)?.label ?? v}{" "}
            <button type="button" aria-label={`Remove ${v}`} onClick={() => onChange(value.filter((x) => x !== v))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <Input
        id={inputId}
        type="search"
        aria-expanded={open}
        aria-controls={`${id}-options`}
        autoComplete="off"
        placeholder={`Search ${label.toLowerCase()}…`}
        value={query}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onValue={search}
        onKeyDown={(e) => {
          if (e.key === "Escape") setOpen(false);
          if (e.key !== "Enter") return;
          e.preventDefault();
          const first = matches[0];
          if (first) pick(first.value);
        }}
      />
      {open && (
        <ul className="picker-options" id={`${id}-options`} aria-label={`${label}: options`}>
          {loading && !options && <li className="muted">Loading…</li>}
          {options && matches.length === 0 && <li className="muted">No match</li>}
          {matches.slice(0, SHOWN).map((o) => (
            <li key={o.value}>
              <button
                type="button"
                className="picker-option"
                data-value={o.value}
                // Picking keeps the focus in the search box, so the list stays open for the next pick.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(o.value)}
              >
                {o.label ?? o.value} {o.label && o.label !== o.value && <span className="muted">{o.value}</span>}{" "}
                {o.hint && <small className="muted">{o.hint}</small>}
              </button>
            </li>
          ))}
          {matches.length > SHOWN && <li className="muted">{matches.length - SHOWN} more: type to narrow</li>}
        </ul>
      )}
      <ErrorMessage error={error} what={`The ${label.toLowerCase()}`} />
    </div>
  );
}
