export * from "./catalog/node-definition.ts";
export * from "./catalog/registry.ts";
export * from "./catalog/columns.ts";
export { quoteIdent, quoteLiteral } from "./sql/quote.ts";
export { duckType, logicalType } from "./sql/types.ts";
export { DialectUnsupported, type Dialect, type SqlType } from "./sql/dialect.ts";
export { duckdbDialect } from "./sql/duckdb-dialect.ts";
export { postgresDialect } from "./sql/postgres-dialect.ts";
export { pushdown } from "./catalog/pushdown.ts";
export { pushdownReport, type NodePushdown } from "./graph/pushdown-report.ts";
export { chooseEngine, STAGED_SOURCE_TYPES, type EngineChoice } from "./graph/choose-engine.ts";
export { isIncrementalSource } from "./graph/incremental-sinks.ts";
export * from "./nodes/connector-configs.ts";
export { QUEUE_SCHEMA, SYSTEM_SCHEMAS } from "./nodes/system-schemas.ts";
export { validateGraph, type ValidationResult } from "./graph/validate-graph.ts";
export { compileGraph, compileUpTo, relationName, type CompiledPipeline, type CompiledNodeStep } from "./graph/compile-graph.ts";
export { canonicalizeGraph } from "./graph/canonicalize-graph.ts";
export { analyzeGraph, MAX_COLUMNS } from "./graph/analyze-graph.ts";
export { topologicalOrder } from "./graph/topological-order.ts";
export type { Expr, ExprType, ExpressionProblem, Position, Span } from "./expression/ast.ts";
export { parseExpression, type ParseResult } from "./expression/parse.ts";
export { checkExpression, type ExpressionCheck } from "./expression/check-expression.ts";
export { compileExpression, expressionSql, type CompiledExpression } from "./expression/compile-expression.ts";
export { completeExpression, columnReference, type Completion } from "./expression/complete-expression.ts";
export { FUNCTIONS as EXPRESSION_FUNCTIONS, type FunctionSpec } from "./expression/functions.ts";
export { checkConnection, type ConnectionCheck, type ProposedEdge } from "./graph/connection-rules.ts";
export * from "./catalog/widgets.ts";
export { ERROR_COLUMN as RETYPE_ERROR_COLUMN } from "./nodes/types/retype.node.ts";
export { FILTER_OPERATORS, type Operator as FilterOperator } from "./nodes/clean/filter-operators.ts";
export { diffGraphs } from "./graph/diff-graphs.ts";
export { resolveParameters, coerceParameter, parameterRecord, PARAMETER_COLUMN_TYPE, type ResolvedParameter, type ResolvedParameters } from "./graph/resolve-parameters.ts";
export type { AnalyzeOptions } from "./graph/analyze-graph.ts";
export { loadPipeline, migratePipeline, type LoadResult, type LoadOptions, type MigratedPipeline } from "./format/load-pipeline.ts";
export { loadPipelineFile, type LoadedPipelineFile, type LoadFileResult } from "./format/load-pipeline-file.ts";
export { pipelineFileText, type PipelineFileText } from "./format/pipeline-file-text.ts";
export { FORMAT_MIGRATIONS, runFormatMigrations, type FormatMigration } from "./format/format-migrations.ts";
export * from "./catalog/node-lineage.ts";
export { columnLineage, type ColumnLineage, type ColumnRef, type LineageEnvironment, type LineageOrigin, type NodeColumnLineage, type PortColumnLineage } from "./lineage/column-lineage.ts";
export { traceColumn, type ColumnTrace, type TraceOptions, type TraceStep } from "./lineage/trace-column.ts";
export { sinkColumnChanges, type SinkColumnChange } from "./lineage/sink-changes.ts";
export {
  datasetOf,
  datasetKey,
  postgresNamespace,
  SLUICE_FILES_NAMESPACE,
  SLUICE_OUTPUTS_NAMESPACE,
  type ConnectionAddress,
  type DatasetEnvironment,
  type DatasetKind,
  type DatasetName,
  type DatasetRef,
} from "./lineage/dataset-name.ts";
export { expressionReads, type ExpressionReads } from "./expression/expression-reads.ts";
