import { existsSync } from "node:fs";
import path from "node:path";
import express from "express";
import helmet from "helmet";
import type { Deps } from "./deps.ts";
import { AppError } from "./app-error.ts";
import { errorMiddleware } from "./error-middleware.ts";
import { mountRoutes, type AnyRoute } from "./route.ts";
import { sameOriginOnly } from "./security.ts";
import { pipelineRoutes } from "../pipelines/pipeline.routes.ts";
import { systemRoutes } from "../system/system.routes.ts";
import { connectionRoutes } from "../connections/connection.routes.ts";
import { fileRoutes } from "../files/file.routes.ts";
import { runRoutes } from "../runs/run.routes.ts";
import { previewRoutes } from "../preview/preview.routes.ts";
import { scheduleRoutes } from "../schedules/schedule.routes.ts";
import { tokenRoutes } from "../tokens/token.routes.ts";
import { qualityRoutes } from "../quality/quality.routes.ts";
import { triggerRoutes } from "../triggers/trigger.routes.ts";
import { importExportRoutes } from "../pipelines/import-export.routes.ts";
import { triggerAuth } from "../tokens/trigger-auth.ts";

export interface AppOptions {
  bodyLimit: string;
  allowedOrigins: string[];
  /** Whether other systems need an API token to start runs (see tokens/trigger-auth.ts). */
  requireApiTokens?: boolean;
  /** Built web app to serve at /, if present. */
  webDist?: string | undefined;
}

export function createApp(deps: Deps, options: AppOptions) {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { "img-src": ["'self'", "data:", "blob:"], "upgrade-insecure-requests": null },
      },
      strictTransportSecurity: false,
    }),
  );

  const routes: AnyRoute[] = [];
  routes.push(...pipelineRoutes(deps), ...runRoutes(deps), ...fileRoutes(deps), ...connectionRoutes(deps), ...previewRoutes(deps), ...scheduleRoutes(deps), ...tokenRoutes(deps), ...triggerRoutes(deps), ...importExportRoutes(deps), ...qualityRoutes(deps));
  routes.push(...systemRoutes(deps, () => routes));

  const api = express.Router();
  api.use(sameOriginOnly(options.allowedOrigins));
  api.use(express.json({ limit: options.bodyLimit, strict: true, type: ["application/json", "application/*+json"] }));
  api.post("/pipelines/:id/runs", triggerAuth(deps.tokens, options.requireApiTokens ?? false));
  mountRoutes(api, routes);
  api.use((req, _res, next) => next(new AppError(404, "NO_SUCH_ROUTE", `There is no API route ${req.method} /api${req.path}.`)));
  api.use(errorMiddleware(deps.log));
  app.use("/api", api);

  if (options.webDist && existsSync(path.join(options.webDist, "index.html"))) {
    const index = path.join(options.webDist, "index.html");
    app.use(express.static(options.webDist, { index: false, maxAge: "1h" }));
    // The web app routes on the client; every other GET gets its shell.
    app.get(/.*/, (_req, res) => res.sendFile(index));
  } else {
    app.get("/", (_req, res) =>
      res.type("text").send("Sluice API is running. The web app is not built: run `npm run build`, then restart."),
    );
  }
  app.use(errorMiddleware(deps.log));
  return app;
}
