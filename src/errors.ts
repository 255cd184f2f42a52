/** A problem with the harness's own input (flag, file, directory): one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
