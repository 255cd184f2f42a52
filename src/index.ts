// The package's programmatic entry: the report's and the expectations' types for scripts that read
// codex-smoke.json or write an `--expect` file, with the values behind them. The CLI is `codex-smoke` (dist/src/cli.js);
// the JSON Schemas are `codex-smoke/schemas/report.schema.json` and `codex-smoke/schemas/expect.schema.json`.
export { DEFAULT_EXPECTATIONS } from "./core/expectations.js";
export type { CheckResult, Expectations, Report, ReportTarget, Status } from "./core/model.js";
export { STATUSES } from "./core/model.js";
