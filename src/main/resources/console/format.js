// Numbers, money and times as the console shows them. Money is USD: to the cent from one cent up,
// with two significant digits below (a few tokens of a cheap model cost $0.0000015). Times are UTC,
// and say so.

const grouped = new Intl.NumberFormat('en-US');
const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function usd(value) {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return '–';
  if (n === 0) return '$0.00';
  const a = Math.abs(n);
  if (a >= 0.01) return cents.format(Math.sign(n) * halfUp(a, 2));
  const decimals = Math.min(10, 1 - Math.floor(Math.log10(a)));
  const rounded = halfUp(a, decimals);
  if (rounded >= 0.01) return cents.format(Math.sign(n) * rounded);
  return (n < 0 ? '-$' : '$') + rounded.toFixed(decimals);
}

/**
 * Rounds half up at `decimals` as the decimal the API sent would be rounded: 0.00000525 is
 * 0.0000052499... as a double, and must still show as $0.0000053.
 */
function halfUp(a, decimals) {
  const scaled = Number((a * 10 ** decimals).toPrecision(12));
  return Math.round(scaled) / 10 ** decimals;
}

export function int(value) {
  if (value === null || value === undefined || value === '') return '–';
  return grouped.format(Number(value));
}

export function compact(value) {
  if (value === null || value === undefined) return '–';
  const n = Number(value);
  return Math.abs(n) < 10000 ? grouped.format(n) : compactFormat.format(n);
}

/** A rate from 0 to 1 as a percentage with one decimal. */
export function pct(value) {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value) * 100;
  return (n > 0 && n < 0.1 ? '<0.1' : n.toFixed(1)) + '%';
}

export function ms(value) {
  if (value === null || value === undefined) return '–';
  const n = Number(value);
  return n >= 10000 ? (n / 1000).toFixed(1) + ' s' : grouped.format(n) + ' ms';
}

/** 2026-11-30T13:10:59.123Z as "2026-11-30 13:10:59 UTC". */
export function utc(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}

/** Today's UTC date, or n days before it, as 2026-11-30. */
export function utcDay(daysBefore = 0) {
  const d = new Date(Date.now() - daysBefore * 86400000);
  return d.toISOString().slice(0, 10);
}

/** An ISO-8601 duration from the configuration (PT5S, PT10M, PT0.5S) in words. */
export function isoDuration(text) {
  if (typeof text !== 'string') return text === null || text === undefined ? '–' : String(text);
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(text);
  if (!m) return text;
  const parts = [];
  if (m[1]) parts.push(m[1] + ' h');
  if (m[2]) parts.push(m[2] + ' min');
  if (m[3]) {
    const s = Number(m[3]);
    parts.push(s < 1 ? Math.round(s * 1000) + ' ms' : s + ' s');
  }
  return parts.length ? parts.join(' ') : '0 s';
}

/** "1 request", "2 requests". */
export function count(n, word) {
  return int(n) + ' ' + word + (Number(n) === 1 ? '' : 's');
}
