// 通知 (/notifications): the signed-in user's in-app notifications, newest
// first, as GET /api/v1/notifications lists them (?unread=true keeps the
// unread ones), paged by next_cursor. Each row says when the notification
// came (Asia/Shanghai), marks it while unread and links to the page of the
// record it concerns. 标为已读 marks one (POST
// /api/v1/notifications/{id}/read); 全部标为已读 marks every unread one at
// once (POST /api/v1/notifications/read-all). The count beside 通知 in the
// header follows.
import { api, boot, el, table, phoneCards, showError, showInfo, NOTICE_ROLES, refreshNotices } from '../app.js';

const PAGE = 30;

// KINDS name the kinds of notification the platform sends (the event
// kinds of internal/sqlstore); another kind shows as 通知.
const KINDS = {
  'mediation.due_soon': '期限将届满',
  'mediation.overdue': '超期未办结',
  'mediation.escalated': '督办',
  'reconsideration.due_soon': '期限将届满',
  'reconsideration.overdue': '超期未办结',
  'reconsideration.deemed_accepted': '视为受理',
  'litigation.hearing_alert': '出庭提醒',
  'calendar.missing': '节假日表未导入',
};

// subjectLink is the page of the record a notification concerns: a
// mediation case has a page of its own; reconsideration cases, lawsuits and
// the holiday table are shown on their desks' pages, which have no page
// per record. A record of another type has no link.
function subjectLink(n) {
  switch (n.subject_type) {
    case 'mediation_case': return el('a', { class: 'cell subject', href: '/case?id=' + encodeURIComponent(n.subject_id) }, '调解案件详情');
    case 'reconsideration_case': return el('a', { class: 'cell subject', href: '/reconsideration' }, '行政复议案件');
    case 'litigation_case': return el('a', { class: 'cell subject', href: '/liaison' }, '府院联动');
    case 'calendar': return el('a', { class: 'cell subject', href: '/admin#calendar' }, '节假日表');
    default: return el('span', { class: 'muted' }, '—');
  }
}

// when writes an instant as a clerk does, in Asia/Shanghai: 2026年12月2日 14:05.
function when(at) {
  const t = Date.parse(at || '');
  if (Number.isNaN(t)) return '—';
  const d = new Date(t + 8 * 3600e3);
  const two = x => String(x).padStart(2, '0');
  return d.getUTCFullYear() + '年' + (d.getUTCMonth() + 1) + '月' + d.getUTCDate() + '日 ' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes());
}

function stateBadge(n) {
  return n.read_at
    ? el('span', { class: 'badge quiet state', title: '阅读时间：' + when(n.read_at) }, '已读')
    : el('span', { class: 'badge unread state' }, '未读');
}

async function main() {
  await boot(NOTICE_ROLES);
  const unreadOnly = new URLSearchParams(location.search).get('unread') === 'true';
  const content = document.getElementById('content');

  const filter = el('select', { id: 'filter-unread', name: 'unread', onchange: e => {
    const p = new URLSearchParams(location.search);
    if (e.target.value) p.set('unread', 'true'); else p.delete('unread');
    location.search = p.toString();
  } }, el('option', { value: '' }, '全部通知'), el('option', { value: 'true', selected: unreadOnly }, '仅看未读'));
  const markAll = el('button', { type: 'button', class: 'secondary', id: 'mark-all' }, '全部标为已读');
  const wrap = el('div', { id: 'notices' });
  const count = el('p', { class: 'muted', id: 'notices-count' });
  const more = el('button', { type: 'button', class: 'secondary', id: 'more', hidden: true }, '加载更多');
  content.append(el('section', { class: 'card' },
    el('div', { class: 'toolbar' }, el('label', {}, '显示', filter), markAll),
    wrap, count, more));

  // markRead marks one notification read and shows it so in its row.
  const markRead = async (n, tr, button) => {
    button.disabled = true;
    try {
      await api('POST', '/api/v1/notifications/' + n.id + '/read');
    } catch (err) {
      button.disabled = false;
      throw err;
    }
    n.read_at = new Date().toISOString();
    tr.classList.replace('unread', 'read');
    tr.querySelector('td.state-cell').replaceChildren(stateBadge(n));
    button.remove();
    await refreshNotices();
  };

  const columns = [
    { title: '状态', class: 'state-cell', get: stateBadge },
    { title: '时间', class: 'when', get: n => el('time', { datetime: n.created_at }, when(n.created_at)) },
    { title: '类别', get: n => KINDS[n.kind] || '通知' },
    { title: '内容', class: 'title', get: n => n.title },
    { title: '相关记录', get: subjectLink },
    { title: '操作', class: 'act', get: () => '' },
  ];

  let cursor = '';
  let shown = 0;
  // rows renders a page of notifications: each row knows its notification
  // (data-id), is marked unread or read, and offers 标为已读 while unread.
  const rows = (items) => {
    const box = phoneCards(table(columns, items, unreadOnly ? '没有未读通知' : '暂无通知'));
    box.querySelectorAll('tbody tr').forEach((tr, i) => {
      const n = items[i];
      tr.dataset.id = String(n.id);
      tr.classList.add(n.read_at ? 'read' : 'unread');
      if (!n.read_at) {
        const button = el('button', { type: 'button', class: 'secondary mark-read' }, '标为已读');
        button.addEventListener('click', () => markRead(n, tr, button).catch(err => showError(err)));
        tr.querySelector('td.act').append(button);
      }
    });
    return box;
  };
  const load = async () => {
    const p = new URLSearchParams({ limit: String(PAGE) });
    if (unreadOnly) p.set('unread', 'true');
    if (cursor) p.set('cursor', cursor);
    const res = await api('GET', '/api/v1/notifications?' + p.toString());
    const items = res.items || [];
    const body = wrap.querySelector('tbody');
    if (body && items.length) {
      body.append(...rows(items).querySelectorAll('tbody tr')); // later pages go under the same header
    } else if (!body) {
      wrap.replaceChildren(rows(items));
    }
    shown += items.length;
    cursor = res.next_cursor || '';
    more.hidden = !cursor;
    count.textContent = shown ? '已显示 ' + shown + ' 条' + (cursor ? '，还有更多' : '') : '';
  };
  const reload = async () => {
    cursor = '';
    shown = 0;
    wrap.replaceChildren();
    await load();
  };

  // markAllRead marks every unread notification read in one request.
  const markAllRead = async () => {
    markAll.textContent = '正在标记…';
    const res = await api('POST', '/api/v1/notifications/read-all');
    if (!res.marked) {
      showInfo('没有未读通知。');
      return;
    }
    await reload();
    await refreshNotices();
    showInfo('已将 ' + res.marked + ' 条通知标为已读。');
  };
  markAll.addEventListener('click', async () => {
    markAll.disabled = true;
    try {
      await markAllRead();
    } catch (err) {
      showError(err);
    } finally {
      markAll.disabled = false;
      markAll.textContent = '全部标为已读';
    }
  });
  more.addEventListener('click', () => load().catch(err => showError(err)));

  await load();
  content.dataset.ready = 'true';
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
