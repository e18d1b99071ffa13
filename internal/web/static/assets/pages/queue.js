// The mediation queue (/queue): a mediator's own cases, or every case for
// the intake desks and leaders, as GET /api/v1/mediation/cases lists them
// (live duties by due day, so overdue work first; closed work last). Only
// a duty is drawn red: the parties' window to apply for 司法确认 is theirs. Filters by
// track and state (?track=, ?state=, also ?org= and ?assignee= for desks
// that see more than their own), paged by next_cursor; every row opens
// the case page (/case?id=).
import { api, boot, el, table, clockBadge, liveDuty, orgNamer, showError } from '../app.js';
import { LABELS, label } from '../labels.js';

const MEDIATING = ['people', 'administrative', 'judicial'];

function stateBadge(state) {
  const cls = state === 'waiting' ? 'badge warn' : state === 'closed' || state === 'transferred' ? 'badge muted' : 'badge';
  return el('span', { class: cls, dataset: { state } }, label('mediationState', state));
}

async function main() {
  const me = await boot(['mediator', 'intake', 'leader']);
  const q = new URLSearchParams(location.search);
  const own = me.role === 'mediator';
  const track = MEDIATING.includes(q.get('track')) ? q.get('track') : '';
  const state = LABELS.mediationState[q.get('state')] ? q.get('state') : '';
  const title = document.getElementById('title');
  title.textContent = (own ? '我的调解案件' : '调解案件') + (track ? '：' + label('track', track) : '');
  document.title = title.textContent + ' · 解纷';

  // Filters: changing one reloads the page with the new query, so the
  // address can be bookmarked and shared (the dashboard links here).
  const go = (k, v) => {
    const p = new URLSearchParams(location.search);
    if (v) p.set(k, v); else p.delete(k);
    location.search = p.toString();
  };
  const trackSelect = el('select', { id: 'filter-track', name: 'track', onchange: e => go('track', e.target.value) },
    el('option', { value: '' }, '全部渠道'),
    MEDIATING.map(t => el('option', { value: t, selected: t === track }, label('track', t))));
  const stateSelect = el('select', { id: 'filter-state', name: 'state', onchange: e => go('state', e.target.value) },
    el('option', { value: '' }, '全部状态'),
    Object.keys(LABELS.mediationState).map(s => el('option', { value: s, selected: s === state }, label('mediationState', s))));
  const filters = el('div', { class: 'filters' },
    el('label', {}, '渠道', trackSelect), el('label', {}, '状态', stateSelect));
  if (!own && (q.get('org') || q.get('assignee'))) {
    // The rows name their orgs; only a filter by org needs the org table.
    const orgName = q.get('org') ? await orgNamer() : null;
    filters.append(el('span', { class: 'muted' }, [q.get('org') && '组织 ' + orgName(q.get('org')), q.get('assignee') && '调解员 ' + q.get('assignee')].filter(Boolean).join('，'),
      ' ', el('a', { href: '/queue' + (track ? '?track=' + track : '') }, '清除')));
  }

  const content = document.getElementById('content');
  const wrap = el('div', { id: 'queue' });
  const count = el('p', { class: 'muted', id: 'queue-count' });
  const more = el('button', { type: 'button', class: 'secondary', id: 'more', hidden: true }, '加载更多');
  content.append(filters, wrap, count, more);

  const columns = [
    { title: '纠纷编号', get: r => el('a', { class: 'cell', href: '/case?id=' + r.id }, r.dispute_code) },
    { title: '渠道', get: r => label('track', r.track) },
    { title: '承办组织', get: r => el('span', { title: r.org_code }, r.org_name || r.org_code) },
    { title: '调解员', class: 'assignee', get: r => r.assignee ? el('span', { title: r.assignee }, r.assignee_name || r.assignee) : el('span', { class: 'muted' }, '待分派') },
    { title: '状态', get: r => stateBadge(r.state) },
    { title: '立案日期', get: r => r.opened_on },
    { title: '下一期限', get: r => {
      const k = liveDuty(r.clocks);
      if (!k) return el('span', { class: 'muted' }, r.state === 'assigned' || r.state === 'waiting' ? '受理后起算' : '无待办期限');
      return clockBadge(k);
    } },
    { title: '事项', class: 'wrap', get: r => r.title || '' },
  ];
  let cursor = '';
  let shown = 0;
  let tbody = null;
  const load = async () => {
    const p = new URLSearchParams();
    for (const k of own ? ['track', 'state'] : ['track', 'state', 'org', 'assignee']) {
      if (q.get(k)) p.set(k, q.get(k));
    }
    p.set('limit', '50');
    if (cursor) p.set('cursor', cursor);
    const res = await api('GET', '/api/v1/mediation/cases?' + p.toString());
    const items = res.items || [];
    if (!tbody) {
      const t = table(columns, items, own ? '您的名下暂无调解案件' : '暂无调解案件');
      wrap.replaceChildren(t);
      tbody = t.querySelector('tbody');
    } else {
      tbody.append(...table(columns, items).querySelectorAll('tbody tr'));
    }
    shown += items.length;
    cursor = res.next_cursor || '';
    more.hidden = !cursor;
    count.textContent = shown ? '已显示 ' + shown + ' 件' + (cursor ? '，还有更多' : '') : '';
    // A click anywhere on a row opens its case.
    wrap.querySelectorAll('tbody tr:not([data-bound])').forEach(tr => {
      tr.dataset.bound = 'true';
      tr.classList.add('clickable');
      const a = tr.querySelector('a.cell');
      tr.addEventListener('click', e => { if (!e.target.closest('a') && a) location.href = a.href; });
    });
    wrap.dataset.loaded = 'true';
  };
  more.addEventListener('click', () => load().catch(showError));
  await load();
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
