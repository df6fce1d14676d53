import { CURRENT_FORMAT_VERSION, error, type Issue } from "@sluice/model";

/**
 * Brings a whole pipeline document from formatVersion `from` to `from + 1`, for changes outside any node's config
 * (a renamed top-level field, a new shape of edges). Pure, like node migrations: it returns a new document.
 */
export interface FormatMigration {
  from: number;
  up(document: Record<string, unknown>): Record<string, unknown>;
}

/** One per older format version, in order; none yet (format 1 is the first). A new format adds its `from` here. */
export const FORMAT_MIGRATIONS: readonly FormatMigration[] = [];

export type FormatMigrationResult = { ok: true; document: unknown; from: number | undefined } | { ok: false; issues: Issue[] };

/**
 * Runs the format migrations a document needs. A document that is not an object or has no whole-number
 * formatVersion is passed on untouched, for parsing to report. A newer format than this Sluice knows is refused.
 */
export function runFormatMigrations(
  document: unknown,
  migrations: readonly FormatMigration[] = FORMAT_MIGRATIONS,
  current: number = CURRENT_FORMAT_VERSION,
): FormatMigrationResult {
  if (typeof document !== "object" || document === null || Array.isArray(document)) return { ok: true, document, from: undefined };
  const version = (document as Record<string, unknown>).formatVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) return { ok: true, document, from: undefined };
  if (version > current) {
    const message = `This pipeline uses format version ${version}, newer than this Sluice reads (up to ${current}). Upgrade Sluice to open it.`;
    return { ok: false, issues: [error("FORMAT_VERSION_TOO_NEW", message, { field: "formatVersion" })] };
  }
  let doc = document as Record<string, unknown>;
  for (let v = version; v < current; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) throw new Error(`no format migration from version ${v}`);
    try {
      doc = { ...step.up(structuredClone(doc)), formatVersion: v + 1 };
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      const message = `This pipeline's format version ${v} could not be brought up to date (${why}). Fix the file or export it again from the Sluice that made it.`;
      return { ok: false, issues: [error("FORMAT_MIGRATION_FAILED", message, { field: "formatVersion" })] };
    }
  }
  return { ok: true, document: doc, from: version };
}
