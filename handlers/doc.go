// Package handlers is the core of firebot's conversation layer: the
// router that turns each message of a WeCom group or one-to-one chat into
// a command or a dialog's answer, the roles, and the dialog engine on
// which the feature packages beneath it build their dialogs: 上报
// (handlers/report, HD-…), 推荐 (handlers/nominate, TJ-…), the records
// (handlers/records), 绑定 (handlers/bind) and 免打扰 (handlers/mute).
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
// DraftCommands) and the feature packages', whose dialogs are Flows of
// Steps registered with RegisterFlow and begun with Context.StartFlow.
//
// # Hooks
//
// The core imports no feature package. What it must hand to one goes
// through:
//
//   - the Hooks the service registers with RegisterHooks: a report told
//     in free text (Hooks.Report) and a nomination told in a sentence
//     (Hooks.Tell) start their dialogs; images sent outside any dialog
//     attach to a record (Hooks.Images, StrayImages); 代录 opens the
//     report dialog for a unit (Hooks.ReportFor, StartConfirmationFor);
//   - the fields of a Flow: the struct it collects its values in (Data,
//     read and written through DataOf; State.Unit and State.Notes are the
//     engine's), whether an
//     idle dialog is paused and what resumes it (Pause, Resume,
//     ResumeNote, Scratch), the record kind it reopens for 修改 (Edits,
//     FromRecord, Context.ReopenRecord), images it takes itself (Images),
//     a question its Submit asked (Interrupt, Answers, KeepAsking), how it
//     reads the summary (ReadSummary, ReadCorrection) and when a command is
//     never an answer (AsksLeave);
//   - the Context's methods (HoldImages, AttachImages, SavePending,
//     PromotePhoto, MayManage, ProgressText, SenderName, Memo) and the
//     engine's helpers (SummaryStep, UnitStep, YesNoStep, ParseAmount,
//     Submission, ResumeCommand).
//
// Tests drive a router with handlers/handlerstest; the conversation
// through every feature is an external test (transcript_test.go).
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
//	recover → resolve → log → roles → (Options.Guards…) → (Use…) → Command.Run
//
// recover turns a panic into an error (the unit of work rolls back and the
// bot layer answers busy); resolve decides what the message is (an answer
// in the sender's dialog, a command, a report told in free text, or
// unknown input, answered with the closest commands); roles refuses, with
// the reason and an audit entry, commands the sender may not use here
// (Command.For, Scope, Submit). The guards are handed in by whoever
// builds the router: the service hands RefuseWrites over the archive's
// check, so the conversation core imports neither archive nor scheduler.
// Context carries the tx, the message, the campaign time and the sender's
// roles (office staff, officer of which units, the chat's bound units),
// read from the store on first use.
//
// # Dialogs
//
// A dialog is a flow of steps. Its State (flow, step, the unit, the
// flow's values as its own struct, answered steps, history, expiry) is
// persisted per (chat, user) with store.PutDialog's version check, so
// users in the same group never see each other's state and a restart
// loses nothing. Idle dialogs expire after dialog.idle_timeout on the
// campaign clock, checked lazily: the next message says the dialog
// expired and nothing was saved — except a dialog whose flow pauses it
// (Flow.Pause: a nomination, or a report with several answers), which is
// paused and kept for 7 days (pause.go): an answer to its step resumes
// it, so do 继续推荐 and 继续上报; commands meanwhile mention it; 取消
// discards it.
//
// Steps are pure: Ask(Env, State) → Prompt and Answer(Env, State, Input)
// → Reaction, where Env is configuration and facts loaded beforehand.
// Flow.Next is the whole engine as a pure function (State, Input) →
// (State, Turn): it handles the control words 取消, 返回, 跳过, 帮助 and
// passes 确认, 继续, 完成 to steps that take them. The engine asks the
// first unanswered step, so a dialog pre-filled from free text
// ("今天上午我们社区组织了疏散演练，80人参加") asks only for what is
// missing. The last step is the summary:
// it lists every field, submits on 确认, and edits one field named with a
// value ("人数 90", "日期 11月6日"). Only Submit does I/O, in the router.
//
// Files: router.go, middleware.go, resolve.go, context.go (routing);
// engine.go, flow.go, summary.go, dialog.go, pause.go, steps.go,
// state.go, state_stored.go, submit.go (dialog engine, paused drafts,
// stored state, steps and submits shared with feature packages); aside.go
// (commands inside a dialog); photos_held.go, media.go (photos filed, held
// for the next report); recordline.go (a record in one line, for 我的记录
// and the office); progress.go, info.go, commands.go (the rest); hooks.go
// (the feature Hooks, a one-step Question through the dialog engine for
// the office, StartConfirmationFor for 代录, ReopenRecord for 修改,
// ProgressText).
package handlers
