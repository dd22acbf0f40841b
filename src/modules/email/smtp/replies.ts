import type { SMTPServerError } from 'smtp-server';

/**
 * SMTP replies Baton gives besides 250. Enhanced status codes (RFC 3463) are written into the
 * text because smtp-server's automatic ones are generic (it would say 4.2.1 for a throttle).
 */
function reply(responseCode: number, text: string): SMTPServerError {
  const error: SMTPServerError = new Error(text);
  error.responseCode = responseCode;
  return error;
}

export const unknownRecipient = (address: string) => reply(550, `5.1.1 <${address}>: mailbox unavailable`);

export const tooLarge = (limit: number) => reply(552, `5.3.4 Message exceeds the maximum size of ${limit} bytes`);

/** Temporary: the sending server keeps the message and retries later (accepted mail is never lost). */
export const temporaryFailure = () => reply(451, '4.3.0 Temporary local problem, please try again later');

export const senderThrottled = (retryAfterSeconds: number) =>
  reply(450, `4.7.1 Too many messages from this sender; try again in ${retryAfterSeconds} seconds`);
