export class DeadlineExceededError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Settles like `work`, or rejects with DeadlineExceededError once `ms` have passed, whichever comes first.
 *
 * When the deadline's timer fires, it waits for the I/O poll phase once (setImmediate) before it gives up. Node runs
 * expired timers *before* reading sockets, so after the event loop was busy for longer than `ms` (a burst of calls,
 * a GC pause) a reply that is already sitting in the socket would otherwise be counted as a timeout. ioredis's
 * own commandTimeout has exactly that flaw, which is why the service enforces its budget here instead.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const timer = setTimeout(() => setImmediate(() => settle(() => reject(new DeadlineExceededError(ms)))), ms);
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
