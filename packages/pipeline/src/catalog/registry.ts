import type { AnyNodeDefinition } from "./node-definition.ts";
import { selectNode } from "../nodes/structure/select.node.ts";
import { unionNode } from "../nodes/structure/union.node.ts";
import { pivotNode } from "../nodes/structure/pivot.node.ts";
import { unpivotNode } from "../nodes/structure/unpivot.node.ts";
import { retypeNode } from "../nodes/types/retype.node.ts";
import { deriveNode } from "../nodes/compute/derive.node.ts";
import { filterNode } from "../nodes/clean/filter.node.ts";
import { cleanNode } from "../nodes/clean/clean.node.ts";
import { dedupeNode } from "../nodes/clean/dedupe.node.ts";
import { checkNode } from "../nodes/quality/check.node.ts";
import { sortNode } from "../nodes/compute/sort.node.ts";
import { limitNode } from "../nodes/compute/limit.node.ts";
import { joinNode } from "../nodes/combine/join.node.ts";
import { groupNode } from "../nodes/summarize/group.node.ts";
import { aggregateNode } from "../nodes/summarize/aggregate.node.ts";
import { fileSourceNode } from "../nodes/source/file.node.ts";
import { inlineNode } from "../nodes/source/inline.node.ts";
import { postgresSourceNode } from "../nodes/source/postgres.node.ts";
import { httpSourceNode } from "../nodes/source/http.node.ts";
import { postgresSinkNode } from "../nodes/sink/postgres-sink.node.ts";
import { fileSinkNode } from "../nodes/sink/file-sink.node.ts";

/** Every node type Sluice knows, in palette order. The canvas, validator and engine all read this list. */
export const nodeCatalog: readonly AnyNodeDefinition[] = [
  fileSourceNode,
  postgresSourceNode,
  httpSourceNode,
  inlineNode,
  selectNode,
  unionNode,
  pivotNode,
  unpivotNode,
  filterNode,
  cleanNode,
  dedupeNode,
  checkNode,
  retypeNode,
  deriveNode,
  sortNode,
  limitNode,
  joinNode,
  groupNode,
  aggregateNode,
  postgresSinkNode,
  fileSinkNode,
];

const byType = new Map(nodeCatalog.map((d) => [d.type, d]));
export const getNodeDefinition = (type: string): AnyNodeDefinition | undefined => byType.get(type);
