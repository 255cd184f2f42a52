import { defineCheck, outcome } from "../../src/define-check.js";
import { describeProbe } from "../_shared.js";

export default defineCheck({
  id: "fs.home_ephemeral",
  title: "Writes under $HOME are discarded",
  claim: "Writes under `$HOME` appear to succeed inside but leave nothing on the host.",
  needs: ["runner", "sideEffects"],
  run({ runner, sideEffects }, _ctx) {
    const { path, write, readBack, marker } = runner.home;
    const expected = "write under $HOME succeeds inside, nothing persists on the host";
    const evidence = [`write ${marker}: ${describeProbe(write)}`, `read back: ${describeProbe(readBack)}`];
    if (sideEffects.persisted.includes(marker)) {
      return outcome("fail", expected, `${marker} persisted on the host`, [
        ...evidence,
        `$HOME ${path} is writable`,
      ]);
    }
    if (!write.ok) {
      return outcome("warn", expected, `write failed inside (${describeProbe(write)})`, [
        ...evidence,
        "writes under $HOME fail instead of landing in the in-memory root",
      ]);
    }
    return outcome("pass", expected, "written inside, not on the host", evidence);
  },
  remediation:
    'Do not grant `~` or `$HOME` write access in the profile; keep `":minimal" = "read"` so / is an in-memory root.',
});
