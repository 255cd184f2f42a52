// Output formats: parsing `--format`, rendering a Report, and writing the report files into `--out`.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Report } from "../model.js";
import { renderConsole } from "./console.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderTap } from "./tap.js";

export type Format = "console" | "json" | "junit" | "markdown" | "tap";
export const FORMATS: readonly Format[] = ["console", "json", "junit", "markdown", "tap"];
/** Formats written as files; `console` goes to stdout. */
export type FileFormat = Exclude<Format, "console">;

const FILE_NAMES: Record<FileFormat, string> = {
  json: "codex-smoke.json",
  junit: "codex-smoke.junit.xml",
  markdown: "codex-smoke.md",
  tap: "codex-smoke.tap",
};

const isFormat = (value: string): value is Format => (FORMATS as readonly string[]).includes(value);

/** `--format` values, each repeatable or a comma list, deduplicated in order; an unknown name is a usage error. */
export function parseFormats(values: string[]): Format[] {
  const formats: Format[] = [];
  for (const name of values.flatMap((value) => value.split(",")).map((name) => name.trim())) {
    if (name === "") continue;
    if (!isFormat(name)) {
      throw new Error(`--format: unknown format ${JSON.stringify(name)} (expected ${FORMATS.join(", ")})`);
    }
    if (!formats.includes(name)) formats.push(name);
  }
  if (values.length > 0 && formats.length === 0) {
    throw new Error(`--format: no format given (expected ${FORMATS.join(", ")})`);
  }
  return formats;
}

export function render(format: Format, report: Report, opts: { color: boolean }): string {
  switch (format) {
    case "console":
      return renderConsole(report, opts);
    case "json":
      return renderJson(report);
    case "junit":
      return renderJunit(report);
    case "markdown":
      return renderMarkdown(report);
    case "tap":
      return renderTap(report);
  }
}

export function reportFileName(format: FileFormat): string {
  return FILE_NAMES[format];
}

/** Writes every non-console format into `outDir` (created if missing); returns the written paths. */
export async function writeReportFiles(report: Report, formats: Format[], outDir: string): Promise<string[]> {
  const fileFormats = [...new Set(formats)].filter((f): f is FileFormat => f !== "console");
  if (fileFormats.length === 0) return [];
  try {
    await mkdir(outDir, { recursive: true });
    return await Promise.all(
      fileFormats.map(async (format) => {
        const path = join(outDir, reportFileName(format));
        await writeFile(path, render(format, report, { color: false }));
        return path;
      }),
    );
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new Error(`${outDir}: cannot write report files (${reason})`, { cause: err });
  }
}
