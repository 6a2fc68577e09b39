import { describe, expect, it } from "vitest";
import { formatText, parserFor } from "./format";

describe("format on save", () => {
  it("picks Prettier's parser from the extension", () => {
    expect(parserFor("src/App.tsx")).toBe("typescript");
    expect(parserFor("script.js")).toBe("babel");
    expect(parserFor("styles.css")).toBe("css");
    expect(parserFor("README.md")).toBe("markdown");
    expect(parserFor("Makefile")).toBeNull();
    expect(parserFor("image.png")).toBeNull();
  });

  it("formats with the person's tab size and leaves unknown files alone", async () => {
    expect(await formatText("a.ts", "const a = {b:1}", 4)).toBe("const a = { b: 1 };\n");
    expect(await formatText("a.js", "if(x){y()}", 4)).toBe("if (x) {\n    y();\n}\n");
    expect(await formatText("notes.txt", "as  is", 2)).toBe("as  is");
  });

  it("rejects code that does not parse (the save goes on unformatted)", async () => {
    await expect(formatText("a.ts", "const = ;", 2)).rejects.toThrow();
  });
});
