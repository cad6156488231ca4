/** A failure of the SSH side, with a code callers can act on (retry, reconnect, report). */
export class SshError extends Error {
  constructor(
    message: string,
    readonly code: "HOST_KEY_MISMATCH" | "CONNECT_FAILED" | "AUTH_FAILED" | "INVALID_KEY" | "COMMAND_TIMEOUT" | "CONNECTION_LOST",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SshError";
  }
}
