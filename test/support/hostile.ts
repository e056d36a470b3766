/**
 * What an attacker puts where the REST API expects a run id, a benchmark name, an agent name or a file name, and the
 * route table those go into. Values are written as they appear in the request target (already percent-encoded
 * where that is the point).
 */
import { startTestServer } from '../../src/controller/rest/test-support.js';

export interface RouteShape {
  readonly method: string;
  readonly path: string;
}

/** The REST server's routes, read from its router (a new route is covered without touching the tests). */
export async function restRoutes(): Promise<readonly RouteShape[]> {
  const t = await startTestServer();
  try {
    return t.server.routes;
  } finally {
    await t.close();
  }
}

export const HOSTILE_SEGMENTS: readonly string[] = [
  '..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
  '..%2F..%2F..%2F..%2F..%2F..%2Fetc',
  '..%252F..%252F..%252Fetc%252Fpasswd', // double-encoded
  '%2E%2E', '%2e%2e%2F%2e%2e', '..', '.', '%2E',
  '..%5C..%5C..%5Cetc%5Cpasswd', // backslashes, encoded
  '..\\..\\..\\etc', // backslashes, raw
  '%2Fetc%2Fpasswd',
  'a%00b', '%00', '0000%00', '0000%2F..%2F..',
  'x'.repeat(4000), '%41'.repeat(1500), // overlong
  '%C0%AE%C0%AE%2F', // overlong UTF-8 dot: invalid percent-encoding
  '%ZZ',
  'leak', // a symbolic link planted in the root directory (tests create it)
  '0001', // a run "directory" that is a symbolic link out of the root (tests create it)
];

export const HOSTILE_FILES: readonly string[] = [
  '../../../../../../etc/passwd', '/etc/passwd', '..%2F..%2Fetc%2Fpasswd', '....//....//etc/passwd',
  '..\\..\\..\\etc\\passwd', 'a\u0000b', 'stats', '.', '', 'x'.repeat(5000), 'leak', 'stats/leak.csv', 'stats/..%2F..%2F..',
];

/** Fills every `{param}` of a route path: `hostile` in the one named `target`, a legitimate value elsewhere. */
export function fillRoute(path: string, target: string, hostile: string, legit: Readonly<Record<string, string>>): string {
  return path.replace(/\{(\w+)\}/g, (_all, name: string) => (name === target ? hostile : legit[name] ?? 'x'));
}

export function paramsOf(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
