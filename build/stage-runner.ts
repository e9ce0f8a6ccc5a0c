/** The stage runner of a build: progress events, warnings as they come, errors ending the stage, and aborts. */
import type { EventEmitter } from 'node:events'
import type { Diagnostic, Diagnostics } from './diagnostics.ts'
import type { BuilderEvents, StageTiming } from './builder.ts'

/**
 * Runs stages one after another: emits `stage`, `stageEnd` and `warning`
 * events, ends a stage that recorded errors with a BuildError, and ends a
 * stage at once when the build is aborted.
 */
export class StageRunner {
  readonly timings: StageTiming[] = []
  private readonly reported = new Set<Diagnostic>()
  private inFlight: Promise<unknown> | undefined

  constructor(
    private readonly events: EventEmitter<BuilderEvents>,
    private readonly diagnostics: Diagnostics,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async stage<T>(name: string, work: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    this.signal?.throwIfAborted()
    this.events.emit('stage', name)
    const t0 = performance.now()
    const running = work()
    this.inFlight = running
    // An abort ends the build now, not when the stage would have finished (a print can take minutes).
    const result = await untilAborted(running, this.signal)
    for (const warning of this.diagnostics.warnings) {
      if (!this.reported.has(warning)) {
        this.reported.add(warning)
        this.events.emit('warning', warning)
      }
    }
    this.diagnostics.throwIfErrors()
    const timing = { name, ms: performance.now() - t0, detail: detail?.(result) }
    this.timings.push(timing)
    this.events.emit('stageEnd', timing)
    return result
  }

  /** Wait (at most 15 s) for the last stage's work to end, however it ends. */
  async settle(): Promise<void> {
    if (this.inFlight)
      await Promise.race([
        this.inFlight.catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 15_000).unref()),
      ])
  }
}

/** The promise's result, or a rejection with the abort reason as soon as `signal` aborts. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  signal.throwIfAborted()
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort!)
  }
}
