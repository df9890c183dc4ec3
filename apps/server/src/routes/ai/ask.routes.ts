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
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requestContext } from "../../plugins/context.ts";

/**
 * Ask HOMEPOT: `POST /ai/query` answers a plain-language question from the fleet's data (the original
 * HOMEPOT's route and shapes, our fields beside them), with the caller's own question history.
 * Every signed-in role may ask; what an answer may show follows the role rules of the data behind it.
 */
export const askRoutes: FastifyPluginAsyncZod = async (app) => {
  const guard = { onRequest: app.authorize("viewer") };
  const tags = ["ai"];

  app.post(
    "/query",
    {
      ...guard,
      schema: {
        tags,
        summary: "Ask a question in plain language",
        body: AskQueryBody,
        response: { 200: AskQueryResponse },
      },
    },
    async (request) => {
      const b = request.body;
      const ctx = requestContext(request);
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
  );

  app.get(
    "/query/history",
    {
      ...guard,
      schema: {
        tags,
        summary: "The caller's questions, newest first",
        querystring: AskHistoryQuery,
        response: { 200: AskHistoryResponse },
      },
    },
    async (request) => {
      const history = await listAskHistory(requestContext(request), request.query);
      return { success: true as const, count: history.length, history };
    },
  );

  app.get(
    "/query/suggestions",
    {
      ...guard,
      schema: {
        tags,
        summary: "Suggested questions for a page",
        querystring: AskSuggestionsQuery,
        response: { 200: AskSuggestionsResponse },
      },
    },
    async (request) => {
      const suggestions = await listSuggestedQuestions(requestContext(request), {
        siteId: request.query.site_id,
        deviceId: request.query.device_id,
      });
      return { success: true as const, count: suggestions.length, suggestions };
    },
  );
};
