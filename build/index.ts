/**
 * The engine's public surface: what the CLI, the dev server, the tools and the tests import.
 * This file only re-exports.
 */
export { Builder, type BuildOptions, type BuildSummary, type StageTiming, type BuilderEvents } from './builder.ts'
export { BuildError, Diagnostics, formatDiagnostic, type Diagnostic } from './diagnostics.ts'
export { loadConfig, bookConfigSchema } from './config/config.ts'
export { parseMarkdown, readFrontMatter } from './parse/markdown.ts'
export { collectBook, type BookModel } from './collect/model.ts'
export { checkReferences } from './collect/references.ts'
export { checkLinks } from './collect/links.ts'
export { checkNotes } from './collect/notes.ts'
export { chineseNumeral } from './collect/nodes.ts'
export { renderChapter, stringify } from './render/chapter.ts'
export { bookView } from './render/view.ts'
export {
  browserIdentity,
  findBrowser,
  installHint,
  launchBrowser,
  type BrowserChoice,
  type LaunchedBrowser,
} from './pdf/browser.ts'
export { isUnpacked, unpackPinned, UNPACK_MARKER, type PinnedPackage } from './pdf/pinned-browser.ts'
export { debianPackageFor, missingLibraries, missingLibraryAdvice } from './pdf/missing-libraries.ts'
export { PDF_OPTIONS } from './pdf/print.ts'
export { PrintForecast } from './pdf/launch.ts'
export { readPdf, type PdfReadback } from './pdf/readback.ts'
export { finishPdf } from './pdf/finish.ts'
export { conformPdf, type ConformOptions } from './pdf/conform/index.ts'
export { checkFigure, FigureRenderer, type FigureRequest } from './figures/renderer.ts'
export { createTextMeasurer } from './figures/measure.ts'
export { getValidator } from './figures/schema.ts'
export { startDevServer, DevServerError, type DevServer, type DevServerOptions } from './dev/server.ts'
export { type RebuildResult } from './dev/site.ts'
export { type PdfResult } from './dev/pdf.ts'
export { formatMs } from './dev/format.ts'
export { writeAtomic, isAlive } from './write/files.ts'
export { visibleText } from './site/glyphs.ts'
export { readChapters } from './parse/chapters.ts'
export { type LoadedConfig } from './config/config.ts'
export { REFERENCE } from './collect/references.ts'
export { findDataReferences, parseCsv, resolveDataUrl } from './figures/data.ts'
export { resolveFonts, type BookFonts } from './config/fonts.ts'
export { resolveLabels, summaryWords, LABEL_SETS, type Labels, type SummaryWords } from './labels.ts'
export { resolveNumbering, type Numbering } from './collect/numbering.ts'
export { indexEntries } from './pdf/document.ts'
export { pageLabel } from './pdf/print.ts'
export { bookJsonSchema } from './config/json-schema.ts'
export { hyphenator, hyphenateTree } from './render/hyphenate.ts'
export { prepareImages, type BookImages, type PreparedImage } from './images/stage.ts'
