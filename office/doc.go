// Package office is the street office's toolbox in chat: the commands the
// office staff (access.office_users) use to run the campaign from their
// phones, and 收到, with which any group bound to a unit acknowledges a
// broadcast.
//
//	广播 [范围] [@所有人] [回执] 内容   broadcast to groups, after a preview and 确认
//	回执 [GB-编号] [催]                who has acknowledged; 催 reminds the silent ones
//	收到 [GB-编号]                     (anyone in a bound group) acknowledge
//	统计 [单位名]                      campaign-wide progress, or one unit in detail
//	催报 [范围] [截止]                 the targeted reminder for a deadline, now
//	代录 单位名                        a report entered on a unit's behalf
//	不适用 单位名 任务 [原因]          a task that does not apply to a unit
//	退回 编号 原因                     send a record back to its unit
//	导出 / 图表                        the workbook / the chart, to the office chats
//
// Register puts them on a handlers.Router; Tick does the background work
// (delivery reports, exports, charts) and must be called every few
// seconds.
//
// # Where office commands work
//
// The router's roles middleware refuses office commands to everyone else
// and audits the refusal. Here every allowed use is audited too, and an
// office command typed in a group that is not an office chat
// (access.office_chats) never shows data there: one that only reads
// (统计, 回执, 导出, 图表) is answered by an application message, one that
// acts or asks a question is refused with a hint.
//
// # Broadcasts
//
// 广播's first words are its scope while they name roster scopes: 全部, a
// kind (社区, 社会单位, 板块), a category, a sector (its units) or a unit,
// whole names, longest first, joined by 、，, 和 or spaces; 回执 and
// @所有人 may come anywhere among them. The content starts at the first
// word that is none of these. A word there that names nothing but looks
// like a scope (东片板块, or two edits from a name) is refused with the
// closest valid scopes, and nothing is previewed. Sectors are not
// reporting units; their officers receive the broadcast by application
// message. The preview (scope, groups, units without a group) is a
// handlers.Question, so 确认 is answered in the dialog engine and the
// pending broadcast survives a restart.
//
// Previews (广播, a repeated 催报, 退回) are numbered (预览＃3) with a
// one-line digest. A command typed while one waits runs as a command
// (handlers.CommandsRun), so a new preview replaces the pending one and
// says so; 确认 answers the pending one only and repeats its digest; a
// preview older than 10 minutes on the campaign clock does nothing. The
// reason prompts (退回, 不适用) and 代录 never take a command as an
// answer (handlers.CommandsAskLeave): the sender is asked to leave first. On 确认 one unit of work stores the
// record GB-… (payload Broadcast) and one outbox entry per group, keyed
// broadcast id + group (Key), so nothing is sent twice. Broadcasts go out
// as text messages, which WeCom shows as written: the content cannot turn
// into mentions, links or formatting, and @所有人 is the text message's
// mentioned_list ["@all"] (markdown could not carry @all). Where content is
// echoed in a reply, which the intelligent robot renders as markdown, it
// passes through Neutralize; echoed in a report pushed as text, only < and
// > are made inert (application text messages render <a href>).
//
// A unit without a group takes part fully: its officers get the whole
// text by application message (and, when 回执 is asked, the card with the
// 收到 button); 收到 in a private chat acknowledges the broadcasts awaiting
// the officer's units; 回执 counts every unit reached by any channel
// (Broadcast.Direct) and lists as unreached only the units none reached
// (Broadcast.Missed).
//
// When every entry of a round is final (sent, or failed for good after
// the outbox's retries), Tick sends the issuer the delivery report: sent,
// failed with WeCom's reason in plain words, and the units missed. 回执
// GB-… 催 is a new round to the groups of the units that have not
// acknowledged, with its own keys (Source, Key) and its own report.
//
// # Corrections
//
// 代录 opens the handlers confirmation dialog for the unit; the record
// keeps ledger.Confirmation.EnteredBy. 不适用 writes ledger.MarkNotApplicable
// (asking for the reason if it was not given; "撤销" as the reason lifts
// it). 退回 (after its preview) sets the record's status to returned with the reason, tells
// the reporter by application message and the unit's groups in a push;
// the record counts as missing until resubmitted with 修改.
//
// # Slow work
//
// 导出 and 图表 record a job keyed by the message and answer at once; Tick
// builds the files under media.dir/exports/<job> (workbook.Build's workbook
// and numbered photo zips, workbook.Chart's PNG, unless Deps names another
// Exporter or Charter) and enqueues their uploads to the office chats
// under keys derived from the job, so a retried callback or a job redone
// after a crash uploads nothing twice. What is over WeCom's 20 MB file
// limit is not sent: the message says to use the command line.
package office
