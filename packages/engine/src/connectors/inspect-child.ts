/**
 * Entry of the child process that inspects one uploaded file (see isolated-inspection.ts): it gets the file
 * in one message, answers with the Result in one message and exits. DuckDB parses the file here, so a crash
 * on a hostile file ends this process only.
 */
import { inspectFile, type FileFormat } from "./file-inspector.ts";

interface Request {
  file: string;
  hint: { name: string; format?: FileFormat };
}

// The parent gone (its IPC channel closed), nobody waits for the answer.
process.on("disconnect", () => process.exit(0));

process.once("message", (m: Request) => {
  void inspectFile(m.file, m.hint).then((result) => process.send?.(result, () => process.exit(0)));
});
