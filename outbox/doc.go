// Package outbox delivers firebot's pushes: every proactive message
// (reminders, broadcasts, answers that missed the reply budget, reports to
// the office group) is first written to the store's durable outbox, in the
// same unit of work as whatever caused it, and then delivered by a worker
// pool through the WeCom API client.
//
// Each entry has an idempotency key (campaign action + target), so a
// restarted action or a second replica never enqueues the same push twice,
// and an acknowledged entry is never sent again. Only entries in flight at
// a crash may repeat; application sends set enable_duplicate_check so WeCom
// drops those repeats.
//
// # Destinations are independent
//
// Entries to one target (a lane: channel + target) go out one at a time, in
// the order they were due, and at most two of them are claimed at once (one
// on the wire, one behind it): a slow or failing destination holds two of
// the pool's slots, never more, and its other entries stay unclaimed in the
// store, where other replicas and the metrics see them. Run keeps claiming
// on every Kick and poll while calls are in flight, so a push to a healthy
// group never waits for a call that hangs elsewhere, and it refreshes
// firebot_outbox_depth and firebot_outbox_oldest_age_seconds on every poll.
// While nothing is due it only reads: claims start with a read-only look.
//
// # Retries
//
// A retryable failure is tried again at most 15 s later during the entry's
// first 5 minutes (exponential from 2 s), then after a quarter of its age
// (up to 10 minutes), never sooner than the server asks (45009: a minute).
// Every due time is computed from the clock read after the call it follows.
// The last try is made at give_up_after (outbox.give_up_after); if it
// fails the entry is failed for good with "超过重试期限仍未送达". Broadcasts
// report their outcome (broadcast.Tick); reminder fires and 催报 rounds are
// watched sources (Watch, SettleWatched): the office hears, in one summary
// per job, of the pushes given up.
package outbox
