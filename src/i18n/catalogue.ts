// The message catalogue, Korean first, English second: pages, notices and SMS replies translate through it.
import fs from 'node:fs';
import path from 'node:path';
import { templatesDir } from '../paths.js';

export const LANGS = ['ko', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Translate = (key: string, params?: Record<string, string | number>) => string;

type Strings = Record<string, string>;

function flatten(obj: Record<string, unknown>, prefix = '', out: Strings = {}): Strings {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    else flatten(v as Record<string, unknown>, key, out);
  }
  return out;
}

/** One file an area (templates/i18n/<lang>/<area>.json), so parallel work on two areas never touches one file. */
function load(lang: Lang): Strings {
  const dir = path.join(templatesDir, 'i18n', lang);
  const out: Strings = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const area = path.basename(file, '.json');
    flatten(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), area, out);
  }
  return out;
}

const catalogue: Record<Lang, Strings> = { ko: load('ko'), en: load('en') };

export function translator(lang: Lang): Translate {
  return (key, params = {}) => {
    const text = catalogue[lang][key] ?? catalogue.ko[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
  };
}

export function isLang(v: unknown): v is Lang {
  return v === 'ko' || v === 'en';
}
