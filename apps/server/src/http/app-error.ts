import { ApiFailureError } from "@sluice/model";

/**
 * A failure the client can act on; turned into an HTTP response only by the error middleware. The shape
 * (status, code, message, details) is the model's ApiFailure, the one the web app's ApiError reads back.
 */
export class AppError extends ApiFailureError {}

export const notFound = (what: string, id: string) =>
  new AppError(404, "NOT_FOUND", `No ${what} with id ${id} exists; it may have been deleted.`);
