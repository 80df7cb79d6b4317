// The account's new messages as they arrive, over the `notificationAdded` subscription
// (the app's socket, its token and reconnects): each one asks every query on screen
// again, so the header's count and an open inbox show it at once. When the stream ends
// (the token ran out, the gateway restarted) it starts again, waiting longer each time
// it ends without news, and `onRestart` (the header's count asked again) catches up on
// what came meanwhile.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSubscription } from "urql";
import { useApi } from "../ui/api";
import { useToast } from "../ui/toasts";
import { NotificationsAdded } from "./documents";

interface Added {
  id: string;
  title: string;
}

/** The ids the stream delivered (the last 50), in order: pure, as urql may call it twice. */
function collect(previous: Added[] | undefined, data: { notificationAdded: Added }): Added[] {
  return [...(previous ?? []).slice(-49), { id: data.notificationAdded.id, title: data.notificationAdded.title }];
}

const RESTART_MS = [1000, 2000, 5000, 10000, 30000];

/** The subscription; a learner's news is toasted by the learner's own live events, so
 * only the other roles get a toast of each new message's title. */
export function InboxLive({ toasts, onRestart }: { toasts: boolean; onRestart?: () => void }) {
  const api = useApi();
  const toast = useToast();
  const [generation, setGeneration] = useState(0);
  const context = useMemo(() => ({ generation }), [generation]);
  const [result] = useSubscription({ query: NotificationsAdded, context }, collect);
  const seen = useRef(new Set<string>());
  const failures = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef({ api, toast, toasts, onRestart });
  latest.current = { api, toast, toasts, onRestart };

  const refetchSoon = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current.api.refetchAll();
    }, 200);
  }, []);

  useEffect(() => {
    let news = false;
    for (const added of result.data ?? []) {
      if (seen.current.has(added.id)) continue;
      seen.current.add(added.id);
      failures.current = 0;
      news = true;
      if (latest.current.toasts) latest.current.toast(added.title);
    }
    if (news) refetchSoon();
  }, [result.data, refetchSoon]);

  useEffect(() => {
    if (result.fetching) return;
    const wait = RESTART_MS[Math.min(failures.current, RESTART_MS.length - 1)];
    failures.current += 1;
    const restart = setTimeout(() => {
      setGeneration((current) => current + 1);
      latest.current.onRestart?.();
    }, wait);
    return () => clearTimeout(restart);
  }, [result.fetching]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return null;
}
