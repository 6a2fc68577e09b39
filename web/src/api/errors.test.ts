import { describe, expect, it } from "vitest";
import { ApiError, errorMessage, fieldError, toApiError } from "./errors";

const response = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers });

describe("toApiError", () => {
  it("keeps the server's class name and detail", () => {
    const error = toApiError(
      { error: "PlanLimitExceeded", detail: "Free plan allows 3 projects." },
      response(403),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("PlanLimitExceeded");
    expect(errorMessage(error)).toBe("Free plan allows 3 projects.");
  });

  it("exposes validation fields", () => {
    const error = toApiError(
      {
        error: "ValidationError",
        detail: "Invalid input",
        fields: [{ loc: ["body", "password"], msg: "too short" }],
      },
      response(422),
    );
    expect(fieldError(error, "password")).toBe("too short");
    expect(fieldError(error, "email")).toBeUndefined();
  });

  it("understands FastAPI's default 422 list and Retry-After", () => {
    const validation = toApiError(
      { detail: [{ loc: ["body", "name"], msg: "Field required", type: "missing" }] },
      response(422),
    );
    expect(validation.detail).toBe("Field required");
    const throttled = toApiError(
      { error: "TooManyAttempts", detail: "Slow down." },
      response(429, { "Retry-After": "30" }),
    );
    expect(throttled.retryAfter).toBe(30);
  });

  it("falls back to a readable message for non-JSON bodies", () => {
    expect(toApiError("<html>Bad gateway</html>", response(502)).detail).toMatch(
      /server had a problem/,
    );
  });
});
