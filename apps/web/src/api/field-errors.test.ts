import { describe, expect, it } from "vitest";
import { createPipelineRequestSchema } from "@sluice/model";
import { ApiError } from "./client.ts";
import { apiFieldErrors, isExplainedByFields, localFieldErrors } from "./field-errors.ts";

const validation = (problems: { field: string; message: string }[]) => new ApiError(400, "VALIDATION_FAILED", "The request is not valid.", { problems });

describe("field errors", () => {
  it("maps the API's body problems to request fields, first message per field", () => {
    const err = validation([
      { field: "body.name", message: "a name is required" },
      { field: "body.name", message: "second" },
      { field: "params.id", message: "not a pipeline id" },
    ]);
    expect(apiFieldErrors(err)).toEqual({ name: "a name is required" });
  });

  it("maps a stored secret the server wants typed again to its field, so the form shows it there", () => {
    const err = new ApiError(400, "SECRET_REQUIRED", "Enter the password again", { problems: [{ field: "body.password", message: "Enter it again" }] });
    expect(apiFieldErrors(err)).toEqual({ password: "Enter it again" });
  });

  it("ignores other errors and details it cannot read", () => {
    expect(apiFieldErrors(new ApiError(409, "VERSION_CONFLICT", "changed", { currentVersion: 2 }))).toEqual({});
    expect(apiFieldErrors(new ApiError(400, "VALIDATION_FAILED", "bad", { problems: "nope" }))).toEqual({});
    expect(apiFieldErrors(new Error("boom"))).toEqual({});
  });

  it("checks a body locally with the shared schema, in the server's words", () => {
    expect(localFieldErrors(createPipelineRequestSchema, { name: "   ", description: "" })).toEqual({ name: "a name is required" });
    expect(localFieldErrors(createPipelineRequestSchema, { name: "Orders", description: "" })).toEqual({});
  });

  it("knows when field messages explain the whole error", () => {
    const err = validation([{ field: "body.name", message: "too long" }]);
    expect(isExplainedByFields(err, { name: "too long" })).toBe(true);
    expect(isExplainedByFields(err, {})).toBe(false);
    expect(isExplainedByFields(new ApiError(500, "INTERNAL", "x"), {})).toBe(false);
  });
});
