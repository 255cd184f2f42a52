// Cleanup on real processes: a tree that forks while it is being killed loses no child to init (the tree is frozen
// before anything is killed). Its own file because it is the slowest test of the src/core mutation scope: the scope
// runs it after every cheaper test (scripts/mutate-scopes.mjs, `last`), so under Stryker's bail it runs only for
// the mutants nothing cheaper kills (issue 20).
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { killSession } from "../../src/core/processes.js";
import { killTagged, start, tagged, until, watchdog } from "../helpers/tagged-processes.js";

afterEach(killTagged);

describe("killSession", () => {
  it("a tree that forks while it is being killed leaves no survivor (kills: killing at once instead of freezing first)", async () => {
    // The leader (its own session, as the pty child is) has 300 children in its session, then two forkers, each
    // in a session of its own (as bwrap --new-session makes), that fork without pause. A forker and its children
    // are found only as descendants of a living parent, after everything in the leader's session: killed at once,
    // what a forker forks between the scan and its own death is orphaned to init in another session, out of
    // reach; frozen first, a forker cannot fork, and its children are found under it.
    const tag = randomBytes(6).toString("hex");
    watchdog(tag, 60);
    // Forking for 20 s at most (a child each 5 ms, each living 30 s), and only while this test's process lives: still
    // forking when the kill comes however loaded the machine is (a count-bounded forker can finish first, and its
    // children then escaped before any kill), and a mutant that breaks the kill leaves no fork loop running.
    const forker = `end=$(($(date +%s) + 20)); while [ $(date +%s) -lt $end ] && kill -0 ${process.pid}; do setsid sleep 30 & sleep 0.005; done`;
    const leader = start(
      `for i in $(seq 300); do sleep 30 & done; setsid sh -c '${forker}' & setsid sh -c '${forker}' & wait`,
      tag,
      true,
    );
    await until(() => tagged(tag).length > 310, 30_000);

    await killSession(leader.pid as number);

    // killSession's wait is bounded (2 s): on a loaded machine (the whole suite on 2 cores) a thousand killed
    // processes may still be going. A grace of 15 s more lets them go; what the kill missed lives on (`sleep 30`,
    // orphaned at the kill), so the grace cannot hide a survivor.
    await until(() => tagged(tag).length === 0, 15_000).catch(() => undefined);
    const survivors = tagged(tag);
    expect(survivors, `${survivors.length} processes survived`).toEqual([]);
  });
});
