// Registration of a dispute (/intake) by an intake desk, with the routing
// decision previewed live: as the clerk types, the form's body goes to
// POST /api/v1/routing/preview (debounced) and the decision — track, org,
// rule, reason, due date and its legal basis — shows beside the form; an
// incomplete form only says quietly what is missing. Submitting POSTs
// /api/v1/disputes with an Idempotency-Key (one per form, so a double
// click or a retry registers once) and shows the code and where the
// dispute went; a 422 puts each field's message next to its input (the
// inputs are named by the API's field paths, e.g. parties[0].id_number).
// A party is a person (个人: name and ID number) or an organisation (单位:
// name and 统一社会信用代码); the form shows the fields of the kind chosen
// and sends only those.
import { api, boot, el, showError, showInfo, todayISO, ApiError, provisionalMark } from '../app.js';
import { LABELS, label } from '../labels.js';

const content = document.getElementById('content');
let orgs = [];
let ruleNames = {};

function orgName(code) {
  const o = orgs.find(x => x.code === code);
  return o ? o.name : '';
}

// idempotencyKey is a random key for one filled-in form.
function idempotencyKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return 'web-' + Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
}

function field(text, control, hint) {
  return el('label', {}, el('span', { class: 'label-text' }, text), control, hint ? el('small', { class: 'muted' }, hint) : null);
}

function select(name, table, empty) {
  return el('select', { name }, el('option', { value: '' }, empty),
    Object.keys(LABELS[table]).map(k => el('option', { value: k }, label(table, k))));
}

// fen reads an amount in 元 as fen: undefined when empty, NaN when bad.
function fen(v) {
  const s = String(v || '').trim().replace(/[,，]/g, '');
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : NaN;
}

function trimmed(v) {
  const s = String(v || '').trim();
  return s === '' ? undefined : s;
}

// showKind shows the fields of the party kind chosen in a party's block:
// a person's name and ID number, or an organisation's name and credit code.
function showKind(box) {
  const org = box.querySelector('[data-part=kind]').value === 'organisation';
  box.dataset.kind = org ? 'organisation' : 'person';
  box.querySelector('[data-part=name]').closest('label').querySelector('.label-text').textContent = org ? '单位名称' : '姓名';
  box.querySelector('[data-part=id_number]').closest('label').hidden = org;
  box.querySelector('[data-part=credit_code]').closest('label').hidden = !org;
}

function partyBlock(role, removable, onRemove) {
  const kind = el('select', { dataset: { part: 'kind' } },
    Object.keys(LABELS.partyKind).map(k => el('option', { value: k }, label('partyKind', k))));
  const box = el('fieldset', { class: 'party', dataset: { role, kind: 'person' } },
    el('legend', {}, label('partyRole', role)),
    el('input', { type: 'hidden', name: 'role', value: role, dataset: { part: 'role' } }),
    el('div', { class: 'row' },
      field('类型', kind),
      field('姓名', el('input', { type: 'text', dataset: { part: 'name' }, maxlength: 100, autocomplete: 'off' })),
      field('身份证号码', el('input', { type: 'text', dataset: { part: 'id_number' }, maxlength: 18, autocomplete: 'off', inputmode: 'text', placeholder: '18 位居民身份证号码' })),
      field('统一社会信用代码', el('input', { type: 'text', dataset: { part: 'credit_code' }, maxlength: 24, autocomplete: 'off', inputmode: 'text', placeholder: '18 位，如 91410482MA47BQ8J76' })),
      field('联系电话', el('input', { type: 'tel', dataset: { part: 'phone' }, maxlength: 20, autocomplete: 'off' }))),
    removable ? el('div', { class: 'actions' }, el('button', { type: 'button', class: 'secondary small remove-party', onclick: onRemove }, '删除该当事人')) : null);
  kind.addEventListener('change', () => showKind(box));
  showKind(box);
  return box;
}

async function main() {
  await boot(['intake']);
  const [townships, orgList, rules] = await Promise.all([
    api('GET', '/api/v1/orgs?kind=township&limit=200').catch(() => ({ items: [] })),
    api('GET', '/api/v1/orgs?limit=200').catch(() => ({ items: [] })),
    api('GET', '/api/v1/deadlines/rules').catch(() => ({ items: [] })),
  ]);
  orgs = orgList.items || [];
  for (const r of rules.items || []) ruleNames[r.id] = r.name;

  const townList = el('datalist', { id: 'township-list' }, (townships.items || []).map(o => el('option', { value: o.name })));
  const parties = el('div', { id: 'parties' });
  const partiesMarker = el('input', { type: 'hidden', name: 'parties' });
  const renumber = () => {
    parties.querySelectorAll('fieldset.party').forEach((fs, i) => {
      fs.querySelectorAll('[data-part]').forEach(x => { x.name = 'parties[' + i + '].' + x.dataset.part; });
      if (fs.dataset.role === 'respondent') {
        const n = Array.from(parties.querySelectorAll('fieldset.party[data-role=respondent]')).indexOf(fs) + 1;
        fs.querySelector('legend').textContent = label('partyRole', 'respondent') + ' ' + n;
      }
    });
  };
  const addRespondent = () => {
    const fs = partyBlock('respondent', true, () => { fs.remove(); renumber(); schedule(); });
    parties.append(fs);
    renumber();
    fs.querySelector('[data-part=name]').focus();
  };
  parties.append(partyBlock('applicant', false));

  const form = el('form', { class: 'stack', id: 'intake-form', novalidate: true, autocomplete: 'off' },
    field('纠纷事项（标题）', el('input', { type: 'text', name: 'title', maxlength: 200, required: true, placeholder: '如：楼上漏水引发的邻里纠纷' })),
    el('div', { class: 'row' },
      field('纠纷类别', select('category', 'category', '请选择')),
      field('来源', select('source', 'source', '请选择')),
      field('来源编号', el('input', { type: 'text', name: 'source_ref', maxlength: 100, placeholder: '如：110 接警单号' }))),
    el('div', { class: 'row' },
      field('发生地（乡镇、街道）', el('input', { type: 'text', name: 'township', list: 'township-list', maxlength: 100, placeholder: '如：汝州市钟楼街道' })),
      field('涉及金额（元）', el('input', { type: 'text', name: 'amount_fen', inputmode: 'decimal', placeholder: '0.00' })),
      field('发生日期', el('input', { type: 'date', name: 'occurred_on', max: todayISO() }))),
    field('纠纷简要情况', el('textarea', { name: 'description', rows: 3, maxlength: 5000 })),
    el('fieldset', { class: 'flags' }, el('legend', {}, '标记'),
      Object.keys(LABELS.flag).map(f => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'flags', value: f }), label('flag', f)))),
    el('h2', {}, '当事人'), parties, partiesMarker,
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', id: 'add-respondent', onclick: () => { addRespondent(); schedule(); } }, '＋ 添加被申请人')),
    el('div', { class: 'actions submit' }, el('button', { type: 'submit', id: 'submit' }, '登记并分流')),
    townList);
  renumber();

  const preview = el('div', { class: 'preview', id: 'preview', dataset: { state: 'empty' } },
    el('p', { class: 'muted' }, '填写纠纷信息后，这里会显示分流结果。'));
  const result = el('section', { class: 'card result', id: 'result', hidden: true });
  content.append(result, el('div', { class: 'intake-layout' }, form,
    el('aside', { class: 'intake-side' }, el('h2', {}, '分流预览'), preview)));

  // body is the request of the form, and for each party sent the index of
  // its block (blank added parties are left out).
  const body = () => {
    const v = name => (form.elements.namedItem(name) ? form.elements.namedItem(name).value : '');
    const sent = [];
    const list = [];
    parties.querySelectorAll('fieldset.party').forEach((fs, i) => {
      const get = part => fs.querySelector('[data-part=' + part + ']').value.trim();
      const p = { role: fs.dataset.role, kind: get('kind') || 'person', name: get('name'), phone: trimmed(get('phone')) };
      if (p.kind === 'organisation') p.credit_code = trimmed(get('credit_code'));
      else p.id_number = trimmed(get('id_number'));
      if (i > 0 && !p.name && !p.id_number && !p.credit_code && !p.phone) return;
      sent.push(i);
      list.push(p);
    });
    const amount = fen(v('amount_fen'));
    return {
      sent,
      amountBad: Number.isNaN(amount),
      req: {
        title: v('title').trim(), description: v('description').trim(), category: v('category'), source: v('source'),
        source_ref: v('source_ref').trim(), township: v('township').trim(),
        amount_fen: Number.isNaN(amount) ? undefined : amount, occurred_on: trimmed(v('occurred_on')),
        parties: list, flags: Array.from(form.querySelectorAll('input[name=flags]:checked')).map(x => x.value),
      },
    };
  };

  // remap names the fields of a 422 by the form's inputs: parties[i] as
  // the i-th block, and an indexed field (flags[0]) by its list.
  const remap = (err, sent) => {
    err.fields = (err.fields || []).map(f => {
      let name = f.field.replace(/^parties\[(\d+)\]/, (m, i) => 'parties[' + (sent[Number(i)] ?? i) + ']');
      if (!form.querySelector('[name="' + CSS.escape(name) + '"]')) {
        const base = name.replace(/\[\d+\]$/, '');
        if (form.querySelector('[name="' + CSS.escape(base) + '"]')) name = base;
      }
      return { field: name, message: f.message };
    });
    return err;
  };

  const fieldText = (name) => {
    const x = form.querySelector('[name="' + CSS.escape(name) + '"]');
    if (!x) return name;
    const fs = x.closest('fieldset.party');
    const lab = x.closest('label');
    const t = lab && lab.querySelector('.label-text') ? lab.querySelector('.label-text').textContent : (name === 'parties' ? '当事人' : name);
    return fs ? fs.querySelector('legend').textContent + t : t;
  };

  // The live preview: the newest answer wins.
  let timer = 0;
  let seq = 0;
  const runPreview = async () => {
    const mine = ++seq;
    const { req, sent, amountBad } = body();
    if (!req.title && !req.category && !req.source && !req.township && !req.parties.some(p => p.name)) {
      preview.dataset.state = 'empty';
      preview.replaceChildren(el('p', { class: 'muted' }, '填写纠纷信息后，这里会显示分流结果。'));
      return;
    }
    // What every decision needs is checked here, without a request: the
    // rules cannot route a dispute without a title, category, source and
    // an applicant.
    const missing = [];
    if (!req.title) missing.push('纠纷事项（标题）');
    if (!req.category) missing.push('纠纷类别');
    if (!req.source) missing.push('来源');
    if (!req.parties.some(p => p.role === 'applicant' && p.name)) missing.push('申请人姓名（名称）');
    if (missing.length) {
      preview.dataset.state = 'incomplete';
      preview.classList.remove('busy');
      preview.replaceChildren(el('p', { class: 'muted' }, '信息尚不完整，补充后显示分流结果：'),
        el('ul', { class: 'muted small' }, missing.map(m => el('li', {}, m + '：必填'))));
      return;
    }
    preview.classList.add('busy');
    try {
      const res = await api('POST', '/api/v1/routing/preview', req);
      if (mine !== seq) return;
      renderDecision(res.routing, amountBad);
    } catch (err) {
      if (mine !== seq) return;
      if (err.status === 422) {
        remap(err, sent);
        const missing = (err.fields || []).map(f => el('li', { dataset: { field: f.field } }, fieldText(f.field) + '：' + f.message));
        preview.dataset.state = 'incomplete';
        preview.replaceChildren(el('p', { class: 'muted' }, '信息尚不完整，补充后显示分流结果：'), el('ul', { class: 'muted small' }, missing));
      } else {
        preview.dataset.state = 'error';
        preview.replaceChildren(el('p', { class: 'muted' }, '暂时无法预览分流结果（' + (err.message || err) + '）。'));
      }
    } finally {
      if (mine === seq) preview.classList.remove('busy');
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { runPreview().catch(() => {}); }, 400);
  };
  const renderDecision = (d, amountBad) => {
    preview.dataset.state = 'ok';
    preview.dataset.track = d.track;
    preview.dataset.org = d.org_code || '';
    preview.replaceChildren(
      el('p', { class: 'decision' }, el('b', { class: 'track' }, label('track', d.track)),
        d.priority === 'high' ? el('span', { class: 'badge overdue' }, '预警') : null),
      el('dl', { class: 'facts' },
        el('dt', {}, '承办组织'), el('dd', { class: 'org', title: d.org_code || '' }, orgName(d.org_code) || d.org_code || '—'),
        el('dt', {}, '分流规则'), el('dd', { class: 'rule', title: d.rule }, d.rule_title || d.rule),
        el('dt', {}, '分流理由'), el('dd', {}, d.reason),
        el('dt', {}, '办理期限'), el('dd', {}, d.due ? [d.due, provisionalMark(d), d.clock_rule ? el('div', { class: 'muted' }, ruleNames[d.clock_rule] || d.clock_rule) : null]
          : el('span', { class: 'muted' }, d.clock_rule ? '无法计算' : '本渠道不在本平台计时')),
        el('dt', {}, '法律依据'), el('dd', {}, d.basis || '—'),
        d.guidance ? [el('dt', {}, '告知当事人'), el('dd', {}, d.guidance)] : null),
      el('p', { class: 'field-error', hidden: !amountBad }, '金额格式不正确，未计入预览。'),
      el('p', { class: 'muted small' }, '预览不保存；登记时按最新规则分流，并检查重复来访。'));
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);

  let key = idempotencyKey();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const btn = form.querySelector('#submit');
    const { req, sent, amountBad } = body();
    if (amountBad) {
      showError(new ApiError(422, { error: { message: '提交的内容有误，请按提示修改', fields: [{ field: 'amount_fen', message: '请填写不小于 0 的金额（元）' }] } }), form);
      return;
    }
    btn.disabled = true;
    try {
      const d = await api('POST', '/api/v1/disputes', req, { 'Idempotency-Key': key });
      form.querySelectorAll('.field-error').forEach(x => x.remove());
      form.querySelectorAll('.invalid').forEach(x => x.classList.remove('invalid'));
      showResult(d);
    } catch (err) {
      if (err.status === 422) {
        err.message = '提交的内容有误，请按提示修改';
        showError(remap(err, sent), form);
      } else if (err.status === 409) {
        showError(new Error('该登记正在处理中，请稍候再试。'));
      } else {
        showError(err, form);
      }
    } finally {
      btn.disabled = false;
    }
  });

  const layout = content.querySelector('.intake-layout');
  const showResult = (d) => {
    const r = d.routing || {};
    const caseLink = r.case_id ? el('a', { class: 'btn', id: 'result-case', href: '/case?id=' + r.case_id }, '查看调解案件') : null;
    result.replaceChildren(
      el('h2', {}, '已登记'),
      el('p', { class: 'code' }, '纠纷编号 ', el('b', { id: 'result-code' }, d.code)),
      el('dl', { class: 'facts', id: 'result-routing' },
        el('dt', {}, '办理渠道'), el('dd', { id: 'result-track' }, label('track', r.track)),
        el('dt', {}, '承办组织'), el('dd', { id: 'result-org', title: r.org_code || '' }, orgName(r.org_code) || r.org_code || '—'),
        el('dt', {}, '调解员'), el('dd', { id: 'result-assignee' }, r.assignee || (r.case_id ? '待分派' : '—')),
        el('dt', {}, '办理期限'), el('dd', { id: 'result-due' }, r.due ? [r.due, provisionalMark(r)] : el('span', { class: 'muted' }, '本渠道不在本平台计时')),
        el('dt', {}, '法律依据'), el('dd', {}, r.basis || '—'),
        el('dt', {}, '分流理由'), el('dd', {}, r.reason || '—'),
        el('dt', {}, '状态'), el('dd', {}, label('disputeStatus', d.status)),
        d.priority === 'high' ? [el('dt', {}, '优先级'), el('dd', {}, el('span', { class: 'badge overdue' }, label('priority', d.priority)))] : null,
        d.repeat_of ? [el('dt', {}, '重复来访'), el('dd', {}, el('span', { class: 'badge warn' }, '前次纠纷 ' + d.repeat_of))] : null,
        r.guidance ? [el('dt', {}, '告知当事人'), el('dd', {}, r.guidance)] : null),
      el('div', { class: 'actions' }, caseLink,
        el('button', { type: 'button', class: 'secondary', id: 'again', onclick: again }, '继续登记下一件')));
    result.hidden = false;
    layout.hidden = true;
    showInfo('已登记：' + d.code + '，分流至' + label('track', r.track) + (r.org_code ? '（' + (orgName(r.org_code) || r.org_code) + '）' : '') + '。');
    window.scrollTo(0, 0);
  };
  const again = () => {
    form.reset();
    parties.querySelectorAll('fieldset.party[data-role=respondent]').forEach(x => x.remove());
    parties.querySelectorAll('fieldset.party').forEach(showKind);
    renumber();
    key = idempotencyKey();
    result.hidden = true;
    layout.hidden = false;
    const box = document.getElementById('message');
    box.className = 'message';
    box.textContent = '';
    preview.dataset.state = 'empty';
    delete preview.dataset.track;
    delete preview.dataset.org;
    preview.replaceChildren(el('p', { class: 'muted' }, '填写纠纷信息后，这里会显示分流结果。'));
    form.elements.namedItem('title').focus();
  };
  form.dataset.ready = 'true';
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
