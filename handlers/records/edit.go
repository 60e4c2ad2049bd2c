package records

import (
	"strings"

	"firebot/bot"
	"firebot/handlers"
	"firebot/store"
)

// 修改 <编号>: reopens a record in its dialog, on the summary, so the user
// edits fields by name and confirms (handlers.Context.ReopenRecord: the
// flow that edits the record's kind, 上报 or 推荐). Anything after the id is
// applied as a first edit ("修改 HD-0003 人数 90").

func runEdit(c *handlers.Context) (bot.Reply, error) {
	r, refusal, err := loadRecord(c, "修改", c.Args)
	if err != nil || refusal != "" {
		return c.Reply(refusal), err
	}
	if r.Status == store.StatusWithdrawn {
		return c.Reply(r.ID + " 已经撤回，不能修改。需要的话请重新“上报”。"), nil
	}
	note := "正在修改 " + r.ID + "。"
	if r.Status == store.StatusReturned {
		note += "这条记录被退回了，修改并确认后会重新提交。"
	}
	rest := ""
	if f := strings.Fields(c.Args); len(f) > 1 {
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c.Args), f[0]))
	}
	return c.ReopenRecord(r, note, rest)
}
