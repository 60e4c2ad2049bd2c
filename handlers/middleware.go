package handlers

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"unicode/utf8"

	"firebot/bot"
	"firebot/store"
)

// recoverPanics turns a panic into an error: the unit of work rolls back
// (nothing half-written is kept) and the bot layer answers that it is busy.
func recoverPanics(log *slog.Logger) Middleware {
	return func(next Next) Next {
		return func(c *Context) (rep bot.Reply, err error) {
			defer func() {
				if p := recover(); p != nil {
					name := ""
					if c.Command != nil {
						name = c.Command.Name
					}
					log.Error("command panicked", "command", name, "chat", c.Msg.ChatID,
						"user", c.Msg.SenderID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					rep, err = bot.NoReply, fmt.Errorf("%w: %v", ErrPanic, p)
				}
			}()
			return next(c)
		}
	}
}

// logCommands logs each handled message (never its text, which may hold
// phone numbers).
func logCommands(log *slog.Logger) Middleware {
	return func(next Next) Next {
		return func(c *Context) (bot.Reply, error) {
			rep, err := next(c)
			attrs := []any{"channel", c.Msg.Channel, "chat", c.Msg.ChatID, "user", c.Msg.SenderID,
				"command", c.Command.Name, "chars", utf8.RuneCountInString(c.Msg.Text)}
			if err != nil {
				log.Warn("command failed", append(attrs, "err", err)...)
			} else {
				log.Info("command", attrs...)
			}
			return rep, err
		}
	}
}

// scopeRoles refuses commands the user may not use here, saying why, and
// writes the refusal to the audit log.
func scopeRoles(next Next) Next {
	return func(c *Context) (bot.Reply, error) {
		cmd := c.Command
		reason, err := refusal(c, cmd)
		if err != nil {
			return bot.NoReply, err
		}
		if reason == "" {
			return next(c)
		}
		if err := c.AuditRefused("command:"+cmd.Name, "", reason); err != nil {
			return bot.NoReply, err
		}
		return c.Reply(reason), nil
	}
}

// refusal returns why c's user may not run cmd here, or "".
func refusal(c *Context, cmd *Command) (string, error) {
	if cmd.Scope == ScopeGroup && !c.Group() {
		return "“" + cmd.Name + "”要在单位的工作群里使用：在群里 @我 发送“" + cmd.Usage + "”。", nil
	}
	if cmd.Scope == ScopeSingle && c.Group() {
		return "“" + cmd.Name + "”请私聊我使用。", nil
	}
	if cmd.For == OfficeStaff && !c.Office() {
		return "“" + cmd.Name + "”只有街道工作人员可以使用，你的账号不在街道工作人员名单中。如需开通，请联系" + c.OfficeContact() + "。", nil
	}
	if cmd.For == Officers && !c.Office() {
		units, err := c.OfficerUnits()
		if err != nil {
			return "", err
		}
		if len(units) == 0 {
			return "“" + cmd.Name + "”只有单位安全员和街道工作人员可以使用，你目前不是任何单位的安全员。如需登记，请联系" + c.OfficeContact() + "。", nil
		}
	}
	if cmd.Submit {
		units, err := c.SubmitUnits()
		if err != nil {
			return "", err
		}
		if len(units) == 0 {
			return c.noUnitReason(), nil
		}
	}
	return "", nil
}

// RefuseWrites keeps the campaign read-only once archived reports it so:
// commands and dialog steps that would create or change its records are
// refused with ArchivedText, and the sender's open dialog is dropped.
func RefuseWrites(archived func(tx store.Tx, campaignID string) (bool, error)) Middleware {
	return func(next Next) Next {
		return func(c *Context) (bot.Reply, error) {
			cmd := c.Command
			if !(cmd.Writes || cmd == cmdDialog || cmd == cmdImages) {
				return next(c)
			}
			frozen, err := archived(c.Tx, c.Campaign().ID)
			if err != nil {
				return bot.NoReply, err
			}
			if !frozen {
				return next(c)
			}
			if c.state != nil {
				if err := store.DeleteDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID); err != nil {
					return bot.NoReply, err
				}
			}
			return c.Reply(ArchivedText + "。可以发送“进度”“我的记录”查看。"), nil
		}
	}
}

// ArchivedText is what a change to an archived campaign is refused with.
const ArchivedText = "本期活动已归档，记录只读，不能再新增或修改"
