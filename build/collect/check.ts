/** The collect stage: the book model, with every reference, link and note checked against it. */
import type { Diagnostics } from '../diagnostics.ts'
import type { ChapterInput } from '../parse/chapters.ts'
import type { BookConfig } from '../config/config.ts'
import { resolveLabels } from '../labels.ts'
import { resolveNumbering } from './numbering.ts'
import { checkLinks } from './links.ts'
import { collectBook, type BookModel } from './model.ts'
import { checkNotes } from './notes.ts'
import { checkReferences } from './references.ts'

/** Collect the book model and check its references, links and notes; problems are recorded in `diagnostics`. */
export function collectChecked(inputs: ChapterInput[], config: BookConfig, diagnostics: Diagnostics): BookModel {
  const model = collectBook(inputs, diagnostics, {
    labels: resolveLabels(config.language, config.labels),
    numbering: resolveNumbering(config.language, config.numbering),
  })
  checkReferences(model, diagnostics)
  checkLinks(model, diagnostics)
  checkNotes(model, diagnostics)
  return model
}
