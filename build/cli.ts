/**
 * The command line: `build`, `dev` and `check`. A thin layer over the
 * library that prints progress and reports errors without stack traces
 * (unless `--debug`).
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Builder, type BuildSummary } from './builder.ts'
import { BuildError, formatDiagnostic } from './diagnostics.ts'
import { formatMs } from './dev/format.ts'
import { describeFindings } from './pdf/layout/report.ts'

const HELP = `Usage: npm run build [-- options]     build dist/whitepaper.pdf and dist/site/
       npm run dev [-- --port 4321 --pdf]   serve dist/site with live reload
       npm run check                    validate everything, build nothing

Options:
  --root DIR     the book's folder (default: the current folder)
  --out DIR      output folder (default: ROOT/dist)
  --no-pdf       build the site only
  --strict       fail the build on any layout finding (sparse page, widow, split unit…)
  --verbose      print timings of every stage, and every layout finding
  --debug        show stack traces
  --port N       dev server port (default 4321)
  --pdf          dev: also rebuild the PDF on change`

/** What a good build reports to its caller: what to print if nothing changes, and what it read. */
export interface BuiltReport {
  /** The summary without its timings, as `npm run build` prints it. */
  summary: string
  /** The warnings, formatted as they were printed. */
  warnings: string
  /** See `BuildSummary.inputs`. */
  inputs: string[]
}

export interface CliHooks {
  /** Called after a good build (see tools/build-stamp.mjs). */
  onBuilt?: (report: BuiltReport) => void
}

export async function main(argv: string[], hooks: CliHooks = {}): Promise<number> {
  let args
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        out: { type: 'string' },
        'no-pdf': { type: 'boolean' },
        pdf: { type: 'boolean' },
        verbose: { type: 'boolean' },
        strict: { type: 'boolean' },
        debug: { type: 'boolean' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`)
    return 2
  }
  const { values, positionals } = args
  const command = positionals[0] ?? 'build'
  if (values.help) {
    console.log(HELP)
    return 0
  }
  const root = path.resolve(values.root ?? process.cwd())
  const debug = Boolean(values.debug || process.env.DEBUG)
  try {
    if (command === 'build') return await runBuild(root, values, hooks)
    if (command === 'check') {
      const result = await new Builder({ root }).check()
      for (const d of result) console.error(formatDiagnostic(d))
      const errors = result.filter((d) => d.severity === 'error').length
      console.error(errors ? `✖ ${errors} error${errors > 1 ? 's' : ''}` : '✔ everything checks out')
      return errors ? 1 : 0
    }
    if (command === 'dev') {
      const { startDevServer, DevServerError } = await import('./dev/server.ts')
      const port = values.port ? Number(values.port) : 4321
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        console.error(`--port must be a number from 1 to 65535, not ${values.port}`)
        return 2
      }
      let server
      try {
        server = await startDevServer({
          root,
          port,
          pdf: Boolean(values.pdf),
          outDir: values.out && path.resolve(values.out),
          log: (line) => console.log(line),
        })
      } catch (error) {
        if (!(error instanceof DevServerError)) throw error
        console.error(`✖ ${error.message}`)
        return 1
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      console.log('\nStopping the dev server…')
      await server.close()
      return 0
    }
    console.error(`Unknown command ${command}\n\n${HELP}`)
    return 2
  } catch (error) {
    return reportFailure(error, debug)
  }
}

async function runBuild(
  root: string,
  values: { out?: string; 'no-pdf'?: boolean; verbose?: boolean; strict?: boolean },
  hooks: CliHooks,
): Promise<number> {
  const controller = new AbortController()
  const onSignal = () => {
    console.error('\nInterrupted: stopping; dist/ is left as it was.')
    controller.abort()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const builder = new Builder({
    root,
    outDir: values.out && path.resolve(values.out),
    pdf: !values['no-pdf'],
    strict: Boolean(values.strict),
    signal: controller.signal,
  })
  builder.on('stage', (name) => process.stderr.write(`▸ ${name}…`))
  builder.on('stageEnd', (t) => process.stderr.write(` ${formatMs(t.ms)}${t.detail ? `  ${t.detail}` : ''}\n`))
  builder.on('warning', (d) => process.stderr.write(`\n${formatDiagnostic(d)}\n`))
  const printSteps: string[] = []
  builder.on('printStep', (step, ms) => printSteps.push(`${step} ${formatMs(ms)}`))
  try {
    const summary = await builder.build()
    const verbose = Boolean(values.verbose)
    const { result, timing } = summaryLines(summary, root, verbose, printSteps)
    console.log(['', `✔ built in ${formatMs(summary.totalMs)}`, ...result, ...timing].join('\n'))
    hooks.onBuilt?.({
      summary: result.join('\n'),
      warnings: summary.warnings.map((d) => `\n${formatDiagnostic(d)}\n`).join(''),
      inputs: summary.inputs,
    })
    return 0
  } catch (error) {
    process.stderr.write('\n')
    if (controller.signal.aborted) return 130
    throw error
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** The summary of a build: what it built (`result`), and how long each part took (`timing`). */
function summaryLines(
  summary: BuildSummary,
  root: string,
  verbose: boolean,
  printSteps: string[],
): { result: string[]; timing: string[] } {
  const rel = (file: string) => path.relative(root, file) || '.'
  const { figures, pdf } = summary
  const result = [
    `  chapters ${summary.chapters} (parts ${summary.parts}, sections ${summary.sections}) · ` +
      `figures ${figures.total} (${figures.rendered} rendered, ${figures.cached} cached) · tables ${summary.tables}`,
    `  site     ${rel(path.join(summary.outDir, 'site', 'index.html'))} (${summary.sitePages} pages)`,
  ]
  if (pdf) {
    const how = pdf.reused ? 'unchanged, reused' : `${pdf.passes} print pass${pdf.passes > 1 ? 'es' : ''}`
    result.push(`  pdf      ${rel(pdf.file)} (${pdf.pages} pages, ${how}, ${(pdf.bytes / 1024).toFixed(0)} KiB)`)
    const hint = pdf.layout.findings.length && !verbose ? ' (--verbose lists them)' : ''
    result.push(`  layout   ${describeFindings(pdf.layout.findings)}${hint}`)
    if (verbose) for (const d of pdf.layout.diagnostics) result.push(`    ${formatDiagnostic(d)}`)
    const fits = (pdf.layout.copyfit ?? []).map((f) => `${f.title} (leading ×${f.leading}, tracking ${f.tracking}em)`)
    if (verbose && fits.length) result.push(`  copyfit  ${fits.join(' · ')}`)
  }
  if (summary.warnings.length)
    result.push(`  ${summary.warnings.length} warning${summary.warnings.length > 1 ? 's' : ''}`)
  const timing: string[] = []
  if (!verbose) timing.push(`  time     ${summary.stages.map((s) => `${s.name} ${formatMs(s.ms)}`).join(' · ')}`)
  else {
    timing.push(`  memory   peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`, '  stage timings:')
    for (const s of summary.stages)
      timing.push(`    ${s.name.padEnd(10)} ${formatMs(s.ms).padStart(8)}${s.detail ? `  ${s.detail}` : ''}`)
    if (printSteps.length) timing.push(`  print steps: ${printSteps.join(' · ')}`)
  }
  return { result, timing }
}

/** Print a failure. Build errors are listed one per line, without a stack trace. */
export function reportFailure(error: unknown, debug: boolean): number {
  if (error instanceof BuildError) {
    for (const d of error.diagnostics) console.error(formatDiagnostic(d))
    const count = error.diagnostics.filter((d) => d.severity === 'error').length
    console.error(`✖ build failed with ${count} error${count === 1 ? '' : 's'}; dist/ was left as it was`)
    if (debug) console.error(error.stack)
    return 1
  }
  if ((error as Error)?.name === 'AbortError') return 130
  console.error(`✖ build failed: ${(error as Error)?.message ?? error}`)
  if (debug) console.error((error as Error)?.stack)
  else console.error('  (run with --debug for the stack trace)')
  return 1
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('cli.ts')) {
  // dev returns only once its server, watcher and browser are closed.
  process.exit(await main(process.argv.slice(2)))
}
