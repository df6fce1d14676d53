import type { ErrorRequestHandler } from "express";
import { apiErrorBody, type ApiError } from "@sluice/model";
import { AppError } from "./app-error.ts";

/** body-parser tags its errors with a `type`; these are all the client's doing. */
const bodyParserErrors: Record<string, { status: number; code: string; message: string }> = {
  "entity.parse.failed": { status: 400, code: "MALFORMED_JSON", message: "The request body is not valid JSON." },
  "entity.too.large": { status: 413, code: "BODY_TOO_LARGE", message: "The request body is too large." },
  "encoding.unsupported": { status: 415, code: "UNSUPPORTED_ENCODING", message: "Send the body as UTF-8." },
  "charset.unsupported": { status: 415, code: "UNSUPPORTED_ENCODING", message: "Send the body as UTF-8." },
  "request.aborted": { status: 400, code: "REQUEST_ABORTED", message: "The request was aborted." },
  "request.size.invalid": { status: 400, code: "REQUEST_SIZE_INVALID", message: "The request body size does not match Content-Length." },
};

/**
 * An http-errors error a body parser made from the client's bytes (status 4xx, `expose` set) but tagged with no
 * `type` we know: a body that is not compressed as its Content-Encoding says ("incorrect header check" from
 * zlib, a broken Brotli stream) is one. It is the client's mistake, never a 500.
 */
function clientBodyError(err: unknown): { status: number; message: string } | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const { status, expose, message } = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (expose !== true || typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 499) return undefined;
  return { status, message: typeof message === "string" ? message : "" };
}

const DB_DOWN = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "53300", "P1001", "P1017"]);

function errorCode(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const c = (e as { code?: unknown }).code;
  if (typeof c === "string") return c;
  const cause = (e as { cause?: unknown }).cause;
  return cause ? errorCode(cause) : undefined;
}

export function errorMiddleware(log: (m: string) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let body: ApiError["error"] = { code: "INTERNAL", message: "Something went wrong on the server; it has been logged." };
    const parserError = typeof err?.type === "string" ? bodyParserErrors[err.type] : undefined;
    const clientError = clientBodyError(err);
    if (err instanceof AppError) {
      status = err.status;
      body = apiErrorBody(err).error;
    } else if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
      // The router decodes path parameters with decodeURIComponent, which throws on "%c0%ae" or a lone "%".
      status = 400;
      body = {
        code: "MALFORMED_URL",
        message: `The URL path ${req.originalUrl.split("?")[0]!.slice(0, 200)} has a %-escape that is not UTF-8 text; encode each path segment with encodeURIComponent.`,
      };
    } else if (parserError) {
      status = parserError.status;
      body = { code: parserError.code, message: parserError.message };
      if (parserError.code === "BODY_TOO_LARGE" && typeof err.limit === "number") {
        body.message = `The request body is larger than the limit of ${err.limit} bytes.`;
      }
    } else if (clientError) {
      const encoded = req.get("content-encoding") !== undefined;
      status = clientError.status;
      body = {
        code: "MALFORMED_BODY",
        message: `The request body could not be read${clientError.message ? ` (${clientError.message.slice(0, 200)})` : ""}.${encoded ? " Check that it is compressed as its Content-Encoding says, or send it uncompressed." : ""}`,
      };
    } else if (DB_DOWN.has(errorCode(err) ?? "")) {
      status = 503;
      body = { code: "DATABASE_UNAVAILABLE", message: "The metadata database is not reachable right now; try again in a moment." };
      log(`database unavailable: ${String(err?.message ?? err)}`);
    } else {
      log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json({ error: body });
  };
}
