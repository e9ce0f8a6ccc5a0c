/**
 * Link annotations described for assistive technology: PDF/UA-1 (7.18.1,
 * 7.18.5) wants /Contents on each, which Chromium does not write.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFString, type PDFContext } from '@cantoo/pdf-lib'
import { StructTree, type PageFacts } from './structure.ts'

const name = (value: string) => PDFName.of(value)

/** The text of each Link element, by the annotations (as `n 0 R`) it owns. */
function linkTexts(tree: StructTree): Map<string, string> {
  const texts = new Map<string, string>()
  for (const link of tree.elements.filter((e) => e.type === 'Link')) {
    const text = tree.textOf(link)
    for (const kid of tree.kids(link.dict)) {
      const target = kid instanceof PDFRef ? tree.context.lookup(kid) : kid
      const annotation = target instanceof PDFDict ? target.get(name('Obj')) : undefined
      if (annotation instanceof PDFRef && text) texts.set(annotation.toString(), text)
    }
  }
  return texts
}

/** Give every Link annotation /Contents: its link text, or where it goes (PDF/UA-1 7.18.1, 7.18.5). */
export function describeLinks(context: PDFContext, catalog: PDFDict, facts: PageFacts, pages: PDFDict[]): void {
  const root = catalog.lookupMaybe(name('StructTreeRoot'), PDFDict)
  const texts = root ? linkTexts(new StructTree(context, root, facts)) : new Map<string, string>()
  for (const page of pages) {
    const annotations = page.lookupMaybe(name('Annots'), PDFArray)
    for (const ref of annotations?.asArray() ?? []) {
      const annotation = context.lookup(ref)
      if (
        !(annotation instanceof PDFDict) ||
        annotation.get(name('Subtype')) !== name('Link') ||
        annotation.has(name('Contents'))
      )
        continue
      const action = annotation.lookupMaybe(name('A'), PDFDict)
      const uri = action?.lookupMaybe(name('URI'), PDFString)?.decodeText()
      const dest = annotation.get(name('Dest'))
      const where =
        uri ??
        (dest instanceof PDFString || dest instanceof PDFHexString
          ? dest.decodeText()
          : dest instanceof PDFName
            ? dest.decodeText()
            : 'a place in this document')
      annotation.set(name('Contents'), PDFHexString.fromText(texts.get(ref.toString()) ?? `Link to ${where}`))
    }
  }
}
