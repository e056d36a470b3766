/** The line under the statistics that says which protocol each target spoke (the pools' connection kinds). */

const CONNECTION_KINDS = new Set(['HTTP 1.x', 'TLS + HTTP 1.x', 'HTTP 2', 'TLS + HTTP 2']);

/** `summary`: the run's connection statistics, `{authority: {type: {min, max}}}`. Empty when there are none. */
export function renderProtocolsLine(summary: Readonly<Record<string, Readonly<Record<string, { readonly max: number }>>>>): string {
  const parts: string[] = [];
  for (const [authority, byType] of Object.entries(summary)) {
    for (const [type, { max }] of Object.entries(byType)) {
      if (CONNECTION_KINDS.has(type)) parts.push(`${authority} ${type} (up to ${max} open)`);
    }
  }
  return parts.length === 0 ? '' : `Connections: ${parts.join('; ')}`;
}
