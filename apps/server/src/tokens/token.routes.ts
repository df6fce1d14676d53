import { apiTokenListSchema, createdTokenSchema, createTokenRequestSchema, tokenIdParamsSchema } from "@sluice/model";
import type { Deps } from "../http/deps.ts";
import { notFound } from "../http/app-error.ts";
import { defineRoute } from "../http/route.ts";

export const tokenRoutes = (deps: Deps) => [
  defineRoute({
    method: "get",
    path: "/tokens",
    tag: "tokens",
    access: "read",
    summary: "API tokens (never the tokens themselves): name, prefix, created, last used, revoked",
    response: apiTokenListSchema,
    handler: async () => ({ body: { tokens: await deps.tokens.list() } }),
  }),
  defineRoute({
    method: "post",
    path: "/tokens",
    tag: "tokens",
    access: "write",
    summary: "Create an API token; the answer is the only time the token is shown",
    body: createTokenRequestSchema,
    response: createdTokenSchema,
    status: 201,
    handler: async ({ body }) => ({ status: 201, body: await deps.tokens.create(body.name) }),
  }),
  defineRoute({
    method: "delete",
    path: "/tokens/:id",
    tag: "tokens",
    access: "write",
    summary: "Revoke an API token; requests using it get 401 from now on",
    params: tokenIdParamsSchema,
    status: 204,
    errors: [404],
    handler: async ({ params, res }) => {
      if (!(await deps.tokens.revoke(params.id))) throw notFound("token", params.id);
      res.status(204).end();
      return undefined;
    },
  }),
];
