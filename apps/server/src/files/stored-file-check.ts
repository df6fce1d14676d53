import { nestingIssue } from "@sluice/engine";
import type { DataFileInfo } from "@sluice/pipeline";

export type Unreadable = NonNullable<DataFileInfo["unreadable"]>;
export type StoredFileCheck = (file: Pick<DataFileInfo, "name" | "path" | "format">) => Promise<Unreadable | undefined>;

/**
 * Previews and runs read stored files with DuckDB in the server and worker processes. Uploads are checked
 * before they are stored, but files stored before the nesting limit existed were not: each JSON, NDJSON or
 * Parquet file is checked here before its first read in this process, and a file over the limit is refused as the
 * upload would have been. Stored files never change (each has its own generated name), so an answer is kept.
 */
export function storedFileCheck(): StoredFileCheck {
  const answers = new Map<string, Promise<Unreadable | undefined>>();
  return (file) => {
    if (file.format === "csv" || file.format === "tsv") return Promise.resolve(undefined);
    let answer = answers.get(file.path);
    if (!answer) {
      answer = nestingIssue(file.format, file.path, file.name).then(
        (issue) => (issue ? { code: issue.code, message: issue.message } : undefined),
        () => {
          // Not opened, so not known to be safe or not: ask again next time, and let the read say what is wrong.
          answers.delete(file.path);
          return undefined;
        },
      );
      answers.set(file.path, answer);
    }
    return answer;
  };
}
