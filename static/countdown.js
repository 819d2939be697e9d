// Ticks each countdown down once a second. Progressive enhancement: the server already wrote the
// remaining time, so without this script the page is still right at the moment it was loaded.
// The remaining time is measured from the server's clock at render (data-now), not the phone's
// clock, which is often wrong on cheap phones.
(() => {
  const boxes = document.querySelectorAll('.countdown[data-deadline][data-now]');
  if (boxes.length === 0) return;
  const loadedAt = performance.now();

  function format(ms, u) {
    if (ms <= 0) return u.now;
    let s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400);
    s %= 86400;
    const h = Math.floor(s / 3600);
    s %= 3600;
    const m = Math.floor(s / 60);
    s %= 60;
    const part = (n, one, many) => (n === 1 ? one : many).replace('{n}', String(n));
    const parts = [];
    if (d) parts.push(part(d, u.day, u.days));
    if (d || h) parts.push(part(h, u.hour, u.hours));
    if (d || h || m) parts.push(part(m, u.minute, u.minutes));
    if (!d) parts.push(part(s, u.second, u.seconds));
    return parts.join(' ');
  }

  const timers = [];
  for (const box of boxes) {
    const deadline = Date.parse(box.getAttribute('data-deadline'));
    const serverNow = Date.parse(box.getAttribute('data-now'));
    const out = box.querySelector('.countdown-remaining');
    let units;
    try {
      units = JSON.parse(box.getAttribute('data-units') || '');
    } catch {
      continue;
    }
    if (!out || Number.isNaN(deadline) || Number.isNaN(serverNow)) continue;
    timers.push({ out, left: deadline - serverNow, units });
  }

  function tick() {
    const elapsed = performance.now() - loadedAt;
    let running = false;
    for (const timer of timers) {
      const text = format(timer.left - elapsed, timer.units);
      if (timer.out.textContent !== text) timer.out.textContent = text;
      if (timer.left - elapsed > 0) running = true;
    }
    // Wake just after the next whole second so the numbers change in step.
    if (running) setTimeout(tick, 1000 - (elapsed % 1000) + 20);
  }
  tick();
})();
