// Output formats: parsing `--format`, rendering a Report, and writing the report files into `--out`.
import { join } from "node:path";
import type { Report } from "../core/model.js";
import type { SafeDir } from "../core/safe-dir.js";
import { renderConsole } from "./console.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import {
  INTERNAL_ERROR_LOG,
  openReportDir,
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

/** A file of this run beside the formats: the runner's report, a failed session's screen and stream. */
export interface ExtraFile {
  name: string;
  text: string;
}

/**
 * Writes every non-console format and `extras` into `outDir` (created if missing) and removes codex-smoke's own
 * files that this run did not write; returns the written paths. Each file goes through a temporary file and a
 * rename in the directory opened once without following symlinks: a symlink planted at a report name is
 * replaced, never written through.
 */
export async function writeReportFiles(
  report: Report,
  formats: Format[],
  outDir: string,
  extras: readonly ExtraFile[] = [],
): Promise<string[]> {
  const fileFormats = [...new Set(formats)].filter((f): f is FileFormat => f !== "console");
  if (fileFormats.length === 0 && extras.length === 0) return [];
  const files = [
    ...fileFormats.map((format) => ({
      name: reportFileName(format),
      text: render(format, report, { color: false }),
    })),
    ...extras,
  ];
  let dir: SafeDir | undefined;
  try {
    dir = openReportDir(outDir);
    for (const file of files) dir.writeFile(file.name, file.text);
    removeStaleFiles(
      dir,
      files.map((file) => file.name),
    );
    return files.map((file) => join(outDir, file.name));
  } catch (err) {
    // A filesystem refusal names the directory; anything else is a bug and stays what it is.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    const why = err instanceof Error && err.name === "UnsafePathError" ? err.message : code;
    throw new ReportWriteError(`${outDir}: cannot write report files (${why})`, { cause: err });
  } finally {
    dir?.close();
  }
}

/**
 * A report directory holds only the current run's files: codex-smoke's own files that this run did not write
 * (a TUI screen of an earlier failing run, a format not asked for this time) are removed, by name inside the
 * opened directory (a symlink at such a name is removed itself, never followed). Nothing else is touched.
 */
export function removeStaleFiles(dir: SafeDir, written: readonly string[]): string[] {
  const keep = new Set(written);
  return OWN_FILE_NAMES.filter((name) => !keep.has(name) && dir.unlink(name)).map((name) =>
    join(dir.path, name),
  );
}
