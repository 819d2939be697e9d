// The queue page keeps itself current: every 5 seconds it asks for the resident's place and updates the
// figures in place (an aria-live region); when the state changes (your turn, sold out), or the wait turns from
// the rate's to stock coming back or back again, it reloads the page.
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
  const tick = async () => {
    try {
      const res = await fetch(api, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return;
      const q = (await res.json()).queue;
      if (q.state !== state || (q.state === 'waiting' && Boolean(q.held_back) !== held)) {
        return window.location.reload();
      }
      if (q.state === 'waiting') {
        set('queue-rank', fmt.format(q.rank));
        set('queue-ahead-n', fmt.format(q.ahead));
        set('queue-wait-n', String(q.wait_seconds));
      }
    } catch {
      // the next tick tries again
    }
  };
  setInterval(tick, 5000);
})();
