// Package handlers is the core of firebot's conversation layer: the
// commands people type in WeCom groups and one-to-one chats, their roles,
// and the dialog engine that collects activity confirmations (上报, HD-…;
// still in this package) and, for the feature packages beneath it,
// volunteer nominations (handlers/nominate) and the rest.
//
// # Router
//
// New builds a Router, which implements bot.Handler. Each message runs
// inside the unit of work that also stores its dedupe mark, so everything
// written through the tx commits together; Handle may run more than once
// for one message and does nothing outside the tx except filing photos
// idempotently.
//
// New registers no command: the service registers every chat command in
// one list (service/commands.go), the core's (InfoCommands,
// RecordCommands, DraftCommands) and the feature packages' beneath this
// one (handlers/bind, handlers/mute, handlers/nominate,
// handlers/records), whose dialogs are Flows of Steps registered with
// RegisterFlow and begun with Context.StartFlow. Core imports no feature
// package: what it must hand to one goes through the Hooks the service
// registers with RegisterHooks (images sent outside any dialog, a dialog
// begun by telling it: "我想推荐…"), through Flow fields (Flow.Images,
// images arriving in a dialog; Flow.Edits and FromRecord, the flow
// Context.ReopenRecord reopens a record in; Flow.Stored, the struct its
// values are stored in; Flow.Pause, Resume and ResumeNote, a paused draft)
// and through Context methods (HoldImages, AttachImages, MayManage,
// ProgressText, SenderName). Submission is the record a feature's submit
// writes, new or edited. Tests drive a
// router with handlers/handlerstest; the conversations through every
// feature are external tests (transcript_test.go).
//
// The command table is static: Register adds a Command (name, synonyms,
// help, roles, scope, Run) and panics on an empty name, a nil Run or a word
// two commands share. Words are recognised with a leading "/", surrounding
// whitespace and punctuation (textparse.Matcher). An office-only command of
// another package is one line:
//
//	r.Register(handlers.Command{Name: "统计", For: handlers.OfficeStaff, Help: "…", Run: stats})
//
// A message is handled by a middleware chain, first listed first:
//
//	recover → resolve → log → roles → (Deps.Guards…) → (Use…) → Command.Run
//
// recover turns a panic into an error (the unit of work rolls back and the
// bot layer answers busy); resolve decides what the message is (an answer
// in the sender's dialog, a command, a report told in free text, or
// unknown input, answered with the closest commands); roles refuses, with
// the reason and an audit entry, commands the sender may not use here
// (Office, Officer, Scope, Submit). The guards are handed in by whoever builds
// the router: the service hands RefuseWrites over the archive's check, so
// the conversation core imports neither archive nor scheduler. Context carries the tx, the message,
// the campaign time and the sender's roles (office staff, officer of which
// units, the chat's bound units), read from the store on first use.
//
// # Dialogs
//
// A dialog is a flow of steps. Its State (flow, step, collected values,
// answered steps, history, expiry) is persisted per (chat, user) with
// store.PutDialog's version check, so users in the same group never see
// each other's state and a restart loses nothing. Idle dialogs expire after
// dialog.idle_timeout on the campaign clock, checked lazily: the next
// message says the dialog expired and nothing was saved — except a
// dialog whose flow pauses it (Flow.Pause: a nomination, or a report with
// several answers), which is paused and kept for 7 days (pause.go): an answer to its step resumes it, so do 继续推荐
// and 继续上报; commands meanwhile mention it; 取消 discards it.
//
// Steps are pure: Ask(env, state) → question and Answer(env, state,
// input) → answer, where env is configuration and facts loaded beforehand.
// flow.next (Flow.Next) is the whole engine as a pure function (state,
// input) → (state, Turn): it handles the control words 取消, 返回, 跳过, 帮助 and passes 确认,
// 继续, 完成 to steps that take them. The engine asks the first unanswered
// step, so a dialog pre-filled from free text ("今天上午我们社区组织了疏散演练，
// 80人参加") asks only for what is missing. The last step is the summary:
// it lists every field, submits on 确认, and edits one field named with a
// value ("人数 90", "日期 11月6日"). Only Submit does I/O, in the router.
//
// # Reading reports
//
// Every message of a report is read once, the same way, by textparse.Read
// with the configured task vocabulary (the unit's own tasks; compiled once
// per task list and cached by the router): a report told in free text, an
// answer at any step (a reply fills every field it contains: "11月3号，80人"
// at the date step), and a correction on the checklist ("90人", "改成90人",
// "日期是昨天", "人数不对 应该是90"). On the checklist only, natural
// confirmations count as 确认 (对的, 好的, 没问题, ok, 是, 确认无误, 👌). What
// the reading chose is noted on its own line ("（人数取“共92人”）"); tasks the
// text fits equally are one question listing only them. Inside a dialog,
// questions about the campaign (截止, 进度, 活动, 我的记录) are answered and the
// dialog goes on; another command with arguments asks whether to leave.
// One activity may count for several related tasks (a drill with a revised
// plan): the checklist offers them and "确认，都算" ticks them
// (ledger.Confirmation.AlsoTasks). Commands skip the reading.
//
// Files: router.go, middleware.go, resolve.go, context.go (routing);
// engine.go, flow.go, summary.go, dialog.go, pause.go, steps.go,
// state.go, state_stored.go, submit.go (dialog engine, paused drafts,
// stored state, steps and submits shared with feature packages);
// confirm.go, confirm_task.go, fields.go, confirm_submit.go, report.go,
// reading.go, also.go, duplicate.go, late.go (上报); aside.go (commands
// inside a dialog); photos_held.go, media.go (photos filed, held for the next report);
// recordline.go (a record in one line, for 我的记录 and the office);
// progress.go, info.go, commands.go (the rest); hooks.go (for packages
// adding commands: the feature Hooks, a one-step Question through the
// dialog engine, StartConfirmationFor for 代录, ReopenRecord for 修改,
// ProgressText).
package handlers
