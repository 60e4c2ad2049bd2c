package handlers

import (
	"strings"

	"firebot/bot"
)

// Inside a dialog, a command that only reads (Command.Aside: 截止, 进度,
// 活动, 我的记录), typed alone or as a question (截止是哪天？), is answered
// and the dialog goes on with its question; a command with arguments (上报 今天演练80人, 绑定 某单位) asks whether to
// leave the dialog. Neither is ever taken as an answer.

func isAside(cmd *Command) bool { return cmd != nil && cmd.Aside }

// IsQuestion reports text asking something: 是哪天？, 怎么样, 还有几项 (a
// step may answer it with its help).
func IsQuestion(text string) bool {
	t := strings.TrimSpace(text)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") {
		return true
	}
	for _, w := range []string{"吗", "呢", "哪", "几", "多少", "什么", "怎么", "如何", "是否"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// leavesDialog reports a command typed with arguments that would start
// something else (a record id is handled as busy; 修改 on the checklist and
// 收到 are answers).
func leavesDialog(cmd *Command, args string) bool {
	return cmd != nil && cmd.Args && args != "" && cmd.Name != "修改" && cmd.Name != "收到"
}

// aside runs cmd and then asks the dialog's current question again.
func aside(cmd *Command) *Command {
	a := *cmd
	run := cmd.Run
	a.Run = func(c *Context) (bot.Reply, error) {
		rep, err := run(c)
		if err != nil || c.state == nil {
			return rep, err
		}
		f := c.router.flows[c.state.Flow]
		e, err := c.Env(*c.state)
		if err != nil {
			return bot.NoReply, err
		}
		s := c.state.Clone()
		t := f.ask(e, &s, "")
		if err := c.saveState(s); err != nil { // refresh the idle timer
			return bot.NoReply, err
		}
		q := c.turnReply(t)
		rep.Text = strings.TrimSpace(rep.Text) + "\n\n——继续刚才的" + f.Name + "——\n" + q.Text
		rep.Buttons = q.Buttons
		return rep, nil
	}
	return &a
}
