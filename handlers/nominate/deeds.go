package nominate

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"firebot/bot"
	"firebot/handlers"
	"firebot/handlers/textparse"
)

// The account of deeds (事迹材料) may take several messages. Each one is a
// part, appended with the parts' count shown; 继续 just invites more, 完成
// ends. The limit counts characters as textparse.CountChars does
// (whitespace excluded). Nothing is ever replaced or dropped silently:
//
//   - A part that takes the total over the limit is kept, and the reply
//     shows the total and each part's size and offers two ways on: send the
//     whole shortened text (it replaces all parts, and the reply says so),
//     or drop a named part ("删除第2段").
//   - A short message that looks like a command, a question, a phone
//     number or a control word (确认) is asked about, not appended; "加入"
//     appends it after all.
//   - "事迹 …" (from the summary, or typed in this step) is the whole new
//     text; only the text after the label counts.
//
// Its values (nominateData): Deeds, DeedsParts, DeedsPending.

const (
	// deedsShort is the length up to which a message may be asked about.
	deedsShort = 30
	// deedsCommandMax is the length up to which a message starting with a
	// command word is taken for a command ("进度 学田湾社区"); longer ones
	// are sentences ("报告厅里她讲了一堂消防课").
	deedsCommandMax = 12
)

func deedsStep() *handlers.Step {
	return &handlers.Step{
		ID:       stepDeeds,
		Label:    "事迹材料",
		Labels:   []string{"事迹", "简要事迹", "事迹简介"},
		Controls: true,
		Help:     "直接发送事迹文字，可以分几条发，每条是一段，发完回复“完成”。字数按去掉空格和换行后计算。超出上限时，可以发送精简后的完整事迹（替换全部各段），或回复“删除第2段”去掉某一段。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			return handlers.Prompt{
				Text:    fmt.Sprintf("请发送简要事迹材料（不超过%d字，可以分几条发送），发完回复“完成”。", deedsLimit(e)),
				Buttons: deedsButtons,
			}
		},
		Answer: answerDeeds,
		Show: func(e *handlers.Env, s *handlers.State) string {
			v := data(s).Deeds
			if v == "" {
				return ""
			}
			if e.Group {
				return textparse.Preview(v, deedsPreview)
			}
			return v + fmt.Sprintf("\n（共%d字）", textparse.CountChars(v))
		},
	}
}

func deedsLimit(e *handlers.Env) int {
	if n := nomination(e).DeedsLimit; n > 0 {
		return n
	}
	return 1000
}

var deedsButtons = []bot.Button{{Text: handlers.CtlDone, Value: handlers.CtlDone}, {Text: handlers.CtlContinue, Value: handlers.CtlContinue}}

// deedsParts returns the parts of the deeds text.
func deedsParts(s *handlers.State) []string {
	d := data(s)
	if len(d.DeedsParts) > 0 {
		return slices.Clone(d.DeedsParts)
	}
	if d.Deeds != "" {
		return []string{d.Deeds}
	}
	return nil
}

func setDeedsParts(s *handlers.State, parts []string) {
	d := data(s)
	if len(parts) == 0 {
		d.Deeds, d.DeedsParts = "", nil
		return
	}
	d.Deeds, d.DeedsParts = strings.Join(parts, "\n"), slices.Clone(parts)
}

func deedsCount(s *handlers.State) int { return textparse.CountChars(data(s).Deeds) }

var (
	dropPart  = regexp.MustCompile(`^(?:删除|删掉|去掉|不要)\s*第?\s*(\d+|[一二三四五六七八九十])\s*段$`)
	addWords  = []string{"加入", "加进去", "加上", "是事迹", "要加入"}
	deedLabel = regexp.MustCompile(`^(?:简要事迹|事迹简介|事迹材料|事迹)\s*(?:[:：]\s*|\s+)`)
)

func answerDeeds(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
	limit := deedsLimit(e)
	text := strings.TrimSpace(in.Text)
	pending := data(s).DeedsPending
	data(s).DeedsPending = ""
	if in.Edit {
		return editDeeds(e, s, text)
	}
	if text == "" {
		return handlers.Bad("请发送事迹文字。")
	}
	parts := deedsParts(s)
	total := deedsCount(s)
	switch handlers.Control(text) {
	case handlers.CtlDone:
		switch {
		case total == 0:
			return handlers.Bad("还没有收到事迹材料，请先发送文字。")
		case total > limit:
			return handlers.Bad(overLimit(e, s, limit, ""))
		case total < deedsMin:
			return handlers.Bad(fmt.Sprintf("事迹材料只有%d字，太短了，请至少写%d字。", total, deedsMin))
		}
		if len(parts) == 1 {
			return handlers.Answered(fmt.Sprintf("事迹材料共%d字，已收下。", total))
		}
		return handlers.Answered(fmt.Sprintf("事迹材料共%d段、%d字，已收下。", len(parts), total))
	case handlers.CtlConfirm:
		return handlers.Bad(fmt.Sprintf("现在还在填写事迹材料（已收到%d段，共%d字）。事迹写完请回复“完成”，最后核对时再回复“确认”提交；还要补充就直接发送。", len(parts), total))
	case handlers.CtlContinue:
		if total > limit {
			return handlers.Bad(overLimit(e, s, limit, ""))
		}
		return handlers.Bad("好的，请接着发送，发完回复“完成”。")
	}
	if pending != "" && slices.Contains(addWords, text) {
		return appendDeeds(e, s, pending)
	}
	if m := dropPart.FindStringSubmatch(text); m != nil {
		return dropDeedsPart(e, s, m[1])
	}
	if rest := deedLabel.ReplaceAllString(text, ""); rest != text && rest != "" {
		return replaceDeeds(e, s, rest, "")
	}
	if what, hint := looksOff(e, text); what != "" {
		data(s).DeedsPending = text
		return handlers.Bad(handlers.JoinLines(fmt.Sprintf("“%s”看起来是%s，不像事迹内容，没有加进事迹（事迹目前%d段，共%d字）。", handlers.Clip(text, 20), what, len(parts), total),
			hint, "要把这句加进事迹，请回复“加入”；事迹写完请回复“完成”。"))
	}
	if total > limit {
		return replaceDeeds(e, s, text, "")
	}
	return appendDeeds(e, s, text)
}

// appendDeeds adds text as the next part.
func appendDeeds(e *handlers.Env, s *handlers.State, text string) handlers.Reaction {
	limit := deedsLimit(e)
	parts := append(deedsParts(s), text)
	setDeedsParts(s, parts)
	n := textparse.CountChars(text)
	if deedsCount(s) > limit {
		return handlers.Bad(overLimit(e, s, limit, fmt.Sprintf("收到第%d段（%d字）。", len(parts), n)))
	}
	return handlers.Bad(fmt.Sprintf("已收到第%d段（%d字），事迹材料目前共%d字（上限%d字）。还要补充请直接发送，写完回复“完成”。",
		len(parts), n, deedsCount(s), limit))
}

// replaceDeeds makes text the whole account, saying what it replaces.
func replaceDeeds(e *handlers.Env, s *handlers.State, text, prefix string) handlers.Reaction {
	limit := deedsLimit(e)
	old := deedsParts(s)
	n := textparse.CountChars(text)
	if n > limit {
		return handlers.Bad(fmt.Sprintf("%s这条有%d字，仍超过上限%d字，没有替换：原来的%d段（共%d字）都还在。请再精简一些后发送完整事迹，或回复“删除第N段”去掉一段。",
			prefix, n, limit, len(old), deedsCount(s)))
	}
	setDeedsParts(s, []string{text})
	msg := fmt.Sprintf("事迹材料目前共%d字（上限%d字）。", n, limit)
	if len(old) > 0 {
		msg = fmt.Sprintf("已用这条消息替换原来的全部%d段事迹（原来共%d字，不再保留），", len(old), textparse.CountChars(strings.Join(old, ""))) + msg
	}
	return handlers.Bad(prefix + msg + "还要补充请直接发送，写完回复“完成”。")
}

// editDeeds is "事迹 …" on the summary: the text is the whole account.
func editDeeds(e *handlers.Env, s *handlers.State, text string) handlers.Reaction {
	limit := deedsLimit(e)
	n := textparse.CountChars(text)
	switch {
	case n == 0:
		return handlers.Bad("请发送事迹文字。")
	case n > limit:
		return handlers.Bad(fmt.Sprintf("事迹材料最多%d字，这次发来的有%d字，没有修改：原来的事迹（%d字）保持不变。请精简后再发送“事迹 精简后的完整内容”。", limit, n, deedsCount(s)))
	case n < deedsMin:
		return handlers.Bad(fmt.Sprintf("事迹材料只有%d字，太短了，请至少写%d字。", n, deedsMin))
	}
	setDeedsParts(s, []string{text})
	return handlers.Answered(fmt.Sprintf("事迹材料已整体替换为新发送的内容（共%d字）。", n))
}

func dropDeedsPart(e *handlers.Env, s *handlers.State, num string) handlers.Reaction {
	parts := deedsParts(s)
	i, msg := handlers.ParseAmount(num)
	if msg != "" || i < 1 || i > len(parts) {
		return handlers.Bad(fmt.Sprintf("事迹材料现在只有%d段，没有第%s段。", len(parts), num))
	}
	gone := textparse.CountChars(parts[i-1])
	parts = append(parts[:i-1:i-1], parts[i:]...)
	setDeedsParts(s, parts)
	head := fmt.Sprintf("已删除第%d段（%d字）。", i, gone)
	if deedsCount(s) > deedsLimit(e) {
		return handlers.Bad(overLimit(e, s, deedsLimit(e), head))
	}
	return handlers.Bad(fmt.Sprintf("%s事迹材料现在%d段，共%d字。还要补充请直接发送，写完回复“完成”。", head, len(parts), deedsCount(s)))
}

// overLimit explains a total over the limit: each part's size, and the two
// ways on. In a one-to-one chat the whole text follows so it can be copied
// and shortened; in a group only a preview.
func overLimit(e *handlers.Env, s *handlers.State, limit int, head string) string {
	parts := deedsParts(s)
	n := deedsCount(s)
	var b strings.Builder
	fmt.Fprintf(&b, "%s事迹材料最多%d字，现在%d段共%d字，超出%d字，还不能提交。已收到的内容都保留着：", head, limit, len(parts), n, n-limit)
	for i, p := range parts {
		fmt.Fprintf(&b, "\n第%d段：%d字（%s）", i+1, textparse.CountChars(p), handlers.Clip(p, 12))
	}
	fmt.Fprintf(&b, "\n请选择：\n1. 把精简后的完整事迹重新发给我，它会替换上面全部%d段；\n2. 回复“删除第N段”去掉其中一段（例如“删除第%d段”）。", len(parts), len(parts))
	if !e.Group {
		b.WriteString("\n全文如下，可以复制后删改：\n" + data(s).Deeds)
	}
	return b.String()
}

var questionWords = []string{"怎么", "哪天", "几号", "几点", "是否", "能不能", "可不可以", "是哪", "什么时候"}

// looksOff says what a short message in the deeds step looks like when it
// is probably not part of the account, with a hint; "" when it reads as
// deeds.
func looksOff(e *handlers.Env, text string) (what, hint string) {
	if textparse.CountChars(text) > deedsShort {
		return "", ""
	}
	if _, err := textparse.ValidatePhone(text); err == nil {
		return "一个电话号码", "联系电话在事迹之后的下一步填写。"
	}
	if e.Command != nil && textparse.CountChars(text) <= deedsCommandMax {
		if name := e.Command(text); name != "" {
			return "一条命令（“" + name + "”）", "推荐填写中不能使用其他功能：请先把推荐填完，或回复“取消”退出。"
		}
	}
	if c := handlers.Control(text); c != "" {
		return "一个操作词（“" + c + "”）", ""
	}
	q := strings.HasSuffix(text, "?") || strings.HasSuffix(text, "？") || strings.HasSuffix(text, "吗") || strings.HasSuffix(text, "呢")
	for _, w := range questionWords {
		q = q || strings.Contains(text, w)
	}
	if q {
		return "一个问题", "问题可以在推荐填完后再问（发送“帮助”查看我能做什么）。"
	}
	return "", ""
}

// deedsResumeNote says how much of the deeds a resumed draft has.
func deedsResumeNote(s *handlers.State) string {
	if n := len(deedsParts(s)); n > 0 && s.Step == stepDeeds {
		return fmt.Sprintf("事迹材料已收到%d段，共%d字。", n, deedsCount(s))
	}
	return ""
}
