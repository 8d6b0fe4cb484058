/**
 * @file The page's helper thread: a module worker that serves the pool's jobs (pool-worker.ts).
 */
import { type HelperMessage, type HelperReply, serveJobs } from './pool-worker';

serveJobs(
  (m: HelperReply) => self.postMessage(m),
  (fn) => self.addEventListener('message', (ev: MessageEvent<HelperMessage>) => fn(ev.data)),
);
