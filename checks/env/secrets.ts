import { defineCheck, outcome } from "../../src/core/define-check.js";

export default defineCheck({
  id: "env.secrets",
  title: "No secret-looking variables inside",
  claim:
    "No secret-looking environment variable is visible inside the sandbox (names reported, never values).",
  needs: ["runner"],
  run({ runner }, { expect }) {
    const names = runner.env.secretNames;
    const expected = "no TOKEN/SECRET/PASSWORD/API_KEY/… variables inside the sandbox";
    if (names.length === 0) return outcome("pass", expected, "none visible");
    return outcome(expect.envSecrets, expected, `visible inside: ${names.join(", ")}`, [
      ...names.map((name) => `${name} (value not read)`),
      "a token inside the sandbox defeats the auth.json protection",
    ]);
  },
  remediation:
    'Keep secrets out of the launcher\'s environment or filter them: `-c \'shell_environment_policy.exclude=["*KEY*","*SECRET*","*TOKEN*","*PASS*","*_PWD","*COOKIE*","*CREDENTIAL*"]\'` in the launcher.',
});
