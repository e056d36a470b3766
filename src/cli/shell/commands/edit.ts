/**
 * `edit [BENCHMARK]`: fetch the source, open it in $VISUAL / $EDITOR (or `-e`), check it here, and upload it with
 * `if-match` set to the version that was read, so that a concurrent change is a conflict rather than lost. The data
 * files stay those stored on the controller.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchmark } from '../../../config/index.js';
import { scanTemplate, storedFileName } from '../../../controller/index.js';
import { BenchmarkError } from '../../../lib/index.js';
import { flag } from '../../args.js';
import { ControllerError } from '../client.js';
import { HELP_FLAG, ShellError } from '../command.js';
import type { ShellCommand } from '../command.js';
import type { ShellContext } from '../context.js';
import { known } from './common.js';

export function editorCommand(given: string | undefined): string {
  return given ?? (process.env.VISUAL || undefined) ?? (process.env.EDITOR || undefined) ?? 'vi';
}

/** Runs the editor on the file with the terminal handed over; resolves with its exit code. */
function runEditor(cx: ShellContext, editor: string, file: string): Promise<number> {
  const [command, ...args] = editor.split(/\s+/).filter((w) => w !== '');
  if (command === undefined) throw new ShellError('the editor command is empty: set $EDITOR or give -e', 'usage');
  return cx.terminal.handOver(() => new Promise<number>((resolve, reject) => {
    const child = spawn(command, [...args, file], { stdio: 'inherit' });
    child.on('error', (error) => reject(new ShellError(`cannot start the editor \`${editor}\`: ${error.message}`, 'failed')));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  }));
}

/** Problems in the edited text, checked with the data files stored on the controller; `undefined` when valid. */
function problems(text: string, fileName: string, stored: ReadonlyMap<string, Buffer>): string | undefined {
  const scan = scanTemplate(text);
  if (scan.params.size > 0 && !scan.syntaxError) return undefined; // checked at run time, with its parameters
  try {
    parseBenchmark(text, {
      fileName,
      files: (name) => {
        try {
          return stored.get(storedFileName(name));
        } catch {
          return undefined;
        }
      },
    });
    return undefined;
  } catch (error) {
    if (error instanceof BenchmarkError) return error.message;
    throw error;
  }
}

async function yes(cx: ShellContext, question: string, byDefault: boolean): Promise<boolean> {
  const answer = (await cx.terminal.ask(question))?.trim().toLowerCase();
  if (answer === undefined) return false;
  if (answer === '') return byDefault;
  return answer === 'y' || answer === 'yes';
}

export async function editBenchmark(cx: ShellContext, name: string, editorFlag: string | undefined): Promise<void> {
  const client = await cx.ensureClient();
  const source = await client.benchmarkSource(name, cx.signal);
  if (!source) throw new ShellError(`there is no benchmark \`${name}\` on ${client.url}${await known(cx)}`);
  const stored = await client.benchmarkFiles(name);
  const dir = mkdtempSync(join(tmpdir(), 'hyperfoil-edit-'));
  const file = join(dir, `${name.replace(/[^\w.-]/g, '_')}.hf.yaml`);
  writeFileSync(file, source.text);
  const editor = editorCommand(editorFlag);
  let keep = false;
  try {
    let text: string;
    for (;;) {
      const code = await runEditor(cx, editor, file);
      if (code !== 0) {
        keep = true;
        throw new ShellError(`the editor \`${editor}\` exited with code ${code}; nothing uploaded (your text is in ${file})`);
      }
      text = readFileSync(file, 'utf8');
      if (text === source.text) {
        cx.terminal.info('No changes, not uploading.');
        return;
      }
      const found = problems(text, file, stored);
      if (found === undefined) break;
      cx.terminal.warn(found);
      if (!cx.terminal.interactive || !await yes(cx, 'Edit again? [Y/n] ', true)) {
        keep = true;
        throw new ShellError(`the edited benchmark is invalid; nothing uploaded (your text is in ${file})`, 'benchmark');
      }
    }
    const renamed = scanTemplate(text).name;
    let ifMatch = source.version;
    if (renamed !== undefined && renamed !== name) {
      cx.terminal.info(`Note: the benchmark is now called ${renamed}; ${name} stays as it was (\`forget ${name}\` deletes it).`);
      ifMatch = undefined;
    }
    cx.terminal.info(`Uploading benchmark ${renamed ?? name}...`);
    let result;
    try {
      result = await client.upload(text, new Map(), {
        fileName: `${name}.hf.yaml`, storedFilesBenchmark: name, ...(ifMatch !== undefined ? { ifMatch } : {}),
      });
    } catch (error) {
      if (!(error instanceof ControllerError) || error.status !== 409) {
        keep = true;
        if (error instanceof ControllerError && error.status === 400) throw new ShellError(`${error.message} (your text is in ${file})`, 'benchmark');
        throw error;
      }
      cx.terminal.warn(`Conflict: ${name} was changed on the controller while you were editing it.`);
      const choice = cx.terminal.interactive ? (await cx.terminal.ask('[C]ancel, [r]etry from the new version, [o]verwrite it: '))?.trim().toLowerCase() : undefined;
      if (choice === 'r') {
        await editBenchmark(cx, name, editorFlag);
        return;
      }
      if (choice !== 'o') {
        keep = true;
        throw new ShellError(`edit not uploaded because of the conflict; your text is in ${file}`);
      }
      result = await client.upload(text, new Map(), { fileName: `${name}.hf.yaml`, storedFilesBenchmark: name });
    }
    cx.lastBenchmark = result.name || renamed || name;
    cx.terminal.info(`Benchmark ${cx.lastBenchmark} updated.`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

export const editCommand: ShellCommand = {
  name: 'edit',
  summary: 'edit a benchmark in $EDITOR and upload it again (a concurrent change is detected)',
  synopsis: '[BENCHMARK] [-e EDITOR]',
  complete: ['benchmark'],
  flags: [{ name: 'editor', short: 'e', value: 'COMMAND', description: 'editor to run (default $VISUAL, $EDITOR, vi)' }, HELP_FLAG],
  async run(cx, args) {
    await editBenchmark(cx, cx.benchmarkName(args.positional[0]), flag(args, 'editor'));
  },
};
