/** The command line that runs `command` as root for a login `user`: itself for root, through `sudo -n` otherwise. */
export function asRoot(command: string, user: string): string {
  return user === "root" ? command : `sudo -n -- sh -c ${JSON.stringify(command)}`;
}
