// Output formats: parsing `--format`, rendering a Report, and writing the report files into `--out`.
import { unlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Report } from "../core/model.js";
import { renderConsole } from "./console.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import {
  INTERNAL_ERROR_LOG,
  makeDir,
  RUNNER_REPORT_FILE,
  TUI_SCREEN_FILE,
  TUI_STREAM_FILE,
} from "./report-dir.js";
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

/** Every file name codex-smoke writes into a report directory: only these are ever removed from it. */
const OWN_FILE_NAMES: readonly string[] = [
  ...Object.values(FILE_NAMES),
  RUNNER_REPORT_FILE,
  TUI_SCREEN_FILE,
  TUI_STREAM_FILE,
  INTERNAL_ERROR_LOG,
];

/** The report directory refused a write (full, removed, made read-only during the audit). */
export class ReportWriteError extends Error {
  override name = "ReportWriteError";
}

/** Writes every non-console format into `outDir` (created if missing); returns the written paths. */
export async function writeReportFiles(report: Report, formats: Format[], outDir: string): Promise<string[]> {
  const fileFormats = [...new Set(formats)].filter((f): f is FileFormat => f !== "console");
  if (fileFormats.length === 0) return [];
  try {
    await makeDir(outDir);
    return await Promise.all(
      fileFormats.map(async (format) => {
        const path = join(outDir, reportFileName(format));
        await writeFile(path, render(format, report, { color: false }));
        return path;
      }),
    );
  } catch (err) {
    // A filesystem refusal names the directory; anything else is a bug and stays what it is.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new ReportWriteError(`${outDir}: cannot write report files (${code})`, { cause: err });
  }
}

/**
 * A report directory holds only the current run's files: codex-smoke's own files that this run did not write
 * (a TUI screen of an earlier failing run, a format not asked for this time) are removed. Nothing else is touched.
 */
export async function removeStaleFiles(outDir: string, written: readonly string[]): Promise<string[]> {
  const keep = new Set(written.map((path) => basename(path)));
  const stale = OWN_FILE_NAMES.filter((name) => !keep.has(name)).map((name) => join(outDir, name));
  const removed = await Promise.all(
    stale.map(async (path) => {
      try {
        await unlink(path);
        return path;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    }),
  );
  return removed.filter((path): path is string => path !== null);
}
