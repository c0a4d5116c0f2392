import { EngineError } from '../auth';
import { PrerequisiteFailed, type CheckFn } from './context';
import { explainImapTimeout, labelImapError, openImapClient } from './imap';
import { sendTestMessage } from './smtp';

/** The message sent over SMTP is seen over IMAP within the check's time bound. */
export const roundtripCheck: CheckFn = async (env) => {
  const { ctx, step, signal } = env;
  const token = await ctx.usableToken();
  const { host, port } = ctx.endpoints.imap;
  const { client, release } = openImapClient(env, token.accessToken);
  try {
    // The IMAP session opens while the message is on its way: in a full run the SMTP check's message,
    // run alone the round trip sends its own.
    const sentP = ctx.sentMessage ? ctx.sentMessage.catch((e: unknown) => Promise.reject(new PrerequisiteFailed('smtp', e))) : sendTestMessage(env, token.accessToken);
    sentP.catch(() => {});
    await step(`Connected to ${host}:${port} to look for the test message`, async () => {
      await client.connect();
      await client.mailboxOpen('INBOX', { readOnly: true });
    });
    const sent = await sentP;
    const seenAfterMs = await step(
      `Test message arrived in ${ctx.profile.mailbox}`,
      async () => {
        for (let attempt = 0; ; attempt++) {
          const uids = await client.search({ header: { 'message-id': sent.messageId } }, { uid: true });
          if (uids && uids.length) return Date.now() - sent.sentAt;
          if (signal.aborted) throw new EngineError('roundtrip-not-arrived', `message ${sent.messageId} not seen in INBOX`);
          await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** attempt, 1000)));
          await client.noop();
        }
      },
      (ms) => `after ${ms} ms`,
    );
    await client.logout();
    return { messageId: sent.messageId, arrivedAfterMs: seenAfterMs };
  } catch (e) {
    if (e instanceof PrerequisiteFailed) throw e;
    if (signal.aborted) throw new EngineError('roundtrip-not-arrived', 'the test message was not seen in INBOX within the time allowed');
    throw await explainImapTimeout(labelImapError(e, host, port), host, port);
  } finally {
    release();
  }
};
