/** A failure the client can act on; turned into an HTTP response only by the error middleware. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) =>
  new AppError(404, "NOT_FOUND", `No ${what} with id ${id} exists; it may have been deleted.`);
