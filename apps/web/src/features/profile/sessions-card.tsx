import type { SessionSchema } from "@homepot/contracts";
import type { z } from "zod";
import { type Column, type Columns, DataTable, rowsOf } from "../../components/data-table.tsx";
import { Button, Card, ErrorMessage } from "../../components/ui/index.tsx";
import { del, post } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { useEndpoint } from "../../lib/use-api.ts";

type Session = z.infer<typeof SessionSchema>;

/** Where the user is signed in: end one session, or all of them ("sign out everywhere"). */
export function SessionsCard() {
  const sessions = useEndpoint("GET /auth/sessions", {});
  const action = useAction(sessions.reload);
  const end = (s: Session) =>
    action.run(() => del(`/auth/sessions/${s.id}`), { confirm: `Sign out the session on ${s.user_agent ?? s.ip}?` });
  const everywhere = async () => {
    const done = await action.run(() => post("/auth/logout-all"), {
      confirm: "Sign out everywhere, this browser included?",
    });
    if (done) window.location.assign("/login");
  };
  const columns = (c: Columns<Session>): Column<Session>[] => [
    c.text("Browser or client", (s) => s.user_agent),
    c.text("Address", (s) => s.ip),
    c.time("Signed in", (s) => s.created_at),
    c.time("Last active", (s) => s.last_used_at),
    c.actions((s) =>
      s.current ? (
        <span className="muted">this browser</span>
      ) : (
        <Button variant="danger" onClick={() => end(s)} id={`session-end-${s.id}`}>
          Sign out
        </Button>
      ),
    ),
  ];
  return (
    <Card title="Sessions" id="sessions">
      <p className="muted">
        A sign-in lasts up to 30 days; the dashboard renews its 15-minute access token by itself. A password reset ends
        every session.
      </p>
      <ErrorMessage error={action.error} what="The session" />
      <DataTable
        id="sessions-table"
        what="Sessions"
        columns={columns}
        rows={rowsOf(sessions, (d) => d.sessions)}
        row={(s) => ({ key: s.id })}
        empty="No sessions."
        toolbar={
          <Button variant="danger" onClick={everywhere} id="sessions-logout-all">
            Sign out everywhere
          </Button>
        }
      />
    </Card>
  );
}
