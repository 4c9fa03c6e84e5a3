// Keys: create one (its raw value is shown here once, never again), list them with filters,
// change limits, budgets, allowlist and expiry, disable and enable, revoke for good.
import { api } from '../api.js';
import { el, clear, table, loading, notice, field, button, badge, announce } from '../dom.js';
import { usd, int, utc, count } from '../format.js';
import { thingForm, LIMITS } from './forms.js';

const PAGE = 50;
const STATES = [{ value: '', label: 'Any' }, { value: 'active', label: 'Active' }, { value: 'disabled', label: 'Disabled' },
  { value: 'revoked', label: 'Revoked' }, { value: 'expired', label: 'Expired' }];

const KEY_FIELDS = [
  { name: 'name', label: 'Name', kind: 'text', required: true },
  { name: 'project_id', label: 'Project', kind: 'text', hint: 'A label for reports, e.g. search' },
  { name: 'allowed_models', label: 'Allowed models', kind: 'list', hint: 'Comma-separated names or patterns (gpt-4o*, claude-*); empty allows every model' },
  { name: 'expires_at', label: 'Expires', kind: 'expiry', placeholder: '2027-01-31', hint: 'A date: valid to the end of that UTC day. Empty: never' },
  ...LIMITS.map(l => ({ ...l, group: 'limits' })),
];

export async function render(root, params, ctx) {
  const filters = { name: params.name || '', project_id: params.project_id || '', user: params.user || '', state: params.state || '' };
  const offset = Number(params.offset || 0);
  const panel = el('div', { id: 'key-panel' });
  const list = el('div', { id: 'key-list' }, loading('keys'));

  const createButton = button('Create a key', () => showCreate(), { class: 'primary', id: 'create-key' });
  root.append(el('div', { class: 'page-head' }, el('h1', {}, 'Keys'), createButton),
    el('p', { class: 'sub' }, 'Virtual keys clients send as "Authorization: Bearer tr-…". Only a hash is stored: a key\'s value is shown once, when it is created.'),
    panel, filterForm(), list);

  function filterForm() {
    const name = field('Name contains', { id: 'filter-name', value: filters.name });
    const project = field('Project', { id: 'filter-project', value: filters.project_id });
    const user = field('User (email or id)', { id: 'filter-user', value: filters.user });
    const state = field('Status', { tag: 'select', id: 'filter-state', value: filters.state, options: STATES });
    const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter keys' }, name, project, user, state,
      el('button', { type: 'submit' }, 'Filter'));
    form.addEventListener('submit', e => {
      e.preventDefault();
      ctx.go('keys', { name: name.input.value.trim(), project_id: project.input.value.trim(), user: user.input.value.trim(), state: state.input.value });
    });
    return form;
  }

  function showCreate() {
    clear(panel, thingForm({
      id: 'create-key-form', title: 'Create a key', submit: 'Create key',
      fields: [...KEY_FIELDS.slice(0, 2), { name: 'user', label: 'User (email or id)', kind: 'text', hint: 'Whose key it is; empty: nobody\'s' }, ...KEY_FIELDS.slice(2)],
      onCancel: () => clear(panel),
      onSubmit: async body => {
        const key = await api('api-keys', { method: 'POST', body });
        showRawKey(key);
        await load();
      },
    }));
    panel.querySelector('input').focus();
  }

  function showRawKey(key) {
    const value = el('code', { id: 'raw-key', class: 'raw-key' }, key.raw_key);
    const copied = el('span', { class: 'copied', role: 'status' });
    const box = el('section', { class: 'raw-key-box', id: 'raw-key-box', 'aria-labelledby': 'raw-key-title' },
      el('h2', { id: 'raw-key-title' }, `Key "${key.name}" created`),
      el('p', {}, el('strong', {}, 'Copy this key now. '), 'It is shown only this once: the gateway keeps only its hash, and no page will show it again.'),
      value,
      el('div', { class: 'actions' },
        button('Copy to clipboard', async () => {
          try {
            await navigator.clipboard.writeText(key.raw_key);
            copied.textContent = 'Copied.';
          } catch (e) {
            const range = document.createRange();
            range.selectNodeContents(value);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            copied.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.';
          }
        }, { id: 'copy-key' }),
        button('Done, hide it', () => { clear(panel); announce('The key is hidden.'); }, { id: 'hide-key', class: 'primary' }),
        copied));
    clear(panel, box);
    box.querySelector('#copy-key').focus();
  }

  function showEdit(key) {
    clear(panel, thingForm({
      id: 'edit-key-form', title: `Change key "${key.name}"`, submit: 'Save changes', initial: key, fields: KEY_FIELDS,
      onCancel: () => clear(panel),
      onSubmit: async body => {
        await api('api-keys/' + key.id, { method: 'PATCH', body });
        clear(panel, notice('ok', `Key "${key.name}" was changed.`));
        await load();
      },
    }));
    panel.querySelector('input').focus();
    panel.scrollIntoView({ block: 'start' });
  }

  async function setStatus(key, status) {
    try {
      await api('api-keys/' + key.id, { method: 'PATCH', body: { status } });
      clear(panel, notice('ok', `Key "${key.name}" is ${status === 'disabled' ? 'disabled: requests with it are refused until it is enabled again' : 'enabled again'}.`));
    } catch (e) {
      clear(panel, notice('error', e.message));
    }
    await load();
  }

  async function revoke(key) {
    if (!confirm(`Revoke the key "${key.name}" (${key.key_prefix}…) for good? Requests with it are refused at once. This cannot be undone.`)) return;
    try {
      await api('api-keys/' + key.id, { method: 'DELETE' });
      clear(panel, notice('ok', `Key "${key.name}" is revoked.`));
    } catch (e) {
      clear(panel, notice('error', e.message));
    }
    await load();
  }

  async function load() {
    let page;
    try {
      page = await api('api-keys', { params: { ...filters, limit: PAGE, offset } });
    } catch (e) {
      clear(list, notice('error', e.message));
      return;
    }
    if (ctx.stale()) return;
    const filtered = Object.values(filters).some(v => v);
    const limitsOf = k => {
      const parts = [];
      if (k.rpm_limit) parts.push(int(k.rpm_limit) + ' req/min');
      if (k.tpm_limit) parts.push(int(k.tpm_limit) + ' tok/min');
      if (k.max_concurrency) parts.push(int(k.max_concurrency) + ' at once');
      if (k.burst) parts.push(int(k.burst) + ' req/s');
      if (k.max_input_tokens) parts.push('in ≤ ' + int(k.max_input_tokens));
      if (k.max_output_tokens) parts.push('out ≤ ' + int(k.max_output_tokens));
      return parts.join(', ') || 'none';
    };
    const budgetsOf = k => [k.daily_budget ? usd(k.daily_budget) + '/day' : null, k.monthly_budget ? usd(k.monthly_budget) + '/month' : null]
      .filter(x => x).join(', ') || 'none';
    clear(list,
      el('p', { class: 'count' }, page.total === 0 ? '' : `${count(page.total, 'key')}${filtered ? ' match' : ''}; showing ${offset + 1} to ${offset + page.data.length}.`),
      table([
        { label: 'Name', value: k => k.name, key: 'name' },
        { label: 'Key', value: k => el('code', {}, k.key_prefix + '…') },
        { label: 'Status', value: k => badge(k.status), key: 'status' },
        { label: 'Project', value: k => k.project_id },
        { label: 'User', value: k => k.user_id ? el('a', { href: '#/users?id=' + k.user_id }, 'user') : null },
        { label: 'Models', value: k => k.allowed_models.length ? k.allowed_models.join(', ') : 'all' },
        { label: 'Limits', value: limitsOf },
        { label: 'Budgets', value: budgetsOf },
        { label: 'Expires', value: k => k.expires_at ? utc(k.expires_at) : 'never' },
        { label: 'Created', value: k => utc(k.created_at) },
        { label: 'Actions', value: k => el('div', { class: 'row-actions' },
          el('a', { href: '#/usage?group_by=day&key_id=' + k.id }, 'Usage'),
          el('a', { href: '#/requests?key_id=' + k.id }, 'Requests'),
          k.status === 'revoked' ? null : button('Edit', () => showEdit(k), { 'aria-label': 'Edit key ' + k.name }),
          k.status === 'active' || k.status === 'expired' ? button('Disable', () => setStatus(k, 'disabled'), { 'aria-label': 'Disable key ' + k.name }) : null,
          k.status === 'disabled' ? button('Enable', () => setStatus(k, 'enabled'), { 'aria-label': 'Enable key ' + k.name }) : null,
          k.status === 'revoked' ? null : button('Revoke', () => revoke(k), { class: 'danger', 'aria-label': 'Revoke key ' + k.name })) },
      ], page.data, {
        id: 'keys-table', caption: 'Keys, newest first',
        empty: filtered ? 'No key matches these filters.' : 'No keys yet. Create one with "Create a key"; clients send it as a bearer token.',
      }),
      pager(page));
  }

  function pager(page) {
    if (offset === 0 && !page.has_more) return null;
    return el('nav', { class: 'pager', 'aria-label': 'Pages of keys' },
      offset > 0 ? button('Previous', () => ctx.go('keys', { ...filters, offset: Math.max(0, offset - PAGE) })) : null,
      page.has_more ? button('Next', () => ctx.go('keys', { ...filters, offset: page.next_offset })) : null);
  }

  await load();
}
