import type { Context } from "../context.ts";
import { listInvitationRows, presentInvitation } from "./invitation.repository.ts";

export async function listInvitations(ctx: Context, limit = 200) {
  const now = ctx.clock.now();
  const rows = await listInvitationRows(ctx.db, limit);
  return rows.map((r) => presentInvitation({ ...r.invitation, createdByUsername: r.createdByUsername }, now));
}
