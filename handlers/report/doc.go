// Package report is the conversation feature 上报: the dialog that
// records an activity a unit carried out (HD-…): unit, task, date, the
// task's own fields, place, description, photos, then the checklist.
//
// 上报 opens it; a report told in free text ("今天上午我们社区组织了疏散演练，
// 80人参加") opens it with what the text says filled in (Hooks.Report), so
// only what is missing is asked. The office's 代录 opens it for a unit
// (Hooks.ReportFor, handlers.Context.StartConfirmationFor). A report with
// several answers is paused when idle, not discarded; 继续上报 (Resume)
// resumes it.
//
// # Reading reports
//
// Every message of a report is read once, the same way, by textparse.Read
// with the configured task vocabulary (the unit's own tasks; compiled once
// per task list and kept in the router's handlers.Memo): a report told in free text, an
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
// # Checks
//
// A report of the same unit and task within two days of an existing one
// asks whether it is another activity or a correction before saving
// (duplicate.go); a report after its task's deadline is saved and marked
// 逾期 (late.go); a date outside the task's window is refused with the
// reason.
//
// What the dialog collects is one struct, confirmData (state.go,
// handlers.Flow.Data), read and written as fields and stored whole; its
// step ids are stored too and must not change.
//
// Register Commands, Resume, Flows and Hooks on the router
// (service/commands.go).
package report
