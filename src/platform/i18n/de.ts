import type { MessageKey } from './en.js';

/** German (formal “Sie”, as customers expect from a support desk). */
export const de: Record<MessageKey, string> = {
  'layout.skip_to_content': 'Zum Hauptinhalt springen',
  'layout.help_center': '{workspace} Kundenservice',
  'layout.language': 'Sprache',
  'layout.footer': 'Kundenservice mit Baton',

  'form.title': 'Kontakt',
  'form.intro':
    'Schreiben Sie uns, was Sie brauchen; wir antworten per E-Mail. Mit „Pflichtfeld“ markierte Felder müssen ausgefüllt werden.',
  'form.required': 'Pflichtfeld',
  'form.optional': 'optional',
  'form.name': 'Ihr Name',
  'form.email': 'E-Mail-Adresse',
  'form.email_hint': 'An diese Adresse senden wir unsere Antworten.',
  'form.category': 'Thema',
  'form.category_choose': 'Thema auswählen',
  'form.subject': 'Betreff',
  'form.message': 'Nachricht',
  'form.message_hint': 'Bitte beschreiben Sie Ihr Anliegen. Nennen Sie, falls vorhanden, Rechnungs- oder Bestellnummern.',
  'form.attachments': 'Anhänge',
  'form.attachments_hint': 'Bis zu {count} Dateien, jeweils höchstens {size}.',
  'form.submit': 'Anfrage senden',

  'category.billing': 'Rechnungen',
  'category.payment': 'Zahlungen',
  'category.dispute': 'Beanstandete Abbuchung',
  'category.refund': 'Erstattungen',
  'category.technical': 'Technisches Problem',
  'category.general': 'Allgemeine Frage',

  'error.prefix': 'Fehler',
  'error.summary_title': 'Es gibt ein Problem',
  'error.title_prefix': 'Fehler: {title}',
  'error.name_too_long': 'Ihr Name darf höchstens {max} Zeichen lang sein.',
  'error.email_required': 'Geben Sie Ihre E-Mail-Adresse ein.',
  'error.email_invalid': 'Geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@example.com.',
  'error.category_required': 'Wählen Sie ein Thema aus.',
  'error.subject_required': 'Geben Sie einen Betreff ein.',
  'error.subject_too_long': 'Der Betreff darf höchstens {max} Zeichen lang sein.',
  'error.message_required': 'Geben Sie Ihre Nachricht ein.',
  'error.message_too_long': 'Die Nachricht darf höchstens {max} Zeichen lang sein.',
  'error.file_too_large': 'Jede Datei darf höchstens {size} groß sein.',
  'error.too_many_files': 'Hängen Sie höchstens {count} Dateien an.',
  'error.reattach_files':
    'Zu Ihrer Sicherheit werden Dateien nicht behalten, wenn das Formular einen Fehler enthält: Bitte hängen Sie sie erneut an.',

  'confirm.title': 'Vielen Dank, wir haben Ihre Anfrage erhalten',
  'confirm.number': 'Ihre Anfragenummer lautet {number}.',
  'confirm.joined':
    'Sie hatten bereits eine offene Anfrage zu diesem Thema, daher haben wir Ihre Nachricht zu Anfrage {number} hinzugefügt.',
  'confirm.status_link_intro': 'Mit Ihrem persönlichen Link können Sie Ihre Anfrage jederzeit verfolgen und beantworten:',
  'confirm.status_link_keep': 'Geben Sie diesen Link nicht weiter: Wer ihn kennt, kann Ihre Anfrage lesen. Er ist gültig bis {date}.',

  'status.title': 'Anfrage {number}',
  'status.subject': 'Betreff',
  'status.status': 'Status',
  'status.conversation': 'Verlauf',
  'status.no_messages': 'Noch keine Nachrichten.',
  'status.you': 'Sie',
  'status.support_team': 'Kundenservice',
  'status.attachments': 'Anhänge',
  'status.reply_title': 'Antworten',
  'status.reply_message': 'Ihre Antwort',
  'status.reply_submit': 'Antwort senden',
  'status.reply_sent': 'Ihre Antwort wurde gesendet. Wir melden uns bald bei Ihnen.',
  'status.back_to_request': 'Zurück zu Ihrer Anfrage',
  'status.closed_note': 'Diese Anfrage ist geschlossen. Wenn Sie weitere Hilfe brauchen, senden Sie uns eine neue Anfrage.',
  'error.case_closed': 'Diese Anfrage ist geschlossen und nimmt keine Antworten mehr an. Bitte senden Sie uns eine neue Anfrage.',
  'status.label.new': 'Eingegangen',
  'status.label.open': 'In Bearbeitung',
  'status.label.pending': 'Wartet auf Ihre Antwort',
  'status.label.on_hold': 'Zurückgestellt',
  'status.label.solved': 'Gelöst',
  'status.label.closed': 'Geschlossen',

  'page.not_found_title': 'Seite nicht gefunden',
  'page.not_found_body':
    'Diese Seite gibt es nicht. Wenn Sie die Adresse eingegeben oder kopiert haben, prüfen Sie, ob sie vollständig ist.',
  'page.link_expired_title': 'Dieser Link ist abgelaufen',
  'page.link_expired_body':
    'Zu Ihrer Sicherheit funktionieren Links zu Anfragen nur eine gewisse Zeit. Antworten Sie auf unsere letzte E-Mail oder senden Sie uns eine neue Anfrage.',
  'page.forbidden_title': 'Ihre Antwort konnte nicht gesendet werden',
  'page.forbidden_body':
    'Das Formular war unvollständig oder veraltet. Gehen Sie zurück, laden Sie die Seite neu und senden Sie Ihre Antwort noch einmal.',
  'page.rate_limited_title': 'Zu viele Anfragen',
  'page.rate_limited_body':
    'Sie haben in kurzer Zeit sehr viele Anfragen gesendet. Bitte warten Sie {minutes} Minuten und versuchen Sie es dann erneut.',
  'page.too_large_title': 'Der Upload ist zu groß',
  'page.too_large_body': 'Jede Datei darf höchstens {size} groß sein, und Sie können höchstens {count} Dateien anhängen.',
  'page.unsupported_title': 'Das Formular konnte nicht gelesen werden',
  'page.unsupported_body': 'Bitte gehen Sie zurück und senden Sie das Formular erneut.',
  'page.error_title': 'Etwas ist schiefgelaufen',
  'page.error_body': 'Leider ist bei uns ein Fehler aufgetreten. Bitte versuchen Sie es in ein paar Minuten erneut.',
  'page.no_workspace_body': 'Unter dieser Adresse gibt es keinen Kundenservice.',
  'page.back_to_form': 'Zum Kontaktformular',

  'file.not_found_title': 'Datei nicht gefunden',
  'file.not_found_body': 'Dieser Download-Link ist ungültig. Öffnen Sie die Anfrage erneut, um einen neuen Link zu erhalten.',
  'file.expired_title': 'Dieser Download-Link ist abgelaufen',
  'file.expired_body': 'Download-Links sind nur kurz gültig. Öffnen Sie die Anfrage erneut, um einen neuen Link zu erhalten.',

  'unit.bytes': '{n} Byte',
  'unit.kb': '{n} KB',
  'unit.mb': '{n} MB',

  'email.ack.subject': '[#{number}] Wir haben Ihre Anfrage erhalten: {subject}',
  'email.ack.greeting': 'Guten Tag {name},',
  'email.ack.greeting_anonymous': 'Guten Tag,',
  'email.ack.body':
    'vielen Dank für Ihre Nachricht. Wir haben sie erhalten und die Anfrage #{number} angelegt. Wir melden uns so bald wie möglich bei Ihnen.\n\nMöchten Sie etwas ergänzen, antworten Sie einfach auf diese E-Mail und lassen Sie [#{number}] im Betreff stehen.',
  'email.ack.signature': 'Mit freundlichen Grüßen\n{team}',
  'email.ack.automatic_note': 'Dies ist eine automatische Bestätigung; Sie müssen darauf nicht antworten.',
  'email.reply.footer':
    'Anfrage #{number}. Möchten Sie etwas ergänzen, antworten Sie auf diese E-Mail und lassen Sie [#{number}] im Betreff stehen.',
  'email.notify.assigned_subject': 'Fall #{number} ist Ihnen zugewiesen: {subject}',
  'email.notify.assigned_body': 'Der Fall #{number} „{subject}“ von {customer} ist jetzt Ihnen zugewiesen.',
  'email.notify.reply_subject': 'Neue Antwort von {customer} zu #{number}',
  'email.notify.reply_body': '{customer} hat zum Fall #{number} „{subject}“ geschrieben:',
  'email.notify.open_case': 'Fall öffnen: {url}',
  'email.notify.footer':
    'Sie erhalten diese E-Mail wegen Ihrer Benachrichtigungseinstellungen in Baton; Sie können sie in Ihrem Profil ändern.',
  'billing.outreach.payment_failed.subject': 'Ihre Zahlung über {{amount}} ist fehlgeschlagen',
  'billing.outreach.payment_failed.body':
    'Guten Tag {{customer_name}},\n\nwir wollten Ihre Zahlung über {{amount}} einziehen, aber sie ist leider fehlgeschlagen.\n\nRechnung: {{invoice_number}}\nFällig am: {{due_date}}\nGrund: {{failure_reason}}\n\nBitte prüfen Sie Ihre Zahlungsmethode. Haben Sie Fragen, antworten Sie einfach auf diese E-Mail; wir haben dafür die Anfrage #{{case_number}} angelegt.\n\nMit freundlichen Grüßen',
  'billing.outreach.dispute_opened.subject': 'Zu Ihrer beanstandeten Zahlung über {{amount}}',
  'billing.outreach.dispute_opened.body':
    'Guten Tag {{customer_name}},\n\nIhre Bank hat uns mitgeteilt, dass die Zahlung über {{amount}} beanstandet wurde (angegebener Grund: {{failure_reason}}).\n\nWar das nicht beabsichtigt oder können wir das Problem gemeinsam lösen, antworten Sie bitte auf diese E-Mail; wir haben dafür die Anfrage #{{case_number}} angelegt.\n\nMit freundlichen Grüßen',
  'billing.outreach.value_unknown': 'unbekannt',
  'billing.outreach.note.payment_failed':
    'Baton hat diesen Fall angelegt, weil eine Zahlung über {amount} am {date} fehlgeschlagen ist ({reason}).',
  'billing.outreach.note.not_sent':
    'Dem Kunden wurde keine Nachricht gesendet: {reason}\n\nDie vorbereitete Nachricht:\n\n{subject}\n\n{body}',
  'billing.outreach.reason.no_email': 'Der Kunde hat keine zustellbare E-Mail-Adresse.',
  'billing.outreach.reason.preferred_channel': 'Der Kunde möchte per {channel} kontaktiert werden; bitte melden Sie sich auf diesem Weg.',
  'billing.outreach.reason.no_mailbox': 'Der Arbeitsbereich hat kein aktives Postfach zum Senden.',
  'billing.outreach.reason.not_allowed':
    'Die Regeln für automatische E-Mails erlauben jetzt keine E-Mail an {address} (sie kam zurück, oder der Fall erhält zu viele Nachrichten).',
  'followups.reminder.body':
    'Guten Tag {{customer.first_name}},\n\nwir warten noch auf Ihre Antwort zu Ihrer Anfrage #{{case.number}}. Können wir noch etwas für Sie tun? Antworten Sie einfach auf diese Nachricht.\n\nMit freundlichen Grüßen',
  'followups.checkin.body':
    'Guten Tag {{customer.first_name}},\n\nwir haben Ihre Anfrage #{{case.number}} vor einigen Tagen gelöst. Funktioniert alles wie gewünscht? Falls nicht, antworten Sie einfach auf diese Nachricht, und wir kümmern uns wieder darum.\n\nMit freundlichen Grüßen',
  'followups.note.not_sent': 'Dem Kunden wurde keine Nachfass-Nachricht gesendet: {reason}\n\nDie vorbereitete Nachricht:\n\n{body}',
  'followups.reason.channel': 'Baton kann dem Kunden über den Kanal {channel} nicht schreiben; bitte melden Sie sich auf diesem Weg.',
  'followups.reason.no_email': 'Der Kunde hat keine zustellbare E-Mail-Adresse.',
  'followups.reason.no_mailbox': 'Der Arbeitsbereich hat kein aktives Postfach zum Senden.',
  'followups.reason.not_allowed':
    'Die Regeln für automatische E-Mails erlauben jetzt keine E-Mail an {address} (sie kam zurück, oder der Fall erhält zu viele Nachrichten).',
  'followups.notify.snooze_ended_subject': 'Zurückstellung beendet: Fall #{number} {subject}',
  'followups.notify.snooze_ended_body': 'Die Zurückstellung von Fall #{number} „{subject}“ ist beendet; der Fall ist wieder offen.',
  'followups.notify.reminder_subject': 'Erinnerung: Fall #{number} {subject}',
  'followups.notify.reminder_body': 'Sie wollten an Fall #{number} „{subject}“ erinnert werden:',
};
