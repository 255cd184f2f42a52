// Every Codex launch runs as the leader of its own session; its tree is found by session and by ancestry, never by a
// variable in its environment: a launcher must not be able to tell an audit's start from the user's own (a fixed
// marker name would let it pass the sandbox-bypass flags everywhere but in the audit).
import { readdirSync, readFileSync } from "node:fs";

/** The launch trees running now: an interrupt or the end of an audit stops every one of them at once. */
const running = new Set<LaunchedTree>();

/**
 * One launched process tree: its leader (a session of its own), and its descendants recorded while it runs.
 * Registered until it is killed, so `killLaunches` reaches it from a signal handler.
 */
export class LaunchedTree {
  private readonly descendants: DescendantTracker;

  constructor(readonly leader: number) {
    this.descendants = new DescendantTracker(leader);
    running.add(this);
  }

  /** The session (frozen first), the group and every recorded descendant that is still the same process. The group
   * is not killed first: that would orphan to init, out of reach, a child in a session of its own (bwrap's) that
   * was forked since the tracker's last scan; frozen, the session's tree keeps it under a living parent. */
  async kill(): Promise<void> {
    await killSession(this.leader);
    killGroup(this.leader);
    this.descendants.killAll();
    running.delete(this);
  }
}

/** Kills every launch tree still running (an interrupt, the end of an audit); returns how many there were. */
export async function killLaunches(): Promise<number> {
  const trees = [...running];
  await Promise.all(trees.map((tree) => tree.kill()));
  return trees.length;
}

/** Kills a process group, ignoring one that is already gone. */
export function killGroup(pid: number): void {
  signal(-pid, "SIGKILL");
}

/** One process, from /proc/<pid>/stat (the fields after the parenthesised command name). */
interface ProcStat {
  pid: number;
  /** R, S, D, T, Z, …: a zombie ("Z") has released everything; only its parent's wait is missing. */
  state: string;
  ppid: number;
  session: number;
  /** Clock ticks since boot: with the pid, what tells a process from a later one that reused its pid. */
  startTime: string;
}

function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      pid,
      state: fields[0] as string,
      ppid: Number(fields[1]),
      session: Number(fields[3]),
      startTime: fields[19] as string,
    };
  } catch {
    return null;
  }
}

/** Every living (not zombie) process now. /proc's entries that are no pid (`self`, `sys`, …) have no stat file. */
function livingProcesses(): ProcStat[] {
  return readdirSync("/proc")
    .map((entry) => procStat(Number(entry)))
    .filter((stat): stat is ProcStat => stat !== null && stat.state !== "Z");
}

/** Every descendant of `roots` in `table` (the roots themselves only if one descends from another). */
function descendantsOf(roots: number[], table: ProcStat[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of table) {
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  const found: ProcStat[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/**
 * Records every descendant of a launched process while it runs. Codex's sandbox fs helpers (bwrap
 * `--codex-run-as-fs-helper`) start with an empty environment (no marker) and are orphaned to pid 1 when Codex
 * exits, so they are found by ancestry while Codex is alive and killed by pid (start time checked) at the end.
 */
export class DescendantTracker {
  /** pid → start time of the process last seen under the root with that pid. */
  private readonly seen = new Map<number, string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly root: number,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.scan(), intervalMs);
    this.timer.unref();
  }

  scan(): void {
    for (const stat of descendantsOf([this.root], livingProcesses())) this.seen.set(stat.pid, stat.startTime);
  }

  /** Stops tracking and SIGKILLs every recorded descendant that is still the same process; returns how many. */
  killAll(): number {
    clearInterval(this.timer);
    this.scan();
    const now = new Map(livingProcesses().map((stat) => [stat.pid, stat.startTime]));
    let killed = 0;
    for (const [pid, startTime] of this.seen) {
      // A pid now held by another process (or by a zombie: dead, not yet reaped) is not the one recorded.
      if (now.get(pid) !== startTime) continue;
      signal(pid, "SIGKILL");
      killed++;
    }
    return killed;
  }
}

/**
 * Kills everything the session started, then waits until it is gone, so the caller's leftover check sees a
 * settled state. The pty child leads its own session (node-pty calls setsid; a detached spawn too): processes
 * that Codex put in other groups, or that were reparented to init when Codex exited (its sandboxed helpers; bwrap
 * clears their environment, so the marker variable does not find them), still carry that session id. Their
 * descendants in new sessions (bwrap `--new-session`, the stdio MCP servers Codex starts) are found only by parent,
 * so the tree is frozen (SIGSTOP) before anything is killed: killing a parent first would orphan such a child to
 * init before it was seen, and a stopped process can neither fork nor exit, so the frozen set is complete once a
 * scan finds nothing new.
 */
export async function killSession(leader: number): Promise<void> {
  // pid → start time, so a pid reused after its process died is never signalled.
  const frozen = new Map<number, string>();
  for (let round = 0; round < 40; round++) {
    const fresh = sessionTree(leader, livingProcesses()).filter((stat) => !frozen.has(stat.pid));
    if (fresh.length === 0) break;
    for (const stat of fresh) {
      signal(stat.pid, "SIGSTOP");
      frozen.set(stat.pid, stat.startTime);
    }
  }
  // Until all are gone: an orphan of the kill no longer shows in the tree, so the frozen set is waited for too;
  // a process that slipped through (a bounded freeze) is killed on sight.
  for (let round = 0; round < 40; round++) {
    const living = livingProcesses();
    const startOf = new Map(living.map((stat) => [stat.pid, stat.startTime]));
    const stillFrozen = [...frozen.keys()].filter((pid) => startOf.get(pid) === frozen.get(pid));
    const members = new Set([...sessionTree(leader, living).map((stat) => stat.pid), ...stillFrozen]);
    if (members.size === 0) return;
    for (const member of members) signal(member, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

/** The processes in `leader`'s session and all their descendants (Linux). */
function sessionTree(leader: number, table: ProcStat[]): ProcStat[] {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: `true` or `!==` puts every visible process in
  // the session, and killSession would freeze and kill them all, the test runner with them: not a mutant to run.
  const members = table.filter((stat) => stat.session === leader);
  return [
    ...members,
    ...descendantsOf(
      members.map((stat) => stat.pid),
      table,
    ),
  ];
}
