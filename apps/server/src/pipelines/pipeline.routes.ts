import type { Deps } from "../http/deps.ts";
import { listPipelinesRoute } from "./list.handler.ts";
import { createPipelineRoute } from "./create.handler.ts";
import { getPipelineRoute } from "./get.handler.ts";
import { updatePipelineRoute } from "./update.handler.ts";
import { deletePipelineRoute } from "./delete.handler.ts";
import { listVersionsRoute, getVersionRoute } from "./versions.handler.ts";
import { restoreVersionRoute } from "./restore.handler.ts";
import { duplicatePipelineRoute } from "./duplicate.handler.ts";
import { validatePipelineRoute } from "./validate.handler.ts";

export const pipelineRoutes = (deps: Deps) => [
  validatePipelineRoute(deps),
  listPipelinesRoute(deps),
  createPipelineRoute(deps),
  getPipelineRoute(deps),
  updatePipelineRoute(deps),
  deletePipelineRoute(deps),
  listVersionsRoute(deps),
  getVersionRoute(deps),
  restoreVersionRoute(deps),
  duplicatePipelineRoute(deps),
];
