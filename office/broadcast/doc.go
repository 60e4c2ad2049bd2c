// Package broadcast is the office's 广播 (a notice to the units' groups),
// 回执 (who has acknowledged it; 回执 … 催 reminds the silent ones) and the
// units' 收到 (the acknowledgement, for anyone in a bound group).
//
//	广播 [范围] [@所有人] [回执] 内容   broadcast to groups, after a preview and 确认
//	回执 [GB-编号] [催]                who has acknowledged; 催 reminds the silent ones
//	收到 [GB-编号]                     (anyone in a bound group) acknowledge
//
// 广播's first words are its scope while they name roster scopes (as
// office.ScopeWord reads them); 回执 and @所有人 may come anywhere among
// them. The content starts at the first word that is none of these. A
// word there that names nothing but looks like a scope is refused with
// the closest valid scopes, and nothing is previewed. Sectors are not
// reporting units; their officers receive the broadcast by application
// message. The preview (scope, groups, units without a group) is a
// handlers.Question, so 确认 is answered in the dialog engine and the
// pending broadcast survives a restart.
//
// On 确认 one unit of work stores the record GB-… (payload Broadcast) and
// one outbox entry per group, keyed broadcast id + group (Key), so nothing
// is sent twice. Broadcasts go out as text messages, which WeCom shows as
// written: the content cannot turn into mentions, links or formatting,
// and @所有人 is the text message's mentioned_list ["@all"].
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
package broadcast
