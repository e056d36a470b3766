/**
 * Connection-pool figures of a run (Hyperfoil §4.5): per authority and type (`in-flight requests`,
 * `used connections`, `blocked sessions`, `HTTP 1.x`/`TLS + HTTP 1.x` open connections), the min and max of each
 * agent's period. Threads of one agent report separately; their rows are kept as they come.
 */
import { sanitizeFileName } from '../stats/index.js';
import type { ConnectionRow } from '../protocol/index.js';

export interface ConnectionRecord {
  readonly timestamp: number;
  readonly agent: string;
  readonly min: number;
  readonly max: number;
}

export class ConnectionStats {
  private readonly byAuthority = new Map<string, Map<string, ConnectionRecord[]>>();

  add(agent: string, timestampMs: number, rows: readonly ConnectionRow[]): void {
    for (const row of rows) {
      let byType = this.byAuthority.get(row.authority);
      if (!byType) this.byAuthority.set(row.authority, (byType = new Map()));
      let records = byType.get(row.type);
      if (!records) byType.set(row.type, (records = []));
      records.push({ timestamp: timestampMs, agent, min: row.min, max: row.max });
    }
  }

  /** `all.json` `connections`: `{authority: {type: [{timestamp, agent, min, max}]}}`. */
  json(): Record<string, Record<string, ConnectionRecord[]>> {
    const out: Record<string, Record<string, ConnectionRecord[]>> = {};
    for (const [authority, byType] of this.byAuthority) out[authority] = Object.fromEntries(byType);
    return out;
  }

  /** REST `/connections/recent|total`: `{authority: {type: {min, max}}}` over the last period or the whole run. */
  summary(which: 'recent' | 'total'): Record<string, Record<string, { min: number; max: number }>> {
    const out: Record<string, Record<string, { min: number; max: number }>> = {};
    for (const [authority, byType] of this.byAuthority) {
      const types: Record<string, { min: number; max: number }> = {};
      for (const [type, records] of byType) {
        const last = records.at(-1)?.timestamp ?? 0;
        const relevant = which === 'recent' ? records.filter((r) => r.timestamp >= last - 1000) : records;
        types[type] = { min: Math.min(...relevant.map((r) => r.min)), max: Math.max(...relevant.map((r) => r.max)) };
      }
      out[authority] = types;
    }
    return out;
  }

  /** `<authority>.<type>.connections.csv` files for the run's stats directory. */
  csvFiles(): Array<{ name: string; content: string }> {
    const files: Array<{ name: string; content: string }> = [];
    for (const [authority, byType] of this.byAuthority) {
      for (const [type, records] of byType) {
        const lines = ['Timestamp,Agent,MinConnections,MaxConnections', ...records.map((r) => `${r.timestamp},${r.agent},${r.min},${r.max}`)];
        files.push({ name: `${sanitizeFileName(authority)}.${sanitizeFileName(type)}.connections.csv`, content: `${lines.join('\n')}\n` });
      }
    }
    return files;
  }
}
