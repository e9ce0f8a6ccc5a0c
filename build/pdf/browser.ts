/**
 * Finding and launching Chromium. The build never downloads a browser: it
 * uses the one named by PUPPETEER_EXECUTABLE_PATH, or a system install.
 */
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import puppeteer, { type Browser } from 'puppeteer-core'
import { buildError } from '../diagnostics.ts'

/** Where browsers usually live, after PUPPETEER_EXECUTABLE_PATH and /usr/bin/chromium. */
const USUAL_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
]

export const INSTALL_HINT =
  'No Chromium or Chrome found. Install one: on Debian or Ubuntu run `sudo apt-get install -y chromium`; ' +
  'where the internet is open you can also run `npx @puppeteer/browsers install chrome-headless-shell@stable`. ' +
  'Then, if it is not at /usr/bin/chromium, set PUPPETEER_EXECUTABLE_PATH to its path.'

/** The browser executable to use, or a BuildError with the install hint. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, candidates: string[] = USUAL_PATHS): string {
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv
    throw buildError(
      'PUPPETEER_EXECUTABLE_PATH',
      `PUPPETEER_EXECUTABLE_PATH is set to ${fromEnv}, but no executable is there. ${INSTALL_HINT}`,
      'browser:not-found',
    )
  }
  const found = candidates.find(isExecutable)
  if (found) return found
  throw buildError('chromium', INSTALL_HINT, 'browser:not-found')
}

/**
 * Why the browser did not start: puppeteer's first line, plus what the browser itself printed, when it said anything.
 */
function launchFailure(error: Error): string {
  const [first = '', ...rest] = error.message.split('\n')
  const stderr = /(?:^|\n)stderr:\n([\s\S]*?)(?:\n\n|\nTROUBLESHOOTING|$)/.exec(rest.join('\n'))?.[1]?.trim()
  const said = stderr ? ` It printed: ${stderr.split('\n').slice(-3).join(' / ')}.` : ''
  return (
    `Chromium failed to start (${first.replace(/[\s.:]+$/, '').replace(/\s+/g, ' ')}).${said} If this is not a ` +
    `working Chromium or Chrome, install one: on Debian or Ubuntu run \`sudo apt-get install -y chromium\`, then ` +
    `set PUPPETEER_EXECUTABLE_PATH to its path if it is not at /usr/bin/chromium.`
  )
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
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
  /** Close the browser and remove its profile. Safe to call twice. */
  close(): Promise<void>
}

/** Launch headless Chromium with a fresh profile. */
export async function launchBrowser(executablePath: string = findBrowser()): Promise<LaunchedBrowser> {
  const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'whitepaper-chromium-'))
  let browser: Browser
  try {
    browser = await puppeteer.launch({
      executablePath,
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
    throw buildError(executablePath, launchFailure(error as Error), 'browser:launch')
  }
  let closed = false
  return {
    browser,
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

  constructor(
    private readonly shared: LaunchedBrowser | undefined,
    private readonly env: NodeJS.ProcessEnv | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

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
    const launched = await launchBrowser(findBrowser(this.env))
    if (this.signal?.aborted) {
      await launched.close()
      this.signal.throwIfAborted()
    }
    return launched
  }
}
