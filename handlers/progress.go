package handlers

import (
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
)

// 进度: each applicable task of the chat's units (or, in a one-to-one chat,
// of the user's units) with done/missing, the records' ids, and what is due
// before which deadline.

func runProgress(c *Context) (bot.Reply, error) {
	units, err := c.SubmitUnits()
	if err != nil {
		return bot.NoReply, err
	}
	if len(units) == 0 {
		if c.Group() {
			return c.Reply("本群还没有绑定单位，没有进度可查。请单位安全员或街道工作人员 @我 发送“绑定 单位名称”。"), nil
		}
		return c.Reply("你目前不是任何单位的安全员，私聊里没有进度可查。请在单位的工作群里 @我 发送“进度”。"), nil
	}
	var parts []string
	for _, u := range units {
		t, err := progressText(c, u)
		if err != nil {
			return bot.NoReply, err
		}
		parts = append(parts, t)
	}
	if c.Group() && c.router.groupStatus != nil {
		if line, err := c.router.groupStatus(c.Tx, c.Msg.ChatID); err != nil {
			return bot.NoReply, err
		} else if line != "" {
			parts = append(parts, line)
		}
	}
	return c.Reply(strings.Join(parts, "\n\n")), nil
}

// progressText describes one unit's progress (ledger.UnitProgress.Text).
// It only informs the reply, so it reads committed state without making the
// unit of work conflict with concurrent submissions to the unit
// (store.ReadCommitted).
func progressText(c *Context, u campaign.Unit) (string, error) {
	camp := c.Campaign()
	p, err := ledger.Of(store.ReadCommitted(c.Tx), camp, u)
	if err != nil {
		return "", err
	}
	return p.Text(camp, c.Now), nil
}
