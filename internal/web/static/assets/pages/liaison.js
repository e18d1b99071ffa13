// 府院联动 (/liaison): the court liaison's desk. The court's caseload
// spreadsheet is uploaded (POST /api/v1/litigation/imports, with the
// upload's progress) and its report shown, rejected rows by their
// spreadsheet row and column; the reconciliation lists what differs between
// the court's rows and the platform's cases (also as XLSX); the joint
// meeting's ledger (台账) is a board of four columns 发现问题 → 反馈整改 →
// 跟踪复核 → 销号, overdue issues in red; judicial suggestions carry their
// 60-day reply clock. Only court liaisons import and move issues; agency
// staff report on their own unit's issues; leaders read and comment.
import { api, ApiError, boot, el, table, showError, showInfo, todayISO, phoneCards, fetchAll, cookie, provisionalMark } from '../app.js';
import { LABELS, label } from '../labels.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const STATES = Object.keys(LABELS.ledgerState); // found, rectifying, reviewing, closed

const content = document.getElementById('content');
let orgNames = {};
let me = null;

function orgName(code) {
  if (!code) return '—';
  return orgNames[code] ? orgNames[code] : code;
}

function card(title, id, ...body) {
  return el('section', { class: 'card', id }, el('h2', {}, title), ...body);
}

// ---- Import -------------------------------------------------------------

// upload sends the file as the body, reporting the bytes sent.
function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    // The server tells the format from the bytes; an .xls, .et or .ods is
    // sent as it is, so that the answer names it and says what to do.
    const type = /\.xlsx$/i.test(file.name) ? XLSX_TYPE : /\.(xls|et|ods)$/i.test(file.name) ? 'application/octet-stream' : 'text/csv';
    xhr.open('POST', '/api/v1/litigation/imports?name=' + encodeURIComponent(file.name));
    xhr.setRequestHeader('Content-Type', type);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', 'zh-CN');
    xhr.setRequestHeader('X-CSRF-Token', cookie('jiefen_csrf'));
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); });
    xhr.upload.addEventListener('load', () => onProgress(file.size, file.size, true));
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (e) { data = null; }
      if (xhr.status === 401) {
        location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
        reject(new ApiError(401, null));
      } else if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data);
      } else if (xhr.status === 413) {
        reject(new ApiError(413, data && data.error ? data : { error: { message: '文件过大，超过了导入的上限' } }));
      } else {
        reject(new ApiError(xhr.status, data));
      }
    });
    xhr.addEventListener('error', () => reject(new Error('网络中断，文件没有上传完成，请重试')));
    xhr.send(file);
  });
}

function importCard(onImported) {
  // The browser's own file input speaks the browser's language: a label in
  // Chinese stands for it, with the chosen file's name beside.
  const input = el('input', { type: 'file', name: 'file', id: 'import-file', class: 'visually-hidden', accept: '.csv,.xlsx,text/csv,' + XLSX_TYPE });
  const fileName = el('span', { class: 'file-name muted', id: 'import-file-name' }, '未选择文件');
  const showName = () => {
    const f = input.files[0];
    fileName.textContent = f ? f.name + '（' + (f.size < 1024 ? f.size + ' 字节' : (f.size / 1024).toFixed(1) + ' KB') + '）' : '未选择文件';
  };
  input.addEventListener('change', showName);
  const button = el('button', { type: 'submit', id: 'import-submit' }, '上传导入');
  const bar = el('progress', { id: 'import-progress', max: 100, value: 0 });
  const barText = el('span', { id: 'import-progress-text' });
  const progress = el('div', { class: 'upload-progress', hidden: true }, bar, barText);
  const report = el('div', { id: 'import-report' });
  const form = el('form', { id: 'import-form', class: 'upload' },
    el('label', { class: 'btn secondary file-pick' }, '选择文件', input), fileName, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = input.files[0];
    if (!file) {
      showError(new Error('请先选择法院的 CSV 或 XLSX 文件'));
      return;
    }
    if (!/\.(csv|xlsx|xls|et|ods|txt)$/i.test(file.name)) {
      showError(new Error('请上传 CSV 或 XLSX 文件（' + file.name + '）'));
      return;
    }
    button.disabled = true;
    report.replaceChildren();
    progress.hidden = false;
    bar.value = 0;
    barText.textContent = '正在上传 ' + file.name + '…';
    try {
      const rep = await upload(file, (sent, total, done) => {
        const p = total ? Math.round(sent * 100 / total) : 100;
        bar.value = p;
        barText.textContent = done ? '上传完成，正在逐行校验并导入…' : '已上传 ' + p + '%';
      });
      bar.value = 100;
      barText.textContent = '导入完成：' + file.name;
      report.replaceChildren(importReport(rep));
      showInfo('已导入 ' + file.name + '：新增 ' + rep.created + '，更新 ' + rep.updated + '，未变 ' + rep.unchanged +
        '，跳过 ' + rep.skipped + '，拒收 ' + rep.rejected_rows + ' 行');
      onImported();
    } catch (err) {
      progress.hidden = true;
      showError(err);
    } finally {
      button.disabled = false;
      form.reset();
      showName();
    }
  });
  return card('导入法院收结案数据', 'import',
    el('p', { class: 'muted' }, 'Excel、WPS 或 LibreOffice 保存的 XLSX，或 CSV（UTF-8 或 GBK）。表头在前 10 行内：案号、原告、被告、案由、立案日期、开庭日期、负责人出庭、出庭人职务、结案日期、结案方式；每个有表头的工作表都导入，合计、制表人等行自动跳过。按案号新增或更新，重复导入同一文件不会改变数据。'),
    form, progress, report);
}

function importReport(rep) {
  const fig = (name, key, value, cls) => el('div', { class: 'kpi' + (cls ? ' ' + cls : '') },
    el('b', { dataset: { figure: key } }, String(value)), el('span', {}, name));
  const rejected = rep.rejected || [];
  const sheets = rep.skipped_sheets || [];
  return el('div', {},
    el('div', { class: 'kpis small' },
      fig('读取行数', 'rows', rep.rows), fig('新增', 'created', rep.created), fig('更新', 'updated', rep.updated),
      fig('未变', 'unchanged', rep.unchanged), fig('跳过', 'skipped', rep.skipped),
      fig('拒收行数', 'rejected', rep.rejected_rows, rep.rejected_rows ? 'alert' : '')),
    sheets.length ? el('p', { class: 'muted', id: 'skipped-sheets' }, '没有表头、未导入的工作表：' + sheets.join('、')) : '',
    el('h3', {}, '拒收的行（' + rep.rejected_rows + ' 行，' + rejected.length + ' 处问题）'),
    el('div', { id: 'rejected' }, table([
      // The sheet's name only for a workbook (a CSV has no sheets).
      ...(rejected.some(r => r.sheet) ? [{ title: '工作表', get: r => r.sheet || '—' }] : []),
      { title: '表格行号', get: r => String(r.row), class: 'num' },
      { title: '列', get: r => r.field || '—' },
      { title: '原因', get: r => r.message, class: 'wrap' },
    ], rejected, '没有拒收的行')));
}

// ---- Reconciliation ------------------------------------------------------

function reconValue(kind, v) {
  if (!v) return el('span', { class: 'muted' }, '—');
  if (kind === 'result') return label('litResult', v);
  // Co-defendants come as one value, their codes joined by 、.
  if (kind === 'defendant' || kind === 'missing_on_platform' || kind === 'missing_in_court') return v.split('、').map(orgName).join('、');
  return v;
}

function reconciliationCard() {
  const today = todayISO();
  const from = el('input', { type: 'date', name: 'from', id: 'recon-from', value: today.slice(0, 4) + '-01-01' });
  const to = el('input', { type: 'date', name: 'to', id: 'recon-to', value: today, max: today });
  const xlsx = el('a', { class: 'btn secondary', id: 'recon-xlsx', download: '' }, '下载 Excel');
  const summary = el('div', { class: 'tags', id: 'recon-summary' });
  const list = el('div', { id: 'recon-table', class: 'scroll' });
  const load = async () => {
    const q = new URLSearchParams({ from: from.value, to: to.value });
    xlsx.href = '/api/v1/litigation/reconciliation?' + q.toString() + '&format=xlsx';
    list.replaceChildren(el('p', { class: 'muted' }, '正在对账…'));
    const res = await api('GET', '/api/v1/litigation/reconciliation?' + q.toString());
    const counts = {};
    for (const d of res.items) counts[d.kind] = (counts[d.kind] || 0) + 1;
    summary.replaceChildren(
      el('span', { class: res.items.length ? 'badge bad' : 'badge ok' }, res.items.length ? '差异 ' + res.items.length + ' 条' : '两边一致'),
      ...Object.entries(counts).map(([k, n]) => el('span', { class: 'badge' }, label('reconKind', k) + ' ' + n)));
    list.replaceChildren(table([
      { title: '案号', get: d => d.case_number },
      { title: '差异', get: d => label('reconKind', d.kind) },
      { title: '法院', get: d => reconValue(d.kind, d.court) },
      { title: '平台', get: d => reconValue(d.kind, d.platform) },
    ], res.items, '所选期间法院数据与平台记录一致'));
  };
  const form = el('form', { class: 'toolbar', id: 'recon-form' },
    el('label', {}, '立案日期自', from), el('label', {}, '至', to),
    el('button', { type: 'submit' }, '对账'), xlsx);
  form.addEventListener('submit', (e) => { e.preventDefault(); load().catch(err => showError(err)); });
  const section = card('对账：法院数据与平台记录', 'reconciliation',
    el('p', { class: 'muted' }, '按立案日期比较最近一次导入的法院数据与平台登记的案件：一方缺失、被告、立案日期、结案方式、结案日期或开庭日期不同。'),
    form, summary, list);
  section.load = load;
  return section;
}

// ---- Ledger --------------------------------------------------------------

function nextState(s) {
  const i = STATES.indexOf(s);
  return i >= 0 && i < STATES.length - 1 ? STATES[i + 1] : null;
}

function ledgerCard(agencies) {
  const liaison = me.role === 'court_liaison';
  const canReport = liaison || me.role === 'agency_staff';
  const leader = me.role === 'leader';
  const board = el('div', { class: 'board', id: 'board' });
  const legend = el('p', { class: 'muted', id: 'ledger-summary' });
  let issues = [];

  const render = () => {
    const overdue = issues.filter(i => i.overdue && i.state !== 'closed').length;
    legend.textContent = '共 ' + issues.length + ' 项，未销号 ' + issues.filter(i => i.state !== 'closed').length + ' 项' +
      (overdue ? '，其中超期 ' + overdue + ' 项（红色）' : '') + '。进入跟踪复核和销号前，牵头单位须报送整改进展。';
    board.replaceChildren(...STATES.map((s) => {
      const items = issues.filter(i => i.state === s);
      return el('div', { class: 'column', dataset: { state: s } },
        el('h3', {}, label('ledgerState', s), el('span', { class: 'count' }, String(items.length))),
        items.length ? items.map(issueItem) : el('p', { class: 'empty' }, '暂无'));
    }));
  };

  const replace = (i) => {
    issues = issues.map(x => (x.id === i.id ? i : x));
    render();
  };

  const reload = async () => {
    issues = await fetchAll('/api/v1/ledger/issues');
    render();
  };

  // act posts an action on an issue with its version; a conflict or a
  // stale version reloads the board after saying why.
  const act = async (i, action, body, form) => {
    try {
      const out = await api('POST', '/api/v1/ledger/issues/' + i.id + '/' + action, body, { 'If-Match': '"' + i.version + '"' });
      replace(out);
      return out;
    } catch (err) {
      if (err.status === 409 || err.status === 412 || err.status === 404) {
        showError(err);
        await reload();
      } else {
        showError(err, form);
      }
      return null;
    }
  };

  function issueItem(i) {
    const next = nextState(i.state);
    const reports = i.reports || [];
    const steps = i.steps || [];
    const needsReport = (next === 'reviewing' || next === 'closed') && reports.length === 0;
    const last = reports[reports.length - 1];
    const lastStep = steps[steps.length - 1];
    const open = i.state !== 'closed';
    const deadline = i.overdue
      ? el('span', { class: 'flag' }, i.deadline + (open ? ' 已超期' : ' 超期销号'))
      : el('span', {}, i.deadline);
    const item = el('div', { class: 'item' + (i.overdue ? ' overdue' : ''), dataset: { id: String(i.id), state: i.state } },
      el('div', { class: 'meta' }, i.meeting),
      el('h4', {}, i.title),
      el('div', { class: 'line' }, '牵头：' + orgName(i.lead_unit)),
      (i.co_units || []).length ? el('div', { class: 'line meta' }, '配合：' + i.co_units.map(orgName).join('、')) : null,
      el('div', { class: 'line' }, '期限：', deadline),
      i.closed_on ? el('div', { class: 'line meta' }, '销号：' + i.closed_on) : null,
      el('div', { class: 'line meta' }, '整改进展 ' + reports.length + ' 份' + (last ? '；最新 ' + last.on + '：' + last.text : '')),
      lastStep && lastStep.note ? el('div', { class: 'line meta' }, label('ledgerState', lastStep.state) + '说明：' + lastStep.note) : null,
      (i.comments || []).length ? el('div', { class: 'line meta' }, '领导批示：' + i.comments.map(c => c.text).join('；')) : null);
    const actions = el('div', { class: 'item-actions' });
    const slot = el('div');
    const toggle = (form) => {
      if (slot.firstChild === form) {
        slot.replaceChildren();
        return;
      }
      slot.replaceChildren(form);
      form.querySelector('input, textarea').focus();
    };
    if (open && canReport) {
      const text = el('textarea', { name: 'text', required: true, placeholder: '整改进展（牵头单位报送的情况）' });
      const attachments = el('input', { name: 'attachments', placeholder: '附件：文号或链接，用逗号分隔（可选）' });
      const f = el('form', { class: 'report-form' }, text, attachments, el('button', { type: 'submit' }, '提交进展'));
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        const files = attachments.value.split(/[,，;；]/).map(s => s.trim()).filter(Boolean);
        const out = await act(i, 'reports', { text: text.value, attachments: files }, f);
        if (out) showInfo('已记录「' + out.title + '」的整改进展');
      });
      actions.append(el('button', { type: 'button', class: 'secondary', dataset: { action: 'report' }, onclick: () => toggle(f) }, '报送进展'));
    }
    if (open && liaison && next) {
      const note = el('input', { name: 'note', placeholder: '说明（可选）' });
      const f = el('form', { class: 'advance-form' }, note,
        el('button', { type: 'submit' }, '确认推进至「' + label('ledgerState', next) + '」'));
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        const out = await act(i, 'advance', { to: next, note: note.value }, f);
        if (out) showInfo('「' + out.title + '」已推进至「' + label('ledgerState', out.state) + '」');
      });
      actions.append(el('button', {
        type: 'button', dataset: { action: 'advance' }, disabled: needsReport,
        title: needsReport ? '牵头单位尚未报送整改进展，不能进入「' + label('ledgerState', next) + '」' : null,
        onclick: () => toggle(f),
      }, '推进至「' + label('ledgerState', next) + '」'));
      if (needsReport) actions.append(el('span', { class: 'meta' }, '需先报送整改进展'));
    }
    if (leader) {
      const text = el('textarea', { name: 'text', required: true, placeholder: '批示内容' });
      const f = el('form', { class: 'comment-form' }, text, el('button', { type: 'submit' }, '提交批示'));
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        const out = await act(i, 'comments', { text: text.value }, f);
        if (out) showInfo('已批示「' + out.title + '」');
      });
      actions.append(el('button', { type: 'button', class: 'secondary', dataset: { action: 'comment' }, onclick: () => toggle(f) }, '批示'));
    }
    if (actions.childNodes.length) item.append(actions, slot);
    return item;
  }

  // The 台账 as a clerk files it: every issue the reader may see, as Excel.
  const xlsx = el('a', { class: 'btn secondary', id: 'ledger-xlsx', download: '', href: '/api/v1/ledger/issues?format=xlsx' }, '下载台账 Excel');
  const parts = [el('div', { class: 'actions' }, legend, xlsx)];
  if (liaison) parts.unshift(issueForm(agencies, async (created) => {
    issues = [created].concat(issues);
    render();
  }));
  const section = card('府院联席会议问题台账', 'ledger', ...parts, board);
  section.reload = reload;
  return section;
}

function issueForm(agencies, onCreated) {
  const today = todayISO();
  const options = () => agencies.map(o => el('option', { value: o.code }, o.name));
  const form = el('form', { class: 'stack', id: 'issue-form' },
    el('div', { class: 'row' },
      el('label', {}, '联席会议', el('input', { name: 'meeting', required: true, placeholder: today.slice(0, 4) + '年第一次府院联席会议' })),
      el('label', {}, '问题', el('input', { name: 'title', required: true, placeholder: '会议提出的问题' }))),
    el('div', { class: 'row' },
      el('label', {}, '牵头单位', el('select', { name: 'lead_unit', required: true }, el('option', { value: '' }, '请选择'), options())),
      el('label', {}, '配合单位（可多选）', el('select', { name: 'co_units', multiple: true, size: 3 }, options()))),
    el('div', { class: 'row' },
      el('label', {}, '整改期限', el('input', { type: 'date', name: 'deadline', required: true, min: today })),
      el('label', {}, '提出日期', el('input', { type: 'date', name: 'on', value: today, max: today }))),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, '登记问题')));
  const box = el('details', { class: 'create', id: 'issue-create' }, el('summary', {}, '＋ 登记联席会议提出的问题'), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = (n) => form.elements[n].value.trim();
    const body = {
      meeting: v('meeting'), title: v('title'), lead_unit: v('lead_unit'),
      co_units: Array.from(form.elements.co_units.selectedOptions).map(o => o.value),
      deadline: v('deadline') || null, on: v('on') || null,
    };
    try {
      const out = await api('POST', '/api/v1/ledger/issues', body);
      form.reset();
      form.elements.on.value = today;
      form.querySelectorAll('.field-error').forEach(x => x.remove());
      form.querySelectorAll('.invalid').forEach(x => x.classList.remove('invalid'));
      box.open = false;
      showInfo('已登记「' + out.title + '」，列入「' + label('ledgerState', out.state) + '」');
      onCreated(out);
    } catch (err) {
      showError(err, form);
    }
  });
  return box;
}

// ---- Judicial suggestions ------------------------------------------------

function replyClock(s) {
  const k = s.clock;
  if (s.replied_on) {
    const late = k && k.state === 'late';
    return el('span', { class: late ? 'badge bad' : 'badge ok' }, '已回复 ' + s.replied_on + (late ? '（超期）' : ''));
  }
  if (!k || !k.due) return el('span', { class: 'muted' }, '—');
  const overdue = k.state === 'overdue';
  return el('span', {}, el('span', { class: overdue ? 'badge overdue' : 'badge', title: k.basis }, k.due + (overdue ? ' 已超期' : ' 前回复')),
    provisionalMark(k));
}

// suggestionsCard lists the judicial suggestions; the addressed agency's
// staff (and the liaison, entering it after the fact) record a reply.
function suggestionsCard() {
  const canReply = me.role === 'agency_staff' || me.role === 'court_liaison';
  const summary = el('p', { class: 'muted' });
  const list = el('div', { id: 'suggestion-list' });
  let items = [];
  const replyCell = (s) => {
    if (s.replied_on || !canReply) return s.reply || '';
    const text = el('textarea', { name: 'reply', required: true, placeholder: '回复内容' });
    const on = el('input', { type: 'date', name: 'on', value: todayISO(), max: todayISO(), min: s.received_on });
    const f = el('form', { class: 'reply-form', hidden: true }, text, on, el('button', { type: 'submit' }, '提交回复'));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const out = await api('POST', '/api/v1/judicial-suggestions/' + s.id + '/reply', { reply: text.value, on: on.value || null });
        items = items.map(x => (x.id === out.id ? out : x));
        render();
        showInfo('已录入对' + (out.number || '司法建议') + '的回复');
      } catch (err) {
        showError(err, f);
      }
    });
    return el('div', {}, el('button', { type: 'button', class: 'secondary', dataset: { action: 'reply' }, onclick: () => {
      f.hidden = !f.hidden;
      if (!f.hidden) text.focus();
    } }, '录入回复'), f);
  };
  const render = () => {
    const open = items.filter(s => !s.replied_on);
    const overdue = open.filter(s => s.clock && s.clock.state === 'overdue').length;
    summary.textContent = '共 ' + items.length + ' 件，待回复 ' + open.length + ' 件' + (overdue ? '，已超期 ' + overdue + ' 件' : '') +
      '。依据：最高人民法院关于适用《中华人民共和国行政诉讼法》的解释 第149条。';
    list.replaceChildren(phoneCards(table([
      { title: '文号', get: s => s.number || '—' },
      { title: '法院', get: s => s.court },
      { title: '致送单位', get: s => orgName(s.addressee) },
      { title: '事项', get: s => s.subject, class: 'wrap' },
      { title: '收到日期', get: s => s.received_on },
      { title: '回复期限', get: replyClock },
      { title: '回复', get: replyCell, class: 'wrap' },
    ], items, '暂无司法建议')));
    list.querySelectorAll('tbody tr').forEach((tr, i) => { tr.dataset.id = String(items[i].id); });
  };
  const section = card('司法建议（收到之日起60日内回复）', 'suggestions', summary, list);
  section.reload = async () => {
    items = await fetchAll('/api/v1/judicial-suggestions', 5);
    render();
  };
  return section;
}

// ---- Page ----------------------------------------------------------------

async function main() {
  me = await boot(['court_liaison', 'agency_staff', 'leader']);
  const orgs = await fetchAll('/api/v1/orgs', 5);
  orgNames = Object.fromEntries(orgs.map(o => [o.code, o.name]));
  const agencies = orgs.filter(o => o.kind === 'agency');
  const page = el('div', { class: 'stack-page' });
  content.append(page);

  let recon = null;
  if (me.role === 'court_liaison' || me.role === 'leader') recon = reconciliationCard();
  if (me.role === 'court_liaison') {
    page.append(el('div', { class: 'grid' }, importCard(() => { if (recon) recon.load().catch(err => showError(err)); }), recon));
  } else if (recon) {
    page.append(recon);
  }
  const ledger = ledgerCard(agencies);
  page.append(ledger);
  const suggestions = suggestionsCard();
  page.append(suggestions);
  await Promise.all([recon ? recon.load() : null, ledger.reload(), suggestions.reload()]);
  content.dataset.ready = 'true';
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
