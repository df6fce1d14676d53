// The engine's test helpers that other workspaces' tests use (`@sluice/engine/testing`), kept out of the
// public entry so nothing that ships depends on them.
export { deepJson, deepParquet } from "./connectors/testing/deep-files.ts";
export { whenInspectorStarts } from "./connectors/testing/inspector-children.ts";
