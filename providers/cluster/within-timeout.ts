// A bound on reads a preview makes: a cluster that does not answer must not hold it.

/** `read`, or an error naming the server when it does not answer within `timeoutMs`. */
export async function withinTimeout<T>(server: string, timeoutMs: number, read: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${server} within ${timeoutMs / 1000}s`)), timeoutMs);
  });
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
