import pino, { type Logger } from "pino";

/** JSON lines on stdout; anything that looks like a key is censored before it is written. */
export function createLogger(level = process.env.HOMEPOT_AGENT_LOG_LEVEL ?? "info"): Logger {
  return pino({
    name: "homepot-agent",
    level,
    redact: {
      paths: [
        "api_key",
        "apiKey",
        "key",
        "*.api_key",
        "*.apiKey",
        "headers['x-api-key']",
        "*.headers['x-api-key']",
        "password",
        "token",
      ],
      censor: "[redacted]",
    },
  });
}
export type { Logger };
