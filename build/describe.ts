/** The builder's counts and the one-line details of its stage events. */
import type { BookModel } from './collect/model.ts'

/** Chapters, parts and sections of the book. */
export function countModel(model: BookModel) {
  const sections = model.body.reduce((n, p) => n + p.sections.length, 0)
  return { chapters: model.chapters.length, parts: model.parts.length, sections }
}

/** The collect stage's detail: parts, sections, figures and tables. */
export function describeModel(model: BookModel): string {
  const { parts, sections } = countModel(model)
  return `${parts} parts, ${sections} sections, ${model.figures.length} figures, ${model.tables.length} tables`
}

/** How many figures came from the cache (`cached`), or were rendered. */
export function countFigures(figures: Map<string, { cached: boolean }>, cached: boolean): number {
  return [...figures.values()].filter((f) => f.cached === cached).length
}

/** The figures stage's detail: rendered and cached figures. */
export function describeFigures(figures: Map<string, { cached: boolean }>): string {
  return `${figures.size} figures (${countFigures(figures, false)} rendered, ${countFigures(figures, true)} from cache)`
}

/** The pdf stage's detail: pages, and passes or reuse. */
export function describePdf(pdf: { pages: number; reused: boolean; passes: number }): string {
  return `${pdf.pages} pages, ${pdf.reused ? 'reused from cache' : `${pdf.passes} pass${pdf.passes > 1 ? 'es' : ''}`}`
}
