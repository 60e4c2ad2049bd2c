package handlers

import (
	"fmt"
	"reflect"
	"strings"

	"firebot/bot"
	"firebot/store"
)

// The I/O side of the dialog engine: loading what a step needs (env),
// persisting the state after each turn with the store's version check,
// and performing a flow's Submit when the last step is answered.

// Env loads the world the steps of s see (also for a command that reads
// it before starting a flow).
func (c *Context) Env(s State) (*Env, error) {
	units, err := store.GetUnits(c.Tx, s.Units)
	if err != nil {
		return nil, err
	}
	return &Env{
		Campaign:   c.Campaign(),
		Units:      units,
		Now:        c.Now,
		Today:      c.Today(),
		Group:      c.Group(),
		Images:     c.ImagesArrive(),
		LatePolicy: c.Config.Nominations.LatePolicy,
		Command: func(text string) string {
			name, _, _ := c.router.matcher.Match(text)
			return name
		},
		Memo: &c.router.memo,
	}, nil
}

// StartFlow begins flow id for the sender with the prepared state s; note
// is shown before the first question.
func (c *Context) StartFlow(id string, s State, note string) (bot.Reply, error) {
	f := c.router.flows[id]
	if f == nil {
		return bot.NoReply, fmt.Errorf("handlers: unknown flow %q", id)
	}
	if s.Data != nil && (f.Data == nil || reflect.TypeOf(s.Data) != reflect.TypeOf(f.Data())) {
		return bot.NoReply, fmt.Errorf("handlers: start flow %q with values of type %T", id, s.Data)
	}
	s.Flow = id
	s.Started = c.Now
	e, err := c.Env(s)
	if err != nil {
		return bot.NoReply, err
	}
	if f.Photos && e.Images && s.Record == "" {
		held, err := c.takeHeld()
		if err != nil {
			return bot.NoReply, err
		}
		if len(held) > 0 {
			s.Photos = append(s.Photos, held...)
			note = JoinLines(note, fmt.Sprintf("已带上你之前发送的%d张照片，提交时一并保存。", len(held)))
		}
	}
	next, t := f.Begin(e, s, note)
	return c.applyTurn(f, e, next, t)
}

// runDialog feeds the message to the sender's current dialog.
func runDialog(c *Context) (bot.Reply, error) {
	f := c.router.flows[c.state.Flow]
	e, err := c.Env(*c.state)
	if err != nil {
		return bot.NoReply, err
	}
	in := Input{Text: c.Msg.Text}
	if strings.TrimSpace(in.Text) == "" && len(c.Msg.Images) == 0 {
		// A bare @-mention: ask the current question again.
		s := c.state.Clone()
		if err := c.saveState(s); err != nil {
			return bot.NoReply, err
		}
		return c.turnReply(f.ask(e, &s, "")), nil
	}
	if len(c.Msg.Images) > 0 {
		c.imagesUsed = true
		switch {
		case f.Images != nil:
			s := c.state.Clone()
			if err := c.saveState(s); err != nil { // refresh the idle timer
				return bot.NoReply, err
			}
			return f.Images(c, s)
		case f.Photos:
			names, failed, err := c.SavePending()
			if err != nil {
				return bot.NoReply, err
			}
			if len(names) == 0 && failed > 0 {
				return c.Reply("图片没有接收成功，请重新发送。"), nil
			}
			in.Photos = names
		default:
			in.Photos = []string{"-"} // the flow refuses photos; nothing is saved
		}
	}
	if f.Interrupt != nil && len(in.Photos) == 0 {
		rep, ok, err := f.Interrupt(c, e)
		if ok || err != nil {
			return rep, err
		}
	}
	next, t := f.Next(e, *c.state, in)
	return c.applyTurn(f, e, next, t)
}

// applyTurn persists the outcome of a turn and renders it.
func (c *Context) applyTurn(f *Flow, e *Env, s State, t Turn) (bot.Reply, error) {
	switch {
	case t.Cancel:
		if err := c.endDialog(); err != nil {
			return bot.NoReply, err
		}
		return c.Reply(t.Text), nil
	case t.Submit:
		// The dialog ends first: what Submit does may start the next one.
		if err := c.endDialog(); err != nil {
			return bot.NoReply, err
		}
		rep, err := f.Submit(c, e, s)
		if err != nil {
			return bot.NoReply, err
		}
		if kept := c.keep; kept != nil {
			// Submit asked a question instead of saving (KeepAsking).
			c.keep = nil
			if err := c.saveState(*kept); err != nil {
				return bot.NoReply, err
			}
			return rep, nil
		}
		if t.Text != "" {
			rep.Text = t.Text + "\n" + rep.Text
		}
		return rep, nil
	}
	if err := c.saveState(s); err != nil {
		return bot.NoReply, err
	}
	return c.turnReply(t), nil
}

// saveState writes s as the sender's dialog, refreshing its expiry.
func (c *Context) saveState(s State) error {
	data, err := c.router.encodeState(s)
	if err != nil {
		return err
	}
	d := &store.Dialog{
		ChatID:    c.Msg.ChatID,
		UserID:    c.Msg.SenderID,
		ExpiresAt: c.Now.Add(c.Config.Dialog.IdleTimeout),
		Data:      data,
	}
	if c.dialog != nil {
		d.Version = c.dialog.Version
	}
	if err := store.PutDialog(c.Tx, d); err != nil {
		return fmt.Errorf("handlers: save dialog: %w", err)
	}
	c.dialog, c.state = d, &s
	return nil
}

func (c *Context) endDialog() error {
	if c.dialog == nil {
		return nil
	}
	c.dialog, c.state = nil, nil
	return store.DeleteDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID)
}

// turnReply renders a turn; a question says how to answer.
func (c *Context) turnReply(t Turn) bot.Reply {
	if t.Ask {
		return c.Ask(t.Text, t.Buttons...)
	}
	return bot.Reply{Text: t.Text, Buttons: t.Buttons}
}

// What a flow's own hooks (Flow.Interrupt, a Submit that asks first) do
// with the sender's dialog.

// DialogState is a copy of the sender's dialog state (zero without one).
func (c *Context) DialogState() State {
	if c.state == nil {
		return State{}
	}
	return c.state.Clone()
}

// SetDialogState replaces the state the engine goes on with for this
// message, without saving it (an Interrupt that passes the message on).
func (c *Context) SetDialogState(s State) { c.state = &s }

// SaveDialog saves s as the sender's dialog, refreshing its idle timer.
func (c *Context) SaveDialog(s State) error { return c.saveState(s) }

// SubmitDialog ends the sender's dialog and submits s, as when its last
// step is answered.
func (c *Context) SubmitDialog(e *Env, s State) (bot.Reply, error) {
	return c.applyTurn(c.router.flows[s.Flow], e, s, Turn{Submit: true})
}

// KeepAsking, called by a flow's Submit, keeps the dialog in state s
// instead of ending it: the Submit asked a question (a duplicate report)
// and returns it as its reply.
func (c *Context) KeepAsking(s State) { c.keep = &s }
