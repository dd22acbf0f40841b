/** English strings of the regulatory SLA presets and the tier / case tag policy conditions. */
export const enSlaPresets = {
  'sla.policy.customerTiers': 'Customer tiers (comma-separated, e.g. gold, enterprise)',
  'sla.policy.caseTags': 'Case tags (comma-separated)',
  'sla.policy.when.tiers': 'Customer tier: {list}',
  'sla.policy.when.caseTags': 'Case tags: {list}',
  'sla.preset.heading': 'Regulatory presets',
  'sla.preset.intro':
    'Ready policies for regulated billing complaints. Switched on, a preset becomes the first policy in the list above; its conditions, targets and escalations stay editable there.',
  'sla.preset.badge': 'Regulatory preset',
  'sla.preset.on': 'On',
  'sla.preset.off': 'Off',
  'sla.preset.active': 'Active',
  'sla.preset.switchedOn': '{name} switched on.',
  'sla.preset.switchedOnWithMacros': {
    one: '{name} switched on; {count} required letter was added as a shared macro.',
    other: '{name} switched on; {count} required letters were added as shared macros.',
  },
  'sla.preset.switchedOff': '{name} switched off; its policy is kept, disabled.',
  'sla.preset.tag': 'Case tag',
  'sla.preset.tagHint': 'Cases carrying this tag get the regulatory clock.',
  'sla.preset.escalations':
    'Warning {warning} before each deadline: assignee notified, priority raised to high. On breach: supervisors and admins notified, priority urgent.',
  'sla.preset.neverPauses': 'The clock does not pause while waiting for the customer.',
  'sla.preset.letters': { one: '{count} required letter', other: '{count} required letters' },
  'sla.preset.requiredLetters': 'Required letters',
  'sla.preset.windowOpen': 'Summary resolution window until',
  'sla.preset.windowClosed': 'Summary resolution window ended',
  'sla.preset.letterText': 'Text of {name}',
  'sla.preset.copy': 'Copy',
  'sla.preset.copied': '{name} copied.',
  'sla.preset.copyFailed': 'The browser did not allow copying; select the text and copy it yourself.',
} as const;
