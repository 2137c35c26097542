// Interface language: Chinese (default) or English, remembered in localStorage.

const KEY = 'zhengce.lang';
export const LANGS = ['zh', 'en'];

const STRINGS = {
  zh: {
    brand: '政策数据',
    tagline: '中国政府政策文件的开放数据',
    skip: '跳到正文',
    nav: '主导航',
    navSearch: '搜索',
    navCompare: '比较',
    navApi: 'API 文档',
    switchTo: 'English',
    switchLabel: 'Switch the interface to English',
    footer: '数据来自政府公开的政策文件；衍生数据以 CC BY 4.0 提供。每一项都可以通过公开 API 获取：',
    loading: '正在加载…',
    error: '出错了：{0}',
    notFound: '找不到这个页面。',
    searchTitle: '搜索政策措施',
    searchLabel: '在措施全文中搜索',
    searchPlaceholder: '例如：医疗、直播电商、"互联网医院"',
    searchButton: '搜索',
    searchHelp: '多个词同时出现；"引号"表示完整短语；A OR B 表示任一；-词 表示排除。',
    filters: '筛选',
    activeFilters: '当前筛选',
    removeFilter: '移除筛选：{0}',
    clearAll: '清除全部筛选',
    facet_jurisdiction: '行政区',
    facet_document: '文件',
    facet_agency: '机构',
    facet_role: '角色',
    facet_theme: '主题',
    facet_q: '关键词',
    facet_year: '年份',
    jurisdictionHint: '行政区包括其下级行政区。',
    showAll: '显示全部 {0} 项',
    showFewer: '收起',
    results: '搜索结果',
    count: '共 {0} 项措施',
    countFor: '“{1}”：共 {0} 项措施',
    noResults: '没有符合条件的措施。试试移除某个筛选。',
    nextPage: '下一页',
    firstPage: '回到第一页',
    leads: '牵头',
    themes: '主题',
    document: '文件',
    jurisdiction: '行政区',
    useInApp: '在你的应用中使用',
    useInAppIntro: '本页显示的内容都来自公开 API，可以直接调用：',
    formats: '其他格式',
    snippets: '带高亮片段的全文搜索',
    copy: '复制',
    copied: '已复制',
    role_lead: '牵头',
    role_cooperating: '配合',
    role_responsible: '负责',
    role_guide: '指导',
    role_participate: '参与',
    measure: '措施',
    outlinePlace: '在文件大纲中的位置',
    fullText: '全文',
    agencies: '责任机构',
    agency: '机构',
    role: '角色',
    asPrinted: '原文写法',
    annotation: '原文注明',
    noAgencies: '这项措施没有注明责任机构。',
    goals: '目标',
    goalsOfDocument: '本文件的量化目标',
    inThisMeasure: '出自本措施',
    noGoals: '本文件没有可识别的量化目标。',
    source: '出处',
    sourceSpan: '第 {0}–{1} 行，字节 {2}–{3}',
    sourceLine: '第 {0} 行，字节 {1}–{2}',
    viewInSource: '在原文中查看',
    rawText: '原始文件',
    verbatim: '原文',
    canonicalName: '规范名称',
    englishName: '英文名称',
    aliases: '别名与简称',
    kind: '类型',
    provisional: '未收录于机构名录（临时记录）',
    note: '备注',
    measuresByRole: '按角色列出的措施',
    partners: '合作机构',
    partnersIntro: '与该机构出现在同一措施中的机构，按共同措施数排序。',
    sharedMeasures: '{0} 项共同措施',
    noMeasures: '没有措施。',
    metadata: '基本信息',
    issuer: '发文机关',
    docNumber: '文号',
    date: '日期',
    docKind: '文种',
    status: '状态',
    status_final: '正式',
    status_draft: '征求意见稿',
    consultation: '征求意见期',
    file: '文件',
    encoding: '编码',
    sha256: 'SHA-256',
    counts: '统计',
    countsLine: '{0} 项措施 · {1} 个目标 · {2} 处引用 · {3} 个机构关联',
    outline: '大纲',
    references: '引用的文件',
    resolvedIn: '已收录',
    notInCorpus: '未收录',
    noReferences: '没有引用其他文件。',
    warnings: '解析提示',
    metric: '指标',
    target: '目标值',
    year: '年份',
    clause: '原句',
    compareTitle: '主题比较',
    compareIntro: '每个格子是某个主题在某个{0}的措施数；点击查看这些措施。',
    byJurisdiction: '按行政区',
    byDocument: '按文件',
    compareCaption: '主题 × {0}：措施数',
    total: '合计',
    cellLabel: '{0}，{1}：{2} 项措施',
    compareNote: '行政区包括其下级行政区（例如重庆市包括渝北区）。',
    including: '含{0}',
    sourceTitle: '原文',
    sourceIntro: '文件原文，逐字节保持收到时的样子。高亮部分是所选记录的出处。',
    lineLabel: '第 {0} 行',
    home: '首页',
    widgetMore: '查看全部 {0} 项',
    widgetCredit: '数据：zhengce · CC BY 4.0',
    widgetEmpty: '没有符合条件的措施。',
    widgetList: '政策措施',
  },
  en: {
    brand: 'zhengce',
    tagline: 'Chinese government policy documents as open data',
    skip: 'Skip to content',
    nav: 'Main',
    navSearch: 'Search',
    navCompare: 'Compare',
    navApi: 'API docs',
    switchTo: '中文',
    switchLabel: '切换到中文界面',
    footer: 'Data from published government policy documents; derived data under CC BY 4.0. Everything here comes from the public API:',
    loading: 'Loading…',
    error: 'Something went wrong: {0}',
    notFound: 'There is no such page.',
    searchTitle: 'Search policy measures',
    searchLabel: 'Search the full text of measures',
    searchPlaceholder: 'e.g. 医疗, 直播电商, "互联网医院"',
    searchButton: 'Search',
    searchHelp: 'Words must all occur; "quotes" for an exact phrase; A OR B for either; -word to exclude.',
    filters: 'Filters',
    activeFilters: 'Active filters',
    removeFilter: 'Remove filter: {0}',
    clearAll: 'Clear all filters',
    facet_jurisdiction: 'Jurisdiction',
    facet_document: 'Document',
    facet_agency: 'Agency',
    facet_role: 'Role',
    facet_theme: 'Theme',
    facet_q: 'Words',
    facet_year: 'Year',
    jurisdictionHint: 'A jurisdiction includes those below it.',
    showAll: 'Show all {0}',
    showFewer: 'Show fewer',
    results: 'Results',
    count: '{0} measures',
    countFor: '{0} measures for “{1}”',
    noResults: 'No measure matches. Try removing a filter.',
    nextPage: 'Next page',
    firstPage: 'Back to the first page',
    leads: 'Lead',
    themes: 'Themes',
    document: 'Document',
    jurisdiction: 'Jurisdiction',
    useInApp: 'Use this in your app',
    useInAppIntro: 'Everything on this page comes from the public API:',
    formats: 'Other formats',
    snippets: 'Ranked search with highlighted snippets',
    copy: 'Copy',
    copied: 'Copied',
    role_lead: 'lead',
    role_cooperating: 'cooperating',
    role_responsible: 'responsible',
    role_guide: 'guide',
    role_participate: 'participate',
    measure: 'Measure',
    outlinePlace: 'Place in the document outline',
    fullText: 'Full text',
    agencies: 'Agencies',
    agency: 'Agency',
    role: 'Role',
    asPrinted: 'As printed',
    annotation: 'Annotation as printed',
    noAgencies: 'The measure names no agency.',
    goals: 'Goals',
    goalsOfDocument: 'Quantified goals of the document',
    inThisMeasure: 'in this measure',
    noGoals: 'The document states no quantified goal that could be read.',
    source: 'Source',
    sourceSpan: 'lines {0}–{1}, bytes {2}–{3}',
    sourceLine: 'line {0}, bytes {1}–{2}',
    viewInSource: 'See it in the document',
    rawText: 'File as received',
    verbatim: 'Verbatim',
    canonicalName: 'Canonical name',
    englishName: 'English name',
    aliases: 'Aliases and short forms',
    kind: 'Kind',
    provisional: 'Not in the gazetteer (provisional record)',
    note: 'Note',
    measuresByRole: 'Measures by role',
    partners: 'Partners',
    partnersIntro: 'Agencies named on the same measures, most shared measures first.',
    sharedMeasures: '{0} shared measures',
    noMeasures: 'No measures.',
    metadata: 'Metadata',
    issuer: 'Issuer',
    docNumber: 'Document number',
    date: 'Date',
    docKind: 'Kind',
    status: 'Status',
    status_final: 'final',
    status_draft: 'consultation draft',
    consultation: 'Consultation period',
    file: 'File',
    encoding: 'Encoding',
    sha256: 'SHA-256',
    counts: 'Counts',
    countsLine: '{0} measures · {1} goals · {2} references · {3} agency links',
    outline: 'Outline',
    references: 'Documents cited',
    resolvedIn: 'in the corpus',
    notInCorpus: 'not in the corpus',
    noReferences: 'The document cites no other document.',
    warnings: 'Parser notes',
    metric: 'Metric',
    target: 'Target',
    year: 'Year',
    clause: 'Clause',
    compareTitle: 'Compare themes',
    compareIntro: 'Each cell counts the measures on a theme per {0}; follow it to see them.',
    byJurisdiction: 'by jurisdiction',
    byDocument: 'by document',
    compareCaption: 'Theme × {0}: number of measures',
    total: 'Total',
    cellLabel: '{0}, {1}: {2} measures',
    compareNote: 'A jurisdiction includes those below it (Chongqing includes Yubei District).',
    including: 'incl. {0}',
    sourceTitle: 'Source text',
    sourceIntro: 'The document byte for byte as received. The highlight is the source span of the record you came from.',
    lineLabel: 'line {0}',
    home: 'Home',
    widgetMore: 'All {0} measures',
    widgetCredit: 'Data: zhengce · CC BY 4.0',
    widgetEmpty: 'No measure matches.',
    widgetList: 'Policy measures',
  },
};

let current = null;

function stored() {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** The interface language: the remembered choice, else Chinese. */
export function lang() {
  if (!current) {
    const choice = stored();
    current = LANGS.includes(choice) ? choice : 'zh';
  }
  return current;
}

/** Switches the language; `remember` keeps the choice for the next visit. */
export function setLang(value, remember = true) {
  current = LANGS.includes(value) ? value : 'zh';
  if (remember) {
    try {
      window.localStorage.setItem(KEY, current);
    } catch {
      // Storage may be refused (private mode, sandboxed frames); the choice lasts the visit.
    }
  }
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
}

/** A translated string with `{0}`, `{1}` … filled in. */
export function t(key, ...args) {
  const text = STRINGS[lang()][key] ?? STRINGS.zh[key] ?? key;
  return text.replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** Number formatting for the language. */
export function num(n) {
  return new Intl.NumberFormat(lang() === 'en' ? 'en' : 'zh-CN').format(n);
}

export const ROLES = ['lead', 'cooperating', 'responsible', 'guide', 'participate'];

export function roleName(role) {
  return ROLES.includes(role) ? t(`role_${role}`) : role;
}

/** A record with `name` and `name_en`: the English name in English where there is one. */
export function localName(record) {
  if (!record) return '';
  return lang() === 'en' && record.name_en ? record.name_en : record.name;
}
