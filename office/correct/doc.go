// Package correct is the office's corrections of the units' records:
//
//	代录 单位名                 a report entered on a unit's behalf
//	不适用 单位名 任务 [原因]   a task that does not apply to a unit
//	退回 编号 原因              send a record back to its unit
//
// 代录 opens the handlers confirmation dialog for the unit; the record
// keeps ledger.Confirmation.EnteredBy. 不适用 writes
// ledger.MarkNotApplicable (asking for the reason if it was not given;
// "撤销" as the reason lifts it). 退回 (after its preview) sets the
// record's status to returned with the reason, tells the reporter by
// application message and the unit's groups in a push; the record counts
// as missing until resubmitted with 修改.
package correct
