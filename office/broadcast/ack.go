package broadcast

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/office"
	"firebot/outbox"
	"firebot/store"
	"firebot/zhfmt"
)

// Ack is one unit's acknowledgement (回执) of a broadcast.
type Ack struct {
	UnitID string    `json:"unit_id"`
	By     string    `json:"by"`
	ByName string    `json:"by_name,omitempty"`
	At     time.Time `json:"at"` // campaign clock
	ChatID string    `json:"chat_id,omitempty"`
}

// Acks lists the acknowledgements of broadcast id by unit id.
func Acks(tx store.Tx, id string) (map[string]Ack, error) {
	out := map[string]Ack{}
	err := tx.Scan(bAck, store.KeyPrefix(id), "", func(_ string, v []byte) error {
		var a Ack
		if err := json.Unmarshal(v, &a); err != nil {
			return err
		}
		out[a.UnitID] = a
		return nil
	})
	return out, err
}

// parseBroadcastID reads a GB id at the start of s.
func parseBroadcastID(s string) (string, bool) {
	w, _ := textparse.CutWord(s)
	id, err := store.NormalizeID(w)
	if err != nil || !strings.HasPrefix(id, string(store.KindBroadcast)+"-") {
		return "", false
	}
	return id, true
}

// runAck is 收到 / 收到 GB-0003: anyone in a group bound to units (or an
// officer, one-to-one) acknowledges for those units every broadcast
// awaiting them, or the one named.
func (t *tools) runAck(c *handlers.Context) (bot.Reply, error) {
	units, err := c.SubmitUnits()
	if err != nil {
		return bot.NoReply, err
	}
	if len(units) == 0 {
		if c.Group() {
			return c.Reply("本群还没有绑定单位，无法登记回执。请单位安全员 @我 发送“绑定 单位名称”。"), nil
		}
		return c.Reply("请在单位的工作群里 @我 回复“收到”登记回执。"), nil
	}
	camp := c.Campaign()
	var acked []string // "GB-0001（学田湾社区）"
	var already []string
	record := func(id string, bc Broadcast, u campaign.Unit) error {
		a := Ack{UnitID: u.ID, By: c.Msg.SenderID, ByName: c.Msg.SenderName, At: c.Now, ChatID: c.Msg.ChatID}
		if err := store.PutJSON(c.Tx, bAck, store.JoinKey(id, u.ID), a); err != nil {
			return err
		}
		return c.Tx.Delete(bAckWait, store.JoinKey(u.ID, id))
	}
	if id, ok := parseBroadcastID(c.Args); ok {
		_, bc, err := loadBroadcast(c.Tx, camp.ID, id)
		if errors.Is(err, store.ErrNotFound) {
			return c.Reply("没有找到通知 " + id + "，请核对编号。"), nil
		}
		if err != nil {
			return bot.NoReply, err
		}
		if !bc.Ack {
			return c.Reply(id + " 不需要回执，知道了就好。"), nil
		}
		acks, err := Acks(c.Tx, id)
		if err != nil {
			return bot.NoReply, err
		}
		for _, u := range units {
			if !addressed(bc, u.ID) {
				continue
			}
			if a, done := acks[u.ID]; done {
				already = append(already, fmt.Sprintf("%s（%s已于%s回执）", u.Name, who(a), zhfmt.Moment(a.At)))
				continue
			}
			if err := record(id, bc, u); err != nil {
				return bot.NoReply, err
			}
			acked = append(acked, id+"（"+u.Name+"）")
		}
		if len(acked) == 0 && len(already) == 0 {
			return c.Reply(id + " 不是发给" + zhfmt.UnitNames(units) + "的通知，不需要回执。"), nil
		}
	} else {
		for _, u := range units {
			var ids []string
			prefix := store.KeyPrefix(u.ID)
			if err := c.Tx.Scan(bAckWait, prefix, "", func(k string, _ []byte) error {
				ids = append(ids, strings.TrimPrefix(k, prefix))
				return nil
			}); err != nil {
				return bot.NoReply, err
			}
			for _, id := range ids {
				_, bc, err := loadBroadcast(c.Tx, camp.ID, id)
				if errors.Is(err, store.ErrNotFound) {
					continue // another campaign's
				}
				if err != nil {
					return bot.NoReply, err
				}
				if err := record(id, bc, u); err != nil {
					return bot.NoReply, err
				}
				acked = append(acked, id+"（"+u.Name+"）")
			}
		}
		if len(acked) == 0 {
			return c.Reply("目前没有需要" + zhfmt.UnitNames(units) + "回执的通知。"), nil
		}
	}
	if err := c.Audit("ack", strings.Join(acked, "、"), true, ""); err != nil {
		return bot.NoReply, err
	}
	var b strings.Builder
	if len(acked) > 0 {
		fmt.Fprintf(&b, "已登记回执：%s。登记人：%s，%s。", strings.Join(acked, "、"), senderName(c), zhfmt.Moment(c.Now))
	}
	if len(already) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString("之前已回执：" + strings.Join(already, "、") + "。")
	}
	return c.Reply(b.String()), nil
}

func senderName(c *handlers.Context) string {
	if c.Msg.SenderName != "" {
		return c.Msg.SenderName
	}
	return c.Msg.SenderID
}

func who(a Ack) string {
	if a.ByName != "" {
		return a.ByName
	}
	return a.By
}

// remindSilent is 回执 GB-0001 催: Remind, told in the chat.
func (t *tools) remindSilent(c *handlers.Context, r *store.Record, bc Broadcast, acks map[string]Ack, byID map[string]campaign.Unit) (bot.Reply, error) {
	rm, err := remind(c.Tx, c.Campaign(), c.Now, c.Msg.SenderID, r, bc, acks, byID)
	if err != nil {
		return bot.NoReply, err
	}
	if rm.Chats == 0 && rm.Direct == 0 {
		return c.Reply("收到 " + r.ID + " 的单位都已回执，不需要再提醒。"), nil
	}
	if err := c.Audit("broadcast_remind", r.ID, true, rm.detail()); err != nil {
		return bot.NoReply, err
	}
	if rm.Chats == 0 {
		return c.Reply(fmt.Sprintf("已用应用消息再次提醒%d个没有群、未回执的单位（%s）。", rm.Direct, r.ID)), nil
	}
	msg := fmt.Sprintf("已向%d个群再次发送 %s（第%d轮提醒），涉及%d个未回执的单位。发送完成后我会告诉你送达情况。",
		rm.Chats, r.ID, rm.Round, rm.Silent)
	if rm.Direct > 0 {
		msg += fmt.Sprintf("另有%d个没有群的单位已用应用消息提醒。", rm.Direct)
	}
	return c.Reply(msg), nil
}

// Reminded is what a 回执 reminder sent.
type Reminded struct {
	Round  int // the round's number (kept with the broadcast when Chats > 0)
	Chats  int // groups reminded
	Direct int // units without a group reminded through their officers
	Silent int // units reminded that had not acknowledged
}

// detail is the reminder's audit detail.
func (rm Reminded) detail() string {
	if rm.Chats == 0 {
		return fmt.Sprintf("第%d轮，%d个单位应用消息", rm.Round, rm.Direct)
	}
	return fmt.Sprintf("第%d轮，%d个群", rm.Round, rm.Chats)
}

// remind sends broadcast r a new round, by at now, to the groups with a
// unit that has not acknowledged it (mentioning its officers) and to the
// officers of silent units without a group; a round that reaches no group
// is not recorded. Nothing is sent when every unit has acknowledged.
func remind(tx store.Tx, camp *campaign.Campaign, now time.Time, by string, r *store.Record, bc Broadcast, acks map[string]Ack, byID map[string]campaign.Unit) (Reminded, error) {
	n := len(bc.Rounds) + 1
	rd := Round{N: n, At: now, By: by}
	silentUnits := map[string]bool{}
	text := reminderText(camp, r.ID, bc)
	for _, g := range bc.Groups {
		var mentions []string
		for _, u := range g.Units {
			if _, ok := acks[u]; ok || !slices.Contains(bc.Units, u) {
				continue // acknowledged, or a sector (not counted)
			}
			silentUnits[u] = true
			for _, o := range byID[u].Officers {
				if !slices.Contains(mentions, o) {
					mentions = append(mentions, o)
				}
			}
		}
		if !hasSilent(g, acks, bc.Units) {
			continue
		}
		if err := outbox.GroupText(tx, Key(r.ID, n, g.ChatID), Source(r.ID, n), g.ChatID, text, mentions); err != nil {
			return Reminded{}, err
		}
		rd.Chats = append(rd.Chats, g.ChatID)
	}
	rm := Reminded{Round: n, Chats: len(rd.Chats)}
	for _, u := range bc.Direct {
		if _, ok := acks[u]; ok || len(byID[u].Officers) == 0 {
			continue
		}
		silentUnits[u] = true
		rm.Direct++
		msg := directReminderText(camp, r.ID, bc, byID[u])
		if err := outbox.UserText(tx, outbox.Key("broadcast-app", r.ID, "r"+fmt.Sprint(n), u), outbox.Key("broadcast-app", r.ID), byID[u].Officers, msg); err != nil {
			return Reminded{}, err
		}
	}
	rm.Silent = len(silentUnits)
	if rm.Chats == 0 {
		return rm, nil
	}
	bc.Rounds = append(bc.Rounds, rd)
	r.UpdatedAt = now
	if err := saveBroadcast(tx, r, bc); err != nil {
		return Reminded{}, err
	}
	return rm, tx.Put(bReportDue, reportKey(r.ID, n), nil)
}

func hasSilent(g Group, acks map[string]Ack, units []string) bool {
	for _, u := range g.Units {
		if _, ok := acks[u]; !ok && slices.Contains(units, u) {
			return true
		}
	}
	return false
}

// reminderText is the 回执 reminder: the broadcast again, asking for 收到.
func reminderText(camp *campaign.Campaign, id string, bc Broadcast) string {
	from := sender(camp, bc)
	return "【回执提醒】" + from + "的以下通知还没有收到本群的回执，请收到后 @我 回复“收到”（编号 " + id + "）：\n" + bc.Content
}

// directReminderText is the 回执 reminder to the officers of a unit
// without a group, by application message (< and > made inert).
func directReminderText(camp *campaign.Campaign, id string, bc Broadcast, u campaign.Unit) string {
	from := sender(camp, bc)
	return "【回执提醒】" + from + "的以下通知还没有收到" + office.Safe(u.Name) + "的回执，请点卡片上的“收到”，或私聊我回复“收到”（编号 " + id + "）：\n" + office.Safe(bc.Content)
}

// recentBroadcasts lists the last broadcasts with their acknowledgements.
func (t *tools) recentBroadcasts(c *handlers.Context) (bot.Reply, error) {
	var recs []*store.Record
	if err := store.EachRecord(c.Tx, c.Campaign().ID, store.KindBroadcast, time.Time{}, time.Time{}, func(r *store.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		return bot.NoReply, err
	}
	if len(recs) == 0 {
		return c.Reply("还没有发过广播。发送“广播 内容”向各群发通知。"), nil
	}
	var b strings.Builder
	b.WriteString("最近的广播：")
	for i := len(recs) - 1; i >= 0 && i >= len(recs)-5; i-- {
		r := recs[i]
		bc, err := DecodeBroadcast(r)
		if err != nil {
			return bot.NoReply, err
		}
		fmt.Fprintf(&b, "\n· %s %s %s：%s", r.ID, zhfmt.Moment(r.CreatedAt), office.Neutralize(bc.ScopeLabel), office.Preview(bc.Content, 20))
		if bc.Ack {
			acks, err := Acks(c.Tx, r.ID)
			if err != nil {
				return bot.NoReply, err
			}
			fmt.Fprintf(&b, "（回执 %d/%d）", len(acks), len(expected(bc)))
		}
	}
	b.WriteString("\n发送“回执 编号”查看某条广播的回执情况。")
	return c.Reply(b.String()), nil
}
