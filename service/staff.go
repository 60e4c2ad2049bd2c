package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"firebot/bot"
	"firebot/district"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/office/broadcast"
	"firebot/office/export"
	"firebot/office/stats"
	"firebot/store"
)

// District staff act in one street at a time: a message from them (one to
// one, or in a district chat) that starts with a street's name — "解放碑街道
// 广播 学校 …" — runs in that street as if from its office, and the
// following ones too, until they send 返回区级 or staffModeTTL passes
// without a message. There they may read and notify, never change records
// (streetReadOnly).
const (
	bRouteStaff  = "route_staff" // district user → the street they act in
	staffModeTTL = 30 * time.Minute
	// Words that bring district staff back to the district's own desk.
	wordBackToDistrict = "返回区级"
)

// staffStreet routes a district staff member's message: to the street it
// names (remembering it), to the street they act in, or to the district.
// A message that only names a street, or "进入 <street>", becomes
// "进入 <street>", which the district desk confirms.
func (r *router) staffStreet(ctx context.Context, m *bot.Message) (string, error) {
	text := strings.TrimSpace(m.Text)
	word, rest := textparse.CutWord(text)
	if named, after := textparse.CutWord(rest); word == district.CmdEnter && r.names[named] != "" {
		word, rest = named, after
	}
	if id, ok := r.names[word]; ok {
		if err := r.district.Update(ctx, func(tx store.Tx) error {
			return tx.PutTTL(bRouteStaff, m.SenderID, []byte(id), staffModeTTL)
		}); err != nil {
			return "", err
		}
		if rest == "" {
			m.Text = district.CmdEnter + " " + word
			return "", nil
		}
		m.Text = rest
		return id, nil
	}
	if text == wordBackToDistrict || text == "区级" {
		return "", r.district.Update(ctx, func(tx store.Tx) error { return tx.Delete(bRouteStaff, m.SenderID) })
	}
	var id string
	err := r.district.View(ctx, func(tx store.Tx) error {
		b, err := tx.Get(bRouteStaff, m.SenderID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		id = string(b)
		return err
	})
	if err != nil || r.byID[id] == nil {
		return "", err
	}
	// Still acting there: the half hour starts again.
	return id, r.district.Update(ctx, func(tx store.Tx) error {
		return tx.PutTTL(bRouteStaff, m.SenderID, []byte(id), staffModeTTL)
	})
}

// streetReadOnly lets district staff acting in a street use what reads
// and notifies — the street's 统计, 催报, 广播, 回执, 导出, 图表, progress
// and help, and the answers to those commands' previews — and refuses
// every command that would create or change the street's records.
func streetReadOnly(staff map[string]bool) handlers.Middleware {
	allowed := map[string]bool{
		"帮助": true, "活动": true, "截止": true, "进度": true, "取消": true,
		stats.CmdStats: true, stats.CmdChase: true, broadcast.CmdBroadcast: true, broadcast.CmdReadBack: true,
		export.CmdExport: true, export.CmdChart: true,
		handlers.DialogCommand: true, // answering a preview they started
	}
	return func(next handlers.Next) handlers.Next {
		return func(c *handlers.Context) (bot.Reply, error) {
			if !staff[c.Msg.SenderID] || c.Command == nil || allowed[c.Command.Name] {
				return next(c)
			}
			return c.Reply("区级用户在街道里只能查看和发通知（统计、催报、广播、回执、导出、图表、进度），不能新增或修改街道的记录。发送“" + wordBackToDistrict + "”回到区级。"), nil
		}
	}
}
