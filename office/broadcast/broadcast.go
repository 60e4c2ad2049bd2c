package broadcast

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/office"
	"firebot/outbox"
	"firebot/store"
	"firebot/zhfmt"
)

// Broadcast is the payload of a GB record (store.Record.Data).
type Broadcast struct {
	Content    string `json:"content"`     // as written
	Scope      string `json:"scope"`       // the scope word typed ("" = 全部)
	ScopeLabel string `json:"scope_label"` // as shown: 全部, 学校, 北片板块…
	MentionAll bool   `json:"mention_all"` // @所有人
	Ack        bool   `json:"ack"`         // 回执 asked
	IssuerID   string `json:"issuer_id"`
	IssuerName string `json:"issuer_name,omitempty"`
	// From is who the broadcast is from as its heading shows it
	// (【From通知】): empty for the street's own (the campaign's
	// organiser), the district's name for a district broadcast (Issue).
	From string `json:"from,omitempty"`
	// ReportChat is the office chat the broadcast was issued in; its
	// delivery reports go there. Empty: they go to the issuer 1:1.
	ReportChat string   `json:"report_chat,omitempty"`
	Units      []string `json:"units"`  // every unit addressed, roster order
	Groups     []Group  `json:"groups"` // the groups sent to
	// Direct are the addressed units without a bound group whose officers
	// get the broadcast by application message: they take part fully
	// (回执 counts them). Missed are those no channel reaches (no group,
	// no officer). Records before Direct existed list every unit without
	// a group as Missed.
	Direct []string `json:"direct,omitempty"`
	Missed []string `json:"missed"`
	Rounds []Round  `json:"rounds"` // 1: the broadcast; 2…: 回执 催 reminders
}

// Group is one group a broadcast went to and the addressed units it serves.
type Group struct {
	ChatID string   `json:"chat_id"`
	Units  []string `json:"units"`
}

// Round is one sending of a broadcast: the broadcast itself (N 1) or a
// reminder to the groups that had not acknowledged (N 2, 3…).
type Round struct {
	N     int       `json:"n"`
	At    time.Time `json:"at"` // campaign clock
	By    string    `json:"by"`
	Chats []string  `json:"chats"`
}

// Source is the outbox source of a broadcast's round n: "broadcast:GB-0001"
// for the broadcast, "broadcast:GB-0001:r2" for the first reminder.
func Source(id string, n int) string {
	if n <= 1 {
		return outbox.Key("broadcast", id)
	}
	return outbox.Key("broadcast", id, "r"+strconv.Itoa(n))
}

// Key is the idempotency key of round n's push to a group: the broadcast
// id and the group (and the round for reminders), so nothing is sent twice.
func Key(id string, n int, chatID string) string { return outbox.Key(Source(id, n), chatID) }

// DecodeBroadcast reads the payload of a GB record.
func DecodeBroadcast(r *store.Record) (Broadcast, error) {
	var b Broadcast
	if r.Kind != store.KindBroadcast {
		return b, fmt.Errorf("office: %s is not a broadcast", r.ID)
	}
	if err := json.Unmarshal(r.Data, &b); err != nil {
		return b, fmt.Errorf("office: decode %s: %w", r.ID, err)
	}
	return b, nil
}

// Buckets of the office tools.
const (
	bReportDue = "office_report_due" // "<GB id>/<round>": delivery reports not yet sent
	bAck       = "office_ack"        // GB id, unit → Ack
	bAckWait   = "office_ack_wait"   // unit, GB id: acknowledgements awaited
)

// reached is how a broadcast reaches its units: the groups they (and the
// sectors addressed) are bound to, the units without a group reached
// through their officers by application message, and the units no channel
// reaches. Sectors are not reporting units: one without a group is in
// sectors, never in direct or missed.
type reached struct {
	groups  []Group
	direct  []string
	missed  []string
	sectors []campaign.Unit // sectors without a group, reached through their officers
}

func reach(tx store.Tx, units, sectors []campaign.Unit) (reached, error) {
	var r reached
	at := map[string]int{}
	groups := r.groups
	for _, u := range append(slices.Clip(units), sectors...) {
		chats, err := store.ChatsOfUnit(tx, u.ID)
		if err != nil {
			return r, err
		}
		switch {
		case len(chats) > 0:
		case u.Kind == campaign.KindSector:
			if len(u.Officers) > 0 {
				r.sectors = append(r.sectors, u)
			}
			continue
		case len(u.Officers) > 0:
			r.direct = append(r.direct, u.ID)
			continue
		default:
			r.missed = append(r.missed, u.ID)
			continue
		}
		for _, ch := range chats {
			i, ok := at[ch]
			if !ok {
				i = len(groups)
				at[ch] = i
				groups = append(groups, Group{ChatID: ch})
			}
			groups[i].Units = append(groups[i].Units, u.ID)
		}
	}
	r.groups = groups
	return r, nil
}

func (t *tools) runBroadcast(c *handlers.Context) (bot.Reply, error) {
	roster, err := store.Roster(c.Tx)
	if err != nil {
		return bot.NoReply, err
	}
	a := parseBroadcast(office.RawArgs(c), roster)
	if a.unknown != "" {
		return c.Reply("没有找到范围“" + office.Preview(a.unknown, 20) + "”，没有预览，也没有发送。最接近的范围：" + strings.Join(a.closest, "、") +
			"。\n" + office.ScopeHelp), nil
	}
	if a.content == "" {
		return c.Reply("请写上广播内容，例如：\n广播 请各单位11月9日前完成疏散演练\n广播 学校、医疗机构 @所有人 回执 请于本周五前报送演练方案\n" + office.ScopeHelp), nil
	}
	units := a.scope.Units
	rc, err := reach(c.Tx, units, a.scope.Sectors)
	if err != nil {
		return bot.NoReply, err
	}
	groups, direct, missed := rc.groups, rc.direct, rc.missed
	byID := office.IndexUnits(roster)
	if len(groups) == 0 && len(direct) == 0 && len(rc.sectors) == 0 {
		msg := "范围“" + office.Neutralize(a.scope.Label) + "”内"
		if len(units) == 0 {
			msg += "没有单位"
		} else {
			msg += "的" + strconv.Itoa(len(units)) + "个单位都没有绑定群，也没有安全员（" + office.NamesOf(missed, byID, 10) + "）"
		}
		return c.Reply(msg + "，无法广播。"), nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "范围：%s（%d个单位）\n", office.Neutralize(a.scope.Label), len(units))
	fmt.Fprintf(&b, "发送到：%d个群\n", len(groups))
	if a.all {
		b.WriteString("@所有人：是\n")
	}
	if a.ack {
		b.WriteString("回执：需要（各群 @我 回复“收到”即可）\n")
	}
	if len(direct) > 0 {
		fmt.Fprintf(&b, "没有群、以应用消息发给安全员（全文和“收到”按钮）的单位（%d个）：%s\n", len(direct), office.NamesOf(direct, byID, 20))
	}
	if len(missed) > 0 {
		fmt.Fprintf(&b, "没有群也没有安全员、收不到的单位（%d个）：%s\n", len(missed), office.NamesOf(missed, byID, 20))
	}
	if len(rc.sectors) > 0 {
		fmt.Fprintf(&b, "板块负责人以应用消息收到（不计入单位）：%s\n", zhfmt.UnitNames(rc.sectors))
	}
	b.WriteString("内容：\n" + office.Preview(a.content, 300))
	vals := map[string]string{"scope": a.names, "content": a.content}
	if a.all {
		vals["all"] = "1"
	}
	if a.ack {
		vals["ack"] = "1"
	}
	digest := fmt.Sprintf("广播 %s（%d个单位，%d个群", office.Neutralize(a.scope.Label), len(units), len(groups))
	if len(direct) > 0 {
		digest += fmt.Sprintf("，%d个单位应用消息", len(direct))
	}
	digest += "）：" + office.Preview(a.content, 20)
	return office.AskPreview(c, qBroadcast, "广播预览", strings.TrimRight(b.String(), "\n"), digest, vals)
}

// confirmBroadcast sends the broadcast the sender confirmed (issue), all
// in the message's unit of work. The scope is resolved again, so a group
// bound since the preview is included.
func (t *tools) confirmBroadcast(c *handlers.Context, vals map[string]string, _ string) (bot.Reply, error) {
	roster, err := store.Roster(c.Tx)
	if err != nil {
		return bot.NoReply, err
	}
	sc, ok := office.ParseScopeNames(vals["scope"], roster)
	if !ok {
		return c.Reply("范围“" + office.Preview(vals["scope"], 40) + "”已经不在名单中，广播没有发送。请重新发送“广播”。"), nil
	}
	req := Request{
		Scope: vals["scope"], Content: vals["content"], MentionAll: vals["all"] != "", Ack: vals["ack"] != "",
		IssuerID: c.Msg.SenderID, IssuerName: c.Msg.SenderName, Report: true,
	}
	if c.Group() {
		req.ReportChat = c.Msg.ChatID
	}
	id, bc, err := issue(c.Tx, c.Campaign(), roster, sc, c.Now, req)
	if errors.Is(err, ErrNoneReached) {
		return c.Reply("范围内已经没有能收到的单位，广播没有发送。"), nil
	}
	if err != nil {
		return bot.NoReply, err
	}
	if err := c.Audit("broadcast", id, true, fmt.Sprintf("范围 %s，%d个群，%d个单位应用消息，%d个单位收不到", bc.ScopeLabel, len(bc.Groups), len(bc.Direct), len(bc.Missed))); err != nil {
		return bot.NoReply, err
	}
	byID := office.IndexUnits(roster)
	var b strings.Builder
	fmt.Fprintf(&b, "已发出广播 %s：正在发送到%d个群。全部发送完成后，我会把送达情况发给你。", id, len(bc.Groups))
	if len(bc.Direct) > 0 {
		fmt.Fprintf(&b, "\n没有群的%d个单位，已用应用消息把全文发给其安全员：%s。", len(bc.Direct), office.NamesOf(bc.Direct, byID, 20))
	}
	if len(bc.Missed) > 0 {
		fmt.Fprintf(&b, "\n没有群也没有安全员的%d个单位收不到：%s。", len(bc.Missed), office.NamesOf(bc.Missed, byID, 20))
	}
	if bc.Ack {
		fmt.Fprintf(&b, "\n发送“回执 %s”查看回执情况，“回执 %s 催”提醒还没回执的群。", id, id)
	}
	return c.Reply(b.String()), nil
}

func saveBroadcast(tx store.Tx, r *store.Record, bc Broadcast) error {
	data, err := json.Marshal(bc)
	if err != nil {
		return fmt.Errorf("office: encode %s: %w", r.ID, err)
	}
	r.Data = data
	return store.PutRecord(tx, r)
}

// loadBroadcast reads a GB record of the current campaign.
func loadBroadcast(tx store.Tx, campaignID, id string) (*store.Record, Broadcast, error) {
	r, err := store.GetRecord(tx, id)
	if err != nil {
		return nil, Broadcast{}, err
	}
	if r.Kind != store.KindBroadcast || r.CampaignID != campaignID {
		return nil, Broadcast{}, store.ErrNotFound
	}
	bc, err := DecodeBroadcast(r)
	return r, bc, err
}

func reportKey(id string, n int) string { return id + "/" + strconv.Itoa(n) }
