import type { CaseCategory, CasePriority, CaseStatus, Channel } from '../modules/cases/schema.js';

/** Demo content: realistic billing-first inquiries, deterministic so every fresh start looks the same. */

export function seededRandom(seed: number): () => number {
  // mulberry32: tiny, fast, good enough for demo data.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chloé',
  'Dmitri',
  'Elif',
  'Farah',
  'Gustav',
  'Hana',
  'Ines',
  'Jonas',
  'Kwame',
  'Lena',
  'Mateo',
  'Nora',
  'Olu',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tomasz',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoë',
] as const;
export const LAST_NAMES = [
  'Adeyemi',
  'Becker',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Van Dijk',
  'Weber',
  'Yılmaz',
] as const;
export const ORGANIZATIONS = [
  '',
  '',
  '',
  'Northwind Traders',
  'Blue Harbor GmbH',
  'Acme Logistics',
  'Sunrise Dental',
  'Kite & Co',
  'Studio Lumen',
] as const;

export interface DemoInquiry {
  category: CaseCategory;
  subject: string;
  body: string;
  language: string;
  agentReply: string;
  customerFollowUp?: string;
}

export const INQUIRIES: DemoInquiry[] = [
  {
    category: 'billing',
    subject: 'Charged twice for my November invoice',
    body: 'Hello, my card statement shows two charges of 49.00 EUR for invoice INV-2026-1187 on the same day. Could you refund the duplicate?',
    language: 'en',
    agentReply:
      'Thanks for flagging this. I can see both charges; the second one is a duplicate authorisation that will be released within 3 business days. I will confirm once it has dropped off.',
    customerFollowUp: 'Thanks — it is still showing as pending on my side today.',
  },
  {
    category: 'billing',
    subject: 'Invoice shows the wrong VAT number',
    body: 'Our VAT number on invoice INV-2026-0932 is wrong (it should be DE 811 234 567). Please issue a corrected invoice; our accounting cannot book it otherwise.',
    language: 'en',
    agentReply:
      'I have updated the VAT number on your account. A corrected invoice will be issued with the same number and a credit note for the original.',
  },
  {
    category: 'payment',
    subject: 'Payment failed although my card is valid',
    body: 'I received an email that my payment of 129.00 USD failed (card declined). The card works everywhere else. What is going on?',
    language: 'en',
    agentReply:
      'The processor reported "do not honor" from your bank, which usually means the bank blocked it as unusual. Please approve the charge with your bank and we will retry it tomorrow morning.',
    customerFollowUp: 'My bank says they see no declined attempt. Can you retry now?',
  },
  {
    category: 'payment',
    subject: 'Zahlung per Lastschrift wurde zurückgebucht',
    body: 'Guten Tag, meine Lastschrift über 59,00 EUR wurde von der Bank zurückgebucht, weil das Konto gewechselt hat. Wie kann ich die neue IBAN hinterlegen?',
    language: 'de',
    agentReply:
      'Vielen Dank für Ihre Nachricht. Sie können die neue IBAN unter Konto > Zahlungsmethoden hinterlegen; wir ziehen den offenen Betrag danach erneut ein, ohne Rücklastschriftgebühr.',
  },
  {
    category: 'dispute',
    subject: 'My bank opened a chargeback — what happens now?',
    body: 'I did not recognise a charge from you and disputed it with my bank. Now I realise it was the annual renewal. Can I cancel the dispute?',
    language: 'en',
    agentReply:
      'Thanks for letting us know. Please ask your bank to withdraw the dispute; once they confirm, the renewal stays active and no further action is needed from you.',
  },
  {
    category: 'dispute',
    subject: 'Litige bancaire sur la commande 48213',
    body: 'Bonjour, ma banque m’indique que vous avez contesté le litige. Je n’ai jamais reçu le service acheté. Merci de vérifier.',
    language: 'fr',
    agentReply:
      'Bonjour, merci pour votre message. Nous vérifions les journaux d’accès de votre compte et revenons vers vous sous 48 heures.',
  },
  {
    category: 'refund',
    subject: 'Refund for cancelled subscription',
    body: 'I cancelled my subscription on the 2nd but was charged for the full month on the 3rd. I would like a refund of 19.99 GBP.',
    language: 'en',
    agentReply:
      'You are right: the cancellation was registered before the renewal. I have refunded 19.99 GBP to your card; it appears in 5 to 10 days.',
  },
  {
    category: 'refund',
    subject: 'Reembolso parcial por servicio interrumpido',
    body: 'Hola, el servicio estuvo caído cuatro días en octubre. ¿Es posible un reembolso parcial de la cuota mensual?',
    language: 'es',
    agentReply: 'Hola, lamentamos la interrupción. Hemos aplicado un crédito proporcional de 4 días en su próxima factura.',
  },
  {
    category: 'technical',
    subject: 'Cannot download invoices as PDF',
    body: 'When I click "Download PDF" on the invoices page nothing happens in Safari. It works in Chrome.',
    language: 'en',
    agentReply:
      'Thanks for the details. Safari blocks the download when pop-ups are disabled for our site; allowing pop-ups fixes it. We are also changing the button so it no longer needs a pop-up.',
  },
  {
    category: 'technical',
    subject: 'API returns 401 after rotating our key',
    body: 'Since we rotated our API key this morning every call to the billing API returns 401. The new key is active in the dashboard.',
    language: 'en',
    agentReply: 'The new key needs the "billing:read" scope, which was not carried over. I added it; please try again.',
  },
  {
    category: 'general',
    subject: 'How do I change the billing address?',
    body: 'We moved offices. Where can I change the address printed on our invoices?',
    language: 'en',
    agentReply:
      'Under Account > Billing details you can change the address; it applies to the next invoice. I can re-issue the last one if you need it.',
  },
  {
    category: 'general',
    subject: 'Request for a written statement of account',
    body: 'Please send us a statement of all invoices and payments for 2026 by letter, for our auditors.',
    language: 'en',
    agentReply: 'Certainly. The statement will be posted to your registered address this week; a PDF copy is attached to your account.',
  },
];

/** Status mix of an ordinary support week: most work is open or waiting, a good part solved. */
export const STATUS_WEIGHTS: [CaseStatus, number][] = [
  ['new', 0.18],
  ['open', 0.27],
  ['pending', 0.15],
  ['on_hold', 0.06],
  ['solved', 0.22],
  ['closed', 0.12],
];
export const PRIORITY_WEIGHTS: [CasePriority, number][] = [
  ['low', 0.15],
  ['normal', 0.6],
  ['high', 0.2],
  ['urgent', 0.05],
];
export const CHANNEL_WEIGHTS: [Channel, number][] = [
  ['web', 0.35],
  ['email', 0.35],
  ['phone', 0.15],
  ['chat', 0.1],
  ['letter', 0.05],
];

export function weighted<T>(random: () => number, weights: [T, number][]): T {
  let r = random();
  for (const [value, weight] of weights) {
    if ((r -= weight) < 0) return value;
  }
  return weights[weights.length - 1]![0];
}
