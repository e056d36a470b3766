/**
 * Where the shell writes, and how it asks. On a terminal, live views redraw in place and a few marks are coloured;
 * in a pipe, output is plain text written once. Questions (`[y/N]`, a password) are only asked on a terminal; the
 * interactive loop supplies `ask`, the script loop has none.
 */

export interface Terminal {
  /** stdin and stdout are terminals: redraw live views, colour, ask questions. */
  readonly interactive: boolean;
  /** A line of normal output (stdout). */
  info(text: string): void;
  /** A warning or error (stderr in a pipe; the terminal otherwise). */
  warn(text: string): void;
  /** Raw text on stdout, no newline added (live views). */
  write(text: string): void;
  /** Width of the terminal, for counting wrapped lines when redrawing. */
  readonly columns: number;
  /** Asks a question on the terminal; `undefined` when nobody can answer (a pipe) or on Ctrl+C. */
  ask(question: string, options?: { hidden?: boolean }): Promise<string | undefined>;
  /** Hands the terminal to a child process (an editor) and takes it back afterwards. */
  handOver<T>(use: () => Promise<T>): Promise<T>;
}

const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', bold: '\x1b[1m', reset: '\x1b[0m' } as const;

export type Colour = 'red' | 'green' | 'yellow' | 'bold';

/** Colours text on a terminal; plain text otherwise. */
export function paint(terminal: Pick<Terminal, 'interactive'>, colour: Colour, text: string): string {
  return terminal.interactive ? `${ANSI[colour]}${text}${ANSI.reset}` : text;
}

/** Visible width of a line (escape sequences take no room). */
export function visibleLength(line: string): number {
  // eslint-disable-next-line no-control-regex
  return [...line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')].length;
}

/** How many terminal rows `text` takes once wrapped at `columns`. */
export function rowsOf(text: string, columns: number): number {
  const width = Math.max(1, columns);
  return text.split('\n').reduce((rows, line) => rows + Math.max(1, Math.ceil(visibleLength(line) / width)), 0);
}

/** Moves the cursor up `rows` rows to the start of the line and erases everything below. */
export function eraseRows(rows: number): string {
  return rows > 0 ? `\x1b[${rows}F\x1b[J` : '\r\x1b[J';
}

/** Output for a pipe: stdout and stderr, no questions, nothing to hand over. */
export function pipeTerminal(): Terminal {
  return {
    interactive: false,
    info: (text) => void process.stdout.write(`${text}\n`),
    warn: (text) => void process.stderr.write(`${text}\n`),
    write: (text) => void process.stdout.write(text),
    columns: 1_000_000,
    ask: () => Promise.resolve(undefined),
    handOver: (use) => use(),
  };
}
