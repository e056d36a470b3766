/** Why the example server could not start; `code` is stable, the message tells the user what to do. */
export type ExampleServerErrorCode = 'PORT_IN_USE' | 'PORT_FORBIDDEN' | 'ADDRESS_UNAVAILABLE' | 'TLS_FILES_MISSING' | 'LISTEN_FAILED';

export class ExampleServerError extends Error {
  override readonly name = 'ExampleServerError';
  constructor(readonly code: ExampleServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Turns a `listen()` failure into an error the CLI can print as is. */
export function listenError(error: unknown, host: string, port: number, what: string): ExampleServerError {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  switch (errno) {
    case 'EADDRINUSE':
      return new ExampleServerError('PORT_IN_USE',
        `cannot listen for ${what} on ${where}: the port is already in use. Stop the other process or choose another port (0 picks a free one).`,
        { cause: error });
    case 'EACCES':
      return new ExampleServerError('PORT_FORBIDDEN',
        `cannot listen for ${what} on ${where}: permission denied. Ports below 1024 need privileges; choose a higher port.`,
        { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ExampleServerError('ADDRESS_UNAVAILABLE',
        `cannot listen for ${what} on ${where}: this machine has no such address. Use a local address such as 127.0.0.1.`,
        { cause: error });
    default:
      return new ExampleServerError('LISTEN_FAILED',
        `cannot listen for ${what} on ${where}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error });
  }
}
