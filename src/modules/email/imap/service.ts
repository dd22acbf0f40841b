/** IMAP intake: the sync job, its schedule and the IDLE watcher (wired in src/app.ts, worker role). */
export { syncImapMailbox, type ImapSyncOptions, type ImapSyncResult } from './sync.js';
export { imapSyncJob, scheduleImapPolling } from './jobs.js';
export { IMAP_SYNC_QUEUE, requestImapSync, type ImapSyncPayload } from './schedule.js';
export { ImapIdleWatcher, type ImapIdleWatcherOptions } from './idle-watcher.js';
