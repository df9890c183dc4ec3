import type { AnswerableIntent } from "./parse-question.ts";
import { tokenize } from "./parse-question.ts";
import { STOPWORDS, SYNONYMS } from "./vocabulary.ts";

/** One example per way of asking each intent: the suggestions, and the "closest answerable questions". */
export const EXAMPLES: Record<AnswerableIntent, string[]> = {
  fleet_status: ["How is the fleet doing?", "How many tills are offline?", "What is the status of {site}?"],
  top_n: [
    "Which stores had the most payment errors this week?",
    "Top 5 tills by CPU yesterday",
    "Which devices had the highest latency in the last 3 days?",
  ],
  why_unhealthy: ["Why is {device} unhealthy?", "What is wrong with {site}?"],
  failure_risk: ["Which tills are at risk of failing?", "Will {device} fail soon?"],
  best_window: ["When is the best time to push the new config to {site}?", "Best window for a 2 hour update at {site}"],
  error_patterns: ["What errors keep coming back this week?", "Show error patterns at {site} in the last 3 days"],
  anomalies: ["Is anything unusual right now?", "Any anomalies at {site}?"],
  compare: ["Compare {site} and {site2} this week", "Compare errors this week with last week"],
  job_outcomes: ["How did the jobs go this week?", "How many jobs failed yesterday?"],
  data_freshness: ["Is the data fresh?", "Is data collection complete?"],
};

export function fillExample(text: string, names: { site?: string; site2?: string; device?: string }): string {
  return text
    .replace("{site2}", names.site2 ?? "site-002")
    .replace("{site}", names.site ?? "site-001")
    .replace("{device}", names.device ?? "pos-terminal-001");
}

function keyWords(text: string): Set<string> {
  return new Set(
    tokenize(text)
      .filter((t) => !STOPWORDS.has(t))
      .map((t) => SYNONYMS[t] ?? t),
  );
}

/** The answerable questions sharing most words with `question` (by meaning: synonyms count as the same word). */
export function closestQuestions(question: string, names: Parameters<typeof fillExample>[1], n = 3): string[] {
  const words = keyWords(question);
  return Object.values(EXAMPLES)
    .flat()
    .map((e) => fillExample(e, names))
    .map((e) => {
      const k = keyWords(e);
      const common = [...k].filter((w) => words.has(w)).length;
      return { e, score: common / Math.sqrt(k.size * Math.max(words.size, 1)) };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, n)
    .map((x) => x.e);
}

/** Suggested questions for a page: about its device or site, else about the fleet. */
export function suggestedQuestions(names: Parameters<typeof fillExample>[1]): string[] {
  const pick: AnswerableIntent[] = names.device
    ? ["why_unhealthy", "failure_risk", "error_patterns", "anomalies"]
    : names.site
      ? ["fleet_status", "best_window", "error_patterns", "anomalies", "why_unhealthy"]
      : ["fleet_status", "top_n", "failure_risk", "anomalies", "job_outcomes"];
  return pick.map((i) =>
    fillExample(
      (EXAMPLES[i].find((e) =>
        names.device ? e.includes("{device}") : names.site ? e.includes("{site}") : !e.includes("{"),
      ) ?? EXAMPLES[i][0]) as string,
      names,
    ),
  );
}
