import type { ReactNode } from "react";
import { Link } from "react-router";
import type { Column } from "./data-table.tsx";

/** A job's id linking to its page. */
export function JobLink({ id }: { id: string }) {
  return <Link to={`/jobs/${encodeURIComponent(id)}`}>{id}</Link>;
}

/** A release's name (or another label) linking to its page. */
export function ReleaseLink({ id, children }: { id: string; children: ReactNode }) {
  return <Link to={`/releases/${encodeURIComponent(id)}`}>{children}</Link>;
}

/** The "Job" column of a table of jobs: the id linking to the job; the id in the CSV. */
export function jobColumn<T>(id: (row: T) => string): Column<T> {
  return { header: "Job", cell: (row) => <JobLink id={id(row)} />, csv: id };
}

/** A link styled as a button, such as a page's "New job". */
export function LinkButton({
  variant = "secondary",
  ...link
}: {
  to: string;
  id?: string;
  variant?: "primary" | "secondary";
  children: ReactNode;
}) {
  return <Link className={`btn btn-${variant}`} {...link} />;
}
