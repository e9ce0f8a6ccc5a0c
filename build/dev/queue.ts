/** Scheduling for the dev server: a debounced queue of rebuilds, and a lock so that one build runs at a time. */

/**
 * Collects keys (changed files) during a quiet period and while a job runs,
 * then runs `job` with all of them; never two jobs at once. A key added while
 * the job runs leads to one more run afterwards. The dev server uses one for
 * site rebuilds and one for PDF rebuilds.
 */
export class DebouncedQueue<T> {
  private readonly pending = new Set<string>()
  private readonly waiters: ((result: T) => void)[] = []
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  /**
   * @param job runs the work for the keys collected (sorted); a rejection is dropped, and the waiters of that run
   *   keep waiting for a later one
   * @param delayMs quiet period after the last `add` before the job starts
   * @param signal once aborted, nothing more is started
   */
  constructor(
    private readonly job: (keys: string[]) => Promise<T>,
    private readonly delayMs: number,
    private readonly signal: AbortSignal,
  ) {}

  /** Note `key` and restart the quiet period. */
  add(key: string): void {
    if (this.signal.aborted) return
    this.pending.add(key)
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.run()
    }, this.delayMs)
  }

  /** Run for `keys` without waiting for the quiet period; resolves with the result of the run that includes them. */
  now(keys: string[]): Promise<T> {
    return new Promise<T>((resolve) => {
      this.waiters.push(resolve)
      for (const key of keys) this.pending.add(key)
      this.run()
    })
  }

  /** Settles when the job in progress (if any) has ended. */
  settled(): Promise<void> {
    return this.running?.catch(() => undefined) ?? Promise.resolve()
  }

  /** Drop a scheduled run (the signal stops further ones). */
  cancel(): void {
    clearTimeout(this.timer)
  }

  private run(): void {
    if (this.running || this.signal.aborted) return
    this.running = (async () => {
      while (this.pending.size > 0 && !this.timer && !this.signal.aborted) {
        const keys = [...this.pending].sort()
        this.pending.clear()
        const done = this.waiters.splice(0)
        const outcome = await this.job(keys).then(
          (result) => ({ result }),
          () => undefined,
        )
        if (outcome) for (const resolve of done) resolve(outcome.result)
      }
    })().finally(() => {
      this.running = undefined
      if (this.pending.size > 0 && !this.timer) this.run()
    })
  }
}

/** One build at a time: site rebuilds and the start of PDF builds share it. */
export class Lock {
  private tail: Promise<void> = Promise.resolve()

  /** Wait for the lock; resolves with its release function, which may be called more than once. */
  acquire(): Promise<() => void> {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const previous = this.tail
    this.tail = previous.then(() => held)
    return previous.then(() => {
      let done = false
      return () => {
        if (!done) {
          done = true
          release()
        }
      }
    })
  }
}
