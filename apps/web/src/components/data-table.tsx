import type { ReactNode } from "react";
import type { ApiError } from "../lib/api.ts";
import { csvFileName, downloadCsv, toCsv } from "../lib/csv.ts";
import { formatDateTime, timeAgo } from "../lib/format.ts";
import { DeviceLink, SiteLink } from "./links.tsx";
import { Button, Empty, ErrorMessage, JsonView, Spinner, StatusBadge } from "./ui/index.tsx";

export interface Column<T> {
  /** The column heading; also the CSV header. */
  header: string;
  /** The cell as shown; omit for a column that is only in the CSV. */
  cell?: (row: T) => ReactNode;
  /** The cell's value in the CSV (raw, e.g. an ISO time rather than "5 min ago"); omit to leave the column out. */
  csv?: (row: T) => unknown;
  /** `num` right-aligns figures. */
  className?: string;
}

/** Columns the tables share, each keeping the raw value for the CSV: `columns={(c) => [c.ago("When", (r) => r.at)]}`. */
export class Columns<T> {
  /** A value shown as is (a dash when empty) and exported as is. */
  text(header: string, value: (row: T) => string | number | null | undefined, className?: string): Column<T> {
    return { header, className, cell: (row) => value(row) ?? "—", csv: value };
  }

  /** Text in the monospace font (ids, addresses, paths), a dash when empty; exported as is. */
  mono(header: string, value: (row: T) => string | null | undefined): Column<T> {
    return { header, cell: (row) => <span className="mono">{value(row) ?? "—"}</span>, csv: value };
  }

  /** A figure, right-aligned, shown through `format` ("1.2 s", "3.4 MB"); the raw number in the CSV. */
  number(
    header: string,
    value: (row: T) => number | null | undefined,
    format: (n: number | null | undefined) => ReactNode,
  ): Column<T> {
    return { header, className: "num", cell: (row) => format(value(row)), csv: value };
  }

  /** "5 min ago" ("never" without a time), the exact time on hover; the ISO time in the CSV. */
  ago(header: string, at: (row: T) => string | null | undefined): Column<T> {
    return { header, cell: (row) => <span title={formatDateTime(at(row))}>{timeAgo(at(row))}</span>, csv: at };
  }

  /** The exact local time (a dash without one); the ISO time in the CSV. */
  time(header: string, at: (row: T) => string | null | undefined): Column<T> {
    return { header, cell: (row) => formatDateTime(at(row)), csv: at };
  }

  /** The device's id linking to its page (at `tab`), with anything `beside` it; the id in the CSV. */
  device(id: (row: T) => string, beside?: (row: T) => ReactNode, tab?: string): Column<T> {
    return {
      header: "Device",
      cell: (row) => (
        <>
          <DeviceLink id={id(row)} tab={tab} />
          {beside && <> {beside(row)}</>}
        </>
      ),
      csv: id,
    };
  }

  /** The site's id linking to its page; the id in the CSV. */
  site(id: (row: T) => string): Column<T> {
    return { header: "Site", cell: (row) => <SiteLink id={id(row)} />, csv: id };
  }

  status(header: string, status: (row: T) => string | null | undefined): Column<T> {
    return { header, cell: (row) => <StatusBadge status={status(row)} />, csv: status };
  }

  /** Raw JSON folded under `summary`. */
  details(header: string, summary: string, value: (row: T) => unknown): Column<T> {
    return {
      header,
      cell: (row) => (
        <details>
          <summary>{summary}</summary>
          <JsonView value={value(row)} />
        </details>
      ),
      csv: value,
    };
  }

  /** The row's buttons: no heading, not in the CSV. */
  actions(cell: (row: T) => ReactNode): Column<T> {
    return { header: "", className: "row-actions", cell };
  }

  /** What came of a command or job: its error in red, else its result as JSON, else a dash. */
  outcome(header: string, error: (row: T) => string | null | undefined, result: (row: T) => unknown): Column<T> {
    return {
      header,
      cell: (row) => {
        const failed = error(row);
        const value = result(row);
        if (failed) return <span className="error-text">{failed}</span>;
        return value !== null && value !== undefined ? <JsonView value={value} /> : <span className="muted">—</span>;
      },
      csv: (row) => error(row) ?? result(row),
    };
  }
}

/** The rows an API answer holds (`undefined` while the first answer is on its way), and its error if the last failed. */
export interface Answer<T> {
  data: T[] | undefined;
  error?: ApiError | undefined;
}

/** The list in an API answer, for a table's `rows`: `rowsOf(users, (d) => d.users)`. */
export function rowsOf<D, T>(
  answer: { data: D | undefined; error: ApiError | undefined },
  list: (data: D) => T[],
): Answer<T> {
  // `== null`: an empty body answers null, which also means "no rows yet".
  return { data: answer.data == null ? undefined : list(answer.data), error: answer.error };
}

/** A table row's attributes: `{ key: u.id, "data-username": u.username }`. */
export interface RowAttributes {
  key: string | number;
  className?: string | undefined;
  [data: `data-${string}`]: string | number | undefined;
}

export interface DataTableProps<T> {
  /** The table's id; the CSV button is `<id>-csv`. */
  id?: string;
  /** What the rows are ("Health checks"): error messages and the CSV file name use it. */
  what: string;
  /** The columns, or a function of the shared column kinds (`Columns`) that answers them. */
  columns: Column<T>[] | ((kinds: Columns<T>) => Column<T>[]);
  /** The rows, or an API answer's rows (`rowsOf(users, (d) => d.users)`) with its error, loading till they come. */
  rows: T[] | Answer<T>;
  /** The row's `<tr>` attributes: its React `key`, and any `className` or `data-*` (which tests and links find it by). */
  row: (row: T, index: number) => RowAttributes;
  /** Shown when there are no rows. */
  empty: ReactNode;
  /** Extra controls beside the download button (filters, counts). */
  toolbar?: ReactNode;
  /** The rows the CSV holds when the table shows only some of what was fetched (default: `rows`). */
  csvRows?: T[] | undefined;
}

/**
 * The dashboard's one table: loading, error and empty states, and a "Download CSV" of the rows it shows (the raw
 * values of each column that has a `csv`, quoted and safe against spreadsheet formulas).
 */
export function DataTable<T>({
  id,
  what,
  columns: columnsOrKinds,
  rows: given,
  row: attributes,
  empty,
  toolbar,
  csvRows,
}: DataTableProps<T>) {
  const { data: rows, error } = Array.isArray(given) ? { data: given, error: undefined } : given;
  if (rows === undefined) return error ? <ErrorMessage error={error} what={what} /> : <Spinner />;
  const columns = typeof columnsOrKinds === "function" ? columnsOrKinds(new Columns<T>()) : columnsOrKinds;
  const exported = columns.filter((c) => c.csv);
  const shown = columns.filter((c) => c.cell);
  const all = csvRows ?? rows;
  const download = () =>
    downloadCsv(
      csvFileName(id ?? what),
      toCsv(
        exported.map((c) => c.header),
        all.map((row) => exported.map((c) => c.csv?.(row))),
      ),
    );
  return (
    <>
      {(toolbar || (rows.length > 0 && exported.length > 0)) && (
        <div className="table-toolbar">
          <div className="table-toolbar-extra">{toolbar}</div>
          {rows.length > 0 && exported.length > 0 && (
            <Button
              id={id ? `${id}-csv` : undefined}
              variant="ghost"
              onClick={download}
              title={`Download ${all.length === rows.length ? "these" : "all"} ${all.length} rows as CSV`}
            >
              Download CSV
            </Button>
          )}
        </div>
      )}
      {error && <ErrorMessage error={error} what={what} />}
      {rows.length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        <div className="table-scroll">
          <table className="table" id={id}>
            <thead>
              <tr>
                {shown.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; headers may repeat or be empty
                  <th key={i} className={c.className}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => {
                const { key, ...tr } = attributes(row, i);
                return (
                  <tr key={key} {...tr}>
                    {shown.map((c, j) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed
                      <td key={j} className={c.className}>
                        {c.cell?.(row)}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
