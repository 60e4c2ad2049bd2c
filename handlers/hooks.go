package handlers

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/store"
)

// Hooks for packages that add commands on top of this one: the feature
// packages' Hooks (what the core hands to a feature it does not import),
// a one-step question asked through the dialog engine (the office
// tools), the confirmation dialog opened on a unit's behalf (代录), a
// record reopened for 修改, and a unit's progress as 进度 shows it.

// Hooks are what the core hands to the feature packages beneath it, which
// it does not import: the service registers each feature's with
// Router.RegisterHooks (service/commands.go). A nil field is not handed
// over.
type Hooks struct {
	// Images answers images sent alone outside any dialog (handlers/records
	// attaches them to the sender's latest report). Without it they are
	// held for the sender's next report (Context.HoldImages).
	Images func(c *Context) (bot.Reply, error)
	// StrayImages files images that came with a command that did not use
	// them, as if sent alone; it returns a line for the reply ("" when
	// they went nowhere).
	StrayImages func(c *Context) (string, error)
	// Tell is a dialog begun by telling it without a command word
	// (handlers/nominate: "我想推荐…"), before any command.
	Tell *Starter
	// Report is a report told in free text (handlers/report: "今天上午我们
	// 社区组织了疏散演练，80人参加"): it is tried after the commands, and
	// for a command that takes no arguments but came with some. It runs
	// as 自由上报, for someone with units to act for.
	Report *Starter
	// ReportFor opens the report dialog for unit u on the sender's behalf
	// (Context.StartConfirmationFor, 代录).
	ReportFor func(c *Context, u campaign.Unit, note string) (bot.Reply, error)
}

// Starter recognises a message that begins a feature's dialog without its
// command word: it runs as the registered command named Command, with the
// whole text as its arguments.
type Starter struct {
	Command string
	Is      func(c *Context, text string) bool
}

// RegisterHooks hands a feature's hooks to the core. It panics when a
// hook is handed twice.
func (r *Router) RegisterHooks(h Hooks) {
	handOver("Images", &r.hooks.Images, h.Images)
	handOver("StrayImages", &r.hooks.StrayImages, h.StrayImages)
	handOver("Tell", &r.hooks.Tell, h.Tell)
	handOver("Report", &r.hooks.Report, h.Report)
	handOver("ReportFor", &r.hooks.ReportFor, h.ReportFor)
}

// handOver sets the hook *dst to v unless v is nil (T is a func or a
// pointer type); a hook set already panics.
func handOver[T any](name string, dst *T, v T) {
	if reflect.ValueOf(&v).Elem().IsNil() {
		return
	}
	if !reflect.ValueOf(dst).Elem().IsNil() {
		panic(fmt.Sprintf("handlers: register hooks: %s handed twice", name))
	}
	*dst = v
}

// Question is a one-step dialog another package asks through the dialog
// engine, so it is persisted per (chat, user), expires like every dialog,
// and obeys 取消 and 帮助. Register it with Router.RegisterQuestion before
// the router serves messages; ask it with Context.AskQuestion.
type Question struct {
	ID   string // flow id, unique among flows
	Name string // what is being done, as in "请先完成或取消当前的<Name>"
	// YesNo asks for 确认 or 取消; otherwise any non-empty text answers.
	YesNo bool
	Help  string // shown on 帮助 (default: how to answer)
	// Declined is the reply to a "no" (YesNo only; default 好的，已取消。).
	Declined string
	// Answer runs in the message's unit of work once the question is
	// answered: on 确认 (YesNo) or with the text typed. values are those
	// given to AskQuestion. The question is over when it runs, so it may
	// ask another question (a preview after a reason).
	Answer func(c *Context, values map[string]string, text string) (bot.Reply, error)
	// Commands says what a command typed while the question waits does.
	Commands OnCommand
}

// OnCommand is what a command typed during a question does.
type OnCommand int

const (
	// CommandsWait: as in every dialog, a command alone (or with a record
	// id) is refused until the question is answered or cancelled; with
	// other words it is an answer.
	CommandsWait OnCommand = iota
	// CommandsRun: every command runs as a command; one that asks a
	// question replaces this one (a new preview supersedes the pending).
	CommandsRun
	// CommandsAskLeave: a command is never an answer: the sender is asked
	// whether to leave the question.
	CommandsAskLeave
)

// RegisterQuestion adds a question flow. It panics on an empty id, a nil
// Answer, or an id RegisterFlow refuses (another flow's, or a stored
// field's name: the question's values are stored under its id).
func (r *Router) RegisterQuestion(q Question) {
	if strings.TrimSpace(q.ID) == "" || q.Answer == nil {
		panic("handlers: register question: empty id or nil Answer")
	}
	r.RegisterFlow(newQuestionFlow(q))
}

func newQuestionFlow(q Question) *Flow {
	f := &Flow{ID: q.ID, Name: q.Name, Commands: q.Commands, question: true,
		Data: func() Data { return &questionData{} }}
	prompt := func(e *Env, s *State) string { return DataOf[questionData](s).Prompt }
	var st *Step
	if q.YesNo {
		declined := q.Declined
		if declined == "" {
			declined = "好的，已取消。"
		}
		st = YesNoStep(stepAnswer, prompt, declined)
	} else {
		st = &Step{
			ID:    stepAnswer,
			Label: q.Name,
			Help:  "请直接回复内容。",
			Ask:   func(e *Env, s *State) Prompt { return Prompt{Text: prompt(e, s)} },
			Answer: func(e *Env, s *State, in Input) Reaction {
				v := strings.TrimSpace(in.Text)
				if v == "" {
					return Bad("内容是空的，请重新回复，或回复“取消”。")
				}
				DataOf[questionData](s).Answer = v
				return Answered("")
			},
		}
	}
	if q.Help != "" {
		st.Help = q.Help
	}
	f.Single(st)
	f.Submit = func(c *Context, e *Env, s State) (bot.Reply, error) {
		d := DataOf[questionData](&s)
		return q.Answer(c, d.values(), d.Answer)
	}
	return f
}

// AskQuestion asks the sender the registered question id with prompt;
// values are kept in the dialog and handed to the question's Answer.
func (c *Context) AskQuestion(id, prompt string, values map[string]string) (bot.Reply, error) {
	if _, ok := c.router.flows[id]; !ok {
		return bot.NoReply, fmt.Errorf("handlers: ask: unknown question %q", id)
	}
	d := &questionData{Prompt: prompt}
	for k, v := range values {
		if v != "" {
			if d.Values == nil {
				d.Values = map[string]string{}
			}
			d.Values[k] = v
		}
	}
	return c.StartFlow(id, State{Data: d}, "")
}

// PendingQuestion reports the question the sender is asked in this chat
// (its id and the values given to AskQuestion), if one waits.
func (c *Context) PendingQuestion() (id string, values map[string]string, ok bool) {
	if c.state == nil || c.router.flows[c.state.Flow] == nil || !c.router.flows[c.state.Flow].question {
		return "", nil, false
	}
	return c.state.Flow, DataOf[questionData](c.state).values(), true
}

// StartConfirmationFor opens the confirmation dialog (上报) for unit u on
// its behalf (代录: a report that came by mail or on paper), through
// Hooks.ReportFor. The record saved is the sender's, with
// ledger.Confirmation.EnteredBy set to them. note is shown before the
// first question.
func (c *Context) StartConfirmationFor(u campaign.Unit, note string) (bot.Reply, error) {
	if c.router.hooks.ReportFor == nil {
		return bot.NoReply, errors.New("handlers: no report dialog registered (Hooks.ReportFor)")
	}
	return c.router.hooks.ReportFor(c, u, note)
}

// ReopenRecord reopens record r for 修改 in the flow that edits its kind
// (Flow.Edits), on the summary with every step answered; first, if any,
// is applied as the sender's first input ("修改 HD-0003 人数 90"). note is
// shown first.
func (c *Context) ReopenRecord(r *store.Record, note, first string) (bot.Reply, error) {
	var f *Flow
	for _, x := range c.router.flows {
		if x.Edits != "" && x.Edits == r.Kind {
			f = x // the only one: RegisterFlow refuses a second
			break
		}
	}
	if f == nil {
		return bot.NoReply, fmt.Errorf("handlers: reopen %s: no flow edits %q records", r.ID, r.Kind)
	}
	s, err := f.FromRecord(r)
	if err != nil {
		return bot.NoReply, err
	}
	s.Record = r.ID
	s.Flow, s.Started = f.ID, c.Now
	e, err := c.Env(s)
	if err != nil {
		return bot.NoReply, err
	}
	s = s.Clone()
	for _, st := range f.Order(e, &s) {
		if st != StepSummary {
			s.Done[st] = true
		}
	}
	s.Step = StepSummary
	if first != "" {
		next, t := f.Next(e, s, Input{Text: first})
		t.Text = JoinLines(note, t.Text)
		return c.applyTurn(f, e, next, t)
	}
	return c.applyTurn(f, e, s, f.ask(e, &s, note))
}

// ProgressText describes one unit's progress as 进度 shows it.
func (c *Context) ProgressText(u campaign.Unit) (string, error) { return progressText(c, u) }

// questionData is what a Question's dialog holds: the prompt, the values
// given to AskQuestion, and the answer typed.
type questionData struct {
	Prompt string            `json:"prompt,omitempty"`
	Values map[string]string `json:"values,omitempty"`
	Answer string            `json:"answer,omitempty"`
}

// The names a question's values had in the bag of earlier releases.
const (
	qPrompt    = "q.prompt"
	qAnswer    = "q.answer"
	qValPrefix = "v."
)

// values is a copy of the values given to AskQuestion, never nil.
func (d *questionData) values() map[string]string {
	if len(d.Values) == 0 {
		return map[string]string{}
	}
	return maps.Clone(d.Values)
}

func (d *questionData) Clone() Data {
	c := *d
	c.Values = maps.Clone(d.Values)
	return &c
}

func (d *questionData) Slots() Slots {
	return Slots{
		Values:   map[string]*string{qPrompt: &d.Prompt, qAnswer: &d.Answer},
		Prefixes: map[string]*map[string]string{qValPrefix: &d.Values},
	}
}
