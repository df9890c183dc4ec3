import { Link } from "react-router";
import type { ApiError } from "../lib/api.ts";
import { ErrorMessage, PageHeader, Spinner } from "./ui/index.tsx";

/**
 * A detail page until its record arrives: the header (`title`, and a link back to the list at `list`: "All
 * devices"), then a spinner or why the record cannot be shown ("This device…"); `what` is the record's noun.
 */
export function PendingDetail({
  title,
  list,
  what,
  error,
}: {
  title: string;
  list: string;
  what: string;
  error: ApiError | undefined;
}) {
  return (
    <>
      <PageHeader title={title} subtitle={<Link to={list}>All {what}s</Link>} />
      {error ? <ErrorMessage error={error} what={`This ${what}`} /> : <Spinner />}
    </>
  );
}
