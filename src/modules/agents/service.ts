/**
 * The agents module's API for other modules (ARCHITECTURE.md, "Module API"). Authentication of
 * requests lives in authentication.ts.
 */
export { getAgentsByIds } from './agents.js';
export { getTeam, listTeamAgentsForAssignment, resolveQueueForCategory } from './teams.js';
export { hashPassword, verifyPassword } from './passwords.js';
