package handlers

import (
	"strings"

	"firebot/bot"
)

// The names of commands other code refers to.
const (
	cmdNameHelp   = "帮助"
	cmdNameCancel = "取消"
)

// The commands that live in the conversation core, in two groups so the
// service's list (service/commands.go) can put the feature packages'
// commands between them in the order 帮助 shows. New registers none of
// them: whoever builds the router registers every command it offers.

// InfoCommands are 帮助, 活动, 截止 and 进度: information anyone may read.
func InfoCommands() []Command {
	return []Command{
		{Name: cmdNameHelp, Words: []string{"help", "菜单", "功能", "用法", "使用说明", "怎么用", "你好"}, Help: "查看我能做什么", Aside: true, Run: runHelp},
		{Name: "活动", Words: []string{"活动介绍", "活动信息", "宣传月", "活动通知", "通知", "campaign", "info"}, Help: "宣传月的主题、时间、集中活动和联系人", Aside: true, Run: runCampaign},
		{Name: "截止", Words: []string{"截止时间", "截止日期", "期限", "deadline", "ddl"}, Help: "各项截止时间和倒计时", Aside: true, Run: runDeadlines},
		{Name: "进度", Words: []string{"查进度", "完成情况", "进展", "progress"}, Help: "本单位各项工作的完成情况", Aside: true, Run: runProgress},
	}
}

// DraftCommands are 取消, which discards the paused drafts (or says there
// is nothing to cancel); the features resume theirs (继续推荐, 继续上报:
// ResumeCommand).
func DraftCommands() []Command {
	return []Command{
		{Name: cmdNameCancel, Words: []string{"退出", "cancel"}, Help: "退出正在填写的内容，不保存", Run: runCancel},
	}
}

func runCancel(c *Context) (bot.Reply, error) {
	if len(c.paused) > 0 {
		var names []string
		for _, x := range c.paused {
			names = append(names, c.router.flows[x.State.Flow].Name)
		}
		c.paused = nil
		if err := c.savePaused(); err != nil {
			return bot.NoReply, err
		}
		c.note = ""
		return c.Reply("已放弃暂停的" + strings.Join(names, "、") + "草稿，内容没有保存。"), nil
	}
	if c.note != "" {
		note := c.note
		c.note = ""
		return c.Reply(note), nil
	}
	return c.Reply("现在没有正在填写的内容，不需要取消。发送“帮助”查看我能做什么。"), nil
}
