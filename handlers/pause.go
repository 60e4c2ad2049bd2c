package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"firebot/bot"
	"firebot/handlers/textparse"
	"firebot/store"
	"firebot/zhfmt"
)

// Paused drafts. A dialog that holds real work (a nomination, or a report
// with several answers) and passes dialog.idle_timeout is not thrown away:
// it is paused and kept for pauseKeep. The drafts of a sender in a chat
// live in one more dialog slot, (chat, user+pausedSlot), so a paused draft
// and a live dialog never overwrite each other. The next message that
// answers the paused step resumes it; a command does not, but its reply
// mentions the draft and how to go on (继续推荐, 继续上报); 取消 discards.

// shortReportMax is the length up to which a report told in free text
// does not resume a paused draft.
const shortReportMax = 40

// pauseKeep is how long a paused draft is kept.
const pauseKeep = 7 * 24 * time.Hour

// pausedSlot is appended to the user id to name the paused-drafts slot
// (read ahead with the live dialog, store.ConversationReads).
const pausedSlot = store.PausedDialogs

type pausedDraft struct {
	State State
	Until time.Time // campaign clock
}

// storedDrafts is the paused-drafts slot as stored; each state is encoded
// as a dialog's is (state_stored.go).
type storedDrafts struct {
	Drafts []storedDraft `json:"drafts"`
}

type storedDraft struct {
	State json.RawMessage `json:"state"`
	Until time.Time       `json:"until"`
}

// pausable reports whether an idle dialog of f in state s is paused rather
// than discarded.
func (f *Flow) pausable(s *State) bool { return f.Pause != nil && f.Pause(s) }

// loadPaused reads the sender's paused drafts in this chat, dropping the
// ones kept too long.
func (c *Context) loadPaused() error {
	d, err := store.GetDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID+pausedSlot)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var p storedDrafts
	if json.Unmarshal(d.Data, &p) != nil {
		return store.DeleteDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID+pausedSlot)
	}
	c.pausedDialog = d
	var kept []pausedDraft
	for _, x := range p.Drafts {
		s, err := c.router.decodeState(x.State)
		f := c.router.flows[s.Flow]
		switch {
		case err != nil, f == nil:
		case c.Now.Before(x.Until):
			kept = append(kept, pausedDraft{State: s, Until: x.Until})
		default:
			c.addNote(fmt.Sprintf("你暂停的%s草稿已保存满%d天，已经作废。", f.Name, int(pauseKeep/(24*time.Hour))))
		}
	}
	c.paused = kept
	if len(kept) != len(p.Drafts) {
		return c.savePaused()
	}
	return nil
}

// savePaused writes c.paused back (or deletes the slot when empty).
func (c *Context) savePaused() error {
	if len(c.paused) == 0 {
		c.pausedDialog = nil
		return store.DeleteDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID+pausedSlot)
	}
	var p storedDrafts
	for _, x := range c.paused {
		data, err := c.router.encodeState(x.State)
		if err != nil {
			return fmt.Errorf("handlers: encode paused drafts: %w", err)
		}
		p.Drafts = append(p.Drafts, storedDraft{State: data, Until: x.Until})
	}
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("handlers: encode paused drafts: %w", err)
	}
	d := &store.Dialog{ChatID: c.Msg.ChatID, UserID: c.Msg.SenderID + pausedSlot, Data: data}
	for _, x := range c.paused {
		if x.Until.After(d.ExpiresAt) {
			d.ExpiresAt = x.Until
		}
	}
	if c.pausedDialog != nil {
		d.Version = c.pausedDialog.Version
	}
	if err := store.PutDialog(c.Tx, d); err != nil {
		return fmt.Errorf("handlers: save paused drafts: %w", err)
	}
	c.pausedDialog = d
	return nil
}

// pause keeps s as a paused draft until the given time, replacing an
// older draft of its flow.
func (c *Context) pause(s State, until time.Time) error {
	c.paused = slices.DeleteFunc(c.paused, func(x pausedDraft) bool { return x.State.Flow == s.Flow })
	c.paused = append(c.paused, pausedDraft{State: s, Until: until})
	return c.savePaused()
}

// takePaused removes the paused draft of flow id and returns it.
func (c *Context) takePaused(id string) (State, bool, error) {
	i := slices.IndexFunc(c.paused, func(x pausedDraft) bool { return x.State.Flow == id })
	if i < 0 {
		return State{}, false, nil
	}
	s := c.paused[i].State
	c.paused = slices.Delete(c.paused, i, i+1)
	return s, true, c.savePaused()
}

// answeringDraft returns the flow of the paused draft whose current step
// text answers (the step takes it, or keeps something of it), or "".
func (c *Context) answeringDraft(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	for _, x := range c.paused {
		f := c.router.flows[x.State.Flow]
		e, err := c.Env(x.State)
		if err != nil {
			return "", err
		}
		s := x.State.Clone()
		cur := f.Step(e, &s, s.Step)
		if cur == nil {
			continue
		}
		switch Control(text) {
		case "":
		case ctlDone, ctlContinue, ctlConfirm:
			if !cur.Controls {
				continue
			}
		default:
			continue
		}
		a := cur.Answer(e, &s, Input{Text: text})
		before, after := x.State.Named(), s.Named()
		for _, k := range f.Scratch {
			delete(before, k)
			delete(after, k)
		}
		if a.Done || !maps.Equal(before, after) {
			return f.ID, nil
		}
	}
	return "", nil
}

// pausedNote mentions the paused drafts and how to go on with them.
func (c *Context) pausedNote() string {
	var lines []string
	for _, x := range c.paused {
		f := c.router.flows[x.State.Flow]
		where := ""
		if e, err := c.Env(x.State); err == nil {
			s := x.State.Clone()
			if st := f.Step(e, &s, s.Step); st != nil && st.Label != "" {
				where = "，停在“" + st.Label + "”"
			}
		}
		lines = append(lines, fmt.Sprintf("你有一份暂停的%s草稿（%s前有效%s）：回复“%s”接着填写，回复“取消”放弃。",
			f.Name, zhfmt.Moment(x.Until), where, f.Resume))
	}
	return strings.Join(lines, "\n")
}

// addNote prefixes another line to the note shown before the reply.
func (c *Context) addNote(s string) {
	c.note = JoinLines(c.note, s)
}

// ResumeCommand is the command (继续推荐, 继续上报) that resumes the
// sender's paused draft of flow id, whose Flow.Resume names it: the draft
// becomes the sender's dialog again and its current step is asked.
func ResumeCommand(name, help, id string) Command {
	return Command{Name: name, Help: help, Writes: true, Run: runResume(id)}
}

func runResume(id string) func(c *Context) (bot.Reply, error) {
	return func(c *Context) (bot.Reply, error) {
		c.note = "" // the draft is handled here
		f := c.router.flows[id]
		s, ok, err := c.takePaused(id)
		if err != nil || !ok {
			if err == nil && len(c.paused) > 0 {
				return c.Reply("没有暂停的" + f.Name + "草稿。\n" + c.pausedNote()), nil
			}
			return c.Reply("没有暂停的" + f.Name + "草稿，发送“" + f.Name + "”重新开始。"), err
		}
		e, err := c.Env(s)
		if err != nil {
			return bot.NoReply, err
		}
		msg := "好的，接着填写暂停的" + f.Name + "，已填的内容都在。"
		if f.ResumeNote != nil {
			msg += f.ResumeNote(&s)
		}
		t := f.ask(e, &s, msg)
		if err := c.saveState(s); err != nil {
			return bot.NoReply, err
		}
		return c.turnReply(t), nil
	}
}

// routePaused routes a message when the sender has paused drafts and no
// live dialog: an answer to a draft's step resumes it; anything else is
// routed as usual, with the drafts mentioned first.
func (r *Router) routePaused(c *Context, text string, cmd *Command, args string, matched bool) (bool, error) {
	if matched && r.isResumeOrCancel(cmd.Name) {
		return false, nil
	}
	// A short report told in free text is a report, not more deeds; the
	// long accounts of deeds often read like one.
	shortReport := textparse.CountChars(text) <= shortReportMax && r.freeReport(c, text) != nil
	if !shortReport && (!matched || args != "" && !(cmd.Args && looksLikeID(args))) {
		id, err := c.answeringDraft(text)
		if err != nil {
			return true, err
		}
		if id != "" {
			s, _, err := c.takePaused(id)
			if err != nil {
				return true, err
			}
			c.state, c.dialog = &s, nil
			c.addNote("（接着填写你暂停的" + r.flows[id].Name + "。）")
			c.Command = cmdDialog
			return true, nil
		}
	}
	c.addNote(c.pausedNote())
	return false, nil
}

func (r *Router) isResumeOrCancel(name string) bool {
	if name == cmdNameCancel {
		return true
	}
	for _, f := range r.flows {
		if f.Resume != "" && f.Resume == name {
			return true
		}
	}
	return false
}
