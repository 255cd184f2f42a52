/**
 * A problem with the harness's own input (flag, file, directory): exit code 2, one line per problem (several when
 * a file has several keys at fault, e.g. `--expect`); the message is the lines joined.
 */
export class UsageError extends Error {
  override name = "UsageError";
  readonly lines: readonly string[];

  constructor(problem: string | readonly string[]) {
    const lines = typeof problem === "string" ? [problem] : problem;
    super(lines.join("\n"));
    this.lines = lines;
  }
}
