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
package outbox
