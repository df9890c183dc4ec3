import { prepareTemplate } from "../packages/db/src/testing.ts";

export default async function setup() {
  await prepareTemplate();
}
