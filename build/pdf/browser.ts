/**
 * Launching Chromium. Which one is decided in browser-discovery.ts: the one
 * named by PUPPETEER_EXECUTABLE_PATH, the pinned one, or a system install.
 */
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'puppeteer-core'
import { buildError } from '../diagnostics.ts'
import { browserIdentity, findBrowser, type BrowserChoice } from './browser-discovery.ts'
import { lddMissing, missingLibraries, missingLibraryAdvice, probeStderr } from './missing-libraries.ts'

export { browserIdentity, findBrowser, installHint, type BrowserChoice } from './browser-discovery.ts'

/** What the browser printed before it died, from puppeteer's launch error. */
function launchStderr(error: Error): string | undefined {
  return /(?:^|\n)stderr:\n([\s\S]*?)(?:\n\n|\nTROUBLESHOOTING|$)/.exec(error.message)?.[1]?.trim()
}

/** Why the browser did not start: puppeteer's first line, and what the browser itself printed, if anything. */
function launchFailure(error: Error, stderr: string | undefined): string {
  const first = error.message.split('\n')[0] ?? ''
  const said = stderr ? ` It printed: ${stderr.split('\n').slice(-3).join(' / ')}.` : ''
  return (
    `Chromium failed to start (${first.replace(/[\s.:]+$/, '').replace(/\s+/g, ' ')}).${said} If this is not a ` +
    `working Chromium or Chrome, install one: on Debian or Ubuntu run \`sudo apt-get install -y chromium\`, then ` +
    `set PUPPETEER_EXECUTABLE_PATH to its path.`
  )
}

/**
 * Why a launch failed, as a BuildError: the missing shared library by name, or else what the browser said. With
 * puppeteer talking over a pipe a failed launch carries no stderr, so the browser is run once more with `--version`
 * to hear the loader, and `ldd` is asked last.
 */
async function launchError(error: Error, choice: BrowserChoice, env: NodeJS.ProcessEnv): Promise<Error> {
  const stderr = launchStderr(error) || (await probeStderr(choice.executablePath, env)).trim() || undefined
  const missing = missingLibraries(stderr ?? '')
  if (missing.length === 0 && process.platform === 'linux')
    missing.push(...(await lddMissing(choice.executablePath, env)))
  if (missing.length > 0) {
    return buildError(
      choice.executablePath,
      missingLibraryAdvice(choice.executablePath, missing),
      'browser:missing-library',
    )
  }
  return buildError(choice.executablePath, launchFailure(error, stderr), 'browser:launch')
}

/** The flags that keep Chromium quiet on a closed network. */
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
]

export interface LaunchedBrowser {
  browser: Browser
  /** Which browser this is. */
  choice: BrowserChoice
  /** Close the browser and remove its profile. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Launch headless Chromium with a fresh profile: the browser `choice` names (a path, or what discovery found), by
 * default the one discovery finds.
 */
export async function launchBrowser(choice?: BrowserChoice | string): Promise<LaunchedBrowser> {
  const chosen: BrowserChoice =
    typeof choice === 'string'
      ? { executablePath: choice, source: 'PUPPETEER_EXECUTABLE_PATH' }
      : (choice ?? (await findBrowser()))
  const { executablePath } = chosen
  // The pinned browser brings its own libraries and fonts.
  const env = { ...process.env, ...chosen.env }
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'whitepaper-chromium-'))
  let browser: Browser
  try {
    // Loaded here, not imported: a build that reuses its cached PDF never loads puppeteer.
    const { default: puppeteer } = await import('puppeteer-core')
    browser = await puppeteer.launch({
      executablePath,
      env,
      headless: true,
      args: [...BROWSER_ARGS, `--user-data-dir=${userDataDir}`],
      timeout: 60_000,
      protocolTimeout: 180_000,
      // The CLI handles signals: it aborts the build, which closes the browser and removes the staging folder.
      // Puppeteer's own handlers would call process.exit() first and leave the staging folder behind.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      // Talk over a pipe, not a TCP port: no port is opened, and Chromium exits by itself when the build process dies,
      // even by SIGKILL.
      pipe: true,
    })
  } catch (error) {
    await fsp.rm(userDataDir, { recursive: true, force: true })
    throw await launchError(error as Error, chosen, env)
  }
  let closed = false
  return {
    browser,
    choice: chosen,
    async close() {
      if (closed) return
      closed = true
      const child = browser.process()
      let timer: NodeJS.Timeout | undefined
      const grace = new Promise((resolve) => {
        timer = setTimeout(resolve, 5000)
      })
      await Promise.race([browser.close().catch(() => undefined), grace])
      clearTimeout(timer)
      if (child && child.exitCode === null) child.kill('SIGKILL')
      await fsp.rm(userDataDir, { recursive: true, force: true }).catch(() => undefined)
    },
  }
}

/**
 * The browser one build prints with: the caller's, or one launched on first
 * use. Never launches once `signal` has aborted, since nothing would close it.
 */
export class BrowserLease {
  private own: LaunchedBrowser | undefined
  private choice: Promise<BrowserChoice> | undefined

  constructor(
    private readonly shared: LaunchedBrowser | undefined,
    private readonly env: NodeJS.ProcessEnv | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * Tells this build's browser from others, for the PDF cache: a print by another browser or version is not reused.
   * Finds the browser (unpacking the pinned one on first use) without launching it.
   */
  readonly identity = async (): Promise<string> => browserIdentity(this.shared?.choice ?? (await this.choose()))

  /** The shared browser, or this build's own. */
  readonly get = async (): Promise<Browser> => {
    if (this.shared) return this.shared.browser
    this.own ??= await this.launch()
    return this.own.browser
  }

  /** After a crash or hang: a fresh browser of this build's own. */
  readonly restart = async (): Promise<Browser> => {
    await this.own?.close()
    this.own = await this.launch()
    return this.own.browser
  }

  /** Close this build's own browser, if it launched one. */
  async close(): Promise<void> {
    await this.own?.close()
  }

  private async launch(): Promise<LaunchedBrowser> {
    this.signal?.throwIfAborted()
    const launched = await launchBrowser(await this.choose())
    if (this.signal?.aborted) {
      await launched.close()
      this.signal.throwIfAborted()
    }
    return launched
  }

  /** One discovery per build, however many ask at once (the early launch and the PDF cache key both do). */
  private choose(): Promise<BrowserChoice> {
    this.choice ??= findBrowser(this.env, { signal: this.signal })
    return this.choice
  }
}
