/**
 * Naming the shared library a browser could not start without. The dynamic
 * loader says it on stderr ("error while loading shared libraries: libX.so…"),
 * and `ldd` lists every one it cannot find ("libX.so => not found").
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'

/**
 * The Debian and Ubuntu packages that hold the libraries Chromium links
 * against. A library not listed here is named without a package.
 */
const DEBIAN_PACKAGES: Record<string, string> = {
  'libasound.so.2': 'libasound2',
  'libatk-1.0.so.0': 'libatk1.0-0',
  'libatk-bridge-2.0.so.0': 'libatk-bridge2.0-0',
  'libatspi.so.0': 'libatspi2.0-0',
  'libcairo.so.2': 'libcairo2',
  'libcups.so.2': 'libcups2',
  'libdbus-1.so.3': 'libdbus-1-3',
  'libdrm.so.2': 'libdrm2',
  'libexpat.so.1': 'libexpat1',
  'libfontconfig.so.1': 'libfontconfig1',
  'libfreetype.so.6': 'libfreetype6',
  'libgbm.so.1': 'libgbm1',
  'libgio-2.0.so.0': 'libglib2.0-0',
  'libglib-2.0.so.0': 'libglib2.0-0',
  'libgobject-2.0.so.0': 'libglib2.0-0',
  'libnspr4.so': 'libnspr4',
  'libnss3.so': 'libnss3',
  'libnssutil3.so': 'libnss3',
  'libpango-1.0.so.0': 'libpango-1.0-0',
  'libplc4.so': 'libnspr4',
  'libplds4.so': 'libnspr4',
  'libsmime3.so': 'libnss3',
  'libsqlite3.so.0': 'libsqlite3-0',
  'libudev.so.1': 'libudev1',
  'libX11.so.6': 'libx11-6',
  'libxcb.so.1': 'libxcb1',
  'libXcomposite.so.1': 'libxcomposite1',
  'libXdamage.so.1': 'libxdamage1',
  'libXext.so.6': 'libxext6',
  'libXfixes.so.3': 'libxfixes3',
  'libxkbcommon.so.0': 'libxkbcommon0',
  'libXrandr.so.2': 'libxrandr2',
  'libxshmfence.so.1': 'libxshmfence1',
}

/**
 * The libraries named as missing in a loader message or in `ldd` output, each
 * once, in order. The loader names an unreadable file by its path ("…/libX.so:
 * file too short"): the file name is what a package provides.
 */
export function missingLibraries(text: string): string[] {
  const names = [
    ...text.matchAll(/error while loading shared libraries: ([^\s:]+):/g),
    ...text.matchAll(/^\s*(\S+) => not found$/gm),
  ].map((match) => path.basename(match[1]!))
  return [...new Set(names)]
}

/** The Debian or Ubuntu package that holds `library`, when known. */
export function debianPackageFor(library: string): string | undefined {
  return DEBIAN_PACKAGES[library]
}

/** What to tell someone whose browser at `executablePath` lacks `libraries`: what is missing, and the two ways out. */
export function missingLibraryAdvice(executablePath: string, libraries: string[]): string {
  const one = libraries.length === 1
  const packages = [...new Set(libraries.map(debianPackageFor).filter((name) => name !== undefined))]
  const unknown = libraries.filter((library) => !debianPackageFor(library))
  const install =
    packages.length > 0
      ? `install ${one ? 'it' : 'them'} (on Debian or Ubuntu: \`sudo apt-get install -y ${packages.join(' ')}\`` +
        `${unknown.length > 0 ? `; find the package for ${unknown.join(', ')} with \`apt-file search\`` : ''})`
      : `install the package that holds ${one ? 'it' : 'them'} ` +
        `(on Debian or Ubuntu, \`apt-file search ${libraries[0]}\` names it)`
  return (
    `The browser at ${executablePath} cannot start: the shared ${one ? 'library' : 'libraries'} ` +
    `${libraries.join(', ')} ${one ? 'is' : 'are'} missing. Either ${install}, or set PUPPETEER_EXECUTABLE_PATH ` +
    'to a Chromium or Chrome that runs on this machine.'
  )
}

/**
 * What the browser prints on stderr when started with just `--version`. With
 * puppeteer talking over a pipe, a launch failure carries no stderr, and a
 * loader error shows at once in such a run.
 */
export async function probeStderr(executablePath: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stderr } = await promisify(execFile)(executablePath, ['--version'], { env, timeout: 10_000 })
    return stderr
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr ?? '')
  }
}

/** The libraries `ldd` cannot find for `executablePath` with `env`; none when `ldd` is absent or fails. */
export async function lddMissing(executablePath: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)('ldd', [executablePath], { env, timeout: 10_000 })
    return missingLibraries(stdout)
  } catch (error) {
    // ldd exits non-zero for a binary it cannot fully resolve on some systems, and still prints the list.
    return missingLibraries(String((error as { stdout?: unknown }).stdout ?? ''))
  }
}
