package service

import (
	"firebot/admin"
	"firebot/archive"
	"firebot/ops"
	"firebot/report"
	"firebot/roster"
	"firebot/scheduler"
)

// AdminOps are the operations the command-line tools run, in the service
// through its admin socket or in the tool itself: the one list of them.
func AdminOps() []ops.Op {
	list := []ops.Op{archive.Op, roster.ImportOp, scheduler.PlanOp, admin.Backup}
	return append(list, report.Ops()...)
}
