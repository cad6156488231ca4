/**
 * POSIX single-quote escaping: the text becomes one shell word and nothing in it is expanded
 * (`'` is the only character a single-quoted string cannot hold, so it closes, escapes and reopens).
 */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * The command line that runs `command` as root for a login `user`: itself for root, through
 * `sudo -n` otherwise. The login shell parses this line once; the command must reach sudo's
 * `sh -c` unchanged, or the login user's shell would expand `$VAR`, `$(…)` and backticks first.
 */
export function asRoot(command: string, user: string): string {
  return user === "root" ? command : `sudo -n -- sh -c ${shellQuote(command)}`;
}
