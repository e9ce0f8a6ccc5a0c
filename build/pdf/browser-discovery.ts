/**
 * Which browser prints the PDF. In order:
 * 1. the one named by PUPPETEER_EXECUTABLE_PATH;
 * 2. on Linux x64, the Chromium pinned by the lockfile (`npm ci` brings it);
 * 3. elsewhere, an installed Chrome, Chromium or Edge at its usual path.
 * The build, the dev server, the bench and the tests all ask here, so they use one browser.
 */
import fs from 'node:fs'
import path from 'node:path'
import { buildError, type BuildError } from '../diagnostics.ts'
import { PINNED_PACKAGE, locatePinnedPackage, pinnedRunsOn, unpackPinned } from './pinned-browser.ts'

export interface BrowserChoice {
  executablePath: string
  /** Added to the browser process's environment. */
  env?: Record<string, string>
  /** Where the choice came from. */
  source: 'PUPPETEER_EXECUTABLE_PATH' | 'pinned' | 'system'
  /** The pinned package's version, for the pinned browser. */
  version?: string
}

export interface DiscoveryOptions {
  platform?: NodeJS.Platform
  arch?: string
  /** System paths to try; by default the usual ones for `platform`. */
  candidates?: string[]
  /** The pinned browser, or undefined when it is not installed; by default it is located and unpacked. */
  pinned?: () => Promise<BrowserChoice | undefined>
  /** Stops a first unpack of the pinned browser (an interrupted build). */
  signal?: AbortSignal
}

/** Where browsers usually live on each system, most likely first. */
export function usualPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ]
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)']
    if (env.LOCALAPPDATA) roots.push(env.LOCALAPPDATA)
    const apps = [
      'Google\\Chrome\\Application\\chrome.exe',
      'Chromium\\Application\\chrome.exe',
      'Microsoft\\Edge\\Application\\msedge.exe',
    ]
    return apps.flatMap((app) => roots.map((root) => path.win32.join(root, app)))
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge-stable',
    '/usr/bin/microsoft-edge',
  ]
}

/** What to do when no browser is found on `platform`/`arch`. */
export function installHint(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const pinned = `The pinned Chromium that \`npm ci\` brings (${PINNED_PACKAGE}) runs on Linux x64 only`
  if (pinnedRunsOn(platform, arch)) {
    return (
      `The pinned Chromium (${PINNED_PACKAGE}) is not installed: run \`npm ci\`. ` +
      'To use another browser, set PUPPETEER_EXECUTABLE_PATH to its path.'
    )
  }
  const install =
    platform === 'darwin' || platform === 'win32'
      ? 'install Google Chrome, Chromium or Microsoft Edge'
      : 'install Chromium (on Debian or Ubuntu: `sudo apt-get install -y chromium`)'
  return (
    `No Chrome, Chromium or Edge found. ${pinned}; on ${platform} ${arch}, ${install}, ` +
    "or set PUPPETEER_EXECUTABLE_PATH to a browser's path. Its PDF may differ in bytes from the pinned one's."
  )
}

/** The browser to launch, or a BuildError that says how to get one. */
export async function findBrowser(
  env: NodeJS.ProcessEnv = process.env,
  options: DiscoveryOptions = {},
): Promise<BrowserChoice> {
  const platform = options.platform ?? process.platform
  const arch = options.arch ?? process.arch
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { executablePath: fromEnv, source: 'PUPPETEER_EXECUTABLE_PATH' }
    const message =
      `PUPPETEER_EXECUTABLE_PATH is set to ${fromEnv}, but no executable is there. Unset it to use the ` +
      `${pinnedRunsOn(platform, arch) ? 'pinned Chromium' : 'installed browser'}, or point it at a browser.`
    throw buildError('PUPPETEER_EXECUTABLE_PATH', message, 'browser:not-found')
  }
  if (pinnedRunsOn(platform, arch)) {
    const pinned = await (options.pinned ?? (() => pinnedChoice(options.signal)))()
    if (pinned) return pinned
    throw notFound(PINNED_PACKAGE, platform, arch)
  }
  const found = (options.candidates ?? usualPaths(platform, env)).find(isExecutable)
  if (found) return { executablePath: found, source: 'system' }
  throw notFound('chromium', platform, arch)
}

function notFound(file: string, platform: NodeJS.Platform, arch: string): BuildError {
  return buildError(file, installHint(platform, arch), 'browser:not-found')
}

/** The pinned browser, unpacked into the project's `.cache/browser`, or undefined when the package is not installed. */
async function pinnedChoice(signal?: AbortSignal): Promise<BrowserChoice | undefined> {
  const pinned = locatePinnedPackage()
  if (!pinned) return undefined
  try {
    const { executablePath, env, version } = await unpackPinned(pinned, signal)
    return { executablePath, env, source: 'pinned', version }
  } catch (error) {
    if (signal?.aborted) throw error
    const message =
      `Could not unpack the pinned Chromium ${pinned.version} (${(error as Error).message}). ` +
      'Check that the disk has 250 MB free and the folder is writable, then build again; ' +
      '`npm ci` restores a damaged package.'
    throw buildError(path.join(pinned.cacheRoot, pinned.version), message, 'browser:unpack')
  }
}

/**
 * What tells one browser's prints from another's, for the PDF cache: the
 * pinned package and version, or else the executable's path, size and time
 * (an upgrade in place changes them).
 */
export function browserIdentity(choice: BrowserChoice): string {
  if (choice.source === 'pinned' && choice.version) return `${PINNED_PACKAGE}@${choice.version}`
  const stat = fs.statSync(choice.executablePath, { throwIfNoEntry: false })
  return `${choice.executablePath} ${stat?.size ?? 0} ${stat?.mtimeMs ?? 0}`
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}
