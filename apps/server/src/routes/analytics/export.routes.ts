import { Readable } from "node:stream";
import { ExportQuery } from "@homepot/contracts/analytics";
import { ErrorCodes, logError, recordAudit } from "@homepot/core";
import {
  csvHeader,
  csvLines,
  EXPORT_SCOPE,
  exportColumns,
  exportRows,
  jsonLines,
  resolveExportKey,
} from "@homepot/core/analytics/export-table";
import { authorize } from "@homepot/core/tenants/authorize";
import { featureRoutes, route } from "../route.ts";

/**
 * Streamed export of a table for ML (the same rows as `homepot export`), audited: a tenant's admins and operators
 * export their sites' rows; platform-wide tables are platform admins'.
 */
export const analyticsExportRoutes = featureRoutes(["analytics"], (app) => [
  route.get(
    "/export",
    {
      auth: "analyze",
      summary: "Stream a table as CSV or JSON lines (user ids pseudonymised, secrets left out)",
      query: ExportQuery,
      response: null,
    },
    async ({ ctx, query, reply }) => {
      const { table, format, start_date: from, end_date: to } = query;
      if ("platform" in EXPORT_SCOPE[table]) await authorize(ctx, "platform");
      const columns = await exportColumns(ctx.db, table);
      const options = { table, from, to, key: resolveExportKey(app.deps.config.dataDir) };
      await recordAudit(ctx, {
        eventType: "data_export",
        description: `Exported ${table} as ${format}`,
        metadata: { table, format, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null },
      });
      async function* body(): AsyncGenerator<string> {
        try {
          if (format === "csv") yield csvHeader(columns);
          for await (const rows of exportRows(ctx, columns, options))
            yield format === "csv" ? csvLines(columns, rows) : jsonLines(rows);
        } catch (error) {
          await logError(ctx, {
            category: "api",
            severity: "error",
            errorCode: ErrorCodes.apiInternal,
            message: `export of ${table} failed: ${(error as Error).message}`,
            error,
            endpoint: "/api/v1/analytics/export",
          });
          throw error;
        }
      }
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .header("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8")
        .header("content-disposition", `attachment; filename="${table}-${stamp}.${format}"`)
        .send(Readable.from(body()));
    },
  ),
]);
