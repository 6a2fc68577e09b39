import type { Attachment } from "./api";

export const MAX_ATTACHMENTS = 10;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_TEXT_BYTES = 1024 * 1024;
const TEXT_EXTENSIONS =
  /\.(txt|md|markdown|json|csv|tsv|ya?ml|toml|xml|html?|css|scss|js|jsx|ts|tsx|mjs|cjs|py|rb|go|rs|java|kt|sql|sh|env\.example|log|svg)$/i;

export function isTextFile(file: Pick<File, "name" | "type">): boolean {
  return (
    file.type.startsWith("text/") ||
    file.type === "application/json" ||
    TEXT_EXTENSIONS.test(file.name)
  );
}

function dataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.readAsDataURL(file);
  });
}

/** An image as a data URL (for vision models) or a text document as its text; else an error message. */
export async function readAttachment(file: File): Promise<Attachment | string> {
  const name = file.name || "pasted";
  if (file.type.startsWith("image/")) {
    if (file.size > MAX_IMAGE_BYTES) return `${name} is larger than 5 MB.`;
    return { name, type: "image", content: await dataUrl(file), media_type: file.type };
  }
  if (isTextFile(file)) {
    if (file.size > MAX_TEXT_BYTES) return `${name} is larger than 1 MB.`;
    return {
      name,
      type: "text",
      content: await file.text(),
      media_type: file.type || "text/plain",
    };
  }
  return `${name}: only images and text files can be attached.`;
}
