package district

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"firebot/handlers/textparse"
	"firebot/store"
	"firebot/zhfmt"
)

// What a unit broadcast's preview and the district's 回执 read from the
// streets, in Prepare: street by street, read-only, before the district's
// unit of work.

// CmdReadBack is the district's 回执: where a unit broadcast stands in
// each of its streets.
const CmdReadBack = "回执"

// maxNames is how many unit names a 回执 line lists per street.
const maxNames = 10

var errNoUnits = errors.New("district: no unit broadcasts in this deployment")

// streetReach is one street's reach for a unit broadcast's preview.
type streetReach struct {
	street Street
	reach  Reach
	err    error
}

// reachStreets reads, street by street, what a broadcast to every unit of
// targets reaches. A street that cannot be read is kept with its error (the
// preview refuses); ctx ending stops the reading.
func (d *Desk) reachStreets(ctx context.Context, targets []Street) ([]streetReach, error) {
	out := make([]streetReach, 0, len(targets))
	for _, s := range targets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := streetReach{street: s, err: errNoUnits}
		if d.Units != nil {
			r.reach, r.err = d.Units.Reach(ctx, s.ID)
		}
		out = append(out, r)
	}
	return out, nil
}

// unitPreview is a unit broadcast's preview, per street, or why it is
// refused.
func unitPreview(reach []streetReach, a broadcastArgs) (text, refused string) {
	var unread, names []string
	var total Reach
	var lines strings.Builder
	for _, r := range reach {
		if r.err != nil {
			unread = append(unread, r.street.label())
			continue
		}
		x := r.reach
		names = append(names, r.street.label())
		total.Units += x.Units
		total.Groups += x.Groups
		total.Direct += x.Direct
		fmt.Fprintf(&lines, "\n· %s：%d个单位，%d个群", r.street.label(), x.Units, x.Groups)
		if x.Direct > 0 {
			fmt.Fprintf(&lines, "，%d个单位没有群（以应用消息发给安全员）", x.Direct)
		}
		if x.Missed > 0 {
			fmt.Fprintf(&lines, "，%d个单位没有群也没有安全员、收不到", x.Missed)
		}
		if x.Groups == 0 && x.Direct == 0 {
			lines.WriteString("（没有能收到的单位，不会发送）")
		}
	}
	if len(unread) > 0 {
		return "", "以下街道的数据暂时读不到：" + zhfmt.List(unread) + "。广播没有预览，也没有发送，请稍后再试。"
	}
	if total.Groups == 0 && total.Direct == 0 {
		return "", "所选街道都没有能收到广播的单位（没有绑定群，也没有安全员），广播没有发送。"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "【区级广播预览】发给%d个街道（%s）的全部单位：共%d个单位，%d个群", len(reach), zhfmt.List(names), total.Units, total.Groups)
	b.WriteString(lines.String())
	if a.mentionAll {
		b.WriteString("\n@所有人：是")
	}
	b.WriteString("\n回执：需要（各群 @我 回复“收到”即可；发送“回执”查看各街道的回执）")
	b.WriteString("\n内容：\n" + a.content)
	return b.String(), ""
}

// readBack is the district's 回执 of one unit broadcast, read street by
// street.
type readBack struct {
	ub      *unitBroadcast // nil: none (yet)
	asked   string         // the id asked for, when not found
	others  []string       // the other unit broadcasts' ids, latest first
	streets []streetReadBack
}

type streetReadBack struct {
	id     string // the street's id
	street string // label
	gb     string
	sent   bool // Sent has the street (gb "" = nobody to reach)
	rb     ReadBack
	err    error
}

// readBacks reads the district's 回执 for args (a QB id, or the latest).
func (d *Desk) readBacks(ctx context.Context, args string) (*readBack, error) {
	out := &readBack{}
	want, _ := textparse.CutWord(args)
	if want != "" {
		id, ok := parseUnitID(want)
		if !ok {
			id = want
		}
		want, out.asked = id, id
	}
	if d.Store == nil {
		return out, nil
	}
	var ids []string
	err := d.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(bUnitBcast, "", "", func(k string, _ []byte) error {
			ids = append(ids, k)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if want == "" && len(ids) > 0 {
		want = ids[len(ids)-1]
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if ids[i] != want {
			out.others = append(out.others, ids[i])
		}
	}
	if want == "" {
		return out, nil
	}
	ub, err := d.unitBroadcast(ctx, want)
	if errors.Is(err, store.ErrNotFound) {
		return out, nil
	} else if err != nil {
		return nil, err
	}
	out.ub = &ub
	for _, sid := range ub.Streets {
		s, _ := d.street(sid)
		line := streetReadBack{id: sid, street: s.label()}
		if line.street == "" {
			line.street = sid
		}
		line.gb, line.sent = ub.Sent[sid]
		if line.gb != "" && d.Units != nil {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			line.rb, line.err = d.Units.ReadBack(ctx, sid, line.gb)
		}
		out.streets = append(out.streets, line)
	}
	return out, nil
}

// text is the district's 回执 reply.
func (r *readBack) text() string {
	if r.ub == nil {
		if r.asked != "" {
			return "没有找到区级广播 " + r.asked + "。" + r.otherLine()
		}
		return "还没有发过给单位的区级广播。发送“广播 街道名 全部单位 内容”向所选街道的全部单位发通知。"
	}
	ub := r.ub
	var b, lines strings.Builder
	acked, total := 0, 0
	for _, s := range r.streets {
		switch {
		case !s.sent:
			fmt.Fprintf(&lines, "\n· %s：正在发送", s.street)
			continue
		case s.gb == "":
			fmt.Fprintf(&lines, "\n· %s：没有能收到的单位，没有发送", s.street)
			continue
		case s.err != nil:
			fmt.Fprintf(&lines, "\n· %s %s：数据暂时读不到", s.street, s.gb)
			continue
		}
		x := s.rb
		n := len(x.Acked) + len(x.Silent)
		acked, total = acked+len(x.Acked), total+n
		fmt.Fprintf(&lines, "\n· %s %s：已回执%d/%d个单位；群发送成功%d个，失败%d个", s.street, s.gb, len(x.Acked), n, x.Sent, x.Failed)
		if x.Pending > 0 {
			fmt.Fprintf(&lines, "，发送中%d个", x.Pending)
		}
		if len(x.Silent) > 0 {
			lines.WriteString("\n  未回执：" + listNames(x.Silent))
		}
		if len(x.Missed) > 0 {
			lines.WriteString("\n  收不到（没有群也没有安全员）：" + listNames(x.Missed))
		}
	}
	at := ""
	if !ub.At.IsZero() {
		at = zhfmt.Moment(ub.At) + " 发出，"
	}
	fmt.Fprintf(&b, "【区级广播回执】%s（%s%d个街道的全部单位）\n内容：%s\n", ub.ID, at, len(ub.Streets), clip(ub.Content, 40))
	fmt.Fprintf(&b, "已回执%d/%d个单位", acked, total)
	b.WriteString(lines.String())
	if o := r.otherLine(); o != "" {
		b.WriteString("\n" + o)
	}
	return b.String()
}

func (r *readBack) otherLine() string {
	if len(r.others) == 0 {
		return ""
	}
	o := r.others
	if len(o) > 5 {
		o = o[:5]
	}
	return "其他区级广播：" + strings.Join(o, "、") + "；发送“回执 编号”查看。"
}

func listNames(names []string) string {
	if len(names) <= maxNames {
		return strings.Join(names, "、")
	}
	return strings.Join(names[:maxNames], "、") + fmt.Sprintf("等%d个", len(names))
}

func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
