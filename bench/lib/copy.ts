import type pg from "pg";

/**
 * `COPY … FROM STDIN` with node-postgres alone (a minimal "submittable", as pg-copy-streams does it):
 * sends `data` (COPY text format) and resolves with the number of rows copied.
 */
export function copyFrom(client: pg.ClientBase, statement: string, data: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let failure: Error | undefined;
    interface Connection {
      query(text: string): void;
      sendCopyFromChunk(chunk: Buffer): void;
      endCopyFrom(): void;
    }
    const submittable = {
      submit(connection: Connection) {
        connection.query(statement);
      },
      handleCopyInResponse(connection: Connection) {
        for (let i = 0; i < data.length; i += 64 * 1024) connection.sendCopyFromChunk(data.subarray(i, i + 64 * 1024));
        connection.endCopyFrom();
      },
      handleCommandComplete(msg: { text?: string }) {
        rows = Number(/(\d+)$/.exec(msg.text ?? "")?.[1] ?? 0);
      },
      handleReadyForQuery() {
        if (failure) reject(failure);
        else resolve(rows);
      },
      handleError(error: Error) {
        failure = error;
      },
      handleRowDescription() {},
      handleDataRow() {},
      handlePortalSuspended() {},
      handleEmptyQuery() {},
      handleCopyData() {},
    };
    (client as unknown as { query(s: unknown): unknown }).query(submittable);
  });
}

/** A value in COPY text format. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  const s = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  return s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}
