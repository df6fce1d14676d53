import type { AnyNodeDefinition } from "./node-definition.ts";
import { selectNode } from "../nodes/structure/select.node.ts";

/** Every node type Sluice knows, in palette order. The canvas, validator and engine all read this list. */
export const nodeCatalog: readonly AnyNodeDefinition[] = [selectNode];

const byType = new Map(nodeCatalog.map((d) => [d.type, d]));
export const getNodeDefinition = (type: string): AnyNodeDefinition | undefined => byType.get(type);
