/** The `hyperfoil` command: dispatches to a subcommand and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  process.stderr.write(`hyperfoil: unknown command '${command ?? ''}'\n`);
  return 2;
}
