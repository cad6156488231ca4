// @pulumi/pulumi records a stack trace (`new Error().stack`, source-mapped in a program) for every
// promise behind every output property of every resource it constructs, and reads them only to
// report leaked promises when PULUMI_DEBUG_PROMISE_LEAKS is set. A WorkerNode has about thirty
// properties, so in a 100-node preview those traces were most of the stack program's time (bench
// scenario 5). Construction skips them, unless that variable asks for them.

/** Lowers the stack trace limit for the SDK's promise bookkeeping; returns the limit to restore. */
export function skipPromiseStacks(): number {
  const limit = Error.stackTraceLimit;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
  return limit;
}
