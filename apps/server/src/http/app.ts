import { existsSync } from "node:fs";
import path from "node:path";
import express from "express";
import helmet from "helmet";
import type { Deps } from "./deps.ts";
import { AppError } from "./app-error.ts";
import { errorMiddleware } from "./error-middleware.ts";
import { mountRoutes, type AnyRoute } from "./route.ts";
import { allowedHostsOnly, sameOriginOnly } from "./security.ts";
import { accessGuard } from "./access.ts";
import { trustProxySetting } from "./trust-proxy.ts";
import { authRoutes } from "../auth/auth.routes.ts";
import { ssoRoutes } from "../auth/sso/sso.routes.ts";
import type { NetworkPolicy } from "./network-policy.ts";
import { pipelineRoutes } from "../pipelines/pipeline.routes.ts";
import { systemRoutes } from "../system/system.routes.ts";
import { connectionRoutes } from "../connections/connection.routes.ts";
import { fileRoutes } from "../files/file.routes.ts";
import { runRoutes } from "../runs/run.routes.ts";
import { previewRoutes } from "../preview/preview.routes.ts";
import { scheduleRoutes } from "../schedules/schedule.routes.ts";
import { backfillRoutes } from "../backfills/backfill.routes.ts";
import { tokenRoutes } from "../tokens/token.routes.ts";
import { qualityRoutes } from "../quality/quality.routes.ts";
import { triggerRoutes } from "../triggers/trigger.routes.ts";
import { runHistoryRoutes } from "../runs/run-history.routes.ts";
import { importExportRoutes } from "../pipelines/import-export.routes.ts";
import { memberRoutes } from "../workspaces/member.routes.ts";
import { invitationRoutes } from "../workspaces/invitation.routes.ts";
import { auditRoutes } from "../audit/audit.routes.ts";
import { watermarkRoutes } from "../watermarks/watermark.routes.ts";
import { notificationRoutes } from "../notifications/notification.routes.ts";
import { lineageRoutes } from "../lineage/lineage.routes.ts";
import { lineageFacade } from "../lineage/lineage.facade.ts";

export interface AppOptions {
  bodyLimit: string;
  /** The names this server answers to and the origins that may change data (see network-policy.ts). */
  network: NetworkPolicy;
  /** Express's `trust proxy` (TRUST_PROXY), so req.ip names the client behind a proxy; off unless set. */
  trustProxy?: string | undefined;
  /** Built web app to serve at /, if present. */
  webDist?: string | undefined;
}

/** Every API route, each with its access; the only list mounted, so the tests can go through all of them. */
export function apiRoutes(deps: Deps): AnyRoute[] {
  const routes: AnyRoute[] = [];
  routes.push(...authRoutes(deps), ...ssoRoutes(deps), ...pipelineRoutes(deps), ...runRoutes(deps), ...fileRoutes(deps), ...connectionRoutes(deps), ...previewRoutes(deps), ...scheduleRoutes(deps), ...backfillRoutes(deps), ...tokenRoutes(deps), ...triggerRoutes(deps), ...importExportRoutes(deps), ...qualityRoutes(deps), ...runHistoryRoutes(deps), ...watermarkRoutes(deps));
  routes.push(...memberRoutes(deps), ...invitationRoutes(deps), ...auditRoutes(deps), ...notificationRoutes(deps));
  // Lineage only reads what the repositories and validation already give, so it is composed here rather than in Deps.
  routes.push(...lineageRoutes({ lineage: lineageFacade(deps) }));
  routes.push(...systemRoutes(deps, () => routes));
  return routes;
}

export function createApp(deps: Deps, options: AppOptions) {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  if (options.trustProxy) app.set("trust proxy", trustProxySetting(options.trustProxy));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { "img-src": ["'self'", "data:", "blob:"], "upgrade-insecure-requests": null },
      },
      strictTransportSecurity: false,
    }),
  );

  // Before anything else, pages included: a rebinding page's GET must not be answered.
  app.use(allowedHostsOnly(options.network));

  const api = express.Router();
  // API answers carry pipelines, connection settings, run logs, outputs and, once, a new token's value: no browser
  // or proxy cache may keep them (a shared machine's disk cache, a proxy that ignores Authorization).
  api.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  api.use(sameOriginOnly(options.network));
  mountRoutes(api, apiRoutes(deps), {
    authorize: accessGuard({ tokens: deps.tokens, sessions: deps.auth.accounts.sessions, workspaces: deps.workspaces, https: deps.auth.accounts.https }),
    parseJson: express.json({ limit: options.bodyLimit, strict: true, type: ["application/json", "application/*+json"] }),
  });
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
