export * from "./ai.ts";
export * from "./analytics.ts";
export * from "./commands.ts";
export * from "./core.ts";
export * from "./device-reports.ts";
export * from "./invitations.ts";
export * from "./lifecycle.ts";
export * from "./onboarding.ts";
