import { defineCheck, outcome } from "../../src/core/define-check.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.home_ephemeral",
  title: "Writes under $HOME are discarded",
  claim: "Writes under `$HOME` appear to succeed inside but leave nothing on the host.",
  needs: ["runner", "sideEffects"],
  run({ runner, sideEffects }, _ctx) {
    const { write, readBack } = runner.home;
    const expected = "a write under $HOME succeeds and reads back inside, and nothing of it reaches the host";
    const evidence = [`write: ${describeProbe(write)}`, `read back: ${describeProbe(readBack)}`];
    const persisted = sideEffects.persisted.find((entry) => entry.where === "home");
    if (persisted) {
      return outcome("fail", expected, `${persisted.path} persisted on the host`, [
        ...evidence,
        "$HOME is writable",
      ]);
    }
    if (!write.ok || !readBack.ok) {
      return outcome(
        "warn",
        expected,
        `write under $HOME failed inside (${describeProbe(write.ok ? readBack : write)})`,
        [...evidence, "writes under $HOME fail instead of landing in the in-memory root"],
      );
    }
    return outcome("pass", expected, "written inside, not on the host", evidence);
  },
  remediation:
    'Do not grant `~` or `$HOME` write access in the profile; keep `":minimal" = "read"` so / is an in-memory root.',
});
