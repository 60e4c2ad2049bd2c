package handlers

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers/textparse"
)

// State is the persisted part of a dialog (store.Dialog.Data): which flow,
// which step, what has been collected. It is plain data so a restart loses
// nothing and two users never share it; state_stored.go stores it.
type State struct {
	// Version is the shape the state was stored in (stateVersion once
	// read: decodeState converts earlier shapes).
	Version int
	Flow    string
	Step    string
	Unit    string // the unit the dialog is for (StepUnit), one of Units
	// Data is what the flow collects, its struct (Flow.Data; DataOf);
	// nil for a flow that collects nothing but the unit.
	Data Data
	// Notes say, by step id, what a value was read from; the summary
	// shows them and editing the value clears its note.
	Notes   map[string]string
	Done    map[string]bool // steps answered or skipped
	History []string        // answered steps, for 返回
	Units   []string        // unit ids the user may act for
	Record  string          // the record edited (修改), withdrawn or photographed
	Photos  []string        // photos received, file names under media.dir
	Started time.Time       // campaign clock
}

// Clone is a deep copy of s.
func (s State) Clone() State {
	if s.Data != nil {
		s.Data = s.Data.Clone()
	}
	s.Notes = maps.Clone(s.Notes)
	s.Done = maps.Clone(s.Done)
	s.History = slices.Clone(s.History)
	s.Units = slices.Clone(s.Units)
	s.Photos = slices.Clone(s.Photos)
	if s.Done == nil {
		s.Done = map[string]bool{}
	}
	return s
}

// Env is the read-only world a step sees: configuration and facts loaded by
// the router before the step runs. Steps never do I/O.
type Env struct {
	Campaign   *campaign.Campaign
	Units      []campaign.Unit // the units of State.Units, loaded
	Now        time.Time       // campaign clock, in the campaign's location
	Today      time.Time       // midnight of Now
	Group      bool            // a group chat: mask phones, preview deeds
	Images     bool            // images can arrive in this chat
	LatePolicy string
	// Command names the command text starts with, or "" (nil in tests of
	// single steps).
	Command func(text string) string
	Memo    *Memo // the router's (nil in tests of single steps)
}

// Unit is the loaded unit id of State.Units.
func (e *Env) Unit(id string) (campaign.Unit, bool) {
	for _, u := range e.Units {
		if u.ID == id {
			return u, true
		}
	}
	return campaign.Unit{}, false
}

// Input is one message as a step sees it.
type Input struct {
	Text   string
	Photos []string // photo files saved for this message
	Edit   bool     // the value comes from editing the summary ("事迹 …")
}

// Prompt is a step's question and its buttons.
type Prompt struct {
	Text    string
	Buttons []bot.Button
}

// Reaction is a step's answer to an input; Answered, Bad and Again build
// the common ones.
type Reaction struct {
	Msg  string // shown first: an acknowledgement or what was wrong
	Done bool   // the step is answered; the dialog moves on
	Ask  bool   // not done: show the current step's question after Msg
	// Cancel ends the dialog without saving (a "no" to a final question).
	Cancel bool
}

// Answered: the step is done; msg is shown before the next question.
func Answered(msg string) Reaction { return Reaction{Msg: msg, Done: true} }

// Bad: the input does not answer the step; msg says why.
func Bad(msg string) Reaction { return Reaction{Msg: msg} }

// Again: not answered; msg, then the step's question again.
func Again(msg string) Reaction { return Reaction{Msg: msg, Ask: true} }

// Turn is the outcome of one input to a flow.
type Turn struct {
	Text    string
	Buttons []bot.Button
	Ask     bool // the text ends with a question: the router adds how to answer
	Submit  bool // every step is answered: the router saves
	Cancel  bool // the user left: nothing is saved
}

// Control words inside a dialog.
const (
	ctlCancel   = "取消"
	ctlBack     = "返回"
	ctlSkip     = "跳过"
	ctlConfirm  = "确认"
	ctlContinue = "继续"
	ctlDone     = "完成"
	ctlHelp     = "帮助"
)

var controls = textparse.MustNewMatcher(
	textparse.Command{Name: ctlCancel, Words: []string{"退出", "不报了", "cancel", "quit"}},
	textparse.Command{Name: ctlBack, Words: []string{"上一步", "后退", "back"}},
	textparse.Command{Name: ctlSkip, Words: []string{"略过", "没有", "无", "skip"}},
	textparse.Command{Name: ctlConfirm, Words: []string{"确定", "提交", "确认提交", "confirm"}},
	textparse.Command{Name: ctlContinue, Words: []string{"接着", "还有", "continue"}},
	textparse.Command{Name: ctlDone, Words: []string{"结束", "写完了", "好了", "done"}},
	textparse.Command{Name: ctlHelp, Words: []string{"help", "怎么填", "说明"}},
)

// Control words a feature's step may take or offer as buttons (with
// Step.Controls).
const (
	CtlConfirm  = ctlConfirm
	CtlContinue = ctlContinue
	CtlDone     = ctlDone
)

// Control returns the control word (确认, 完成, 取消…) the whole text is,
// or "".
func Control(text string) string {
	name, args, ok := controls.Match(text)
	if !ok || args != "" {
		return ""
	}
	return name
}

// softSkip reports a skip word that can also be an answer (没有, 无).
func softSkip(text string) bool {
	t := strings.TrimSpace(text)
	return t == "没有" || t == "无"
}

// Begin puts s on its first unanswered step and asks it. Begin and Next
// are the engine as a pure function (also for the table tests of a
// feature's flow).
func (f *Flow) Begin(e *Env, s State, note string) (State, Turn) {
	s = s.Clone()
	s.Flow = f.ID
	if s.Data == nil && f.Data != nil {
		s.Data = f.Data()
	}
	next := f.pending(e, &s)
	if next == "" {
		return s, Turn{Text: note, Submit: true}
	}
	s.Step = next
	return s, f.ask(e, &s, note)
}

// Next is the dialog engine: one input in, the next state and the reply
// out. It handles the control words and delegates everything else to the
// current step. It is pure.
func (f *Flow) Next(e *Env, s State, in Input) (State, Turn) {
	s = s.Clone()
	cur := f.Step(e, &s, s.Step)
	if cur == nil {
		return f.Begin(e, s, "")
	}
	if len(in.Photos) > 0 && !cur.TakesPhotos {
		if !f.Photos {
			return s, f.stay(e, &s, Again("这一步不需要照片。"))
		}
		s.Photos = append(s.Photos, in.Photos...)
		msg := "已收到照片，共" + strconv.Itoa(len(s.Photos)) + "张，提交时一并保存。"
		if strings.TrimSpace(in.Text) == "" {
			return s, f.stay(e, &s, Again(msg))
		}
		in.Photos = nil
		t := f.next0(e, &s, cur, in)
		t.Text = JoinLines(msg, t.Text)
		return s, t
	}
	return s, f.next0(e, &s, cur, in)
}

func (f *Flow) next0(e *Env, s *State, cur *Step, in Input) Turn {
	switch ctl := Control(in.Text); ctl {
	case ctlCancel:
		return Turn{Cancel: true, Text: "已取消" + f.Name + "，没有保存任何内容。"}
	case ctlBack:
		if len(s.History) == 0 {
			return f.stay(e, s, Again("已经是第一步了。"))
		}
		s.Step = s.History[len(s.History)-1]
		s.History = s.History[:len(s.History)-1]
		return f.ask(e, s, "好的，回到上一步。")
	case ctlSkip:
		if !cur.Optional && softSkip(in.Text) {
			break // "没有" may answer a required step (0, none)
		}
		if cur.ID == StepSummary {
			return f.stay(e, s, Again("内容都在上面了：无误请回复“确认”提交，要改某一项请回复“项目名 新内容”。"))
		}
		if !cur.Optional {
			return f.stay(e, s, Again("“"+cur.Label+"”必须填写，不能跳过。"))
		}
		if cur.Clear != nil {
			cur.Clear(s)
		}
		return f.advance(e, s, cur, "已跳过。")
	case ctlHelp:
		h := cur.Help
		if h == "" {
			h = "请按提示回答。"
		}
		h += "\n随时可以回复：返回（上一步）"
		if cur.Optional {
			h += "、跳过（这一项可以不填）"
		}
		h += "、取消（退出，不保存）。"
		return f.ask(e, s, h)
	case ctlConfirm, ctlContinue, ctlDone:
		if !cur.Controls {
			return f.stay(e, s, Again("现在还不能“"+ctl+"”，请先回答这一步。"))
		}
	}
	a := cur.Answer(e, s, in)
	if a.Cancel {
		return Turn{Cancel: true, Text: a.Msg}
	}
	if !a.Done {
		return f.stay(e, s, a)
	}
	return f.advance(e, s, cur, a.Msg)
}

// advance marks cur answered and moves to the first unanswered step.
func (f *Flow) advance(e *Env, s *State, cur *Step, msg string) Turn {
	s.Done[cur.ID] = true
	if n := len(s.History); n == 0 || s.History[n-1] != cur.ID {
		s.History = append(s.History, cur.ID)
	}
	next := f.pending(e, s)
	if next == "" {
		return Turn{Text: msg, Submit: true}
	}
	s.Step = next
	return f.ask(e, s, msg)
}

// pending returns the first step of the order not answered yet, or "".
func (f *Flow) pending(e *Env, s *State) string {
	for _, id := range f.Order(e, s) {
		if !s.Done[id] {
			return id
		}
	}
	return ""
}

// ask shows msg and then the current step's question.
func (f *Flow) ask(e *Env, s *State, msg string) Turn {
	st := f.Step(e, s, s.Step)
	if st == nil {
		return Turn{Text: msg}
	}
	q := st.Ask(e, s)
	btns := q.Buttons
	if st.Optional && !hasButton(btns, ctlSkip) {
		btns = append(slices.Clone(btns), bot.Button{Text: ctlSkip, Value: ctlSkip})
	}
	return Turn{Text: JoinLines(msg, q.Text), Buttons: btns, Ask: true}
}

// stay reacts to an answer that did not complete the (possibly changed)
// current step.
func (f *Flow) stay(e *Env, s *State, a Reaction) Turn {
	if a.Ask {
		return f.ask(e, s, a.Msg)
	}
	t := f.ask(e, s, "")
	t.Text = a.Msg
	return t
}

func hasButton(bs []bot.Button, v string) bool {
	return slices.ContainsFunc(bs, func(b bot.Button) bool { return b.Value == v })
}

// ChoiceButtons offers options as numbered buttons when there are few
// enough for every channel (6).
func ChoiceButtons(opts []string) []bot.Button {
	if len(opts) > 6 {
		return nil
	}
	bs := make([]bot.Button, 0, len(opts))
	for i, o := range opts {
		label := o
		if len([]byte(label)) > 60 {
			label = string([]rune(label)[:18]) + "…"
		}
		bs = append(bs, bot.Button{Text: label, Value: strconv.Itoa(i + 1)})
	}
	return bs
}

// Numbered lists options as "1. …" lines.
func Numbered(opts []string) string {
	var b strings.Builder
	for i, o := range opts {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(i+1) + ". " + o)
	}
	return b.String()
}
