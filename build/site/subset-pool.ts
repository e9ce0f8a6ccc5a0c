/**
 * Font subsetting in worker threads. Subsetting (harfbuzz) and woff2
 * compression (brotli at quality 11) are synchronous WebAssembly: a CJK weight
 * takes about 1.5 s, a page's small first file about 0.25 s. A pool of workers,
 * one per core and each loading subset-font once, takes every job of a build
 * at once and keeps both cores busy, while the main thread stays free (and
 * never loads subset-font). Idle workers end after a moment, so that a
 * finished build holds no memory for them and the process can exit.
 */
import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** The formats a subset is written in: woff2 for the site, the plain TrueType/OpenType file for the print. */
export type SubsetFormat = 'woff2' | 'sfnt'

interface Job {
  source: Buffer
  chars: string
  format: SubsetFormat
  resolve: (data: Buffer) => void
  reject: (error: Error) => void
}

interface PoolWorker {
  worker: Worker
  job?: Job
}

/** How long an idle worker waits for the next job before it ends: its WebAssembly memory (about 100 MB) goes with it. */
const IDLE_MS = 100

/** The worker's code, as plain JavaScript: a worker does not go through the TypeScript loader of tests. */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads')
const subsetFont = require(workerData.module)
parentPort.on('message', ({ source, chars, format }) => {
  subsetFont(Buffer.from(source), chars, { targetFormat: format }).then(
    (data) => parentPort.postMessage({ data }),
    (error) => parentPort.postMessage({ error: String((error && error.message) || error) }),
  )
})
`

class SubsetPool {
  private readonly size = Math.max(1, Math.min(availableParallelism(), 4))
  private readonly workers: PoolWorker[] = []
  private readonly queue: Job[] = []
  private idleTimer: NodeJS.Timeout | undefined

  run(source: Buffer, chars: string, format: SubsetFormat): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ source, chars, format, resolve, reject })
      this.dispatch()
    })
  }

  private dispatch(): void {
    clearTimeout(this.idleTimer)
    while (this.queue.length > 0) {
      const free = this.workers.find((w) => !w.job) ?? (this.workers.length < this.size ? this.start() : undefined)
      if (!free) return
      const job = this.queue.shift()!
      free.job = job
      free.worker.ref()
      free.worker.postMessage({ source: job.source, chars: job.chars, format: job.format })
    }
    if (this.workers.every((w) => !w.job)) this.idleTimer = setTimeout(() => this.stop(), IDLE_MS).unref()
  }

  private start(): PoolWorker {
    const module = createRequire(import.meta.url).resolve('subset-font')
    const entry: PoolWorker = { worker: new Worker(WORKER_CODE, { eval: true, workerData: { module } }) }
    this.workers.push(entry)
    entry.worker.on('message', (reply: { data?: Uint8Array; error?: string }) => {
      const job = entry.job!
      entry.job = undefined
      entry.worker.unref()
      if (reply.data) job.resolve(Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength))
      else job.reject(new Error(`Font subsetting failed: ${reply.error}`))
      this.dispatch()
    })
    const fail = (error: Error) => {
      const index = this.workers.indexOf(entry)
      if (index >= 0) this.workers.splice(index, 1)
      entry.job?.reject(error)
      entry.job = undefined
      this.dispatch()
    }
    entry.worker.once('error', fail)
    entry.worker.once('exit', (code) =>
      fail(new Error(`Font subsetting stopped (exit code ${code}) before it finished`)),
    )
    return entry
  }

  private stop(): void {
    for (const entry of this.workers.splice(0)) {
      entry.worker.removeAllListeners('exit')
      void entry.worker.terminate()
    }
  }
}

let pool: SubsetPool | undefined

/** `source` (a font file: TrueType, OpenType, woff or woff2) subset to `chars`, in `format`, in a worker thread. */
export function subsetInWorker(source: Buffer, chars: string, format: SubsetFormat): Promise<Buffer> {
  pool ??= new SubsetPool()
  return pool.run(source, chars, format)
}
