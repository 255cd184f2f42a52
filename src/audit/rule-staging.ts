// What staging adds for the setup's own rules (issue 21): the credential files the runner opens, the probe for each
// filesystem entry of the profile, and the domain probes, each a command of its own. Kept apart from stage.ts: the
// runner's input gets three fields, the host record the plans, the agent's command list the domain commands.
import type { PermissionProfile } from "../gather/profile-rules.js";
import type { RunnerInput } from "../runner/types.js";
import { listCredentialFiles } from "./credential-files.js";
import { type DomainPlan, planDomainProbes } from "./domain-plan.js";
import type { HostRecord } from "./record.js";
import { plannedWrites, planRuleProbes, writableRoots } from "./rule-plan.js";
import { placeholdersBefore, recordRuleWrites } from "./rule-restore.js";

export interface RuleStagingRequest {
  nonce: string;
  project: string;
  home: string;
  codexHome: string;
  registryUrl: string | null;
  /** The effective profile and config; absent: no rule probes (their checks then say "not gathered"). */
  rules?: {
    profile: PermissionProfile | null;
    effective: Record<string, unknown>;
    /** False for a live session: there no model channel carries Codex's kill messages, which tell a blocked probe. */
    probeDomains: boolean;
  };
}

type RuleRecord = Pick<
  HostRecord,
  "credentialFiles" | "rulesProfile" | "rules" | "ruleWrites" | "ruleRoots" | "domains"
>;

export interface RuleStaging {
  input: Pick<RunnerInput, "credentialFiles" | "rules" | "domains">;
  record: RuleRecord;
  /** The runner parts to run besides local and net: one `domains <index>` per domain probe. */
  parts: string[];
}

/**
 * The domain probes, planned with `registryUrl` (the registry's host is probed at its URL); undefined when a live
 * session cannot judge them. Their number does not depend on the URL: planned again once it is known.
 */
export function domainsFor(request: RuleStagingRequest): DomainPlan | undefined {
  const own = request.rules;
  if (!own) return undefined;
  const planned = planDomainProbes(own.effective, { nonce: request.nonce, registryUrl: request.registryUrl });
  // A live session cannot judge domain probes: with rules to prove, their check says "not gathered" instead.
  return own.probeDomains || planned.probes.length === 0 ? planned : undefined;
}

/**
 * The roots whose absent protected names are recorded: the profile's write entries outside the project, and /tmp,
 * whatever the plan probes. Codex's legacy workspace-write sandbox and its built-in `:workspace` profile make /tmp
 * writable, and Codex leaves its empty mount points (`.git`, `.codex`, …) there as in any writable root.
 */
function placeholderRoots(writable: readonly string[], project: string): string[] {
  return [...new Set([...writable, "/tmp"])].filter((dir) => dir !== project);
}

export function stageRules(request: RuleStagingRequest): RuleStaging {
  const credentialFiles = listCredentialFiles(request.home, request.codexHome);
  const own = request.rules;
  if (!own)
    return {
      input: { credentialFiles: credentialFiles.map((f) => f.path) },
      record: { credentialFiles, ruleRoots: placeholdersBefore(placeholderRoots([], request.project)) },
      parts: [],
    };
  const rules = own.profile
    ? planRuleProbes(own.profile, { project: request.project, nonce: request.nonce })
    : [];
  const domains = domainsFor(request);
  return {
    input: {
      credentialFiles: credentialFiles.map((file) => file.path),
      rules: rules.flatMap((rule) => (rule.probe ? [rule.probe] : [])),
      domains: (domains?.probes ?? []).map(({ host, url }) => ({ host, url })),
    },
    record: {
      credentialFiles,
      rulesProfile: own.profile?.name ?? null,
      rules,
      ruleWrites: recordRuleWrites(plannedWrites(rules)),
      ruleRoots: placeholdersBefore(placeholderRoots(writableRoots(rules, request.project), request.project)),
      ...(domains ? { domains } : {}),
    },
    parts: (domains?.probes ?? []).map((_, index) => `domains ${index}`),
  };
}
