/**
 * Memory: peaks of this process and of Chromium during a run, sampled from a
 * worker thread, and the peak of a cold build through the CLI in a process of
 * its own.
 */
import fs from 'node:fs/promises'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'
import { copyBook } from '../book.ts'
import type { Run } from './results.ts'

const execFileAsync = promisify(execFile)

/** The memory fields of a run. */
export type MemoryPeaks = Pick<Run, 'nodePeakMB' | 'chromiumPeakMB' | 'chromiumConcurrentMB'>

/**
 * Samples memory from a worker thread, so that a main thread busy with a
 * synchronous step (vega, subsetting, pdf.js) cannot hide a peak. Node's own
 * peak is exact: the kernel's high-water mark (VmHWM), reset before each run
 * through /proc/self/clear_refs. Chromium's is the sum of each of its
 * processes' VmHWM (an upper bound: the peaks need not coincide), and the
 * largest sum of VmRSS seen in one sample. Off Linux, only Node's peak is known.
 */
export class MemorySampler {
  private worker?: Worker
  private readonly linux = process.platform === 'linux'

  /** Reset the peaks and start sampling. */
  async start(): Promise<void> {
    if (!this.linux) return
    try {
      writeFileSync('/proc/self/clear_refs', '5')
    } catch {
      // Without it, the worker's sampled VmRSS stands in for the high-water mark.
    }
    this.worker ??= new Worker(SAMPLER_SOURCE, { eval: true, workerData: { pid: process.pid, interval: 100 } })
    await this.ask('start')
  }

  /** Stop sampling; the peaks since `start`. */
  async stop(): Promise<MemoryPeaks> {
    if (!this.linux || !this.worker) {
      return {
        nodePeakMB: Math.round(process.resourceUsage().maxRSS / 1024),
        chromiumPeakMB: 0,
        chromiumConcurrentMB: 0,
      }
    }
    const sampled = (await this.ask('stop')) as { nodeRssKB: number; chromiumHwmKB: number; chromiumRssKB: number }
    const status = readFileSync('/proc/self/status', 'utf8')
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
    return {
      nodePeakMB: Math.round(Math.max(hwm, sampled.nodeRssKB) / 1024),
      chromiumPeakMB: Math.round(sampled.chromiumHwmKB / 1024),
      chromiumConcurrentMB: Math.round(sampled.chromiumRssKB / 1024),
    }
  }

  /** End the worker. */
  async close(): Promise<void> {
    await this.worker?.terminate()
    this.worker = undefined
  }

  private ask(message: string): Promise<unknown> {
    const worker = this.worker!
    return new Promise((resolve) => {
      worker.once('message', resolve)
      worker.postMessage(message)
    })
  }
}

/** The sampling worker, as plain JavaScript (a worker does not go through tsx's loader). */
const SAMPLER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const kb = (text, key) => Number(new RegExp(key + ':\\\\s+(\\\\d+)').exec(text)?.[1] ?? 0)
const read = (file) => { try { return fs.readFileSync(file, 'utf8') } catch { return '' } }
let state
function processTree() {
  const children = new Map()
  const names = new Map()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(name)) continue
    const stat = read('/proc/' + name + '/stat')
    const close = stat.lastIndexOf(')')
    if (close < 0) continue
    const pid = Number(name)
    const ppid = Number(stat.slice(close + 2).split(' ')[1])
    names.set(pid, stat.slice(stat.indexOf('(') + 1, close))
    if (!children.has(ppid)) children.set(ppid, [])
    children.get(ppid).push(pid)
  }
  return { children, names }
}
function sample() {
  if (!state) return
  const { children, names } = processTree()
  let rss = 0
  const walk = (pid, inChromium) => {
    for (const child of children.get(pid) ?? []) {
      const chromium = inChromium || /chrom/i.test(names.get(child))
      if (chromium) {
        const status = read('/proc/' + child + '/status')
        rss += kb(status, 'VmRSS')
        state.hwm.set(child, Math.max(state.hwm.get(child) ?? 0, kb(status, 'VmHWM')))
      }
      walk(child, chromium)
    }
  }
  walk(workerData.pid, false)
  state.chromiumRss = Math.max(state.chromiumRss, rss)
  state.nodeRss = Math.max(state.nodeRss, kb(read('/proc/self/status'), 'VmRSS'))
}
setInterval(sample, workerData.interval)
parentPort.on('message', (message) => {
  if (message === 'start') {
    state = { hwm: new Map(), chromiumRss: 0, nodeRss: 0 }
    sample()
    parentPort.postMessage('started')
  } else if (message === 'stop') {
    sample()
    let hwm = 0
    for (const value of state.hwm.values()) hwm += value
    parentPort.postMessage({ nodeRssKB: state.nodeRss, chromiumHwmKB: hwm, chromiumRssKB: state.chromiumRss })
    state = undefined
  }
})
`

/**
 * Peak RSS of a cold `build` run through the CLI in a process of its own,
 * as `npm run build` runs it (the compiled engine; under tsx when the bench
 * itself runs from TypeScript). The CLI reports it with --verbose.
 */
export async function cliPeakMB(bookRoot: string, outDir: string): Promise<number> {
  const root = await copyBook(bookRoot)
  try {
    const compiled = import.meta.filename.endsWith('.js')
    // The engine sits at the same place relative to this file in the sources and in the compiled tools.
    const cli = path.resolve(import.meta.dirname, '../../build', compiled ? 'cli.js' : 'cli.ts')
    const args = [...(compiled ? [] : ['--import', 'tsx']), cli, 'build', '--root', root, '--out', outDir, '--verbose']
    const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 })
    const match = /peak RSS (\d+) MB/.exec(stdout)
    if (!match) throw new Error(`The CLI did not report its peak memory:\n${stdout}`)
    return Number(match[1])
  } finally {
    await fs.rm(root, { recursive: true, force: true })
  }
}
