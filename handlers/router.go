package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"firebot/bot"
	"firebot/clock"
	"firebot/config"
	"firebot/handlers/textparse"
	"firebot/logs"
	"firebot/store"
)

// ErrPanic is returned (wrapped) when a command panicked: the unit of work
// rolls back and the bot layer answers that it is busy.
var ErrPanic = errors.New("handlers: command panicked")

// Options are what the router needs from the rest of firebot.
type Options struct {
	Config *config.Config
	// Campaign is the campaign clock: "today" in dialogs, dialog expiry,
	// record timestamps, countdowns.
	Campaign clock.Clock
	Logger   *slog.Logger // nil: discarded
	// Guards run after the role check and before any middleware added
	// with Use: the service hands the archived-campaign check here
	// (RefuseWrites over archive.CheckWritable).
	Guards []Middleware
	// GroupStatus is the line 进度 adds in a group chat about it (the
	// reminders' mute state, scheduler.MuteStatus); nil or "": none.
	GroupStatus func(tx store.Tx, chatID string) (line string, err error)
}

// Scope says in which kind of chat a command may be used.
type Scope int

const (
	ScopeAny    Scope = iota // groups and one-to-one chats
	ScopeGroup               // group chats only (绑定)
	ScopeSingle              // one-to-one chats only
)

// Audience says who may use a command.
type Audience int

const (
	Everyone    Audience = iota // anyone in a chat the bot serves
	Officers                    // unit officers and office staff
	OfficeStaff                 // office staff only (access.office_users)
)

// Command is one entry of the router's static command table.
type Command struct {
	Name  string   // the word shown to users, e.g. 进度
	Words []string // synonyms
	Usage string   // how to type it, e.g. "绑定 单位名称" (default: Name)
	Help  string   // one line for 帮助
	// For says who may use it (default: everyone).
	For   Audience
	Scope Scope
	// Submit: the user must have a unit to act for (the chat's bound
	// units in a group, their own units as an officer in a one-to-one chat).
	Submit bool
	// Args: the command takes arguments; during a dialog it interrupts
	// only when typed alone or followed by a record id.
	Args bool
	// Writes: it creates or changes records, so it is refused once the
	// campaign is archived (read-only).
	Writes bool
	// Aside: it only reads, so it is answered in the middle of a dialog
	// (typed alone or as a question) and the dialog goes on (aside.go).
	Aside bool
	Run   func(c *Context) (bot.Reply, error)
}

// Next handles a message whose command is resolved (c.Command).
type Next func(c *Context) (bot.Reply, error)

// Middleware wraps a Next. Middlewares given to Use run in the order
// listed, after the built-in ones (recovery, resolution, logging, role
// scoping).
type Middleware func(Next) Next

// Router is firebot's bot.Handler: it resolves each message to a command,
// a dialog step, the free-text shortcut or a suggestion, and runs it
// through the middleware chain. Register and Use must be called before the
// router serves messages.
type Router struct {
	cfg     *config.Config
	clock   clock.Clock
	log     *slog.Logger
	cmds    []*Command
	matcher *textparse.Matcher
	mws     []Middleware
	flows   map[string]*Flow
	media   media
	handler Next
	memo    Memo
	// guards and groupStatus are Options.Guards and Options.GroupStatus.
	guards      []Middleware
	groupStatus func(tx store.Tx, chatID string) (string, error)
	hooks       Hooks // the feature packages' (RegisterHooks)
}

// New builds a router with no commands: the caller registers every
// command it offers with Register (the service's list is
// service/commands.go), and feature packages' dialogs with RegisterFlow.
func New(d Options) *Router {
	if d.Config == nil {
		panic("handlers: New without a configuration")
	}
	d.Campaign = clock.OrReal(d.Campaign)
	d.Logger = logs.For(d.Logger, "handlers")
	r := &Router{
		cfg:         d.Config,
		clock:       d.Campaign,
		log:         d.Logger,
		media:       media{dir: d.Config.Media.Dir},
		flows:       map[string]*Flow{},
		guards:      d.Guards,
		groupStatus: d.GroupStatus,
	}
	r.build()
	return r
}

// Register adds a command. It panics on an empty name, a nil Run or a word
// another command already uses, so a bad table fails at start-up.
func (r *Router) Register(c Command) {
	if strings.TrimSpace(c.Name) == "" {
		panic("handlers: register: empty command name")
	}
	if c.Run == nil {
		panic(fmt.Sprintf("handlers: register %q: nil Run", c.Name))
	}
	if c.Usage == "" {
		c.Usage = c.Name
	}
	cmds := append(slices.Clone(r.cmds), &c)
	table := make([]textparse.Command, 0, len(cmds))
	for _, x := range cmds {
		table = append(table, textparse.Command{Name: x.Name, Words: x.Words})
	}
	m, err := textparse.NewMatcher(table...)
	if err != nil {
		panic(fmt.Sprintf("handlers: register %q: %v", c.Name, err))
	}
	r.cmds, r.matcher = cmds, m
}

// RegisterFlow adds a dialog flow, for a feature package; start it with
// Context.StartFlow. It panics on an empty id, a missing Order, Step or
// Submit, an id another flow uses, or Edits without FromRecord or of a
// kind another flow edits, so a bad table fails at start-up.
func (r *Router) RegisterFlow(f *Flow) {
	if f == nil || strings.TrimSpace(f.ID) == "" || f.Order == nil || f.Step == nil || f.Submit == nil {
		panic("handlers: register flow: empty id or missing Order, Step or Submit")
	}
	if _, dup := r.flows[f.ID]; dup {
		panic(fmt.Sprintf("handlers: register flow %q: id in use", f.ID))
	}
	if slices.Contains(storedFields, f.ID) {
		panic(fmt.Sprintf("handlers: register flow %q: a stored field's name", f.ID))
	}
	if f.Edits != "" {
		if f.FromRecord == nil {
			panic(fmt.Sprintf("handlers: register flow %q: Edits without FromRecord", f.ID))
		}
		for _, x := range r.flows {
			if x.Edits == f.Edits {
				panic(fmt.Sprintf("handlers: register flow %q: flow %q edits %q records already", f.ID, x.ID, f.Edits))
			}
		}
	}
	r.flows[f.ID] = f
}

// Use appends middlewares; they run after the built-in ones, first listed
// first.
func (r *Router) Use(mws ...Middleware) {
	r.mws = append(r.mws, mws...)
	r.build()
}

// Commands lists the registered commands in registration order.
func (r *Router) Commands() []Command {
	out := make([]Command, 0, len(r.cmds))
	for _, c := range r.cmds {
		out = append(out, *c)
	}
	return out
}

// command returns a registered command by name.
func (r *Router) command(name string) *Command {
	for _, c := range r.cmds {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (r *Router) build() {
	chain := []Middleware{recoverPanics(r.log), r.resolve, logCommands(r.log), scopeRoles}
	chain = append(chain, r.guards...)
	chain = append(chain, r.mws...)
	h := Next(runCommand)
	for i := len(chain) - 1; i >= 0; i-- {
		h = chain[i](h)
	}
	r.handler = h
}

// Handle implements bot.Handler. Everything it writes goes through tx.
func (r *Router) Handle(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
	if m == nil {
		return bot.NoReply, nil
	}
	c := r.newContext(ctx, tx, m)
	rep, err := r.handler(c)
	if err != nil {
		return bot.NoReply, err
	}
	return c.finish(rep), nil
}

// Reads announces what handling m starts with: the sender's dialog in the
// chat, the chat's units and the sender's units (bot.ReadAhead).
func (r *Router) Reads(m *bot.Message) []store.Read {
	return store.ConversationReads(m.ChatID, m.SenderID)
}

func runCommand(c *Context) (bot.Reply, error) {
	if c.Command == nil || c.Command.Run == nil {
		return bot.NoReply, nil
	}
	rep, err := c.Command.Run(c)
	if err != nil {
		return bot.NoReply, err
	}
	if c.note != "" && !rep.IsEmpty() {
		rep.Text = c.note + "\n\n" + rep.Text
	}
	if stray := c.router.hooks.StrayImages; len(c.Msg.Images) > 0 && !c.imagesUsed && stray != nil && !rep.IsEmpty() {
		// Images that came with a text the command did not need go where
		// images sent alone go (the sender's latest confirmation).
		msg, err := stray(c)
		if err != nil {
			return bot.NoReply, err
		}
		if msg != "" {
			rep.Text += "\n\n" + msg
		}
	}
	return rep, nil
}
