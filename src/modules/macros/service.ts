/**
 * The macros module's API to other modules: the case template placeholders (shared with
 * triggers, scheduled automations and follow-ups) and the macro commands.
 */
export {
  CASE_PLACEHOLDERS,
  unknownCasePlaceholders,
  unfilledCasePlaceholders,
  loadCaseTemplateValues,
  fillCaseTemplate,
  renderCaseTemplate,
  formatCustomerMoney,
  type CasePlaceholder,
  type CaseTemplateValues,
} from './placeholders.js';
export { listMacros, getMacro, createMacro, updateMacro, deleteMacro, type MacroInput, type MacroListQuery } from './macros.js';
export { previewMacro, applyMacro, type MacroPreview, type MacroApplied } from './apply.js';
export { MacroViewSchema, type MacroView } from './views.js';
export { macroRoutes } from './routes.js';
