/** Where commands print: stdout for results, stderr for warnings and errors. Replaceable in tests. */
export interface Output {
  info(text: string): void;
  warn(text: string): void;
}

export const consoleOutput: Output = {
  info: (text) => void process.stdout.write(`${text}\n`),
  warn: (text) => void process.stderr.write(`${text}\n`),
};
