/**
 * Copyfitting: when a section runs a few lines onto a page of their own, tighten that section a little and print
 * again, once. The engine only says how much (`--fit`, a factor a little under 1, on the section's elements); the
 * print stylesheet decides what scales with it (leading, spacing, figure height).
 */
import type { BookModel } from '../collect/model.ts'
import type { Finding } from './layout/checks.ts'
import type { PdfReadback } from './readback.ts'

/** How far a section may be tightened: its leading and figures scale by no less than this. */
export const MIN_FIT = 0.9

/** Section id → fit factor. */
export type CopyfitPlan = Map<string, number>

/**
 * A plan for every sparse page that is the last page of a section begun on an earlier page: the section's lines
 * must shrink by the lines on that page, plus one for safety, within `MIN_FIT`.
 */
export function copyfitPlan(findings: Finding[], readback: PdfReadback, model: BookModel): CopyfitPlan {
  const plan: CopyfitPlan = new Map()
  const starts = model.parts.flatMap((part) => [
    { id: part.id, section: false },
    ...part.sections.map((s) => ({ id: s.id, section: true })),
  ])
  const pages = starts.map((start) => ({ ...start, page: readback.destinations.get(start.id) ?? -1 }))
  for (const finding of findings) {
    if (finding.kind !== 'sparse-page' || finding.lines === undefined) continue
    let at = -1
    pages.forEach((start, i) => {
      if (start.page >= 0 && start.page < finding.page) at = i
    })
    const section = pages[at]
    const next = pages[at + 1]
    if (!section?.section || (next && next.page <= finding.page)) continue
    const span = finding.page - section.page
    const linesPerPage = finding.linesPerPage ?? 38
    const needed = (finding.lines + 1) / (span * linesPerPage + finding.lines)
    if (1 - needed >= MIN_FIT) plan.set(section.id, Math.floor((1 - needed) * 100) / 100)
  }
  return plan
}

/**
 * The CSS that applies a plan: every element of a planned section (its heading and the siblings up to the next
 * section's heading) gets `--fit`.
 */
export function copyfitCss(plan: CopyfitPlan, model: BookModel): string {
  const rules: string[] = []
  for (const part of model.parts) {
    part.sections.forEach((section, i) => {
      const fit = plan.get(section.id)
      if (fit === undefined) return
      const next = part.sections[i + 1]
      const id = (value: string) => `[id=${JSON.stringify(value)}]`
      const own = `:is(${id(section.id)}, ${id(section.id)} ~ *)`
      const selector = next ? `${own}:not(${id(next.id)}, ${id(next.id)} ~ *)` : own
      rules.push(`${selector} { --fit: ${fit}; }`)
    })
  }
  return rules.join('\n')
}
