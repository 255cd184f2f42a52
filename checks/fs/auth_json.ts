import { defineCheck, outcome } from "../../src/define-check.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.auth_json",
  title: "auth.json unreadable inside",
  claim: "`~/.codex/auth.json` cannot be opened inside the sandbox.",
  needs: ["runner"],
  run({ runner }, _ctx) {
    const { path, exists, open } = runner.authJson;
    const expected = "open fails (EACCES)";
    const evidence = [`open ${path}: ${describeProbe(open)}`, `exists inside: ${exists}`];
    if (open.ok) return outcome("fail", expected, "auth.json opened inside the sandbox", evidence);
    if (open.code === "EACCES" || open.code === "EPERM")
      return outcome("pass", expected, `open fails (${open.code})`, evidence);
    if (open.code === "ENOENT") {
      return outcome("pass", expected, "open fails (ENOENT)", [
        ...evidence,
        "not visible inside the sandbox",
      ]);
    }
    return outcome(
      "error",
      expected,
      `could not test: open failed for another reason (${describeProbe(open)})`,
      evidence,
    );
  },
  remediation:
    'Add `"~/.codex/auth.json" = "none"` to the profile\'s filesystem table and drop any rule that makes ~/.codex readable.',
});
