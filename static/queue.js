// The queue page keeps itself current: it asks for the resident's place when the service says to look again
// (poll_after_ms, kept between 2 and 30 seconds; 5 seconds after a failure) and updates the figures in place (an
// aria-live region); when the state changes (your turn, sold out), or the wait turns from the rate's to stock
// coming back or back again, it reloads the page. Its looks prefer to wait (Prefer: wait=25): before the opening
// the service holds one until the pre-queue is shuffled, so the page turns at that moment.
// Without JavaScript the page has a "refresh" link instead.
(() => {
  const root = document.querySelector('[data-queue-state]');
  if (!root) return;
  const state = root.getAttribute('data-queue-state');
  const held = root.getAttribute('data-queue-held') === 'yes';
  const api = root.getAttribute('data-queue-api');
  const fmt = new Intl.NumberFormat(document.documentElement.lang === 'ko' ? 'ko-KR' : 'en-GB');
  const set = (id, text) => {
    const el = document.getElementById(id);
    if (el && text !== undefined) el.textContent = text;
  };
  const look = async () => {
    try {
      const res = await fetch(api, {
        headers: { accept: 'application/json', prefer: 'wait=25' },
        credentials: 'same-origin',
      });
      if (!res.ok) return 5000;
      const q = (await res.json()).queue;
      if (q.state !== state || (q.state === 'waiting' && Boolean(q.held_back) !== held)) {
        window.location.reload();
        return 60000; // the page is being replaced
      }
      if (q.state === 'waiting') {
        set('queue-rank', fmt.format(q.rank));
        set('queue-ahead-n', fmt.format(q.ahead));
        set('queue-wait-n', String(q.wait_seconds));
      }
      return Math.min(30000, Math.max(2000, q.poll_after_ms ?? 5000));
    } catch {
      return 5000; // the next look tries again
    }
  };
  const next = (ms) => setTimeout(async () => next(await look()), ms);
  // the first look when the page says (at most 5 s; 0 is at once, not a missing hint), then when the service says
  const first = Number(root.getAttribute('data-queue-poll-ms') ?? 5000);
  next(Number.isFinite(first) ? first : 5000);
})();

// At one's turn: the time left to buy, as minutes:seconds, ticking each second from the service's clock at render
// (data-now; a phone's own clock is often wrong). Screen readers are told the time left in words at most every 30
// seconds (a polite live region apart from the ticking figure, whose timer role is not read out), and when it is up.
// Without JavaScript the box stays hidden and the page's clock time says until when.
(() => {
  const box = document.getElementById('turn-timer');
  const shown = document.getElementById('turn-left');
  const said = document.getElementById('turn-said');
  if (!box || !shown || !said) return;
  const left = Date.parse(box.getAttribute('data-turn-ends')) - Date.parse(box.getAttribute('data-now'));
  let units;
  try {
    units = JSON.parse(box.getAttribute('data-units') || '');
  } catch {
    return;
  }
  if (Number.isNaN(left)) return;
  const loadedAt = performance.now();
  const part = (n, one, many) => (n === 1 ? one : many).replace('{n}', String(n));
  const words = (s) => {
    const m = Math.floor(s / 60);
    const parts = [];
    if (m) parts.push(part(m, units.minute, units.minutes));
    if (s % 60 || !m) parts.push(part(s % 60, units.second, units.seconds));
    return parts.join(' ');
  };
  let step; // the 30-second step last told: told again only when it changes
  const tick = () => {
    const ms = left - (performance.now() - loadedAt);
    const s = Math.max(0, Math.ceil(ms / 1000));
    shown.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    if (s === 0) {
      said.textContent = box.getAttribute('data-over');
      return;
    }
    const now = Math.ceil(s / 30);
    if (step !== undefined && now !== step) said.textContent = box.getAttribute('data-said').replace('{time}', words(s));
    step = now;
    // wake just after the figure's next change
    setTimeout(tick, ms - (s - 1) * 1000 + 20);
  };
  box.hidden = false;
  tick();
})();
