/** Getting results and logs out of the controller: `export`, `log`, `report`. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flag } from '../../args.js';
import { openInBrowser } from '../../open-in-browser.js';
import { HELP_FLAG, ShellError } from '../command.js';
import type { ShellCommand } from '../command.js';
import type { ShellContext } from '../context.js';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The file to write: `destination` itself, or `fileName` inside it when it is a directory (or ends with a slash).
 * An existing file is overwritten only with -y or when the user says yes; undefined when they say no.
 */
async function destinationFile(cx: ShellContext, destination: string, fileName: string, overwrite: boolean): Promise<string | undefined> {
  let path = resolve(destination);
  if (isDirectory(path)) {
    path = join(path, fileName);
  } else if (/[/\\]$/.test(destination)) {
    mkdirSync(path, { recursive: true });
    path = join(path, fileName);
  }
  if (existsSync(path) && !overwrite) {
    const answer = (await cx.terminal.ask(`File ${path} already exists, overwrite? [y/N]: `))?.trim().toLowerCase();
    if (answer === undefined) throw new ShellError(`${path} already exists: add -y to overwrite it`, 'usage');
    if (answer !== 'y' && answer !== 'yes') return undefined;
  }
  return path;
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
    const path = await destinationFile(cx, destination, `${run.id}.${format === 'json' ? 'json' : 'zip'}`, flag(args, 'yes') !== undefined);
    if (path === undefined) {
      cx.terminal.info('Export cancelled.');
      return;
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
  summary: 'write the HTML report of a finished run to a file (one self-contained page) and say where',
  synopsis: '[RUN_ID] [-d DESTINATION] [-y] [--open]',
  complete: ['run'],
  flags: [
    { name: 'destination', short: 'd', value: 'PATH', description: 'file to write, or directory to write <id>.html into (default: here)' },
    { name: 'yes', short: 'y', description: 'overwrite an existing file without asking' },
    { name: 'open', description: 'open it in the desktop\'s browser (xdg-open, open) when there is one' },
    { name: 'silent', description: 'accepted for compatibility (a browser is opened only with --open)' },
    HELP_FLAG,
  ],
  async run(cx, args) {
    const client = await cx.ensureClient();
    const run = await cx.fetchRun(args.positional[0]);
    const path = await destinationFile(cx, flag(args, 'destination') ?? '.', `${run.id}.html`, flag(args, 'yes') !== undefined);
    if (path === undefined) {
      cx.terminal.info('Report cancelled.');
      return;
    }
    const html = await client.report(run.id);
    if (html === undefined) throw new ShellError(`run ${run.id} has not ended yet, so it has no report: \`wait ${run.id}\` first`);
    try {
      writeFileSync(path, html);
    } catch (error) {
      throw new ShellError(`cannot write ${path}: ${(error as Error).message}`);
    }
    cx.terminal.info(`Report of run ${run.id} written to ${path} (${Math.ceil(html.length / 1024)} KB); open it in a browser.`);
    if (flag(args, 'open') !== undefined) cx.terminal.info(openInBrowser(path));
  },
};
