import { Check, Copy, ImageIcon } from "lucide-react";
import { memo, type ComponentPropsWithoutRef, type ReactNode } from "react";
import ReactMarkdown, { type Components, type Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { Button } from "@/components/ui/button";
import { useCopyToClipboard } from "@/lib/hooks";
import { CodeFileAction } from "./CodeFileAction";
import { codeBlockFile } from "./codePath";
import { REMOTE_IMAGE_PROPERTY, rehypeRemoteImagesAsLinks, urlTransform } from "./images";
import "./markdown.css";

/** The plain text of rendered children (highlighted code is nested spans). */
function textOf(node: ReactNode): string {
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (node && typeof node === "object" && "props" in node) {
    const props = node.props as { children?: ReactNode };
    return textOf(props.children);
  }
  return "";
}

/** The info string after the language of a fence (```tsx src/App.tsx → "src/App.tsx"). */
function fenceMeta(node: unknown): string | null {
  const code = (node as { children?: { data?: { meta?: unknown } }[] } | undefined)?.children?.[0];
  const meta = code?.data?.meta;
  return typeof meta === "string" ? meta : null;
}

function CodeBlock({
  children,
  meta,
  ...props
}: ComponentPropsWithoutRef<"pre"> & { meta: string | null }) {
  const { copied, copy } = useCopyToClipboard();
  const code = textOf(children).replace(/\n$/, "");
  const file = codeBlockFile(meta, code);
  return (
    <div className="group relative my-2">
      <pre
        {...props}
        className="overflow-x-auto rounded-md border bg-muted/60 p-3 text-xs leading-relaxed"
      >
        {children}
      </pre>
      <Button
        variant="outline"
        size="icon-sm"
        className="absolute top-1.5 right-1.5 size-7 opacity-70 group-hover:opacity-100"
        aria-label={copied ? "Copied" : "Copy code"}
        onClick={() => void copy(code)}
      >
        {copied ? <Check /> : <Copy />}
      </Button>
      {file && <CodeFileAction file={file} />}
    </div>
  );
}

const components: Components = {
  pre: ({ children, className, node }) => (
    <CodeBlock className={className} meta={fenceMeta(node)}>
      {children}
    </CodeBlock>
  ),
  a: ({ href, title, children, node }) => {
    if (!href) return <span>{children}</span>;
    const image = node?.properties[REMOTE_IMAGE_PROPERTY] !== undefined;
    return (
      <a
        href={href}
        title={title}
        target="_blank"
        rel="noreferrer noopener"
        data-remote-image={image ? "" : undefined}
        className="text-primary underline underline-offset-2"
      >
        {image && (
          <ImageIcon className="mr-1 inline size-3.5 align-[-0.125em]" aria-label="Image:" />
        )}
        {children}
      </a>
    );
  },
  img: ({ src, alt }) => (
    <img
      src={src}
      alt={alt ?? ""}
      className="my-1 inline-block max-h-80 max-w-full rounded border"
    />
  ),
  table: ({ children }) => (
    <div className="my-2 overflow-x-auto">
      <table className="w-full border-collapse text-xs [&_td]:border [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:px-2 [&_th]:py-1">
        {children}
      </table>
    </div>
  ),
};

const rehypePlugins: Options["rehypePlugins"] = [
  rehypeRemoteImagesAsLinks,
  [rehypeHighlight, { detect: false, ignoreMissing: true }],
];

/**
 * GitHub-flavoured markdown with highlighted code and copy buttons. Raw HTML in the
 * markdown is NOT rendered (no rehype-raw): react-markdown shows it as text, so nothing
 * a model or a pasted message writes can execute. Images are never fetched: only
 * `data:`/`blob:` images render, any other becomes a link (see ./images.ts).
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="chat-md text-sm leading-relaxed break-words [&_code:not(pre_code)]:rounded [&_code:not(pre_code)]:bg-muted [&_code:not(pre_code)]:px-1 [&_code:not(pre_code)]:text-[0.85em] [&_h1]:text-base [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_li]:my-0.5 [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:my-1.5 [&_ul]:list-disc [&_ul]:pl-5 [&_blockquote]:border-l-2 [&_blockquote]:pl-3 [&_blockquote]:text-muted-foreground">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={rehypePlugins}
        urlTransform={urlTransform}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
