package main

import (
	"context"
	"fmt"
	"io"

	"firebot/archive"
)

func init() {
	register(&command{
		name:    "archive",
		args:    "-config FILE [-street 街道id] [-force]",
		summary: "归档本期活动（须先导出；归档后记录只读），并删除保留期已满的被推荐人手机号和事迹",
		run:     runArchive,
	})
}

func runArchive(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("archive", stderr, true)
	force := fs.Bool("force", false, "未导出或最后截止时间未到也归档")
	fs.withStreet()
	if code, ok := fs.parseNone(args); !ok {
		return code
	}
	t, code, ok := fs.loadTarget(false)
	if !ok {
		return code
	}
	params := archive.Params{Force: *force, By: cliActor()}
	if err := runOp(ctx, t, archive.OpArchive, params, stdout, nil); err != nil {
		fmt.Fprintf(stderr, "firebot archive：%v\n", err)
		return 1
	}
	return 0
}
