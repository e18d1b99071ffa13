// 修改密码 (/password): anyone changes their own password here. A user
// whose password must be changed (a one-time password after a reset, or
// one older than the maximum age) is sent
// here at login and by every page, and may do nothing else until it is
// done; afterwards the page goes on to where the user was going. The
// rules shown are the password policy the security administrator sets.
import { api, boot, el, homeOf, param, passwordRule, sameOrigin, showError, showInfo } from '../app.js';

const content = document.getElementById('content');

async function main() {
  const me = await boot(null);
  const p = await api('GET', '/api/v1/auth/password-policy');
  const rules = el('ul', { class: 'muted', id: 'password-rules' },
    el('li', {}, '新密码' + passwordRule(p) + '，且不能与原密码相同。'),
    el('li', {}, p.max_age_days ? '密码有效期' + p.max_age_days + '天，到期后须修改。' : '密码长期有效。'),
    el('li', {}, p.lockout_window_minutes + '分钟内输错' + p.lockout_failures + '次，账号锁定' + p.lockout_minutes + '分钟（修改密码时原密码输错同样计入）。'));
  const form = el('form', { class: 'stack card', id: 'password-form', autocomplete: 'off' },
    me.must_change_password ? el('p', { class: 'message error', id: 'must-change' },
      '您的密码是一次性密码或已超过有效期，须修改后才能继续使用。') : null,
    el('label', {}, '原密码', el('input', { name: 'old', type: 'password', required: true, autocomplete: 'current-password' })),
    rules,
    el('label', {}, '新密码', el('input', { name: 'new', type: 'password', required: true, minlength: p.min_length, autocomplete: 'new-password',
      placeholder: passwordRule(p) })),
    el('label', {}, '再次输入新密码', el('input', { name: 'again', type: 'password', required: true, autocomplete: 'new-password' })),
    el('p', { class: 'muted' }, '修改后，您在其他设备上的登录将退出。'),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, '修改密码')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = n => form.elements[n].value;
    if (v('new') !== v('again')) {
      showError({ message: '两次输入的新密码不一致', fields: [{ field: 'again', message: '与新密码不一致' }] }, form);
      return;
    }
    try {
      await api('POST', '/api/v1/auth/password', { old: v('old'), new: v('new') });
      form.reset();
      showInfo('密码已修改。');
      location.href = sameOrigin(param('next')) || homeOf(me.role);
    } catch (err) {
      showError(err, form);
    }
  });
  content.append(form);
  content.dataset.ready = 'true';
}

main().catch((err) => { if (err.message !== 'redirect') showError(err); });
