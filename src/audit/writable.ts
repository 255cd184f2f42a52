// The absolute paths the effective permission profile marks writable: a write that persists there breaks the
// README's "only the project is writable", so the runner tries each.
import { isAbsolute, join } from "node:path";
import { isTable, lookup } from "../util/toml.js";

export function writableEntries(effective: Record<string, unknown>, home: string): string[] {
  const name = effective.default_permissions;
  if (typeof name !== "string") return [];
  const filesystem = lookup(effective, ["permissions", name, "filesystem"]);
  if (!isTable(filesystem)) return [];
  return Object.entries(filesystem)
    .filter(([path, access]) => access === "write" && (isAbsolute(path) || path.startsWith("~/")))
    .map(([path]) => (path.startsWith("~/") ? join(home, path.slice(2)) : path));
}
