/** Baton's inbound SMTP server (started by the web role in src/app.ts). */
export { startSmtpIntake, type SmtpIntake, type SmtpIntakeOptions } from './intake-server.js';
