/** Getting results and logs out of the controller: `export`, `log`, `report`. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flag } from '../../args.js';
import { HELP_FLAG, ShellError } from '../command.js';
import type { ShellCommand } from '../command.js';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export const exportCommand: ShellCommand = {
  name: 'export',
  summary: 'copy a finished run\'s statistics here: all.json (JSON) or a zip of its CSV files (CSV)',
  synopsis: '[RUN_ID] -d DESTINATION [-f JSON|CSV] [-y]',
  complete: ['run'],
  flags: [
    { name: 'format', short: 'f', value: 'JSON|CSV', description: 'JSON (default): <id>.json; CSV: <id>.zip of the CSV files' },
    { name: 'destination', short: 'd', value: 'PATH', description: 'file to write, or directory to write <id>.json / <id>.zip into' },
    { name: 'yes', short: 'y', description: 'overwrite an existing file without asking' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    const client = await cx.ensureClient();
    const run = await cx.fetchRun(args.positional[0]);
    const format = (flag(args, 'format') ?? 'JSON').toLowerCase();
    if (format !== 'json' && format !== 'csv') throw new ShellError(`unknown format \`${flag(args, 'format')}\`: use JSON or CSV`, 'usage');
    let destination = flag(args, 'destination');
    if (destination === undefined) {
      destination = (await cx.terminal.ask('Destination (file or directory): '))?.trim();
      if (!destination) throw new ShellError('export needs a destination: -d FILE or -d DIRECTORY', 'usage');
    }
    const fileName = `${run.id}.${format === 'json' ? 'json' : 'zip'}`;
    let path = resolve(destination);
    if (isDirectory(path)) {
      path = join(path, fileName);
    } else if (/[/\\]$/.test(destination)) {
      mkdirSync(path, { recursive: true });
      path = join(path, fileName);
    }
    if (existsSync(path) && flag(args, 'yes') === undefined) {
      const answer = (await cx.terminal.ask(`File ${path} already exists, overwrite? [y/N]: `))?.trim().toLowerCase();
      if (answer === undefined) throw new ShellError(`${path} already exists: add -y to overwrite it`, 'usage');
      if (answer !== 'y' && answer !== 'yes') {
        cx.terminal.info('Export cancelled.');
        return;
      }
    }
    const data = await client.statsAll(run.id, format);
    if (data === undefined) throw new ShellError(`run ${run.id} has not ended yet, so there is nothing to export: \`wait ${run.id}\` first`);
    try {
      writeFileSync(path, data);
    } catch (error) {
      throw new ShellError(`cannot write ${path}: ${(error as Error).message}`);
    }
    cx.terminal.info(`Exported run ${run.id} to ${path} (${data.length} bytes).`);
  },
};

export const logCommand: ShellCommand = {
  name: 'log',
  aliases: ['logs'],
  summary: 'print the controller\'s log (or an agent\'s); only what is new is downloaded again',
  synopsis: '[controller|AGENT]',
  flags: [HELP_FLAG],
  async run(cx, args) {
    const client = await cx.ensureClient();
    const [target = 'controller'] = args.positional;
    const key = `${client.url} ${target}`;
    const cached = cx.logs.get(key) ?? { id: undefined, text: '' };
    const offset = Buffer.byteLength(cached.text);
    const slice = await client.log(target === 'controller' ? undefined : target, offset, cached.id);
    const text = cached.id !== undefined && slice.id !== cached.id ? slice.text : cached.text + slice.text;
    cx.logs.set(key, { id: slice.id, text });
    cx.terminal.info(text === '' ? `(the ${target === 'controller' ? 'controller' : `agent ${target}`} log is empty)` : text.trimEnd());
  },
};

export const reportCommand: ShellCommand = {
  name: 'report',
  summary: 'the HTML report (not available yet): says where the run\'s all.json is',
  synopsis: '[RUN_ID]',
  complete: ['run'],
  flags: [
    { name: 'destination', short: 'd', value: 'PATH', description: 'accepted for compatibility; nothing is written yet' },
    { name: 'yes', short: 'y', description: 'accepted for compatibility' },
    { name: 'silent', description: 'accepted for compatibility' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    const run = await cx.fetchRun(args.positional[0]);
    cx.terminal.info('The HTML report is not available yet in this version of hyperfoil.');
    const local = cx.local && cx.client?.address.host === cx.local.host && cx.client.address.port === cx.local.port
      ? join(cx.local.rootDir, 'run', run.id, 'all.json') : undefined;
    if (local !== undefined && existsSync(local)) {
      cx.terminal.info(`All data of run ${run.id} is in ${local}`);
    } else if (run.terminated === undefined) {
      cx.terminal.info(`Run ${run.id} has not ended; once it has, its all.json is in the controller's run directory (run/${run.id}/all.json).`);
    } else {
      cx.terminal.info(`All data of run ${run.id} is in run/${run.id}/all.json under the controller's root directory; `
        + `\`export ${run.id} -f JSON -d DIR\` copies it here.`);
    }
  },
};
