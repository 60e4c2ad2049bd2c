// Package nominate is the conversation feature 推荐: volunteer nominations
// for the campaign's award (最美消防志愿者, TJ-…).
//
//   - 推荐 [个人|集体] [名字] opens the nomination dialog: unit, kind, name,
//     affiliation, years of service (and a reason below the minimum),
//     scope, deeds, phone, then the summary. A nomination told in a
//     sentence ("我想推荐我们社区的李梅，做了7年消防志愿者") starts it too
//     (Hooks: handlers.Hooks.Tell), with what the sentence says filled in.
//   - The deeds (事迹材料) may take several messages, never dropped or
//     replaced silently (deeds.go).
//   - An idle nomination is paused, not discarded (handlers.Flow.Pause);
//     继续推荐 (Resume) resumes it.
//   - 本单位不推荐 / 撤销不推荐 record or undo that a unit nominates no one
//     this time (ledger.NoNominationTask); a nomination submitted undoes it.
//
// Late nominations are marked 逾期 or refused (nominations.late_policy).
// What the dialog collects is one struct, nominateData (state.go,
// handlers.Flow.Data), read and written as fields and stored whole; its
// step ids are stored too and must not change.
//
// Register Commands, Resume, Flows and Hooks on the router
// (service/commands.go).
package nominate
