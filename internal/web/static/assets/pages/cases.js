// The cases behind a figure of the statistics: /cases?figure=&from=&to=
// [&agency=][&month=][&instance=first], as GET
// /api/v1/litigation/stats/cases lists them.
import { api, boot, el, orgNamer, table, param, showError } from '../app.js';
import { label } from '../labels.js';

async function main() {
  await boot(['leader', 'court_liaison', 'agency_staff']);
  const q = new URLSearchParams(location.search);
  const named = await orgNamer();
  const figure = q.get('figure') || 'filed';
  const parts = [(q.get('instance') === 'first' && figure === 'filed' ? '一审' : '') + label('figure', figure)];
  if (q.get('agency')) parts.push(named(q.get('agency')));
  if (q.get('month')) parts.push(q.get('month'));
  else parts.push((q.get('from') || '') + ' 至 ' + (q.get('to') || ''));
  document.getElementById('title').textContent = '案件清单：' + parts.join(' · ');
  const content = document.getElementById('content');
  let cursor = '';
  const more = el('button', { type: 'button', class: 'secondary', id: 'more' }, '加载更多');
  const wrap = el('div', { id: 'cases' });
  content.append(el('p', { class: 'muted' }, el('a', { href: '/dashboard' }, '← 返回总览')), wrap, more);
  const load = async () => {
    const p = new URLSearchParams(q);
    p.set('limit', '100');
    if (cursor) p.set('cursor', cursor);
    const res = await api('GET', '/api/v1/litigation/stats/cases?' + p.toString());
    wrap.append(table([
      { title: '案号', get: r => r.case_number.canonical },
      { title: '被告', get: r => (r.defendants || [r.defendant]).map(named).join('、') },
      { title: '案由', get: r => r.cause },
      { title: '立案日期', get: r => r.filed_on },
      { title: '开庭', get: r => (r.hearings || []).map(h => h.held_on + (h.head_appeared ? '（负责人出庭）' : '')).join('；') },
      { title: '结案方式', get: r => r.outcome ? label('litResult', r.outcome.result) : '' },
      { title: '结案日期', get: r => r.outcome ? r.outcome.concluded_on : '' },
    ], res.items, '没有案件'));
    cursor = res.next_cursor || '';
    more.hidden = !cursor;
  };
  more.addEventListener('click', () => load().catch(showError));
  await load();
  if (param('figure') === null) showError(new Error('缺少统计口径'));
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
