package handlers

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"firebot/bot"
	"firebot/store"
	"firebot/zhfmt"
)

// DialogCommand is the name of what a message answering an open dialog
// resolves to (a guard may let dialogs through by it).
const DialogCommand = "对话"

// Commands the router resolves to without a command word. They are not in
// the command table, so they cannot be typed.
var (
	cmdNothing = &Command{Name: "无", Run: func(c *Context) (bot.Reply, error) { return bot.NoReply, nil }}
	cmdDialog  = &Command{Name: DialogCommand, Run: runDialog}
	cmdBusy    = &Command{Name: "对话中", Run: runBusy}
	cmdLeave   = &Command{Name: "对话中的命令", Run: runLeave}
	cmdUnknown = &Command{Name: "未知", Run: runUnknown}
	cmdExpired = &Command{Name: "对话过期", Run: runExpired}
	cmdImages  = &Command{Name: "收图", Run: runImages}
	cmdEvent   = &Command{Name: "事件", Run: runEvent}
	cmdOther   = &Command{Name: "其他消息", Run: runOther}
)

// resolve is the built-in middleware that decides what a message is: an
// answer in the sender's dialog, a command, a report in free text, or
// something to suggest commands for.
func (r *Router) resolve(next Next) Next {
	return func(c *Context) (bot.Reply, error) {
		if err := r.route(c); err != nil {
			return bot.NoReply, err
		}
		return next(c)
	}
}

func (r *Router) route(c *Context) error {
	m := c.Msg
	c.Command = cmdNothing
	switch m.Kind {
	case bot.KindEvent:
		c.Command = cmdEvent
		return nil
	case bot.KindStream:
		return nil
	case bot.KindFile, bot.KindOther:
		c.Command = cmdOther
		return nil
	}
	if err := c.loadDialog(); err != nil {
		return err
	}
	text := strings.TrimSpace(m.Text)
	name, args, matched := r.matcher.Match(text)
	cmd := r.command(name)
	if c.state != nil {
		c.Command = cmdDialog
		switch f := r.flows[c.state.Flow]; {
		case !matched || Control(text) != "" || f.Answers != nil && f.Answers(c.state, text):
		case f.Commands == CommandsRun:
			c.Command, c.Args = cmd, args
		case isAside(cmd) && (args == "" || IsQuestion(args)):
			c.Command = aside(cmd)
		case (f.Commands == CommandsAskLeave || f.AsksLeave != nil && f.AsksLeave(c.state)) && r.isCommand(text, cmd, args):
			// An office dialog (代录 included): a command is never an answer.
			c.Command, c.Args = cmdLeave, text
		case args == "" || cmd.Args && looksLikeID(args):
			c.Command, c.Args = cmdBusy, name
		case leavesDialog(cmd, args) && r.isCommand(text, cmd, args):
			c.Command, c.Args = cmdLeave, text
		}
		return nil
	}
	if len(c.paused) > 0 {
		if done, err := r.routePaused(c, text, cmd, args, matched); done || err != nil {
			return err
		}
	}
	switch {
	case text == "" && len(m.Images) > 0:
		c.Command = cmdImages
	case text == "":
		c.Command = r.command(cmdNameHelp)
	case matched && (cmd.Args || args == ""):
		c.Command, c.Args = cmd, args
	default:
		c.Command, c.Args = r.routeText(c, text, cmd, args, matched)
	}
	if c.Command == nil {
		c.Command = cmdUnknown
	}
	return nil
}

// routeText routes text that is not simply a command: without a command
// word, a feature's dialog told (Hooks.Tell); a report told in free text
// (Hooks.Report), also after a command that takes no arguments but came
// with some; else that command, 对话过期 or 未知. Each hook reads the text
// once.
func (r *Router) routeText(c *Context, text string, cmd *Command, args string, matched bool) (*Command, string) {
	if t := r.hooks.Tell; !matched && t != nil && t.Is(c, text) {
		return r.command(t.Command), text
	}
	if rep := r.freeReport(c, text); rep != nil {
		return rep, text
	}
	switch {
	case matched:
		return cmd, args
	case c.expired != "":
		return cmdExpired, ""
	}
	return cmdUnknown, ""
}

// freeReport is the command a report told in free text runs as
// (Hooks.Report): the report's command as 自由上报, for someone with units
// to act for; nil when text is no such report.
func (r *Router) freeReport(c *Context, text string) *Command {
	h := r.hooks.Report
	if h == nil || strings.TrimSpace(text) == "" || !h.Is(c, text) {
		return nil
	}
	cmd := r.command(h.Command)
	if cmd == nil {
		return nil
	}
	return &Command{Name: freeReportName, Submit: true, Run: cmd.Run}
}

// freeReportName is what a report told in free text resolves to (in the
// log and the audit of a refusal).
const freeReportName = "自由上报"

// isCommand reports whether text, which starts with cmd's word, reads as
// the command rather than as words that begin like it (照片看不清): an
// office command, the word alone or set apart by a space, or a record id
// after it.
func (r *Router) isCommand(text string, cmd *Command, args string) bool {
	if cmd.For == OfficeStaff || args == "" || looksLikeID(args) {
		return true
	}
	name, rest, ok := r.matcher.Match(strings.Fields(text)[0])
	return ok && name == cmd.Name && rest == ""
}

// looksLikeID reports text starting with a record id (HD-0003).
func looksLikeID(text string) bool {
	f := strings.Fields(text)
	if len(f) == 0 {
		return false
	}
	_, err := store.NormalizeID(f[0])
	return err == nil
}

// loadDialog reads the sender's dialog in this chat; an expired or
// unreadable one is deleted and noted.
func (c *Context) loadDialog() error {
	if err := c.loadPaused(); err != nil {
		return err
	}
	d, err := store.GetDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	f := (*Flow)(nil)
	s, err := c.router.decodeState(d.Data)
	if err == nil {
		f = c.router.flows[s.Flow]
	}
	switch {
	case f == nil:
		c.note = "之前的对话无法继续，已经作废，内容没有保存。"
	case !c.Now.Before(d.ExpiresAt) && f.pausable(&s) && c.Now.Before(d.ExpiresAt.Add(pauseKeep)):
		if err := c.pause(s, d.ExpiresAt.Add(pauseKeep)); err != nil {
			return err
		}
		c.addNote(fmt.Sprintf("你之前的“%s”超过%s没有回复，已暂停并保存。", f.Name, durationText(c.Config.Dialog.IdleTimeout)))
	case !c.Now.Before(d.ExpiresAt):
		c.expired = f.Name
		c.note = fmt.Sprintf("你之前的“%s”超过%s没有回复，已经作废，内容没有保存。", f.Name, durationText(c.Config.Dialog.IdleTimeout))
	default:
		c.dialog, c.state = d, &s
		return nil
	}
	return store.DeleteDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID)
}

// durationText renders an idle timeout in Chinese.
func durationText(d time.Duration) string {
	switch {
	case d <= 0:
		return "一段时间"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d小时", int(d/time.Hour))
	case d >= time.Minute:
		return fmt.Sprintf("%d分钟", int(d/time.Minute))
	}
	return fmt.Sprintf("%d秒", int(d/time.Second))
}

func runBusy(c *Context) (bot.Reply, error) {
	f := c.router.flows[c.state.Flow]
	e, err := c.Env(*c.state)
	if err != nil {
		return bot.NoReply, err
	}
	s := c.state.Clone()
	t := f.ask(e, &s, fmt.Sprintf("请先完成或取消当前的%s，再使用“%s”。", f.Name, c.Args))
	if err := c.saveState(s); err != nil { // refresh the idle timer
		return bot.NoReply, err
	}
	return c.turnReply(t), nil
}

// runLeave answers a command typed in an office dialog: it is not taken
// as the answer; the sender is asked whether to leave.
func runLeave(c *Context) (bot.Reply, error) {
	f := c.router.flows[c.state.Flow]
	e, err := c.Env(*c.state)
	if err != nil {
		return bot.NoReply, err
	}
	s := c.state.Clone()
	t := f.ask(e, &s, fmt.Sprintf("“%s”是一条命令，没有当作回答。你正在进行%s：要离开吗？回复“取消”离开（什么都不保存），再重新发送这条命令；要继续，请回答：",
		Clip(c.Args, 30), f.Name))
	if err := c.saveState(s); err != nil { // refresh the idle timer
		return bot.NoReply, err
	}
	return c.turnReply(t), nil
}

func runExpired(c *Context) (bot.Reply, error) {
	note := c.note
	c.note = ""
	return c.Reply(note + "\n需要的话请重新发送“" + c.expired + "”。"), nil
}

func runUnknown(c *Context) (bot.Reply, error) {
	text := strings.TrimSpace(c.Msg.Text)
	sug := c.router.matcher.Suggest(text, 3)
	if len(sug) == 0 {
		return c.Reply("没看懂。发送“帮助”查看我能做什么。"), nil
	}
	btns := make([]bot.Button, 0, len(sug))
	for _, s := range sug {
		btns = append(btns, bot.Button{Text: s, Value: s})
	}
	msg := "没看懂“" + Clip(text, 20) + "”。你是不是想：" + strings.Join(sug, "、") + "？\n发送“帮助”查看全部功能。"
	if c.Group() {
		msg += "\n上报活动也可以直接说，例如：@我 今天上午组织了疏散演练，80人参加。"
	}
	return bot.Reply{Text: msg, Buttons: btns}, nil
}

func runOther(c *Context) (bot.Reply, error) {
	return c.Reply("暂时只能处理文字和图片。发送“帮助”查看我能做什么。"), nil
}

func runEvent(c *Context) (bot.Reply, error) {
	switch c.Msg.Event {
	case bot.EventEnterChat, bot.EventEnterAgent:
		return runHelp(c)
	case bot.EventAddToChat:
		units, err := c.ChatUnits()
		if err != nil {
			return bot.NoReply, err
		}
		msg := "大家好，我是" + c.Campaign().Name + "的助手，可以帮大家上报活动、推荐志愿者、查看进度。@我 发送“帮助”查看用法。"
		if len(units) == 0 {
			msg += "\n本群还没有绑定单位：请单位安全员 @我 发送“绑定 单位名称”。"
		} else {
			msg += "\n本群已绑定：" + zhfmt.UnitNames(units) + "。"
		}
		return c.Reply(msg), nil
	}
	return bot.NoReply, nil
}

// Clip shortens text for echoing it back.
func Clip(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}
