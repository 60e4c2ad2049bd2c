// Package stats is the office's view of the campaign's progress and its
// push on those behind:
//
//	统计 [单位名]    campaign-wide progress by sector and category, or one unit in detail
//	催报 [范围] [截止] the targeted reminder for a deadline, now
//
// 统计 reads the ledger (ledger.All: every unit in one pass); the detail of a unit
// lists its tasks with the numbers 不适用 accepts. 催报 hands the deadline
// and the scope (written as 广播's) to the office.Chaser (by default
// scheduler.Chaser: the scheduler's targeting and exactly-once claims); a
// second chase of the same deadline on the same day is a preview first,
// confirmed with 确认.
package stats
