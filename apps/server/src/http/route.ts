import type { Request, RequestHandler, Response, Router } from "express";
import { z } from "zod";
import type { ValidationFailedDetails } from "@sluice/model";
import { AppError } from "./app-error.ts";
import { guardInput } from "./input-guard.ts";
import { isRouteAction, type RouteAction } from "./access.ts";
import type { RequestAuth } from "../auth/request-auth.ts";

type Method = "get" | "post" | "put" | "delete";

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
  /** Who called, in which workspace with which role (see access.ts). */
  auth: RequestAuth;
}

export interface RouteResult {
  status?: number;
  body: unknown;
}

export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** Express path, e.g. /pipelines/:id */
  path: string;
  summary: string;
  tag: string;
  /** What it does, which decides who may call it (see access.ts); required, so no route is mounted without one. */
  action: RouteAction;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Successful response body, for the OpenAPI document. */
  response?: z.ZodType;
  status?: number;
  /** Error statuses this route can answer with, documented in OpenAPI. */
  errors?: number[];
  /** Streams or otherwise writes its own response when the handler returns undefined. */
  handler(ctx: RouteContext<P, Q, B>): Promise<RouteResult | undefined>;
}

/** Lets TypeScript infer P, Q and B from the schemas given. */
export const defineRoute = <P, Q, B>(route: Route<P, Q, B>): Route<P, Q, B> => route;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = Route<any, any, any>;

export function validationError(where: "body" | "params" | "query", error: z.ZodError): AppError {
  const problems: ValidationFailedDetails["problems"] = error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join("."),
    message: i.message,
  }));
  const summary = problems
    .slice(0, 5)
    .map((p) => `${p.field}: ${p.message}`)
    .join("; ");
  // A check that knows better than "not valid" names its code (e.g. a graph from a newer Sluice: FORMAT_VERSION_TOO_NEW).
  const named = error.issues.find((i) => i.code === "custom" && typeof i.params?.code === "string");
  const code = named?.code === "custom" ? String(named.params?.code) : "VALIDATION_FAILED";
  return new AppError(400, code, `The request is not valid. ${summary}`, { problems });
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: "body" | "params" | "query"): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}

/** `?workspace=` picks the workspace (access.ts) and is no route's own parameter. */
function withoutWorkspace(query: unknown): unknown {
  if (!query || typeof query !== "object" || !("workspace" in query)) return query;
  const { workspace: _picked, ...rest } = query as Record<string, unknown>;
  return rest;
}

export interface MountOptions {
  /** Refuses (throws an AppError) a caller the route's action does not let in; runs before the body is read. */
  authorize(req: Request, res: Response, action: RouteAction): Promise<RequestAuth>;
  /** Reads a JSON body, after authorization, so nobody without access makes the server parse one. */
  parseJson: RequestHandler;
}

export function mountRoutes(router: Router, routes: readonly AnyRoute[], o: MountOptions) {
  for (const route of routes) {
    // TypeScript already requires an action; this also stops a route built around the types from being mounted open.
    if (!isRouteAction(route.action)) throw new Error(`route ${route.method.toUpperCase()} ${route.path} declares no valid action`);
    const authorize: RequestHandler = (req, res, next) => {
      o.authorize(req, res, route.action).then((auth) => {
        res.locals.auth = auth;
        next();
      }, next);
    };
    router[route.method](route.path, authorize, o.parseJson, async (req, res, next) => {
      try {
        if (route.body && req.body === undefined) {
          const hasBody = Number(req.get("content-length") ?? 0) > 0 || req.get("transfer-encoding") !== undefined;
          if (hasBody) {
            throw new AppError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as JSON with Content-Type: application/json.");
          }
          req.body = {};
        }
        guardInput(req);
        const ctx = {
          params: parse(route.params, req.params, "params"),
          query: parse(route.query, withoutWorkspace(req.query), "query"),
          body: parse(route.body, req.body, "body"),
          req,
          res,
          auth: res.locals.auth as RequestAuth,
        };
        const result = await route.handler(ctx);
        if (result) res.status(result.status ?? route.status ?? 200).json(result.body);
      } catch (e) {
        next(e);
      }
    });
  }
}
