/**
 * Headings: every heading gets a stable id, GitHub-style slugs make them
 * linkable (`other.md#iii-配置`), and a section may carry a 目录 title that
 * differs from its heading: `## 发展金融科技面临的挑战 {short="面临挑战"}`.
 */
import type { Heading } from 'mdast'
import GithubSlugger from 'github-slugger'
import { didYouMean, type Diagnostics, type Position } from '../diagnostics.ts'
import { plainText, placeInside, start } from './nodes.ts'
import { sectionNumber } from './numbering.ts'
import type { BookModel, Chapter, Section } from './model.ts'

type Claim = (id: string, file: string, place: Position | undefined) => boolean

/** A trailing `{key="value" …}` on a heading line, as remark leaves it: text at the end of the heading. */
const TRAILING_ATTRIBUTES = /\s*\{\s*((?:[A-Za-z][\w-]*\s*=\s*"[^"]*"\s*)+)\}\s*$/

/** Per chapter: GitHub's slugs, which number repeats (`a`, `a-1`) as GitHub does. */
export function headingSlugger(): GithubSlugger {
  return new GithubSlugger()
}

/**
 * Give a heading its id and its anchor; `##` headings become sections. Records errors for `#` headings and for
 * unknown heading attributes.
 */
export function collectHeading(
  heading: Heading,
  chapter: Chapter,
  context: { model: BookModel; diagnostics: Diagnostics; claim: Claim; slugger: GithubSlugger },
): void {
  const { model, diagnostics, claim, slugger } = context
  if (heading.depth === 1) {
    diagnostics.error(
      chapter.file,
      'A `#` heading is not allowed in a chapter: the chapter title comes from the front matter. Use `##` for a ' +
        'section',
      'chapter:heading-depth',
      start(heading),
    )
    return
  }
  const short = takeShortTitle(heading, chapter.file, diagnostics)
  const text = plainText(heading.children).trim()
  const slug = slugger.slug(text)
  let id = `${chapter.id}-${slug}`
  if (heading.depth === 2) {
    const index = chapter.sections.length + 1
    const section: Section = {
      id: `${chapter.id}-s${index}`,
      number: sectionNumber(model.numbering, index, chapter.numeral),
      title: short ?? text,
      heading: text,
      chapter,
    }
    chapter.sections.push(section)
    id = section.id
    model.targets.set(id, { kind: 'section', chapter })
  } else {
    model.targets.set(id, { kind: 'heading', chapter })
  }
  heading.data = { ...heading.data, hProperties: { ...heading.data?.hProperties, id } }
  claim(id, chapter.file, start(heading))
  chapter.anchors.set(slug, id)
}

/** Remove a trailing `{short="…"}` from the heading and return its value. */
function takeShortTitle(heading: Heading, file: string, diagnostics: Diagnostics): string | undefined {
  const last = heading.children.at(-1)
  if (!last || last.type !== 'text') return undefined
  const match = TRAILING_ATTRIBUTES.exec(last.value)
  if (!match) return undefined
  let short: string | undefined
  for (const [, key, value] of match[1]!.matchAll(/([A-Za-z][\w-]*)\s*=\s*"([^"]*)"/g)) {
    if (key === 'short' && value!.trim()) {
      short = value!.trim()
      continue
    }
    const guess = key === 'short' ? undefined : didYouMean(key!, ['short'])
    diagnostics.error(
      file,
      key === 'short'
        ? 'The heading\'s `short=""` is empty; give the 目录 wording, or remove it'
        : `Unknown heading attribute \`${key}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}: a heading takes only ` +
            '`{short="目录 title"}`, for a 目录 entry that differs from the heading',
      'heading:attribute',
      placeInside(last, match.index + match[0].indexOf('{')),
    )
  }
  last.value = last.value.slice(0, match.index)
  if (last.value === '') heading.children.pop()
  return short
}
