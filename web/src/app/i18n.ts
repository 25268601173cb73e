import i18next, { type Resource } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { PLACE_KINDS, TRADES, type PlaceKind, type Trade } from '@towerdesk/domain';
import { setApiLanguage } from './api.ts';
import { common } from './locales.ts';
import type { Role } from './types.ts';

/**
 * zh-CN is the language of every screen (DESIGN §1); en-US is the second. The choice is kept in
 * localStorage per browser — a shared desk PC keeps its language across sign-ins — and sent to
 * the server as Accept-Language so its messages match.
 */
export type Lang = 'zh-CN' | 'en-US';
export const LANGS: Lang[] = ['zh-CN', 'en-US'];
const STORAGE_KEY = 'towerdesk.lang';

function storedLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en-US' ? 'en-US' : 'zh-CN';
  } catch {
    return 'zh-CN'; // storage blocked (private mode on some phones): fall back to Chinese
  }
}

function applyLang(lang: Lang) {
  setApiLanguage(lang);
  document.documentElement.lang = lang;
}

/** Initialises i18next with the shared strings plus the entry's own (desk or phone). */
export function initI18n(own: { 'zh-CN': Record<string, unknown>; 'en-US': Record<string, unknown> }) {
  const lang = storedLang();
  applyLang(lang);
  const resources: Resource = {
    'zh-CN': { translation: { ...common['zh-CN'], ...own['zh-CN'] } },
    'en-US': { translation: { ...common['en-US'], ...own['en-US'] } },
  };
  void i18next.use(initReactI18next).init({
    resources,
    lng: lang,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return i18next;
}

export async function setLang(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not persisted; the switch still applies to this page
  }
  applyLang(lang);
  await i18next.changeLanguage(lang);
}

export const currentLang = (): Lang => (i18next.language === 'en-US' ? 'en-US' : 'zh-CN');

/** Names from the domain package (zh/en pairs) in the UI language. */
export function useNames() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  return {
    en,
    kind: (k: string) => (PLACE_KINDS as Record<string, { zh: string; en: string }>)[k]?.[en ? 'en' : 'zh'] ?? k,
    trade: (k: string) => (TRADES as Record<string, { zh: string; en: string }>)[k]?.[en ? 'en' : 'zh'] ?? k,
    role: (r: Role | string) => t(`role.${r}`, { defaultValue: r }),
    /** A place's name in the UI language: the English name where one is recorded. */
    place: (p: { name: string; nameEn?: string | null }) => (en && p.nameEn ? p.nameEn : p.name),
  };
}

export const PLACE_KIND_KEYS = Object.keys(PLACE_KINDS) as PlaceKind[];
export const TRADE_KEYS = Object.keys(TRADES) as Trade[];
