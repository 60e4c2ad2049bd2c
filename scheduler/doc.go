// Package scheduler sends the campaign's reminders: once, on time, to the
// right people.
//
// # Planning (pure)
//
// A Timetable compiles reminders.plans. A plan counts from a deadline or an
// event with offsets, names absolute times, or follows a cron spec:
//
//	offsets: ["-1d@15:00", "0d@09:00", "-2h"]  # the day before at 15:00, the day itself at 09:00, 2 hours before
//	at:      ["2023-11-08 16:00"]
//	cron:    "0 9 * * 1-5"                      # with from/to; parsed by robfig/cron's ParseStandard
//
// Times are read in the configured timezone. Nothing fires before 00:00 of
// campaign.announced. Fires that fall in quiet hours move to their end, unless
// the plan is urgent or the move would pass the plan's deadline or event (a
// reminder on a deadline's last day is never deferred past the deadline).
// Fires(from, to) lists them in order; Check lists every mistake in the
// plans for `config check`.
//
// # Targeting
//
// For each fire the scheduler reads the roster, the bindings and the records
// and decides who gets what. A plan with a deadline addresses only units that
// still owe something for it (units that are done get nothing); the missing
// audience does the same without a deadline. A group bound to several
// addressed units gets one message covering them, naming each unit and what
// it owes ("尚未推荐志愿者", "尚未上报：疏散演练、…"), the deadline and the time
// left, and @-mentioning their officers. A unit without a group is reached by
// an application message to its officers. The office audience gets a digest:
// totals, counts by sector and by category, and the five units furthest
// behind. Muted groups (免打扰; Mute, Unmute, Muted) get nothing except fires
// on a deadline's last day.
//
// # Running
//
// robfig/cron is used for its parser and its job Chain (SkipIfStillRunning
// around Recover, logging through slog), not for its runner: cron.Cron reads
// time.Now and real timers, which a rehearsal clock cannot drive. Instead
// RunUntil(ctx, t) fires, in order, everything due up to t on the campaign
// clock; tests and the simulator's :time step it, and Run is the production
// loop that sleeps until the next fire (divided by a rehearsal clock's speed,
// re-checking at least every 30 s). A jump of the campaign clock is not
// downtime: everything on the way fires normally.
//
// # Exactly once: per-fire claims, not a leader lease
//
// Every instance runs the loop. Each (campaign, plan, fire time, target) is
// claimed with store.PutIfAbsent in the same unit of work that enqueues its
// outbox entry, so the claim and the push commit together or not at all: two
// `serve` processes on one Redis store race for the claim, one commits and
// the other finds it taken. A leader lease alone could not promise this:
// leases expire on the real clock, and a leader paused past its lease (GC,
// network, a suspended VM) still believes it leads while another takes over,
// so both may send. With claims the worst a pause costs is duplicated work,
// never a duplicated message; and the same claims make a restart after a
// crash mid-fire safe. The outbox's idempotency key
// ("reminder:<plan>:<fire time>:<target>") is a second guard.
//
// # Dry run and commands
//
// Plan (or DryRun without a running Scheduler) lists what would fire in a
// window and how many units and targets each fire would address given the
// current records, for `firebot reminders plan`. The chat commands 免打扰
// and 恢复提醒 live in handlers/mute and call Mute and Unmute here;
// MuteStatus is the line 进度 shows.
//
// # Downtime
//
// A watermark in the store's meta records how far the scheduler has run.
// When a Scheduler starts, fires after the watermark that were missed are sent
// late, marked 补发, if they are at most reminders.grace old (and their
// deadline or event has not passed); older ones are skipped and logged. A
// late reminder found during quiet hours waits for their end if that is still
// within the grace. None goes out twice (the claims above). A first start (no
// watermark) sends nothing from before it started.
package scheduler
