/**
 * The words the engine prints around the book's own text. They follow the
 * fixed zh-CN authoring conventions (图3, 表1, 数据来源：…, 表4（续）).
 */
export const LABELS = {
  figure: '图',
  table: '表',
  source: '数据来源：',
  continued: '（续）',
  /** The site's link to a figure's data file. */
  data: '下载数据',
  /** The site's index page, in previous/next links. */
  home: '封面与目录',
} as const
