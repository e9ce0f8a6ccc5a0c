/**
 * Runs the engine's commands (`npm run build`, `dev`, `check`) and compiles
 * the TypeScript first only when it changed since the last compile.
 *
 *   node tools/engine.mjs build|dev|check [options]   compile the engine if stale, then run the command
 *   node tools/engine.mjs --compile engine|tools       compile if stale (`--force`: always), run nothing
 *
 * Plain JavaScript, so that it runs before anything is compiled. Freshness is
 * a SHA-256 over every source file's path and bytes, the tsconfig files and
 * the compiler's version, kept beside the output after a successful compile:
 * reading the ~100 small files takes milliseconds, where `tsc` with nothing
 * to do still takes about a second. Content, not mtimes, so that a checkout,
 * a copy or a clock change cannot leave a stale engine. The command then runs
 * in this same process, which saves a second Node start.
 *
 * A `build` with nothing changed since the last good build stops before
 * that: see build-stamp.mjs.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { recordBuild, upToDate } from './build-stamp.mjs'

const root = path.resolve(import.meta.dirname, '..')

/** Bump when the fingerprint's recipe changes. */
const RECIPE = '1'

/** The compiled projects: their tsconfig, the folders of their sources, and where the output goes. */
const PROJECTS = {
  engine: { tsconfig: 'tsconfig.build.json', sources: ['build'], outDir: '.cache/engine', entry: 'cli.js' },
  tools: {
    tsconfig: 'tsconfig.tools.json',
    sources: ['build', 'tools', 'figures/tools'],
    outDir: '.cache/tools',
    entry: 'tools/bench/main.js',
  },
}

/** Every `.ts` file under `dir`, relative to the root, sorted. */
function sourceFiles(dir) {
  const full = path.join(root, dir)
  if (!fs.existsSync(full)) return []
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort()
}

/** The TypeScript 7 compiler's entry point (not whichever `tsc` won the node_modules/.bin link). */
function compilerEntry() {
  const require = createRequire(path.join(root, 'package.json'))
  const manifest = require.resolve('typescript/package.json')
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'))
  return { tsc: path.join(path.dirname(manifest), 'bin', 'tsc'), version }
}

/** SHA-256 of what the compiled output depends on. */
function fingerprint(project, compilerVersion) {
  const hash = createHash('sha256').update(`${RECIPE}\0${compilerVersion}\0`)
  const files = [...new Set(project.sources.flatMap(sourceFiles))]
  for (const file of ['tsconfig.json', project.tsconfig, ...files]) {
    hash.update(`${file}\0`)
    hash.update(fs.readFileSync(path.join(root, file)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

/**
 * Compile `name` unless its output is fresh. Returns false when `tsc`
 * failed (its messages are on stderr); the stamp is then left as it was.
 */
function compileIfStale(name, { force = false } = {}) {
  const project = PROJECTS[name]
  const compiler = compilerEntry()
  const outDir = path.join(root, project.outDir)
  const stampFile = path.join(outDir, '.source-hash')
  // Taken before compiling: an edit made while tsc runs leaves the stamp stale, so the next run compiles again.
  const wanted = fingerprint(project, compiler.version)
  const stamp = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : ''
  if (!force && stamp === wanted && fs.existsSync(path.join(outDir, project.entry))) return true
  fs.rmSync(stampFile, { force: true })
  const result = spawnSync(process.execPath, [compiler.tsc, '-p', project.tsconfig], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) return false
  fs.writeFileSync(stampFile, `${wanted}\n`)
  return true
}

/** For a `build` command: the book's folder, its output and cache folders, and the engine's folder; else undefined. */
function buildPlaces(argv) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: false,
      options: { root: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    })
    if ((positionals[0] ?? 'build') !== 'build' || values.help) return undefined
    const bookRoot = path.resolve(typeof values.root === 'string' ? values.root : process.cwd())
    const outDir = typeof values.out === 'string' ? path.resolve(values.out) : path.join(bookRoot, 'dist')
    return { root: bookRoot, outDir, cacheDir: path.join(bookRoot, '.cache'), engineRoot: root }
  } catch {
    return undefined
  }
}

/** Build, or when nothing changed since the last good build (see build-stamp.mjs), say so and stop. */
async function build(argv, places) {
  const started = Date.now()
  const checking = performance.now()
  const report = upToDate(places, argv)
  if (report) {
    if (report.warnings) process.stderr.write(report.warnings)
    const ms = Math.round(performance.now() - checking)
    console.log(`\n✔ nothing changed since the last build, whose output dist/ still holds (checked in ${ms} ms)`)
    console.log(report.summary)
    return 0
  }
  if (!compileIfStale('engine')) return 1
  process.setSourceMapsEnabled(true)
  const cli = await import(pathToFileURL(path.join(root, PROJECTS.engine.outDir, PROJECTS.engine.entry)).href)
  let built
  const code = await cli.main(argv, { onBuilt: (result) => (built = result) })
  if (code === 0 && built) recordBuild(places, argv, built, started)
  return code
}

async function main(argv) {
  if (argv[0] === '--compile') {
    const name = argv[1] ?? 'engine'
    if (!(name in PROJECTS)) {
      console.error(`Unknown project ${name}; one of ${Object.keys(PROJECTS).join(', ')}`)
      return 2
    }
    return compileIfStale(name, { force: argv.includes('--force') }) ? 0 : 1
  }
  const places = buildPlaces(argv)
  if (places) return build(argv, places)
  if (!compileIfStale('engine')) return 1
  process.setSourceMapsEnabled(true)
  const cli = await import(pathToFileURL(path.join(root, PROJECTS.engine.outDir, PROJECTS.engine.entry)).href)
  return cli.main(argv)
}

process.exit(await main(process.argv.slice(2)))
