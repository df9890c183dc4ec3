import { randomBytes } from "node:crypto";
import pg from "pg";
import { prepareTemplate, testPgAdminUrl } from "../packages/db/src/testing.ts";

/**
 * One migrated template per test run, named uniquely so that concurrent runs (several checkouts on one
 * PostgreSQL) never clobber each other's template. Workers read its name from the environment.
 */
export default async function setup() {
  const name = `homepot_tpl_${process.pid}_${randomBytes(3).toString("hex")}`;
  await prepareTemplate(testPgAdminUrl, name);
  process.env.HOMEPOT_TEST_PG_TEMPLATE = name;
  return async () => {
    const admin = new pg.Client({ connectionString: testPgAdminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  };
}
