package handlers

import (
	"errors"
	"strings"
	"testing"

	"firebot/bot"
	"firebot/store"
)

func TestQuestionHook(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00")
	var got map[string]string
	var text string
	// What another package registers on every start.
	register := func(r *Router) {
		r.RegisterQuestion(Question{ID: "t.yes", Name: "测试", YesNo: true, Declined: "没做。",
			Answer: func(c *Context, vals map[string]string, _ string) (bot.Reply, error) {
				got = vals
				return c.Reply("做了。"), nil
			}})
		r.RegisterQuestion(Question{ID: "t.text", Name: "说明",
			Answer: func(c *Context, vals map[string]string, answer string) (bot.Reply, error) {
				text = answer
				return c.Reply("记下了。"), nil
			}})
		r.Register(Command{Name: "测一下", Run: func(c *Context) (bot.Reply, error) {
			return c.AskQuestion("t.yes", "确定吗？", map[string]string{"k": "v", "empty": ""})
		}})
		r.Register(Command{Name: "写一下", Run: func(c *Context) (bot.Reply, error) {
			return c.AskQuestion("t.text", "为什么？", nil)
		}})
	}
	register(h.r)
	must(t, h.Single("zhangsan", "测一下"), "确定吗？", "取消")
	must(t, h.Single("zhangsan", "确认"), "做了。")
	if len(got) != 1 || got["k"] != "v" {
		t.Errorf("values %v", got)
	}
	h.Single("zhangsan", "测一下")
	must(t, h.Single("zhangsan", "不"), "没做。")

	must(t, h.Single("zhangsan", "写一下"), "为什么？")
	h.Restart() // a pending question survives a restart
	register(h.r)
	must(t, h.Single("zhangsan", "因为下雨"), "记下了。")
	if text != "因为下雨" {
		t.Errorf("answer %q", text)
	}
	defer func() {
		if recover() == nil {
			t.Error("a question id in use did not panic")
		}
	}()
	h.r.RegisterQuestion(Question{ID: "t.text", Answer: func(*Context, map[string]string, string) (bot.Reply, error) { return bot.NoReply, nil }})
}

// A question's values are stored under its id beside the engine's fields
// (state_stored.go): an id that is a stored field's name would make its
// dialog unreadable on the next message, so it is refused at start-up, as
// RegisterFlow refuses it.
func TestQuestionNamedLikeAStoredField(t *testing.T) {
	for _, id := range storedFields {
		t.Run(id, func(t *testing.T) {
			r := New(Options{Config: loadConfig(t)})
			defer func() {
				if recover() == nil {
					t.Errorf("question %q registered", id)
				}
			}()
			r.RegisterQuestion(Question{ID: id, Answer: func(*Context, map[string]string, string) (bot.Reply, error) { return bot.NoReply, nil }})
		})
	}
}

// A hook is handed once; a feature that hands none leaves the others be.
func TestRegisterHooksOnce(t *testing.T) {
	r := New(Options{Config: loadConfig(t)})
	images := func(c *Context) (bot.Reply, error) { return bot.NoReply, nil }
	r.RegisterHooks(Hooks{Images: images})
	r.RegisterHooks(Hooks{Tell: &Starter{Command: "x", Is: func(*Context, string) bool { return false }}})
	if r.hooks.Images == nil || r.hooks.Tell == nil || r.hooks.Report != nil {
		t.Fatalf("hooks %+v", r.hooks)
	}
	defer func() {
		if recover() == nil {
			t.Error("Images handed twice did not panic")
		}
	}()
	r.RegisterHooks(Hooks{Images: images})
}

// A flow started with another flow's values is refused with an error (the
// unit of work rolls back, so no dialog is kept), not misread.
func TestStartFlowWithOtherValues(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00")
	h.r.RegisterFlow(listedFlow())
	h.r.Register(Command{Name: "错开", Run: func(c *Context) (bot.Reply, error) {
		return c.StartFlow("listed", State{Data: &questionData{Prompt: "？"}}, "")
	}})
	m := &bot.Message{MsgID: "m-wrong", ChatID: "single_zhangsan", ChatType: bot.ChatSingle, SenderID: "zhangsan", Text: "错开",
		Kind: bot.KindText, Channel: bot.ChannelRobot}
	err := h.Store.Update(t.Context(), func(tx store.Tx) error {
		_, err := h.r.Handle(t.Context(), tx, m)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "values of type *handlers.questionData") {
		t.Fatalf("start with another flow's values: %v", err)
	}
	if err := h.Store.View(t.Context(), func(tx store.Tx) error {
		_, err := store.GetDialog(tx, "single_zhangsan", "zhangsan")
		return err
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a dialog was kept: %v", err)
	}
}

// One flow edits each kind of record, and says how to reopen one: a
// second flow for the kind, or Edits without FromRecord, would leave 修改
// to chance or to a nil call, so RegisterFlow refuses both at start-up.
func TestRegisterFlowEdits(t *testing.T) {
	editing := func(id string, from func(*store.Record) (State, error)) *Flow {
		f := listedFlow()
		f.ID, f.Edits, f.FromRecord = id, store.KindConfirmation, from
		return f
	}
	from := func(*store.Record) (State, error) { return State{}, nil }
	for _, tc := range []struct {
		name         string
		before, flow *Flow
	}{
		{"a second flow for the kind", editing("edits", from), editing("edits.again", from)},
		{"Edits without FromRecord", nil, editing("edits.nothing", nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(Options{Config: loadConfig(t)})
			if tc.before != nil {
				r.RegisterFlow(tc.before)
			}
			defer func() {
				if recover() == nil {
					t.Errorf("%s registered", tc.name)
				}
			}()
			r.RegisterFlow(tc.flow)
		})
	}
}
