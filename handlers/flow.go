package handlers

import (
	"sync"

	"firebot/bot"
	"firebot/store"
)

// What a feature defines a dialog with: its Steps and the Flow that
// orders them, registered with Router.RegisterFlow.

// Step is one question of a flow. Ask and Answer are pure.
type Step struct {
	ID       string
	Label    string   // name on the summary, e.g. 日期
	Labels   []string // more words naming it when editing the summary
	Optional bool
	Controls bool // Answer itself handles 确认/继续/完成
	// TakesPhotos: photos arriving at this step go to Answer (in.Photos);
	// at any other step the engine collects them for the flow (or refuses
	// them when the flow takes none).
	TakesPhotos bool
	Help        string
	Ask         func(e *Env, s *State) Prompt
	Answer      func(e *Env, s *State, in Input) Reaction
	// Show renders the collected value for the summary; "" shows as 未填.
	Show func(e *Env, s *State) string
	// Clear forgets the value (跳过 an optional step).
	Clear func(s *State)
}

// Flow is a dialog: an ordered list of steps, then an effect with I/O
// (Submit) performed by the router. A feature package registers its flows
// with Router.RegisterFlow and starts one with Context.StartFlow.
type Flow struct {
	ID     string
	Name   string // 上报, 推荐… as in "请先完成或取消当前的上报"
	Photos bool   // photos arriving during the dialog are collected
	// Order lists the step ids, in dialog order, for the current state.
	Order func(e *Env, s *State) []string
	// Step returns a step by id (nil when unknown in this state).
	Step   func(e *Env, s *State, id string) *Step
	Submit func(c *Context, e *Env, s State) (bot.Reply, error)
	// Extra lists facts the summary shows that are not asked (推荐人).
	Extra func(e *Env, s *State) []string
	// Commands: what a command typed during the flow does.
	Commands OnCommand
	// Images, when set, takes the images that arrive during the flow
	// instead of the engine (照片 files each message's at once); the
	// dialog stays on its step, its idle timer refreshed. s is the state.
	Images func(c *Context, s State) (bot.Reply, error)
	// Edits is the kind of record the flow reopens for 修改
	// (Context.ReopenRecord; one flow per kind); FromRecord, required with
	// it, is the state of such a record.
	Edits      store.Kind
	FromRecord func(r *store.Record) (State, error)
	// Data, when set, makes the empty struct the flow collects its values
	// in (State.Data; stored whole, state_stored.go). A flow without it
	// collects nothing but the unit.
	Data func() Data
	// Pause says whether an idle dialog of the flow in state s is paused
	// and kept (pause.go) rather than discarded; nil: discarded.
	Pause func(s *State) bool
	// Resume is the command that resumes a paused draft (继续推荐, see
	// ResumeCommand); ResumeNote, if set, adds to the reply resuming it.
	Resume     string
	ResumeNote func(s *State) string
	// Interrupt, when set, sees each message of the dialog that has no
	// images before the engine: a question the flow's Submit asked instead
	// of saving (Context.KeepAsking) is answered here. ok false passes the
	// message on to the engine.
	Interrupt func(c *Context, e *Env) (rep bot.Reply, ok bool, err error)
	// Answers, when set, reports text that answers the flow in state s
	// although it starts with a command word (更正 to Interrupt's question).
	Answers func(s *State, text string) bool
	// AsksLeave, when set, reports a state in which a command is never an
	// answer, as with CommandsAskLeave (a report entered by the office).
	AsksLeave func(s *State) bool
	// ReadSummary, when set, reads a reply on the summary before the
	// engine looks for a field's name (上报: ticking related tasks, natural
	// confirmations); ReadCorrection one that names no field ("90人"). ok
	// false passes it on.
	ReadSummary    func(e *Env, s *State, text string) (Reaction, bool)
	ReadCorrection func(e *Env, s *State, text string) (Reaction, bool)
	// Scratch lists the names (State.Named) of the values a step keeps
	// only while it waits (a message it asked about): a message that
	// changes no other value does not answer a paused draft.
	Scratch  []string
	question bool // a Question's flow
}

// Single makes st the flow's only step (a question, 撤回, 补充照片).
func (f *Flow) Single(st *Step) {
	f.Order = func(*Env, *State) []string { return []string{st.ID} }
	f.Step = func(_ *Env, _ *State, id string) *Step {
		if id == st.ID {
			return st
		}
		return nil
	}
}

// Memo keeps, for one router, what a feature computes once from the
// configuration (handlers/report: each task list's compiled vocabulary):
// Env.Memo, Context.Memo. A feature keys it with a type of its own, so
// features never collide.
type Memo struct{ m sync.Map }

// Load returns the value stored under key.
func (m *Memo) Load(key any) (any, bool) { return m.m.Load(key) }

// Store keeps v under key.
func (m *Memo) Store(key, v any) { m.m.Store(key, v) }

// Memo is the router's Memo.
func (c *Context) Memo() *Memo { return &c.router.memo }
