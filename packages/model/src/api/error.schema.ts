import { z } from "zod";

/** The one JSON shape every API error has. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * An API failure as the server raises it and the web app receives it: the body's code, message for people and
 * details, with the HTTP status it is sent with. The server's AppError and the web app's ApiError are both one.
 */
export interface ApiFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/**
 * The one error class behind both: the server throws its AppError, turned into a response only by the error
 * middleware; the web app throws its ApiError for a refusal it read (or could not read). Plain JavaScript, so
 * it serves Node and the browser alike.
 */
export class ApiFailureError extends Error implements ApiFailure {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The JSON body a failure is sent as; `details` only when there are some. */
export const apiErrorBody = (f: ApiFailure): ApiError => ({
  error: { code: f.code, message: f.message, ...(f.details !== undefined ? { details: f.details } : {}) },
});

/** `details` of a 400 VALIDATION_FAILED: each bad field by its path in the request ("body.graph.nodes.0.id"). */
export const validationFailedDetailsSchema = z.object({
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
});
export type ValidationFailedDetails = z.infer<typeof validationFailedDetailsSchema>;
