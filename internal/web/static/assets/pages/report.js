// 年度报告 (/report?year=): the figures of the 法治政府建设年度报告's
// sections 七 and 八 as GET /api/v1/reports/annual gathers them, for a
// leader to preview before downloading the Word document (format=docx):
// per section the draft paragraph (editable, to copy), and a table of the
// figures with the year, the year before and the change, each figure's
// name linking to the cases behind it (the lawsuits' to /cases, the others
// to the list the API answers); then 双下降 per agency. The year defaults
// to the last whole year, the one a spring report covers.
import { api, boot, el, table, showError } from '../app.js';

// casesHref is where a figure's cases are shown: the lawsuits' on the
// cases page of the dashboard, the others as the API lists them.
function casesHref(f) {
  const path = f.cases || f.source;
  if (!path) return '';
  if (path.startsWith('/api/v1/litigation/stats/cases?')) return '/cases?' + path.split('?')[1];
  return path;
}

// changeCell is the change as the report writes it, uncoloured: a rise is
// good news for some figures (the heads' appearance) and bad for others
// (the loss rate).
function changeCell(f) {
  return el('span', {}, f.change_text);
}

function figureTable(s) {
  return table([
    { title: '指标', get: f => {
      const href = casesHref(f);
      return href ? el('a', { href, title: f.definition, 'data-key': f.key }, f.label) : el('span', { 'data-key': f.key }, f.label);
    } },
    { title: '本年', class: 'num', get: f => f.text },
    { title: '上年', class: 'num', get: f => f.previous_text },
    { title: '增减', get: changeCell },
  ], s.figures, '没有数据');
}

function declineTable(a) {
  const rate = x => x == null ? '—' : (Math.round(x * 1000) / 10) + '%';
  const done = x => x == null ? '无法比较' : x ? '实现' : '未实现';
  const rows = a.agencies.concat([Object.assign({ agency_name: '全市' }, a.double_decline)]);
  return table([
    { title: '单位', get: r => r.agency_name || r.agency_code },
    { title: (a.year - 1) + '年一审', get: r => String(r.filed_prev) },
    { title: a.year + '年一审', get: r => String(r.filed) },
    { title: (a.year - 1) + '年败诉率', get: r => rate(r.loss_rate_prev) },
    { title: a.year + '年败诉率', get: r => rate(r.loss_rate) },
    { title: '双下降', get: r => done(r.achieved) },
  ], rows, '没有被诉单位');
}

async function main() {
  await boot(['leader', 'admin']);
  const content = document.getElementById('content');
  const thisYear = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  const year = Number(new URLSearchParams(location.search).get('year')) || thisYear - 1;
  const pick = el('select', { id: 'year', name: 'year', onchange: e => { location.search = '?year=' + e.target.value; } },
    [0, 1, 2, 3, 4].map(i => el('option', { value: String(thisYear - i), selected: thisYear - i === year ? true : null }, (thisYear - i) + '年')));
  const download = el('a', { class: 'button', id: 'download', href: '/api/v1/reports/annual?year=' + year + '&format=docx' }, '下载 Word 文档');
  content.append(el('div', { class: 'report-bar' }, el('label', {}, '年度 ', pick), download));
  const a = await api('GET', '/api/v1/reports/annual?year=' + year);
  document.getElementById('title').textContent = a.year + '年法治政府建设年度报告（数据部分）';
  for (const s of a.sections) {
    const box = el('section', { class: 'card report-section', id: 'section-' + s.key },
      el('h2', {}, s.number + '、' + s.title),
      el('textarea', { class: 'draft', 'aria-label': s.title + '草稿' }, s.draft),
      figureTable(s));
    if (s.key === 'liaison') box.append(el('h3', {}, '各单位“双下降”情况'), declineTable(a));
    content.append(box);
  }
  content.dataset.ready = 'true';
}

main().catch(showError);
