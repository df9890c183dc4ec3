/** A heading of a hand-built table: its text, `{ num: text }` for a right-aligned figure column, or false to leave it out. */
export type Heading = string | { num: string } | false | null | undefined;

/** The header row of a table built by hand (DataTable has its own): `<TableHead headings={["Site", { num: "Devices" }]} />`. */
export function TableHead({ headings }: { headings: readonly Heading[] }) {
  return (
    <thead>
      <tr>
        {headings.map((h) =>
          !h ? null : typeof h === "string" ? (
            <th key={h}>{h}</th>
          ) : (
            <th key={h.num} className="num">
              {h.num}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
