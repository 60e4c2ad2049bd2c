package district

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers/textparse"
	"firebot/outbox"
	"firebot/store"
	"firebot/zhfmt"
)

// The district's 广播 goes to the streets' office chats and staff, or,
// with 全部单位, to every unit of the chosen streets (units.go):
//
//	广播 [街道名、街道名] 内容                      the streets' office chats
//	广播 [街道名、街道名] 全部单位 [@所有人] 内容    every unit of those streets
//
// Both are previewed and sent only on 确认. A street name that matches no
// street, or a scope other than 全部单位 (学校, 社区…: a street's own
// scopes, used in the street), refuses: nothing is previewed or sent.

// pendingTTL is how long a broadcast preview waits for its 确认.
const pendingTTL = 30 * time.Minute

const bPending = "district_pending" // sender → pending broadcast

// pending is a broadcast waiting for 确认.
type pending struct {
	Text    string   `json:"text"`
	Streets []string `json:"streets"` // street ids
	// Units: to every unit of the streets, not their office chats.
	Units      bool `json:"units,omitempty"`
	MentionAll bool `json:"mention_all,omitempty"`
}

// Words of a district 广播.
var (
	unitWords = []string{"全部单位", "所有单位", "各单位", "全体单位"}
)

// broadcastArgs is what a district 广播 was given.
type broadcastArgs struct {
	targets    []Street
	unknown    []string // street names that match no street
	scope      string   // a scope word the district cannot send to
	units      bool
	mentionAll bool
	content    string
}

// parseBroadcast reads a district 广播's arguments. The first word is
// streets when it names one (…街道) or when 全部单位 follows it; without
// streets the broadcast goes to every street.
func (d *Desk) parseBroadcast(args string) broadcastArgs {
	a := broadcastArgs{targets: d.Streets}
	w1, rest1 := textparse.CutWord(args)
	w2, rest2 := textparse.CutWord(rest1)
	rest := args
	switch {
	case slices.Contains(unitWords, w1):
		a.units, rest = true, rest1
	case rest1 != "" && (slices.Contains(unitWords, w2) || strings.Contains(w1, "街道")):
		a.targets, a.unknown = d.streets(w1)
		rest = rest1
		if slices.Contains(unitWords, w2) {
			a.units, rest = true, rest2
		}
	}
	if !a.units {
		if w, _ := textparse.CutWord(rest); scopeLike(w) {
			a.scope = w
		}
		a.content = strings.TrimSpace(rest)
		return a
	}
	for {
		w, after := textparse.CutWord(rest)
		switch {
		case textparse.MentionsAll(w):
			a.mentionAll = true
		case textparse.AsksReceipt(w):
		default:
			if scopeLike(w) {
				a.scope = w
			}
			a.content = strings.TrimSpace(rest)
			return a
		}
		rest = after
	}
}

// scopeLike reports whether w reads as a street's broadcast scope (a unit
// kind or category, 全部, …单位): words the district cannot send to, which
// must not be sent as content either.
func scopeLike(w string) bool {
	if w == "全部" || w == "所有" || w == "全体" || strings.HasSuffix(w, "单位") {
		return true
	}
	for _, k := range campaign.Kinds() {
		if w == k.Label() {
			return true
		}
	}
	for _, c := range campaign.Categories() {
		if w == string(c) {
			return true
		}
	}
	return false
}

// preview keeps a broadcast until the sender confirms it.
func (d *Desk) preview(tx store.Tx, m *bot.Message, args string, p *prepared) (bot.Reply, error) {
	a := d.parseBroadcast(args)
	if len(a.unknown) > 0 {
		return reply("没有找到街道：" + zhfmt.List(a.unknown) + "。广播没有发送；请改正街道名后重发。"), nil
	}
	if a.scope != "" {
		return reply("区级广播不能按“" + a.scope + "”发送，广播没有发送。区级广播可以发给所选街道的工作群（广播 街道名 内容），或发给所选街道的全部单位（广播 街道名 全部单位 内容）；要按单位类别发送，请进入街道后发送，例如“解放碑街道 广播 学校 内容”。"), nil
	}
	if a.content == "" {
		if a.units {
			return reply("请写上广播的内容，例如“广播 解放碑街道、上清寺街道 全部单位 请各单位于本周五前完成疏散演练”。"), nil
		}
		return reply("请写上广播的内容，例如“广播 请各街道于11月30日前完成汇总报送”。"), nil
	}
	pd := pending{Text: a.content, Units: a.units, MentionAll: a.mentionAll}
	names := make([]string, 0, len(a.targets))
	chats := 0
	for _, s := range a.targets {
		pd.Streets = append(pd.Streets, s.ID)
		names = append(names, s.label())
		chats += len(s.OfficeChats)
	}
	var text string
	if a.units {
		if p == nil || len(p.reach) != len(a.targets) {
			return bot.NoReply, errors.New("district: unit broadcast preview not prepared")
		}
		var refused string
		if text, refused = unitPreview(p.reach, a); refused != "" {
			return reply(refused), nil
		}
	} else {
		text = fmt.Sprintf("【广播预览】将发给%d个街道（%s）的%d个工作群和安全应急岗：\n\n%s", len(a.targets), zhfmt.List(names), chats, a.content)
	}
	b, err := json.Marshal(pd)
	if err != nil {
		return bot.NoReply, err
	}
	if err := tx.PutTTL(bPending, m.SenderID, b, pendingTTL); err != nil {
		return bot.NoReply, err
	}
	return reply(fmt.Sprintf("%s\n\n回复“确认”发送，回复“取消”放弃（%d分钟内有效）。", text, int(pendingTTL/time.Minute))), nil
}

func (d *Desk) confirm(tx store.Tx, m *bot.Message) (bot.Reply, error) {
	b, err := tx.Get(bPending, m.SenderID)
	if errors.Is(err, store.ErrNotFound) {
		return reply("没有等待确认的广播。"), nil
	} else if err != nil {
		return bot.NoReply, err
	}
	var p pending
	if err := json.Unmarshal(b, &p); err != nil {
		return bot.NoReply, fmt.Errorf("district: pending broadcast: %w", err)
	}
	if err := tx.Delete(bPending, m.SenderID); err != nil {
		return bot.NoReply, err
	}
	if p.Units {
		return d.confirmUnits(tx, m, p)
	}
	var names []string
	for _, id := range p.Streets {
		s, ok := d.street(id)
		if !ok {
			continue // a street no longer configured
		}
		text := fmt.Sprintf("【%s通知】%s", d.Name, p.Text)
		if err := d.send(tx, outbox.Key("district-broadcast", m.DedupeKey, s.ID), s, text); err != nil {
			return bot.NoReply, err
		}
		names = append(names, s.label())
	}
	return reply("广播已发出：" + zhfmt.List(names) + "。"), nil
}

func (d *Desk) cancel(tx store.Tx, m *bot.Message) (bot.Reply, error) {
	if _, err := tx.Get(bPending, m.SenderID); errors.Is(err, store.ErrNotFound) {
		return reply("没有等待确认的广播。"), nil
	} else if err != nil {
		return bot.NoReply, err
	}
	if err := tx.Delete(bPending, m.SenderID); err != nil {
		return bot.NoReply, err
	}
	return reply("好的，广播已取消，没有发送。"), nil
}
