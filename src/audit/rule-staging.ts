// What staging adds for the setup's own rules (issue 21): the credential files the runner opens, the probe for each
// filesystem entry of the profile, and the domain probes, each a command of its own. Kept apart from stage.ts: the
// runner's input gets three fields, the host record the plans, the agent's command list the domain commands.
import type { PermissionProfile } from "../gather/profile-rules.js";
import type { RunnerInput } from "../runner/types.js";
import { listCredentialFiles } from "./credential-files.js";
import { planDomainProbes } from "./domain-plan.js";
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

export function stageRules(request: RuleStagingRequest): {
  input: Pick<RunnerInput, "credentialFiles" | "rules" | "domains">;
  record: RuleRecord;
  /** The runner parts to run besides local and net: one `domains <index>` per domain probe. */
  parts: string[];
} {
  const credentialFiles = listCredentialFiles(request.home, request.codexHome);
  const own = request.rules;
  if (!own)
    return {
      input: { credentialFiles: credentialFiles.map((f) => f.path) },
      record: { credentialFiles },
      parts: [],
    };
  const rules = own.profile
    ? planRuleProbes(own.profile, { project: request.project, nonce: request.nonce })
    : [];
  const planned = planDomainProbes(own.effective, { nonce: request.nonce, registryUrl: request.registryUrl });
  // A live session cannot judge domain probes: with rules to prove, their check says "not gathered" instead.
  const domains = own.probeDomains || planned.probes.length === 0 ? planned : undefined;
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
      ruleRoots: placeholdersBefore(writableRoots(rules, request.project)),
      ...(domains ? { domains } : {}),
    },
    parts: (domains?.probes ?? []).map((_, index) => `domains ${index}`),
  };
}
