import type { Context } from "../context.ts";
import { AnswerBuilder } from "./answer-builder.ts";
import type { Catalogue } from "./catalogue.ts";
import type { ParsedQuestion } from "./parse-question.ts";
import { defaultPeriod, type Period } from "./periods.ts";

/** What an intent's answer function gets: the caller's context, the parsed question and a builder. */
export interface IntentInput {
  ctx: Context;
  q: ParsedQuestion;
  catalogue: Catalogue;
  b: AnswerBuilder;
  now: Date;
  /** Silence after which a device counts as offline (the server's HOMEPOT_OFFLINE_AFTER_S). */
  offlineAfterS: number;
}

export function intentInput(ctx: Context, q: ParsedQuestion, catalogue: Catalogue, offlineAfterS: number): IntentInput {
  return { ctx, q, catalogue, b: new AnswerBuilder(), now: ctx.clock.now(), offlineAfterS };
}

/** The period the question named, else the intent's default. */
export function periodOf(input: IntentInput, defaultDays: number): Period {
  return input.q.periods[0] ?? defaultPeriod(input.now, defaultDays);
}

/** "site-003 (East Side Mall)", every part a literal. */
export function siteLabel(input: IntentInput, siteId: string): string {
  const name = input.catalogue.sites.find((s) => s.siteId === siteId)?.name;
  return name ? `${input.b.lit(siteId)} (${input.b.lit(name)})` : input.b.lit(siteId);
}

/** A period as the answer writes it: its label and its exact UTC bounds (the data window). */
export function periodText(input: IntentInput, p: Period): string {
  input.b.setWindow(p.start, p.end);
  return input.b.lit(p.label);
}

export function enc(params: Record<string, string | number | undefined | null>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join("&");
}
