export { main } from "./main.ts";
export { CliError } from "./lib/cli-error.ts";
