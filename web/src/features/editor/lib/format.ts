/**
 * Format on save with Prettier's standalone build. Prettier and only the plugins a file
 * needs are loaded on first use, so neither the editor chunk nor the app pays for them.
 */
import type { Plugin } from "prettier";

type Parser =
  | "babel"
  | "typescript"
  | "css"
  | "scss"
  | "less"
  | "json"
  | "html"
  | "vue"
  | "markdown"
  | "yaml"
  | "graphql";

const PARSERS: Record<string, Parser> = {
  js: "babel",
  jsx: "babel",
  mjs: "babel",
  cjs: "babel",
  ts: "typescript",
  tsx: "typescript",
  mts: "typescript",
  cts: "typescript",
  css: "css",
  scss: "scss",
  less: "less",
  json: "json",
  html: "html",
  htm: "html",
  vue: "vue",
  md: "markdown",
  markdown: "markdown",
  yaml: "yaml",
  yml: "yaml",
  graphql: "graphql",
  gql: "graphql",
};

/** The Prettier parser for a path, or null when Prettier cannot format it. */
export function parserFor(path: string): Parser | null {
  const dot = path.lastIndexOf(".");
  if (dot < 0) return null;
  return PARSERS[path.slice(dot + 1).toLowerCase()] ?? null;
}

async function pluginsFor(parser: Parser): Promise<Plugin[]> {
  const estree = async () => (await import("prettier/plugins/estree")) as Plugin;
  switch (parser) {
    case "babel":
    case "json":
      return [(await import("prettier/plugins/babel")) as Plugin, await estree()];
    case "typescript":
      return [(await import("prettier/plugins/typescript")) as Plugin, await estree()];
    case "css":
    case "scss":
    case "less":
      return [(await import("prettier/plugins/postcss")) as Plugin];
    case "html":
    case "vue":
      return [
        (await import("prettier/plugins/html")) as Plugin,
        (await import("prettier/plugins/postcss")) as Plugin,
        (await import("prettier/plugins/babel")) as Plugin,
        await estree(),
      ];
    case "markdown":
      return [(await import("prettier/plugins/markdown")) as Plugin];
    case "yaml":
      return [(await import("prettier/plugins/yaml")) as Plugin];
    case "graphql":
      return [(await import("prettier/plugins/graphql")) as Plugin];
  }
}

/** `text` formatted for `path`; unchanged when the language is unknown. Throws on syntax errors. */
export async function formatText(path: string, text: string, tabWidth: number): Promise<string> {
  const parser = parserFor(path);
  if (parser === null) return text;
  const [{ format }, plugins] = await Promise.all([
    import("prettier/standalone"),
    pluginsFor(parser),
  ]);
  return format(text, { parser, plugins, tabWidth });
}
