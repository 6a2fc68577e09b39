/**
 * Monaco, bundled with the app (no CDN): the ESM build, its web workers through Vite's
 * `?worker` imports, TypeScript/JavaScript defaults for a project's own files, and the
 * gutter styles. Only the lazily loaded editor chunks import this module.
 */
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import CssWorker from "monaco-editor/language/css/css.worker?worker";
import HtmlWorker from "monaco-editor/language/html/html.worker?worker";
import JsonWorker from "monaco-editor/language/json/json.worker?worker";
import TsWorker from "monaco-editor/language/typescript/ts.worker?worker";
import "./editor.css";

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    switch (label) {
      case "json":
        return new JsonWorker();
      case "css":
      case "scss":
      case "less":
        return new CssWorker();
      case "html":
      case "handlebars":
      case "razor":
        return new HtmlWorker();
      case "typescript":
      case "javascript":
        return new TsWorker();
      default:
        return new EditorWorker();
    }
  },
};

loader.config({ monaco });

const ts = monaco.typescript;
const compilerOptions: monaco.typescript.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  jsx: ts.JsxEmit.ReactJSX,
  allowJs: true,
  checkJs: false,
  allowNonTsExtensions: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  resolveJsonModule: true,
  isolatedModules: true,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  // Models live at file:///<path>, so "@/x" (Vite and Next templates) maps to src/x.
  baseUrl: "file:///",
  paths: { "@/*": ["src/*", "*"], "~/*": ["src/*"] },
};
for (const defaults of [ts.typescriptDefaults, ts.javascriptDefaults]) {
  defaults.setCompilerOptions(compilerOptions);
  // Every open or background model is visible to the language service (cross-file IntelliSense).
  defaults.setEagerModelSync(true);
  defaults.setDiagnosticsOptions({
    noSemanticValidation: false,
    noSyntaxValidation: false,
    // Packages are not in the browser: unknown modules are typed `any` by the lib below.
    diagnosticCodesToIgnore: [2307, 2792, 7016, 2875, 1375, 1378],
  });
}

// node_modules is not in the browser: any package import is `any`, JSX elements too.
const PACKAGES_LIB = `declare module "*";
declare namespace JSX { interface IntrinsicElements { [name: string]: any } }
`;
ts.typescriptDefaults.addExtraLib(
  PACKAGES_LIB,
  "file:///node_modules/@types/appwright-packages/index.d.ts",
);
ts.javascriptDefaults.addExtraLib(
  PACKAGES_LIB,
  "file:///node_modules/@types/appwright-packages/index.d.ts",
);

/** The model URI of a workspace path. */
export function fileUri(path: string): monaco.Uri {
  return monaco.Uri.file(`/${path}`);
}

export { monaco };
