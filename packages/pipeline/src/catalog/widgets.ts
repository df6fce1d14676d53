/**
 * Hints for the editor's forms, attached to config schemas with zod's `.meta()` and carried into their JSON
 * Schema: which text fields name an input column (and of which port), a file, or a connection. Validation
 * ignores them.
 */
export type Widget =
  | { widget: "column"; port: string }
  | { widget: "columns"; port: string }
  | { widget: "file" }
  /** A stored connection of `kind` (a Postgres database unless said): a picker of those. */
  | { widget: "connection"; kind?: "postgres" | "http" }
  | { widget: "multiline" }
  /** An expression in the derive language over the columns of a port, with completion and inline errors. */
  | { widget: "expression"; port: string };

export const columnWidget = (port = "in"): Widget => ({ widget: "column", port });
export const columnsWidget = (port = "in"): Widget => ({ widget: "columns", port });
export const fileWidget: Widget = { widget: "file" };
export const connectionWidget: Widget = { widget: "connection" };
export const httpCredentialWidget: Widget = { widget: "connection", kind: "http" };
export const multilineWidget: Widget = { widget: "multiline" };
export const expressionWidget = (port = "in"): Widget => ({ widget: "expression", port });
