/**
 * The interactive shell in a real terminal (tmux): the prompt, tab completion of commands and benchmark names,
 * the live `status` view redrawn in place, Ctrl+C that stops watching without leaving the shell, a confirmation
 * question, and the history kept in $HYPERFOIL_HOME. Skipped, visibly, where tmux is not installed.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HYPERFOIL_BIN, tmuxAvailable, TmuxSession } from '../src/cli/shell/test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'hf-shell-tmux-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PROMPT_LOCAL = '[hyperfoil@in-vm]$';
const lastLine = (pane: string): string => pane.split('\n').at(-1) ?? '';
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('hyperfoil cli in a terminal', { skip: tmuxAvailable() ? false : 'tmux is not installed (apt-get install -y tmux)' }, () => {
  it('prompts, completes, shows status live, stops watching on Ctrl+C, asks before kill, keeps history', async () => {
    const home = join(dir, 'home');
    const root = join(dir, 'root');
    writeFileSync(join(dir, 'tmux-bench.hf.yaml'), [
      'name: tmux-bench',
      'phases:',
      '- main:',
      '    constantRate: {usersPerSec: 5, duration: 60s, scenario: [{s: [noop]}]}',
      '',
    ].join('\n'));
    const shell = new TmuxSession(`HYPERFOIL_HOME=${home} ${process.execPath} ${HYPERFOIL_BIN} cli`, { cwd: dir, width: 180, height: 45 });
    try {
      await shell.waitFor((p) => lastLine(p) === '[hyperfoil]$', 'the first prompt');

      shell.type(`start-local ${root}`);
      shell.send('Enter');
      await shell.waitFor((p) => lastLine(p) === PROMPT_LOCAL, 'the in-vm prompt after start-local');

      // File name completion: `upload tmux-` + Tab completes the only matching file.
      shell.type('upload tmux-');
      shell.send('Tab');
      await shell.waitFor((p) => lastLine(p) === `${PROMPT_LOCAL} upload tmux-bench.hf.yaml`, 'the completed file name');
      shell.send('Enter');
      await shell.waitFor((p) => p.includes('... done.') && lastLine(p) === PROMPT_LOCAL, 'the upload');

      // `sta` is shared by three commands: a second Tab lists them; `tu` + Tab then completes `status`.
      shell.type('sta');
      shell.send('Tab');
      await pause(200); // a separate key press, as a person makes it
      shell.send('Tab');
      await shell.waitFor((p) => /start-local +stats +status/.test(p), 'the list of commands starting with sta');
      shell.type('tu');
      shell.send('Tab');
      await shell.waitFor((p) => lastLine(p) === `${PROMPT_LOCAL} status`, 'status completed');
      shell.send('C-u');

      // Benchmark names complete from the controller.
      shell.type('run tmux');
      shell.send('Tab');
      await shell.waitFor((p) => lastLine(p) === `${PROMPT_LOCAL} run tmux-bench`, 'the completed benchmark name');
      shell.send('Enter');
      const live = await shell.waitFor((p) => /main +RUNNING/.test(p) && lastLine(p) === 'Press Ctrl+C to stop watching...', 'the live status');
      assert.match(live, /Started run 0000\nRun 0000, benchmark tmux-bench\nAgents: in-vm\[\w+\]\nStarted: \S+ \S+\nNAME +STATUS +STARTED +REMAINING +COMPLETED +TOTAL DURATION +DESCRIPTION\nmain +RUNNING +\S+ +\d+ ms +5\.00 users per second\nPress Ctrl\+C/);
      const remaining = (pane: string): number => Number(/main +RUNNING +\S+ +(\d+) ms/.exec(pane)?.[1]);
      // The view refreshes every second: within 3 s the remaining time has dropped, and it was redrawn in place
      // (the header is on screen once, not once per refresh).
      const later = await shell.waitFor((p) => remaining(p) < remaining(live), 'a refreshed remaining time', 3000);
      assert.equal(later.split('Run 0000, benchmark tmux-bench').length - 1, 1, 'redrawn in place, not appended');

      shell.send('C-c');
      const stopped = await shell.waitFor((p) => lastLine(p) === PROMPT_LOCAL, 'the prompt after Ctrl+C');
      assert.doesNotMatch(stopped, /Press Ctrl\+C to stop watching/, 'the hint is gone with the live view');
      assert.match(stopped, /main +RUNNING/, 'the last frame stays on screen');

      // Ctrl+C at the prompt clears the line and stays in the shell.
      shell.type('something half typed');
      shell.send('C-c');
      await shell.waitFor((p) => p.includes('something half typed^C') && lastLine(p) === PROMPT_LOCAL, 'a fresh prompt');

      shell.type('kill');
      shell.send('Enter');
      await shell.waitFor((p) => /Kill run 0000, benchmark tmux-bench \(phases: 1 running, 0 finished, 0 terminated\) \[y\/N\]: $/.test(lastLine(p) + ' '), 'the confirmation');
      shell.type('y');
      shell.send('Enter');
      await shell.waitFor((p) => /Killed\.\n\[hyperfoil@in-vm\]\$$/.test(p), 'the kill');

      shell.type('exit');
      shell.send('Enter');
      await shell.waitFor(() => !shell.alive(), 'the shell to end');
    } finally {
      shell.close();
    }
    const historyPath = join(home, 'history');
    assert.ok(existsSync(historyPath), 'history is written to $HYPERFOIL_HOME/history');
    const history = readFileSync(historyPath, 'utf8').split('\n').filter((l) => l !== '');
    assert.deepEqual(history, [`start-local ${root}`, 'upload tmux-bench.hf.yaml ', 'run tmux-bench ', 'kill', 'exit'],
      'commands in order; the answer to the question and the cleared lines are not commands');
  });
});
