/**
 * `--open`: hands a file to the desktop's opener (xdg-open on Linux and BSD, open on macOS, start on Windows), found
 * on PATH, detached so the command does not wait for the browser. Says so when there is none (a server, a container).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Opens `file`; returns what to tell the user. */
export function openInBrowser(file: string): string {
  const [command, args] = process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', file]]
    : process.platform === 'darwin' ? ['open', [file]] : ['xdg-open', [file]];
  if (process.platform !== 'win32' && !onPath(command)) return `No browser opener (${command}) on this machine: open ${file} yourself.`;
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => {}); // nothing more to say: the file is written and its path printed
  child.unref();
  return `Opening ${file} with ${command}.`;
}
