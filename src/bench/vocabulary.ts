/**
 * Extra message text for the large seed: sentences in several languages with the billing,
 * payment, dispute and technical words agents search for, so full-text search meets realistic
 * selectivity (common words everywhere, rare words in few messages).
 */
export const CUSTOMER_LINES: Record<string, readonly string[]> = {
  en: [
    'I was charged twice for the same invoice and need a refund of the duplicate payment.',
    'My card was declined although there is enough money on the account.',
    'The direct debit failed again this month, please tell me what to change.',
    'I opened a dispute with my bank because the subscription renewed without notice.',
    'The invoice PDF does not open on my phone, it shows a blank page.',
    'Please cancel my plan at the end of the billing period and confirm in writing.',
    'The login page keeps saying my password is wrong after the reset.',
    'Your app crashes when I try to download the statement of account.',
    'Could you send a corrected invoice with our new company address?',
    'The chargeback was resolved in my favour, why is my account still suspended?',
    'I need a receipt for the annual payment for my tax return.',
    'The exchange rate on the invoice differs from the one on my card statement.',
  ],
  de: [
    'Ich wurde für dieselbe Rechnung zweimal belastet und bitte um Erstattung.',
    'Die Lastschrift ist fehlgeschlagen, obwohl das Konto gedeckt ist.',
    'Bitte schicken Sie mir eine korrigierte Rechnung mit der neuen Adresse.',
    'Die Kündigung zum Monatsende wurde nicht bestätigt.',
    'Die App stürzt beim Herunterladen der Rechnung ab.',
    'Meine Kreditkarte wurde abgelehnt, bitte prüfen Sie die Zahlung.',
  ],
  fr: [
    "J'ai été débité deux fois pour la même facture, merci de me rembourser.",
    'Le prélèvement a échoué alors que mon compte est approvisionné.',
    'Je conteste ce paiement auprès de ma banque.',
    "L'application plante quand je télécharge la facture.",
    'Merci de résilier mon abonnement à la fin du mois.',
  ],
  es: [
    'Me cobraron dos veces la misma factura, solicito el reembolso.',
    'El pago con tarjeta fue rechazado sin motivo.',
    'Necesito una factura corregida con el número de IVA correcto.',
    'La aplicación se cierra al descargar el recibo.',
  ],
};

export const AGENT_LINES: readonly string[] = [
  'Thank you for your patience. I have checked the payment history on your account.',
  'I have issued a refund; it will appear on your statement within 5 to 10 business days.',
  'The duplicate authorisation was released by our payment processor today.',
  'Could you send us the last four digits of the card and the date of the charge?',
  'A corrected invoice has been issued and attached to your account.',
  'Our engineers found the cause of the crash; a fix ships with the next release.',
  'I have escalated the dispute to our billing specialists.',
  'Your subscription is cancelled at the end of the current billing period.',
  'Danke für Ihre Nachricht, die Erstattung ist veranlasst.',
  'Merci, le remboursement a été effectué.',
  'Gracias, hemos emitido la factura corregida.',
];

export const INTERNAL_NOTES: readonly string[] = [
  'Checked the processor dashboard: two captures, one refunded.',
  'Customer is on the legacy plan, pricing exception approved by finance.',
  'Possible fraud pattern, asked risk team to review the chargeback.',
  'Reproduced the crash on Android 14, bug filed.',
  'VAT id validated against VIES.',
];

export const CASE_TAGS: readonly string[] = [
  'vip',
  'chargeback',
  'invoice',
  'refund-requested',
  'card',
  'sepa',
  'bug',
  'escalated',
  'b2b',
  'vat',
];

/** Two-word queries for the search benchmark, from common to rare. */
export const SEARCH_QUERIES: readonly string[] = [
  'invoice refund',
  'card declined',
  'direct debit',
  'payment dispute',
  'corrected invoice',
  'Rechnung Erstattung',
  'facture remboursement',
  'app crashes',
  'chargeback suspended',
  'exchange rate',
];
