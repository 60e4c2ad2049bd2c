// Package office is the street office's toolbox in chat, its shared part:
// what every office command needs, and the office's background work. The
// commands themselves live in one package per feature beneath it:
//
//	office/broadcast  广播 [范围] [@所有人] [回执] 内容, 回执 [GB-编号] [催], 收到 [GB-编号]
//	office/stats      统计 [单位名], 催报 [范围] [截止]
//	office/correct    代录 单位名, 不适用 单位名 任务 [原因], 退回 编号 原因
//	office/export     导出, 图表
//
// Each feature package gives its commands and dialogs as data
// (Commands(*Tools), Questions(*Tools)); service lists them all in one
// place (service/office_commands.go) and puts them on the handlers.Router.
// This package imports none of them.
//
// # Tools and the guard
//
// NewTools applies Options' defaults once; Tools.Office marks a command as an
// office command and puts it behind the guard. The router's roles
// middleware refuses office commands to everyone but the office staff
// (access.office_users) and audits the refusal. The guard audits every
// allowed use too, and an office command typed in a group that is not an
// office chat (access.office_chats) never shows data there: one that only
// reads (Private: 统计, 回执, 导出, 图表) is answered by an application
// message, one that acts or asks a question (Refuse) is refused with a
// hint. Tools.OfficeWhere lets the arguments decide (回执 reads, 回执 … 催
// acts).
//
// # Previews
//
// 广播, a repeated 催报 and 退回 act only after 确认: AskPreview numbers the
// preview (预览＃3) and keeps a one-line digest; Confirmed wraps its
// answer. A command typed while one waits runs as a command
// (handlers.CommandsRun), so a new preview replaces the pending one and
// says so; 确认 answers the pending one only and repeats its digest; a
// preview older than 10 minutes on the campaign clock does nothing. The
// reason prompts (QNAReason, QReturnReason) and 代录 never take a command
// as an answer (handlers.CommandsAskLeave): the sender is asked to leave
// first.
//
// # Scopes, units and text
//
// A scope (广播, 催报) is written as whole names, longest first, joined by
// 、，, 和 or spaces: 全部, a kind (社区, 社会单位, 板块), a category, a
// sector (its units) or a unit (ScopeNames, ScopeWord, ResolveScope). A
// word that names nothing but looks like a scope (东片板块, or two edits
// from a name) is refused with the closest valid scopes (UnknownScope,
// ClosestScopes). FindUnit and SplitUnitArgs read a unit name with its
// candidates when it is ambiguous. User text echoed in a reply, which the
// intelligent robot renders as markdown, passes through Neutralize
// (Preview); echoed in a push sent as text only < and > are made inert
// (Safe, PlainPreview). UserText and GroupText cut a long push between
// list items.
//
// # Slow work
//
// Tick must be called every few seconds (beside the features' own, such as
// broadcast.Tick). It tells the office chats, in one summary, of reminder
// and 催报 pushes the outbox gave up, and runs the jobs EnqueueJob
// recorded: 导出 and 图表 answer at once; Tick builds the files under
// media.dir/exports/<job> (workbook.Build's workbook and numbered photo
// zips, workbook.Chart's PNG, unless Options names another Exporter or
// Charter) and enqueues their uploads to the office chats under keys
// derived from the job, so a retried callback or a job redone after a
// crash uploads nothing twice. What is over WeCom's 20 MB file limit is
// not sent: the message says to use the command line.
package office
