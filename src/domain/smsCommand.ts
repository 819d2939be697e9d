// The SMS commands residents can send, in Korean or English. Parsing only: the reply text lives in templates.

export type SmsCommand =
  | { kind: 'apply'; code: string; amount: number; birthDate: string; sites: string[]; lang: 'ko' | 'en' }
  | { kind: 'status'; code: string | undefined; lang: 'ko' | 'en' }
  | { kind: 'cancel'; code: string | undefined; birthDate: string | undefined; lang: 'ko' | 'en' }
  | { kind: 'help'; lang: 'ko' | 'en' }
  | { kind: 'unknown'; lang: 'ko' | 'en'; problem: 'unknown_command' | 'bad_apply' };

const WORDS: Record<string, { kind: 'apply' | 'status' | 'cancel' | 'help'; lang: 'ko' | 'en' }> = {
  신청: { kind: 'apply', lang: 'ko' },
  APPLY: { kind: 'apply', lang: 'en' },
  상태: { kind: 'status', lang: 'ko' },
  조회: { kind: 'status', lang: 'ko' },
  STATUS: { kind: 'status', lang: 'en' },
  취소: { kind: 'cancel', lang: 'ko' },
  CANCEL: { kind: 'cancel', lang: 'en' },
  도움말: { kind: 'help', lang: 'ko' },
  HELP: { kind: 'help', lang: 'en' },
};

const CODE = /^[A-Z0-9]{3,12}$/;
const BIRTH = /^\d{8}$|^\d{4}-\d{2}-\d{2}$/;

/** "신청 TY2612 100000 19820315 [site ...]" and friends; amounts may carry commas or 원/KRW. */
export function parseSmsCommand(body: string): SmsCommand {
  const words = body.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  const head = words[0]?.toUpperCase() ?? '';
  const word = WORDS[head];
  const hangul = /[가-힣]/.test(body);
  if (!word)
    return { kind: 'unknown', lang: hangul || head === '' ? 'ko' : 'en', problem: 'unknown_command' };
  const rest = words.slice(1);
  const { lang } = word;
  switch (word.kind) {
    case 'help':
      return { kind: 'help', lang };
    case 'status': {
      const code = rest[0]?.toUpperCase();
      return { kind: 'status', code: code && CODE.test(code) ? code : undefined, lang };
    }
    case 'cancel': {
      const code = rest[0]?.toUpperCase();
      const birth = rest.find((w) => BIRTH.test(w));
      return { kind: 'cancel', code: code && CODE.test(code) ? code : undefined, birthDate: birth, lang };
    }
    case 'apply': {
      const [rawCode, rawAmount, rawBirth, ...sites] = rest;
      const code = rawCode?.toUpperCase();
      const amountText = rawAmount?.replace(/[,_]/g, '').replace(/(원|KRW|개)$/i, '');
      if (!code || !CODE.test(code) || !amountText || !/^\d{1,12}$/.test(amountText) || !rawBirth) {
        return { kind: 'unknown', lang, problem: 'bad_apply' };
      }
      if (!BIRTH.test(rawBirth)) return { kind: 'unknown', lang, problem: 'bad_apply' };
      return { kind: 'apply', code, amount: Number(amountText), birthDate: rawBirth, sites, lang };
    }
  }
}
