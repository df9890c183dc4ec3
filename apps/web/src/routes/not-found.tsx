import { Link } from "react-router";
import { PageHeader } from "../components/ui/index.tsx";

export default function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" subtitle="There is no page at this address." />
      <Link to="/">Back to the overview</Link>
    </>
  );
}
