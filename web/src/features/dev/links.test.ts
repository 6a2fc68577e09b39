import { describe, expect, it } from "vitest";
import { classifyLink } from "./links";

describe("classifyLink", () => {
  it("opens verification and reset links inside the app, whatever host the email names", () => {
    expect(classifyLink("http://localhost:8000/verify-email?token=abc")).toEqual({
      kind: "app",
      to: "/verify-email?token=abc",
      href: "http://localhost:8000/verify-email?token=abc",
    });
    expect(classifyLink("https://apps.example.com/reset-password?token=t%2B1")).toMatchObject({
      kind: "app",
      to: "/reset-password?token=t%2B1",
    });
  });

  it("leaves other links external", () => {
    expect(classifyLink("https://example.com/docs").kind).toBe("external");
    expect(classifyLink("not a url").kind).toBe("external");
  });
});
