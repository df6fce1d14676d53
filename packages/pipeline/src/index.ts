export * from "./catalog/node-definition.ts";
export * from "./catalog/registry.ts";
export * from "./catalog/columns.ts";
export { quoteIdent, quoteLiteral } from "./sql/quote.ts";
export { duckType, logicalType } from "./sql/types.ts";
