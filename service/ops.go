package service

import (
	"firebot/archive"
	"firebot/ops"
	"firebot/remote"
	"firebot/roster"
	"firebot/scheduler"
	"firebot/workbook"
)

// AdminOps are the operations the command-line tools run, in the service
// through its admin socket or in the tool itself: the one list of them.
func AdminOps() []ops.Op {
	list := []ops.Op{archive.Op, roster.ImportOp, scheduler.PlanOp, remote.Backup}
	return append(list, workbook.Ops()...)
}
