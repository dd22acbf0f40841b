/**
 * The letters and messages the regulatory presets require, as case templates: the placeholders
 * are the macros module's (`{{customer.name}}`, `{{case.number}}`, `{{today}}`, ...), filled by
 * `renderCaseTemplate`. Text in [square brackets] is for the agent to complete: facts Baton
 * does not hold (amounts, the outcome, the firm's details). The wording follows the rules it
 * cites but is a starting point for the workspace's compliance team, not legal advice.
 */

export interface PresetLetter {
  key: string;
  name: string;
  /** When the letter is required. */
  when: string;
  subject: string;
  body: string;
}

export const REG_Z_LETTERS: PresetLetter[] = [
  {
    key: 'acknowledgement',
    name: 'Written acknowledgement of billing error notice',
    when: 'Within 30 days of receiving the billing error notice, unless the error is resolved within that time (12 CFR 1026.13(c)(1))',
    subject: 'We received your billing error notice (case {{case.number}})',
    body: `{{today}}

Dear {{customer.name}},

We received your written notice of a possible billing error on your account (our reference: case {{case.number}}, "{{case.subject}}").

We are investigating the item you questioned. While we investigate:
- you do not have to pay the amount in question, or any finance or other charges related to it;
- we will not try to collect that amount, and we will not report it as delinquent;
- you must still pay the parts of your bill that are not in question.

We will either correct the error or send you a written explanation of why we believe the bill is correct, within two complete billing cycles and in no case later than 90 days after we received your notice.

Sincerely,
{{agent.name}}
[Creditor name and address]`,
  },
  {
    key: 'resolution',
    name: 'Resolution: correction or explanation',
    when: 'Within two complete billing cycles, and at most 90 days, after receiving the notice (12 CFR 1026.13(c)(2), (e), (f))',
    subject: 'The result of our billing error investigation (case {{case.number}})',
    body: `{{today}}

Dear {{customer.name}},

We have finished investigating the billing error you reported (case {{case.number}}).

[Choose one]

[A. Error found] We found that an error occurred as you described. We have credited [amount] to your account and removed any finance or other charges related to it. The correction will appear on your next statement.

[B. No error, or a different error] We found that [no error occurred / a different error occurred] because [reasons]. [Amount now owed: ...; date by which it must be paid to avoid further finance charges: ...] You may ask us for copies of the documents we relied on; we will send them to you.

If you believe our explanation is wrong and you notify us within the time allowed for payment, we will not report the amount as delinquent without also reporting that you dispute it, and we will tell you the name of anyone we report it to.

Sincerely,
{{agent.name}}
[Creditor name and address]`,
  },
];

export const FCA_LETTERS: PresetLetter[] = [
  {
    key: 'acknowledgement',
    name: 'Prompt written acknowledgement',
    when: 'Promptly after receiving the complaint (DISP 1.6.1R); not needed when a summary resolution communication is sent within three business days',
    subject: 'We have received your complaint (reference {{case.number}})',
    body: `{{today}}

Dear {{customer.name}},

Thank you for telling us about your concerns. We have recorded your complaint under reference {{case.number}} and {{agent.name}} is looking after it.

We will keep you informed of our progress. We aim to send you our final response as soon as we can, and in any case within eight weeks of the day we received your complaint. If we cannot give you a final response by then, we will write to explain why and when we expect to, and you will then be able to refer your complaint to the Financial Ombudsman Service.

You can find our complaints handling procedure at [link or attached].

Yours sincerely,
{{agent.name}}
[Firm name]`,
  },
  {
    key: 'summary_resolution',
    name: 'Summary resolution communication',
    when: 'Instead of a final response, when the complaint is resolved to the customer\u2019s satisfaction by the close of the third business day after the day of receipt (DISP 1.5, 1.6.2AR)',
    subject: 'Your complaint has been resolved (reference {{case.number}})',
    body: `{{today}}

Dear {{customer.name}},

Thank you for contacting us about "{{case.subject}}" (reference {{case.number}}). We are pleased that we were able to resolve your complaint: [summary of the resolution].

We consider your complaint resolved. If you later become dissatisfied with how we resolved it, you may be able to refer it to the Financial Ombudsman Service, which settles complaints between consumers and businesses providing financial services, free of charge.

Financial Ombudsman Service
Exchange Tower, London E14 9SR
Telephone: 0800 023 4567
Website: www.financial-ombudsman.org.uk

You must normally refer your complaint to the Ombudsman within six months of the date of this letter.

Yours sincerely,
{{agent.name}}
[Firm name]`,
  },
  {
    key: 'final_response',
    name: 'Final response',
    when: 'Within eight weeks of receipt (DISP 1.6.2R)',
    subject: 'Our final response to your complaint (reference {{case.number}})',
    body: `{{today}}

Dear {{customer.name}},

This is our final response to your complaint about "{{case.subject}}" (reference {{case.number}}).

Your complaint: [summary of the complaint].

What we found: [findings].

Our decision: [we uphold / partly uphold / do not uphold your complaint] because [reasons]. [Redress offered: ...; how to accept it: ...]

If you are not satisfied with our response, you have the right to refer your complaint to the Financial Ombudsman Service, free of charge. You must do so within six months of the date of this letter. If you do not refer your complaint in time, the Ombudsman will not have our permission to consider it and so will only be able to do so in very limited circumstances, for example if it believes the delay was the result of exceptional circumstances.

Financial Ombudsman Service
Exchange Tower, London E14 9SR
Telephone: 0800 023 4567
Website: www.financial-ombudsman.org.uk

The Ombudsman's explanatory leaflet is enclosed [or: is available at www.financial-ombudsman.org.uk].

Yours sincerely,
{{agent.name}}
[Firm name]`,
  },
];
