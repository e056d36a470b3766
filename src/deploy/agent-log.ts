/** Where the controller keeps an agent's log: `<rootDir>/agent.<name>.log` (the name made safe for a file name). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function agentLogFileName(name: string): string {
  return `agent.${name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')}.log`;
}

export function agentLogPath(rootDir: string, name: string): string {
  return join(rootDir, agentLogFileName(name));
}

/** For `GET /log/{agent}`: the agent's log on the controller, if there is one. */
export function existingAgentLog(rootDir: string, name: string): string | undefined {
  const path = agentLogPath(rootDir, name);
  return existsSync(path) ? path : undefined;
}

/** The last `count` lines of a file ('' when it cannot be read). */
export function tailOfFile(path: string, count = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

/** `extras` (extra node options) as separate arguments. */
export function splitExtras(extras: string | undefined): string[] {
  return (extras ?? '').split(/\s+/).filter((s) => s !== '');
}
