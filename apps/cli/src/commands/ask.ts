import { loadConfig, silentLogger, systemContext, ValidationError } from "@homepot/core";
import { type AskAnswer, askQuestion } from "@homepot/core/ask/ask-question";
import { ASK_NOW, seedAskFleet } from "@homepot/core/ask/eval/ask-fleet";
import { type EvalReport, runEval } from "@homepot/core/ask/eval/run-eval";
import { answerWithLlm } from "@homepot/core/ask/llm/answer-with-llm";
import { migrateDatabase, openDatabase } from "@homepot/db";
import { parseCommand } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { openCliDatabase } from "../lib/database.ts";
import { print, printJson } from "../lib/output.ts";

export const summary = "ask a question about the fleet in plain language (--eval: score the evaluation set)";

const HELP = `Usage: homepot ask "QUESTION" [--site SITE_ID] [--device DEVICE_ID] [--json]
       homepot ask --eval [--json]

Answers from the fleet's data, as POST /api/v1/ai/query does: every figure with its source, the data window,
the sample size and a trust level with what lowered it. A question it cannot answer gets "I can't answer
that yet" and the closest questions it can.

  --site ID     ask about this site when the question names none (as on a site page)
  --device ID   the same for a device
  --json        the whole answer as JSON
  --eval        run the evaluation set (≥ 150 questions) on a freshly seeded in-memory fleet and print the
                intent accuracy, the answers found right and the invented-figure count; exit 1 below 95 %
                correct intents or with any invented figure`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, HELP, {
    json: { type: "boolean" },
    eval: { type: "boolean" },
    site: { type: "string" },
    device: { type: "string" },
  });
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (values.eval) return evaluate(Boolean(values.json));
  const question = positionals.join(" ").trim();
  if (!question) throw new CliError('a question is required: homepot ask "how is the fleet doing?"', 2);
  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    const ctx = systemContext(database.db, "cli");
    const { llm, offlineAfterS } = config;
    const answer = await askQuestion(
      ctx,
      { question, siteId: values.site, deviceId: values.device },
      { offlineAfterS, fallback: llm ? (q, cat) => answerWithLlm(ctx, llm, q, cat, offlineAfterS) : undefined },
    ).catch((error: unknown) => {
      if (error instanceof ValidationError)
        throw new CliError(
          `--${error.field === "site_id" ? "site" : error.field === "device_id" ? "device" : "question"}: ${error.message}`,
          2,
        );
      throw error;
    });
    if (values.json) printJson(answer);
    else printAnswer(answer);
    return answer.answered ? 0 : 1;
  } finally {
    await database.close();
  }
}

function printAnswer(a: AskAnswer): void {
  print(a.answer);
  if (a.suggestions.length) print(`\nYou could ask:\n${a.suggestions.map((s) => `  - ${s}`).join("\n")}`);
  if (!a.answered) return;
  print(`\nTrust: ${a.trust.level}${a.trust.reasons.length ? ` (${a.trust.reasons.join("; ")})` : ""}`);
  if (a.data_window)
    print(
      `Data: ${a.data_window.start} – ${a.data_window.end}, ${a.sample_size} ${a.sample_size === 1 ? "row" : "rows"}`,
    );
  print("Sources:");
  for (const [i, c] of a.citations.entries())
    print(
      `  [${i + 1}] ${c.table}${c.query ? ` ?${c.query}` : ""}${c.ids?.length ? ` ids ${c.ids.slice(0, 10).join(", ")}${c.ids.length > 10 ? ", …" : ""}` : ""}`,
    );
}

async function evaluate(json: boolean): Promise<number> {
  const database = await openDatabase({ dataDir: "memory://" });
  try {
    await migrateDatabase(database);
    const ctx = { ...systemContext(database.db, "ask-eval"), clock: { now: () => ASK_NOW }, logger: silentLogger };
    await seedAskFleet(ctx);
    const report = await runEval(ctx);
    if (json) printJson(report);
    else printReport(report);
    return report.intent_accuracy >= 0.95 && report.invented_figures === 0 ? 0 : 1;
  } finally {
    await database.close();
  }
}

function printReport(r: EvalReport): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  print(`Ask HOMEPOT evaluation: ${r.questions} questions (${r.unanswerable} unanswerable) on the seeded fleet`);
  print(`  intent accuracy     ${pct(r.intent_accuracy)} (${r.intent_correct}/${r.questions})`);
  print(
    `  answers right       ${pct(r.answer_correct / Math.max(r.answer_checks, 1))} (${r.answer_correct}/${r.answer_checks} checked)`,
  );
  print(`  declined correctly  ${r.declined_correctly}/${r.unanswerable}`);
  print(`  invented figures    ${r.invented_figures}`);
  print(
    `  latency (ms)        p50 ${r.latency_ms.p50}, p95 ${r.latency_ms.p95}, max ${r.latency_ms.max} (in-memory PGlite)`,
  );
  for (const f of r.failures)
    print(`  ✗ ${f.q}\n      expected ${f.expected}, got ${f.got}: ${f.answer.slice(0, 160)}`);
}
