import {
  AskHistoryQuery,
  AskHistoryResponse,
  AskQueryBody,
  AskQueryResponse,
  AskSuggestionsQuery,
  AskSuggestionsResponse,
} from "@homepot/contracts/ask";
import { askQuestion } from "@homepot/core/ask/ask-question";
import { listAskHistory } from "@homepot/core/ask/list-ask-history";
import { listSuggestedQuestions } from "@homepot/core/ask/list-suggested-questions";
import { answerWithLlm } from "@homepot/core/ask/llm/answer-with-llm";
import { okList } from "../replies.ts";
import { featureRoutes, route } from "../route.ts";

/**
 * Ask HOMEPOT: `POST /ai/query` answers a plain-language question from the fleet's data (the original
 * HOMEPOT's route and shapes, our fields beside them), with the caller's own question history.
 * Every signed-in role may ask; what an answer may show follows the role rules of the data behind it.
 */
export const askRoutes = featureRoutes(["ai"], (app) => [
  route.post(
    "/query",
    { auth: "viewer", summary: "Ask a question in plain language", body: AskQueryBody, response: AskQueryResponse },
    async ({ ctx, body: b }) => {
      const { llm, offlineAfterS } = app.deps.config;
      const a = await askQuestion(
        ctx,
        { question: b.question ?? b.query ?? "", siteId: b.site_id, deviceId: b.device_id },
        {
          offlineAfterS,
          // Questions the built-in engine cannot read go to the LLM when one is configured.
          fallback: llm ? (q, catalogue) => answerWithLlm(ctx, llm, q, catalogue, offlineAfterS) : undefined,
        },
      );
      return { success: true as const, response: a.answer, timestamp: a.generated_at, ...a };
    },
  ),

  route.get(
    "/query/history",
    {
      auth: "viewer",
      summary: "The caller's questions, newest first",
      query: AskHistoryQuery,
      response: AskHistoryResponse,
    },
    async ({ ctx, query }) => okList("history", await listAskHistory(ctx, query)),
  ),

  route.get(
    "/query/suggestions",
    {
      auth: "viewer",
      summary: "Suggested questions for a page",
      query: AskSuggestionsQuery,
      response: AskSuggestionsResponse,
    },
    async ({ ctx, query }) =>
      okList("suggestions", await listSuggestedQuestions(ctx, { siteId: query.site_id, deviceId: query.device_id })),
  ),
]);
