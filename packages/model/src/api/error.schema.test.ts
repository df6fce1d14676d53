import { describe, expect, it } from "vitest";
import { ApiFailureError, apiErrorBody, apiErrorSchema } from "./error.schema.ts";

describe("the one API failure shape", () => {
  it("is an Error carrying status, code, message and details", () => {
    const e = new ApiFailureError(409, "NAME_TAKEN", "A pipeline named x exists.", { field: "name" });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ status: 409, code: "NAME_TAKEN", message: "A pipeline named x exists.", details: { field: "name" } });
  });

  it("is sent as the body every API error has, with details only when there are some", () => {
    const withDetails = apiErrorBody(new ApiFailureError(400, "VALIDATION_FAILED", "Fix the fields.", { problems: [] }));
    expect(withDetails).toEqual({ error: { code: "VALIDATION_FAILED", message: "Fix the fields.", details: { problems: [] } } });
    const plain = apiErrorBody({ status: 404, code: "NOT_FOUND", message: "Gone." });
    expect(plain).toEqual({ error: { code: "NOT_FOUND", message: "Gone." } });
    expect(Object.keys(plain.error)).toEqual(["code", "message"]);
    expect(apiErrorSchema.parse(JSON.parse(JSON.stringify(withDetails)))).toEqual(withDetails);
  });
});
