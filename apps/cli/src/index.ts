export { CliError } from "./lib/cli-error.ts";
export { main } from "./main.ts";
