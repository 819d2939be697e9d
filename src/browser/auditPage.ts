// The audit page's script (built into static/verify.js): verifies the downloaded bundle and a receipt in the
// visitor's browser with the domain's own verifyBundle / verifyReceipt. Loaded from /static (CSP 'self').
import { describeDifference, type Verdict, verifyBundle, verifyReceipt } from '../domain/draw/index.js';

type Lang = 'ko' | 'en';
interface Texts {
  working: string;
  match: string;
  mismatch: string;
  fetch: string;
  receipt_ok: string;
}
const TEXT: Record<Lang, Texts> = {
  ko: {
    working: '확인하는 중…',
    match: '일치: 공개된 결과가 다시 계산한 결과와 똑같습니다.',
    mismatch: '불일치',
    fetch: '자료를 받지 못했습니다',
    receipt_ok: '일치: 이 접수증은 공개된 명단 루트에 포함되어 있습니다.',
  },
  en: {
    working: 'Checking…',
    match: 'Match: the published results equal the recomputed ones.',
    mismatch: 'Mismatch',
    fetch: 'Could not download',
    receipt_ok: 'Match: this receipt is included in the published roster root.',
  },
};

function show(out: HTMLElement, ok: boolean, text: string, lines: string[] = []) {
  out.textContent = '';
  out.dataset.result = ok ? 'match' : 'mismatch';
  const p = document.createElement('p');
  p.textContent = text;
  out.append(p);
  if (lines.length > 0) {
    const ul = document.createElement('ul');
    for (const l of lines.slice(0, 50)) {
      const li = document.createElement('li');
      li.textContent = l;
      ul.append(li);
    }
    out.append(ul);
  }
}

function report(out: HTMLElement, t: Texts, v: Verdict<string>, okText: string) {
  if (v.ok) show(out, true, okText);
  else show(out, false, `${t.mismatch}: ${v.check}: ${v.message}`, v.differences.map(describeDifference));
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${res.status}`);
  return res.json();
}

function init() {
  const root = document.querySelector<HTMLElement>('[data-draw-verify]');
  if (!root) return;
  const t = TEXT[(document.documentElement.lang as Lang) === 'en' ? 'en' : 'ko'];
  const bundleButton = root.querySelector<HTMLButtonElement>('#verify-bundle');
  const bundleOut = root.querySelector<HTMLElement>('#verify-bundle-result');
  bundleButton?.addEventListener('click', async () => {
    if (!bundleOut) return;
    show(bundleOut, false, t.working);
    bundleOut.dataset.result = 'working';
    try {
      report(bundleOut, t, verifyBundle(await getJson(bundleButton.dataset.url ?? '')), t.match);
    } catch (e) {
      show(bundleOut, false, `${t.fetch}: ${(e as Error).message}`);
    }
  });
  const form = root.querySelector<HTMLFormElement>('#verify-receipt');
  const receiptOut = root.querySelector<HTMLElement>('#verify-receipt-result');
  form?.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!receiptOut) return;
    const id = (new FormData(form).get('public_id') ?? '').toString().trim();
    show(receiptOut, false, t.working);
    receiptOut.dataset.result = 'working';
    try {
      const receipt = await getJson(`${form.dataset.base}/${encodeURIComponent(id)}`);
      report(receiptOut, t, verifyReceipt(receipt), t.receipt_ok);
    } catch (e) {
      show(receiptOut, false, `${t.fetch}: ${(e as Error).message}`);
    }
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
