import { describe, expect, it } from "vitest";
import { codeBlockFile } from "./codePath";

describe("codeBlockFile", () => {
  it("reads the path from the fence's info string", () => {
    expect(codeBlockFile("src/App.tsx", "export {}")).toEqual({
      path: "src/App.tsx",
      content: "export {}\n",
    });
    expect(codeBlockFile('title="src/lib/cn.ts"', "x")).toEqual({
      path: "src/lib/cn.ts",
      content: "x\n",
    });
    expect(codeBlockFile("file=index.html {1,3}", "<p></p>")?.path).toBe("index.html");
  });

  it("reads the path from a first-line comment and leaves that line out", () => {
    expect(codeBlockFile(null, "// src/App.tsx\nexport default 1;")).toEqual({
      path: "src/App.tsx",
      content: "export default 1;\n",
    });
    expect(codeBlockFile(undefined, "<!-- index.html -->\n<main></main>\n")?.path).toBe(
      "index.html",
    );
    expect(codeBlockFile("", "# File: app/main.py\nprint(1)")?.path).toBe("app/main.py");
    expect(codeBlockFile("", "/* styles.css */\nbody{}")?.path).toBe("styles.css");
  });

  it("names no file for ordinary code", () => {
    expect(codeBlockFile(null, "npm install zod")).toBeNull();
    expect(codeBlockFile(null, "// a comment about this\nconst a = 1;")).toBeNull();
    expect(codeBlockFile("", "// src/App.tsx")).toBeNull(); // a path and nothing to write
  });

  it("never names a path outside the project", () => {
    expect(codeBlockFile("../etc/passwd.txt", "x")).toBeNull();
    expect(codeBlockFile("/etc/hosts.txt", "x")).toBeNull();
    expect(codeBlockFile(null, "// src/../../x.ts\ncode")).toBeNull();
  });
});
