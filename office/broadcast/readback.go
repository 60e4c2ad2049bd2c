package broadcast

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"firebot/bot"
	"firebot/campaign"
	"firebot/handlers"
	"firebot/handlers/textparse"
	"firebot/office"
	"firebot/store"
	"firebot/zhfmt"
)

// parseReadBackArgs reads 回执's arguments: an optional GB id and 催.
func parseReadBackArgs(args string) (id string, chase bool) {
	w, rest := textparse.CutWord(args)
	if v, ok := parseBroadcastID(w); ok {
		id = v
		w, _ = textparse.CutWord(rest)
	}
	return id, textparse.AsksReminder(w)
}

// runReadBack is 回执 (recent broadcasts), 回执 GB-0001 (who has and has
// not acknowledged, by unit) and 回执 GB-0001 催 (remind the silent ones).
func (t *tools) runReadBack(c *handlers.Context) (bot.Reply, error) {
	id, chase := parseReadBackArgs(c.Args)
	if id == "" {
		if chase {
			return c.Reply("请写明要提醒哪条通知，例如“回执 GB-0001 催”。"), nil
		}
		return t.recentBroadcasts(c)
	}
	r, bc, err := loadBroadcast(c.Tx, c.Campaign().ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return c.Reply("没有找到广播 " + id + "。发送“回执”查看最近的广播。"), nil
	}
	if err != nil {
		return bot.NoReply, err
	}
	roster, err := store.Roster(c.Tx)
	if err != nil {
		return bot.NoReply, err
	}
	byID := office.IndexUnits(roster)
	first, err := roundDeliveries(c.Tx, id, bc, bc.Rounds[0])
	if err != nil {
		return bot.NoReply, err
	}
	if !bc.Ack {
		sent, failed, pending := tally(first)
		msg := fmt.Sprintf("%s 没有要求回执。送达情况：%d个群，成功%d个，失败%d个", id, len(first), sent, failed)
		if pending > 0 {
			msg += fmt.Sprintf("，发送中%d个", pending)
		}
		return c.Reply(msg + "。"), nil
	}
	acks, err := Acks(c.Tx, id)
	if err != nil {
		return bot.NoReply, err
	}
	if chase {
		return t.remindSilent(c, r, bc, acks, byID)
	}
	return c.Reply(readBackText(id, bc, acks, first, byID)), nil
}

// addressed reports whether a broadcast was sent to unit id: one of its
// units, or a sector whose group it went to.
func addressed(bc Broadcast, id string) bool {
	return slices.Contains(bc.Units, id) || slices.ContainsFunc(bc.Groups, func(g Group) bool { return slices.Contains(g.Units, id) })
}

// expected lists the units a broadcast reached by any channel (a group,
// or an application message to the officers of a unit without one), in
// the order they were addressed.
func expected(bc Broadcast) []string {
	reached := map[string]bool{}
	for _, g := range bc.Groups {
		for _, u := range g.Units {
			reached[u] = true
		}
	}
	for _, u := range bc.Direct {
		reached[u] = true
	}
	var out []string
	for _, u := range bc.Units {
		if reached[u] {
			out = append(out, u)
		}
	}
	return out
}

// readBackText lists, by unit, who has acknowledged and who has not.
func readBackText(id string, bc Broadcast, acks map[string]Ack, first []delivery, byID map[string]campaign.Unit) string {
	failedAll := map[string]string{} // unit → reason, when every group of it failed
	okSome := map[string]bool{}
	for _, d := range first {
		for _, u := range d.units {
			if d.status == deliveryFailed {
				if _, seen := failedAll[u]; !seen {
					failedAll[u] = d.reason
				}
			} else {
				okSome[u] = true
			}
		}
	}
	exp := expected(bc)
	var done, silent []string
	for _, u := range exp {
		if _, ok := acks[u]; ok {
			done = append(done, u)
		} else {
			silent = append(silent, u)
		}
	}
	sort.SliceStable(done, func(i, j int) bool { return acks[done[i]].At.Before(acks[done[j]].At) })
	name := func(u string) string {
		if x, ok := byID[u]; ok {
			return x.Name
		}
		return u
	}
	var b strings.Builder
	fmt.Fprintf(&b, "【回执情况】%s（%s 发出，范围 %s）\n内容：%s\n", id, zhfmt.Moment(bc.Rounds[0].At), office.Neutralize(bc.ScopeLabel), office.Preview(bc.Content, 40))
	fmt.Fprintf(&b, "已回执%d/%d个单位", len(done), len(exp))
	for i, u := range done {
		if i == office.MaxListed {
			fmt.Fprintf(&b, "\n……另有%d个", len(done)-office.MaxListed)
			break
		}
		a := acks[u]
		fmt.Fprintf(&b, "\n· %s：%s %s", office.Neutralize(name(u)), office.Neutralize(who(a)), zhfmt.Moment(a.At))
	}
	if len(silent) > 0 {
		fmt.Fprintf(&b, "\n未回执（%d个）：", len(silent))
		for i, u := range silent {
			if i == office.MaxListed {
				fmt.Fprintf(&b, "\n……另有%d个", len(silent)-office.MaxListed)
				break
			}
			l := "\n· " + office.Neutralize(name(u))
			if slices.Contains(bc.Direct, u) {
				l += "（没有群，已发应用消息）"
			}
			if reason, failed := failedAll[u]; failed && !okSome[u] {
				l += "（发送失败：" + reason + "）"
			}
			b.WriteString(l)
		}
	}
	if len(bc.Missed) > 0 {
		fmt.Fprintf(&b, "\n没有任何渠道收到（%d个）：%s", len(bc.Missed), office.Neutralize(office.NamesOf(bc.Missed, byID, office.MaxListed)))
	}
	if len(silent) > 0 {
		fmt.Fprintf(&b, "\n发送“回执 %s 催”再次提醒未回执的群。", id)
	} else {
		b.WriteString("\n收到通知的单位都已回执。")
	}
	return b.String()
}
