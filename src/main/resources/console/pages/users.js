// Users and plans: users (their plan, token quota, price multiplier and limits across all their
// keys) and the plans they are on (quota, request rate, price multiplier).
import { api } from '../api.js';
import { el, clear, table, loading, notice, field, button } from '../dom.js';
import { int, utc } from '../format.js';
import { thingForm, LIMITS } from './forms.js';

const PAGE = 50;

export async function render(root, params, ctx) {
  const filters = { plan: params.plan || '', email: params.email || '' };
  const offset = Number(params.offset || 0);
  const panel = el('div', { id: 'user-panel' });
  const userList = el('div', { id: 'user-list' }, loading('users'));
  const planPanel = el('div', { id: 'plan-panel' });
  const planList = el('div', { id: 'plan-list' }, loading('plans'));
  let plans = [];

  root.append(
    el('div', { class: 'page-head' }, el('h1', {}, 'Users and plans'),
      button('Create a user', () => showUserForm(null), { class: 'primary', id: 'create-user' })),
    el('p', { class: 'sub' }, 'A user\'s limits and budgets apply across all of their keys, on top of each key\'s own. A plan sets the default monthly token quota, request rate and price multiplier.'),
    panel, filterForm(), userList,
    el('div', { class: 'page-head' }, el('h2', {}, 'Plans'), button('Create a plan', () => showPlanForm(null), { id: 'create-plan' })),
    planPanel, planList);

  function filterForm() {
    const email = field('Email contains', { id: 'filter-email', value: filters.email });
    const plan = field('Plan', { id: 'filter-plan', value: filters.plan });
    const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter users' }, email, plan, el('button', { type: 'submit' }, 'Filter'));
    form.addEventListener('submit', e => {
      e.preventDefault();
      ctx.go('users', { email: email.input.value.trim(), plan: plan.input.value.trim() });
    });
    return form;
  }

  const planOptions = () => plans.map(p => ({ value: p.name, label: p.name }));

  function showUserForm(user) {
    const fields = [
      ...(user ? [] : [{ name: 'email', label: 'Email', kind: 'text', required: true }]),
      { name: 'name', label: 'Name', kind: 'text' },
      { name: 'plan', label: 'Plan', kind: 'select', options: planOptions(), default: 'free' },
      { name: 'monthly_token_quota', label: 'Monthly token quota', kind: 'number', hint: 'Empty: the plan\'s' },
      { name: 'price_multiplier', label: 'Price multiplier', kind: 'number', hint: 'Empty: the plan\'s; 0.8 bills 80% of list prices' },
      ...LIMITS.map(l => ({ ...l, group: 'limits' })),
    ];
    clear(panel, thingForm({
      id: user ? 'edit-user-form' : 'create-user-form', title: user ? `Change user ${user.email}` : 'Create a user',
      submit: user ? 'Save changes' : 'Create user', initial: user, fields,
      onCancel: () => clear(panel),
      onSubmit: async body => {
        const saved = await api(user ? 'users/' + user.id : 'users', { method: user ? 'PATCH' : 'POST', body });
        clear(panel, notice('ok', user ? `User ${saved.email} was changed.` : `User ${saved.email} was created.`));
        await loadUsers();
      },
    }));
    panel.querySelector('input, select').focus();
  }

  function showPlanForm(plan) {
    const fields = [
      ...(plan ? [] : [{ name: 'name', label: 'Name', kind: 'text', required: true, hint: 'Lower-case letters, digits, - and _' }]),
      { name: 'monthly_token_quota', label: 'Monthly token quota', kind: 'number', hint: 'Empty: unlimited' },
      { name: 'rpm_limit', label: 'Requests per minute', kind: 'number', hint: 'Empty: no plan-wide rate' },
      { name: 'price_multiplier', label: 'Price multiplier', kind: 'number', required: true, default: '1' },
    ];
    clear(planPanel, thingForm({
      id: plan ? 'edit-plan-form' : 'create-plan-form', title: plan ? `Change plan ${plan.name}` : 'Create a plan',
      submit: plan ? 'Save changes' : 'Create plan', initial: plan, fields,
      onCancel: () => clear(planPanel),
      onSubmit: async body => {
        const saved = await api(plan ? 'plans/' + encodeURIComponent(plan.name) : 'plans', { method: plan ? 'PATCH' : 'POST', body });
        clear(planPanel, notice('ok', `Plan ${saved.name} was ${plan ? 'changed' : 'created'}.`));
        await loadPlans();
      },
    }));
    planPanel.querySelector('input').focus();
  }

  async function loadUsers() {
    let page;
    try {
      if (params.id) {
        const u = await api('users/' + encodeURIComponent(params.id));
        page = { data: [u], total: 1, has_more: false };
      } else {
        page = await api('users', { params: { ...filters, limit: PAGE, offset } });
      }
    } catch (e) {
      clear(userList, notice('error', e.message));
      return;
    }
    if (ctx.stale()) return;
    const limitsOf = u => LIMITS.filter(l => u[l.name] !== null && u[l.name] !== undefined)
      .map(l => `${l.label.replace(/ \(.*\)/, '')}: ${l.name.includes('budget') ? '$' + u[l.name] : int(u[l.name])}`).join('; ') || 'none';
    const filtered = filters.plan || filters.email || params.id;
    clear(userList,
      params.id ? el('p', {}, 'One user. ', el('a', { href: '#/users' }, 'Show all users')) : null,
      table([
        { label: 'Email', value: u => u.email, key: 'email' },
        { label: 'Name', value: u => u.name },
        { label: 'Plan', value: u => u.plan },
        { label: 'Monthly token quota', num: true, value: u => u.monthly_token_quota === null ? 'plan\'s' : int(u.monthly_token_quota) },
        { label: 'Price multiplier', num: true, value: u => u.price_multiplier === null ? 'plan\'s' : String(u.price_multiplier) },
        { label: 'Limits and budgets', value: limitsOf },
        { label: 'Created', value: u => utc(u.created_at) },
        { label: 'Actions', value: u => el('div', { class: 'row-actions' },
          el('a', { href: '#/keys?user=' + u.id }, 'Keys'),
          el('a', { href: '#/usage?group_by=day&user=' + u.id }, 'Usage'),
          button('Edit', () => showUserForm(u), { 'aria-label': 'Edit user ' + u.email })) },
      ], page.data, { id: 'users-table', caption: 'Users, newest first',
        empty: filtered ? 'No user matches these filters.' : 'No users yet. Keys work without one; create users to give several keys one plan, quota and budget.' }),
      offset > 0 || page.has_more ? el('nav', { class: 'pager', 'aria-label': 'Pages of users' },
        offset > 0 ? button('Previous', () => ctx.go('users', { ...filters, offset: Math.max(0, offset - PAGE) })) : null,
        page.has_more ? button('Next', () => ctx.go('users', { ...filters, offset: page.next_offset })) : null) : null);
  }

  async function loadPlans() {
    try {
      plans = (await api('plans')).data;
    } catch (e) {
      clear(planList, notice('error', e.message));
      return;
    }
    if (ctx.stale()) return;
    clear(planList, table([
      { label: 'Plan', value: p => p.name, key: 'plan' },
      { label: 'Monthly token quota', num: true, value: p => p.monthly_token_quota === null ? 'unlimited (or per user)' : int(p.monthly_token_quota) },
      { label: 'Requests per minute', num: true, value: p => p.rpm_limit === null ? 'no limit' : int(p.rpm_limit) },
      { label: 'Price multiplier', num: true, value: p => String(p.price_multiplier) },
      { label: 'Actions', value: p => button('Edit', () => showPlanForm(p), { 'aria-label': 'Edit plan ' + p.name }) },
    ], plans, { id: 'plans-table', caption: 'Plans', empty: 'No plans.' }));
  }

  await Promise.all([loadPlans(), loadUsers()]);
}
