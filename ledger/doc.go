// Package ledger knows what each unit has reported and what it still owes.
//
// Records live in the store as store.Record with a kind-specific payload;
// this package defines those payloads (Confirmation for 上报 records HD-…,
// Nomination for 推荐 records TJ-…), the office's "not applicable" marks,
// and the progress computation every part of firebot shares: the 进度 and
// 统计 commands, the scheduler's targeting ("units missing items for a
// deadline"), and the export. Of computes a unit's progress from its own
// records only, so its cost does not grow with the size of the campaign;
// All gives the same for a whole roster from one read of the campaign (a
// scan of the records' unit index, one batched read, a scan of the marks),
// for callers that walk every unit (统计, a reminder's fire). Tally adds
// units' progress up into a line of 统计, a street's or the district's.
//
// It also renders progress, once, for every message that shows it
// (render.go): the unit view of 进度 and 统计 <单位> (UnitProgress.Text),
// the line of one task, and what a reminder says is owed (OwedText). The
// renderer takes data only; what a caller adds (a group's 免打扰 status,
// the office's record list) stays with the caller. Dates, countdowns and
// lists come from zhfmt.
package ledger
