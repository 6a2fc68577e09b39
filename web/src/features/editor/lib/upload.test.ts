import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/errors";
import { dropDir, folderLabel, isFileDrag, uploadedMessage, uploadProblem } from "./upload";

describe("isFileDrag", () => {
  it("is true only for files dragged from the OS", () => {
    expect(isFileDrag(["Files"])).toBe(true);
    expect(isFileDrag(["application/x-appwright-path", "text/plain"])).toBe(false);
    expect(isFileDrag([])).toBe(false);
  });
});

describe("dropDir", () => {
  it("is the folder dropped on, or the folder of the file dropped on", () => {
    expect(dropDir({ path: "public/img", type: "dir" })).toBe("public/img");
    expect(dropDir({ path: "public/img/logo.png", type: "file" })).toBe("public/img");
    expect(dropDir({ path: "index.html", type: "file" })).toBe("");
  });
});

describe("upload wording", () => {
  it("names the folder and the files", () => {
    expect(folderLabel("")).toBe("the project root");
    expect(folderLabel("assets")).toBe("assets/");
    expect(uploadedMessage(["logo.png"], "assets")).toBe("Uploaded logo.png to assets/");
    expect(uploadedMessage(["a.png", "b.png"], "")).toBe("Uploaded 2 files to the project root");
  });
});

describe("uploadProblem", () => {
  it("asks about an existing file instead of failing", () => {
    expect(
      uploadProblem(new ApiError({ status: 412, code: "ETagMismatch", detail: "exists" })),
    ).toEqual({ kind: "exists" });
  });

  it("says a file is too large with the server's limit", () => {
    const error = new ApiError({
      status: 413,
      code: "PayloadTooLarge",
      detail: "uploads are limited to 10 MB per file",
    });
    expect(uploadProblem(error)).toEqual({
      kind: "failed",
      reason: "The file is too large (uploads are limited to 10 MB per file).",
    });
  });

  it("passes on the server's reason for a bad name or type, and network failures", () => {
    const detail =
      "'notes.txt': only images, fonts and media can be uploaded (png, svg); create text files in the editor";
    expect(uploadProblem(new ApiError({ status: 400, code: "BadRequest", detail }))).toEqual({
      kind: "failed",
      reason: detail,
    });
    expect(uploadProblem(new TypeError("fetch failed"))).toEqual({
      kind: "failed",
      reason: "Cannot reach the server. Check your connection.",
    });
  });
});
