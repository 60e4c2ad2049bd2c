package handlers

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/config"
	"firebot/store"
)

// Context is one message being handled: the unit of work, the message,
// the campaign time, the resolved command and who the sender is. Roles and
// bound units are read from the store on first use.
type Context struct {
	Ctx     context.Context
	Tx      store.Tx
	Msg     *bot.Message
	Now     time.Time // campaign clock, in the campaign's location
	Config  *config.Config
	Command *Command // resolved before the middlewares run
	Args    string   // the text after the command word
	Logger  *slog.Logger

	router  *Router
	note    string // prefixed to the reply (e.g. an expired dialog)
	expired string // the name of the flow that just expired
	// imagesUsed: a command consumed the message's images.
	imagesUsed bool

	dialog *store.Dialog // the sender's dialog in this chat, if live
	state  *State
	// paused lists the sender's paused drafts in this chat (pause.go).
	paused       []pausedDraft
	pausedDialog *store.Dialog
	// keep: Submit asked a question; the dialog goes on in this state.
	keep *State

	officer   []campaign.Unit
	officerOK bool
	chat      []campaign.Unit
	chatOK    bool
}

func (r *Router) newContext(ctx context.Context, tx store.Tx, m *bot.Message) *Context {
	now := r.clock.Now()
	if r.cfg.Location != nil {
		now = now.In(r.cfg.Location)
	}
	return &Context{Ctx: ctx, Tx: tx, Msg: m, Now: now, Config: r.cfg, Logger: r.log, router: r}
}

// Campaign is the configured campaign.
func (c *Context) Campaign() *campaign.Campaign { return &c.Config.Campaign }

// Today is midnight of Now.
func (c *Context) Today() time.Time { return midnight(c.Now) }

// Group reports a group chat (anything but a one-to-one chat).
func (c *Context) Group() bool {
	return c.Msg.ChatType != bot.ChatSingle && c.Msg.ChatType != ""
}

// ImagesArrive reports whether images can reach the bot in this chat: the
// group robot receives them only in one-to-one chats, the intelligent
// robot also in groups.
func (c *Context) ImagesArrive() bool {
	return !c.Group() || c.Msg.Channel == bot.ChannelAibot
}

// Office reports whether the sender is office staff.
func (c *Context) Office() bool {
	return slices.Contains(c.Config.Access.OfficeUsers, c.Msg.SenderID)
}

// OfficerUnits lists the units the sender is an officer of.
func (c *Context) OfficerUnits() ([]campaign.Unit, error) {
	if !c.officerOK {
		us, err := store.UnitsOfOfficer(c.Tx, c.Msg.SenderID)
		if err != nil {
			return nil, err
		}
		c.officer, c.officerOK = us, true
	}
	return c.officer, nil
}

// ChatUnits lists the units this chat is bound to.
func (c *Context) ChatUnits() ([]campaign.Unit, error) {
	if !c.chatOK {
		ids, err := store.UnitsOfChat(c.Tx, c.Msg.ChatID)
		if err != nil {
			return nil, err
		}
		us, err := store.GetUnits(c.Tx, ids)
		if err != nil {
			return nil, err
		}
		c.chat, c.chatOK = us, true
	}
	return c.chat, nil
}

// SubmitUnits lists the units the sender may report for here: the chat's
// units in a group, the units they are an officer of in a one-to-one chat.
func (c *Context) SubmitUnits() ([]campaign.Unit, error) {
	if c.Group() {
		return c.ChatUnits()
	}
	return c.OfficerUnits()
}

// IsOfficerOf reports whether the sender is an officer of unit id.
func (c *Context) IsOfficerOf(id string) (bool, error) {
	us, err := c.OfficerUnits()
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(us, func(u campaign.Unit) bool { return u.ID == id }), nil
}

// AuditAllowed appends an audit entry for an action the sender took;
// detail is optional (e.g. "3张").
func (c *Context) AuditAllowed(action, target, detail string) error {
	return c.Audit(action, target, true, detail)
}

// AuditRefused appends an audit entry for an action the sender was refused,
// with the reason they were told.
func (c *Context) AuditRefused(action, target, reason string) error {
	return c.Audit(action, target, false, reason)
}

// Audit appends an audit entry for the sender's action. Prefer AuditAllowed
// and AuditRefused; Audit is for an outcome computed elsewhere.
func (c *Context) Audit(action, target string, allowed bool, detail string) error {
	return store.AppendAudit(c.Tx, store.AuditEntry{
		At: c.Now, Actor: c.Msg.SenderID, ChatID: c.Msg.ChatID,
		Action: action, Target: target, Allowed: allowed, Detail: detail,
	})
}

// Reply is a plain answer.
func (c *Context) Reply(text string) bot.Reply { return bot.Reply{Text: text} }

// Ask is a question: it says how to answer in this chat (in a group, to
// @-mention the bot) and how to cancel.
func (c *Context) Ask(text string, buttons ...bot.Button) bot.Reply {
	return bot.Reply{Text: text + "\n" + c.answerHint(), Buttons: buttons}
}

func (c *Context) answerHint() string {
	if c.Group() {
		return "（在群里回复时请先 @我；回复“取消”可退出）"
	}
	return "（回复“取消”可退出）"
}

// finish adds what every reply in a group carries: a mention of the
// sender, so people talking to the bot at once see whose answer is whose.
func (c *Context) finish(r bot.Reply) bot.Reply {
	if r.IsEmpty() || !c.Group() || c.Msg.SenderID == "" {
		return r
	}
	if !slices.Contains(r.Mentions, c.Msg.SenderID) {
		r.Mentions = append([]string{c.Msg.SenderID}, r.Mentions...)
	}
	return r
}

// OfficeContact names whom to call about access: the campaign's first
// contact, the office's own (as the reminders' footer does), or the
// office staff in general when the campaign names none.
func (c *Context) OfficeContact() string {
	cs := c.Campaign().Contacts
	if len(cs) == 0 {
		return "街道工作人员"
	}
	ct := cs[0]
	s := "街道" + ct.Role
	if ct.Role == "" {
		s = "街道"
	}
	s += "（" + ct.Name
	if ct.Phone != "" {
		s += " " + ct.Phone
	}
	return s + "）"
}

// noUnitReason explains why the sender cannot submit here and how to get
// bound.
func (c *Context) noUnitReason() string {
	if c.Group() {
		return "本群还没有绑定单位，所以暂时不能在这里上报或推荐。请单位安全员或街道工作人员在群里 @我 发送“绑定 单位名称”。绑定前可以先发送“活动”“截止”查看信息。"
	}
	return "私聊中只能为你担任安全员的单位上报或推荐，你目前不是任何单位的安全员。请在单位的工作群里 @我 上报；如需登记为安全员，请联系" + c.OfficeContact() + "。"
}

// SenderName is how the sender is shown: their name when the channel
// gives it, else their account.
func (c *Context) SenderName() string {
	if c.Msg.SenderName != "" {
		return c.Msg.SenderName
	}
	return c.Msg.SenderID
}
