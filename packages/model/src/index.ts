export * from "./pipeline-format.schema.ts";
export * from "./issue.ts";
export * from "./column.ts";
export * from "./api/error.schema.ts";
export * from "./api/pipelines.schema.ts";
export * from "./api/connections.schema.ts";
