import { describe, expect, it } from "vitest";
import { isInlineImage } from "./images";

describe("isInlineImage", () => {
  it("accepts data:image and blob: only", () => {
    expect(isInlineImage("data:image/svg+xml,%3Csvg%3E")).toBe(true);
    expect(isInlineImage("DATA:image/png;base64,AAAA")).toBe(true);
    expect(isInlineImage("blob:http://localhost:8000/x")).toBe(true);
    expect(isInlineImage("data:text/html,<script>")).toBe(false);
    expect(isInlineImage("https://example.com/a.png")).toBe(false);
    expect(isInlineImage("/a.png")).toBe(false);
  });
});
